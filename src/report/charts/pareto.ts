import { BAD, colourAt, el, emptyChart, fitText, GRID, INK, linearScale, MUTED, niceCeil, countSteps, num, svgRoot, text, ticks, tooltip } from "./svg";

export interface ParetoItem {
  label: string;
  count: number;
}

export interface ParetoRow extends ParetoItem {
  /** Share of the total, percent. */
  share: number;
  /** Running share up to and including this row, percent. */
  cumulativeShare: number;
}

export interface ParetoInput {
  title: string;
  items: ParetoItem[];
  /** Label of the right axis, e.g. 累计占比. */
  cumulativeLabel: string;
  emptyMessage: string;
  /** At most this many bars; the rest are summed into one `otherLabel` bar at the end. */
  maxBars?: number;
  otherLabel?: string;
}

/**
 * Sorts by count (descending, ties by label so the order is stable) and adds shares and the
 * running cumulative share. Rows with a zero count are dropped. Beyond `maxBars`, the tail is
 * summed into one trailing row labelled `otherLabel`, as a Pareto chart conventionally does.
 */
export function paretoRows(items: ParetoItem[], maxBars = Infinity, otherLabel = "other"): ParetoRow[] {
  const sorted = items
    .filter((item) => item.count > 0)
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const kept =
    sorted.length > maxBars
      ? [...sorted.slice(0, maxBars - 1), { label: otherLabel, count: sorted.slice(maxBars - 1).reduce((sum, item) => sum + item.count, 0) }]
      : sorted;
  const total = kept.reduce((sum, item) => sum + item.count, 0);
  let running = 0;
  return kept.map((item) => {
    running += item.count;
    return { ...item, share: (item.count / total) * 100, cumulativeShare: (running / total) * 100 };
  });
}

const WIDTH = 720;
const HEIGHT = 320;
const PLOT = { left: 48, right: 52, top: 40, bottom: 64 };

/**
 * Pareto chart: bars of counts in descending order with the cumulative share as a line on a
 * 0–100% right axis and a dashed 80% reference line. Bars carry `data-count`, points
 * `data-cumulative` (percent, one decimal).
 */
export function paretoChart(input: ParetoInput): string {
  const rows = paretoRows(input.items, input.maxBars ?? 10, input.otherLabel);
  if (rows.length === 0) return emptyChart("pareto", input.title, input.emptyMessage, WIDTH);
  const plotRight = WIDTH - PLOT.right;
  const plotBottom = HEIGHT - PLOT.bottom;
  const max = niceCeil(rows[0].count);
  const y = linearScale(0, max, plotBottom, PLOT.top);
  const yShare = linearScale(0, 100, plotBottom, PLOT.top);
  const slot = (plotRight - PLOT.left) / rows.length;
  const barWidth = Math.min(60, slot * 0.7);
  const centre = (i: number) => PLOT.left + (i + 0.5) * slot;

  const grid = ticks(0, max, countSteps(max)).map(
    (tick) =>
      el("line", { x1: PLOT.left, x2: plotRight, y1: y(tick), y2: y(tick), stroke: GRID }) +
      text(num(tick), { x: PLOT.left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 11, fill: MUTED }),
  );
  const shareAxis = ticks(0, 100, 4).map((tick) =>
    text(`${num(tick)}%`, { x: plotRight + 6, y: yShare(tick) + 4, "font-size": 11, fill: MUTED }),
  );
  const bars = rows.map((row, i) =>
    el(
      "g",
      { class: "bar", "data-label": row.label, "data-count": row.count, "data-share": row.share.toFixed(1) },
      el("rect", { x: centre(i) - barWidth / 2, y: y(row.count), width: barWidth, height: plotBottom - y(row.count), fill: colourAt(0) }),
      text(row.count, { x: centre(i), y: y(row.count) - 4, "text-anchor": "middle", "font-size": 11, fill: INK }),
      text(fitText(row.label, 11, slot - 4), {
        x: centre(i),
        y: plotBottom + 16,
        "text-anchor": "middle",
        "font-size": 11,
        fill: INK,
        class: "x-label",
      }),
      tooltip(`${row.label}: ${row.count} (${row.share.toFixed(1)}%)`),
    ),
  );
  const linePoints = rows.map((row, i) => `${num(centre(i))},${num(yShare(row.cumulativeShare))}`).join(" ");
  const points = rows.map((row, i) =>
    el(
      "circle",
      {
        cx: centre(i),
        cy: yShare(row.cumulativeShare),
        r: 3,
        fill: BAD,
        class: "cumulative-point",
        "data-label": row.label,
        "data-cumulative": row.cumulativeShare.toFixed(1),
      },
      tooltip(`${input.cumulativeLabel} ${row.label}: ${row.cumulativeShare.toFixed(1)}%`),
    ),
  );

  return svgRoot(
    "pareto",
    WIDTH,
    HEIGHT,
    input.title,
    text(input.title, { x: PLOT.left, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    el("g", { class: "grid" }, ...grid),
    ...bars,
    el("line", {
      x1: PLOT.left,
      x2: plotRight,
      y1: yShare(80),
      y2: yShare(80),
      stroke: BAD,
      "stroke-dasharray": "4 3",
      "stroke-opacity": 0.6,
      class: "reference-80",
    }),
    el("polyline", { points: linePoints, fill: "none", stroke: BAD, "stroke-width": 2, class: "cumulative-line" }),
    ...points,
    el("g", { class: "share-axis" }, ...shareAxis),
    text(input.cumulativeLabel, { x: plotRight + 4, y: PLOT.top - 10, "font-size": 11, fill: MUTED }),
    el("line", { x1: PLOT.left, x2: plotRight, y1: plotBottom, y2: plotBottom, stroke: MUTED }),
  );
}
