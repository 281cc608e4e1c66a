import { colourAt, el, emptyChart, GRID, INK, linearScale, MUTED, num, svgRoot, text, ticks, tooltip } from "./svg";

export interface TrendSeries {
  /** Legend label, e.g. 响应及时性. */
  name: string;
  /** One value per period label; null where the period had no data (the line breaks there). */
  values: (number | null)[];
}

export interface LineTrendInput {
  title: string;
  /** Period labels along the x axis, oldest first, e.g. 12 months "2025-11" … "2026-10". */
  periods: string[];
  series: TrendSeries[];
  /** The y axis range; averages use 1–5, indices 0–100. */
  yMin: number;
  yMax: number;
  /** Number of y grid steps. */
  yTicks?: number;
  /** Decimals shown for values in tooltips and tick labels. */
  digits?: number;
  emptyMessage: string;
}

const WIDTH = 760;
const PLOT = { left: 48, right: 170, top: 36, bottom: 44 };
const HEIGHT = 300;

/**
 * Line chart of several series over the same periods (the 12-month trend per dimension). Each
 * point is a circle carrying `data-series`, `data-period` and `data-value`, so tests and readers of
 * the SVG can see exactly which figure was placed where.
 */
export function lineTrendChart(input: LineTrendInput): string {
  const hasData = input.series.some((series) => series.values.some((value) => value !== null));
  if (input.periods.length === 0 || !hasData) return emptyChart("line-trend", input.title, input.emptyMessage, WIDTH);
  const digits = input.digits ?? 2;
  const plotRight = WIDTH - PLOT.right;
  const plotBottom = HEIGHT - PLOT.bottom;
  const step = input.periods.length > 1 ? (plotRight - PLOT.left) / (input.periods.length - 1) : 0;
  const xAt = (i: number) => (input.periods.length > 1 ? PLOT.left + i * step : (PLOT.left + plotRight) / 2);
  const y = linearScale(input.yMin, input.yMax, plotBottom, PLOT.top);

  const grid = ticks(input.yMin, input.yMax, input.yTicks ?? 4).map(
    (tick) =>
      el("line", { x1: PLOT.left, x2: plotRight, y1: y(tick), y2: y(tick), stroke: GRID }) +
      text(num(tick), { x: PLOT.left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 11, fill: MUTED }),
  );
  const xLabels = input.periods.map((period, i) =>
    text(period, {
      x: xAt(i),
      y: plotBottom + 16,
      "text-anchor": "middle",
      "font-size": 10,
      fill: MUTED,
      class: "x-label",
    }),
  );

  const lines = input.series.map((series, s) => {
    const colour = colourAt(s);
    // Consecutive non-null values form one segment; a null month breaks the line.
    const segments: string[][] = [];
    let current: string[] = [];
    series.values.forEach((value, i) => {
      if (value === null || i >= input.periods.length) {
        if (current.length) segments.push(current);
        current = [];
      } else {
        current.push(`${num(xAt(i))},${num(y(clamp(value, input.yMin, input.yMax)))}`);
      }
    });
    if (current.length) segments.push(current);
    const paths = segments
      .filter((points) => points.length > 1)
      .map((points) => el("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2 }));
    const dots = series.values.flatMap((value, i) =>
      value === null || i >= input.periods.length
        ? []
        : [
            el(
              "circle",
              {
                cx: xAt(i),
                cy: y(clamp(value, input.yMin, input.yMax)),
                r: 3,
                fill: colour,
                class: "point",
                "data-series": series.name,
                "data-period": input.periods[i],
                "data-value": value.toFixed(digits),
              },
              tooltip(`${series.name} ${input.periods[i]}: ${value.toFixed(digits)}`),
            ),
          ],
    );
    const legendY = PLOT.top + s * 20;
    const legend =
      el("line", { x1: plotRight + 16, x2: plotRight + 36, y1: legendY, y2: legendY, stroke: colour, "stroke-width": 3 }) +
      text(series.name, { x: plotRight + 42, y: legendY + 4, "font-size": 12, fill: INK, class: "legend" });
    return el("g", { class: "series", "data-series": series.name }, ...paths, ...dots, legend);
  });

  return svgRoot(
    "line-trend",
    WIDTH,
    HEIGHT,
    input.title,
    text(input.title, { x: PLOT.left, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    el("g", { class: "grid" }, ...grid),
    el("line", { x1: PLOT.left, x2: plotRight, y1: plotBottom, y2: plotBottom, stroke: MUTED }),
    el("g", { class: "x-axis" }, ...xLabels),
    ...lines,
  );
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
