import { colourAt, el, emptyChart, GRID, INK, linearScale, MUTED, niceCeil, countSteps, num, svgRoot, text, ticks, tooltip } from "./svg";

export interface DistributionSeries {
  name: string;
  /** One count per category, in category order. */
  counts: number[];
}

export interface DistributionInput {
  title: string;
  /** Category labels along the x axis, e.g. "1分" … "5分". */
  categories: string[];
  /** One series draws plain bars; several draw grouped bars with a legend. */
  series: DistributionSeries[];
  emptyMessage: string;
}

const WIDTH = 640;
const HEIGHT = 280;
const PLOT = { left: 48, right: 16, top: 36, bottom: 40 };

/**
 * Vertical bars of counts per category (the 1–5 score distribution). Each bar is labelled with its
 * count and its share of the series' total, and carries `data-count` and `data-share` (percent,
 * one decimal).
 */
export function distributionChart(input: DistributionInput): string {
  const totals = input.series.map((series) => series.counts.reduce((sum, count) => sum + count, 0));
  if (input.categories.length === 0 || totals.every((total) => total === 0)) {
    return emptyChart("distribution", input.title, input.emptyMessage, WIDTH);
  }
  const legendRows = input.series.length > 1 ? 1 : 0;
  const top = PLOT.top + legendRows * 18;
  const plotRight = WIDTH - PLOT.right;
  const plotBottom = HEIGHT - PLOT.bottom;
  const max = niceCeil(Math.max(...input.series.flatMap((series) => series.counts)));
  const y = linearScale(0, max, plotBottom, top + 14);
  const groupWidth = (plotRight - PLOT.left) / input.categories.length;
  const barWidth = Math.min(56, (groupWidth * 0.8) / input.series.length);

  const grid = ticks(0, max, countSteps(max)).map(
    (tick) =>
      el("line", { x1: PLOT.left, x2: plotRight, y1: y(tick), y2: y(tick), stroke: GRID }) +
      text(num(tick), { x: PLOT.left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 11, fill: MUTED }),
  );
  const bars = input.series.map((series, s) => {
    const colour = colourAt(s);
    const total = totals[s];
    const rects = input.categories.map((category, c) => {
      const count = series.counts[c] ?? 0;
      const share = total === 0 ? 0 : (count / total) * 100;
      const groupLeft = PLOT.left + c * groupWidth + (groupWidth - barWidth * input.series.length) / 2;
      const x = groupLeft + s * barWidth;
      const label = input.series.length > 1 ? String(count) : `${count} (${share.toFixed(1)}%)`;
      return el(
        "g",
        { class: "bar", "data-series": series.name, "data-category": category, "data-count": count, "data-share": share.toFixed(1) },
        el("rect", { x, y: y(count), width: barWidth - 2, height: plotBottom - y(count), fill: colour }),
        text(label, { x: x + (barWidth - 2) / 2, y: y(count) - 4, "text-anchor": "middle", "font-size": 11, fill: INK }),
        tooltip(`${series.name} ${category}: ${count} (${share.toFixed(1)}%)`),
      );
    });
    return el("g", { class: "series", "data-series": series.name }, ...rects);
  });
  const categoryLabels = input.categories.map((category, c) =>
    text(category, {
      x: PLOT.left + (c + 0.5) * groupWidth,
      y: plotBottom + 18,
      "text-anchor": "middle",
      "font-size": 12,
      fill: INK,
      class: "x-label",
    }),
  );
  const legend =
    input.series.length > 1
      ? input.series.map((series, s) => {
          const x = PLOT.left + s * 110;
          return (
            el("rect", { x, y: PLOT.top - 10, width: 12, height: 12, fill: colourAt(s) }) +
            text(series.name, { x: x + 16, y: PLOT.top, "font-size": 12, fill: INK, class: "legend" })
          );
        })
      : [];

  return svgRoot(
    "distribution",
    WIDTH,
    HEIGHT,
    input.title,
    text(input.title, { x: PLOT.left, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    ...legend,
    el("g", { class: "grid" }, ...grid),
    ...bars,
    el("line", { x1: PLOT.left, x2: plotRight, y1: plotBottom, y2: plotBottom, stroke: MUTED }),
    ...categoryLabels,
  );
}
