import { BAD, el, emptyChart, fitText, GOOD, GRID, INK, MUTED, svgRoot, text, tooltip, WARN } from "./svg";

export type ProgressStatus = "done" | "onTrack" | "atRisk" | "overdue";

export interface ProgressItem {
  /** e.g. the measure; the owner and department go in `detail`. */
  label: string;
  detail?: string;
  /** 0–100. */
  progress: number;
  /** Share of the planned time already elapsed, 0–100, drawn as a marker; null when unplanned. */
  expected?: number | null;
  status: ProgressStatus;
}

export interface ProgressBarsInput {
  title: string;
  items: ProgressItem[];
  statusLabels: Record<ProgressStatus, string>;
  expectedLabel: string;
  emptyMessage: string;
}

const WIDTH = 760;
const LABEL_WIDTH = 260;
const STATUS_WIDTH = 110;
const ROW = 34;

const STATUS_COLOUR: Record<ProgressStatus, string> = { done: GOOD, onTrack: "#0072B2", atRisk: WARN, overdue: BAD };

/**
 * One horizontal bar per action item: progress % filled in the colour of its status, with a
 * marker where progress should be by now (elapsed share of the planned time). Rows carry
 * `data-progress`, `data-expected` and `data-status`.
 */
export function progressBarsChart(input: ProgressBarsInput): string {
  if (input.items.length === 0) return emptyChart("progress", input.title, input.emptyMessage, WIDTH);
  const top = 50;
  const height = top + input.items.length * ROW + 8;
  const barLeft = LABEL_WIDTH;
  const barRight = WIDTH - STATUS_WIDTH;
  const x = (percent: number) => barLeft + (Math.min(100, Math.max(0, percent)) / 100) * (barRight - barLeft);

  const rows = input.items.map((item, i) => {
    const y = top + i * ROW;
    const colour = STATUS_COLOUR[item.status];
    const expected = item.expected ?? null;
    return el(
      "g",
      {
        class: "progress-row",
        "data-label": item.label,
        "data-progress": item.progress,
        "data-expected": expected === null ? undefined : Math.round(expected),
        "data-status": item.status,
      },
      text(fitText(item.label, 12, LABEL_WIDTH - 12), { x: 8, y: y + 12, "font-size": 12, fill: INK, class: "row-label" }),
      item.detail
        ? text(fitText(item.detail, 10, LABEL_WIDTH - 12), { x: 8, y: y + 26, "font-size": 10, fill: MUTED, class: "row-detail" })
        : "",
      el("rect", { x: barLeft, y: y + 6, width: barRight - barLeft, height: 16, fill: GRID, rx: 3 }),
      el("rect", { x: barLeft, y: y + 6, width: x(item.progress) - barLeft, height: 16, fill: colour, rx: 3, class: "bar-progress" }),
      text(`${item.progress}%`, { x: barLeft + 6, y: y + 18, "font-size": 11, fill: item.progress >= 12 ? "#ffffff" : INK }),
      expected === null
        ? ""
        : el(
            "line",
            { x1: x(expected), x2: x(expected), y1: y + 2, y2: y + 26, stroke: INK, "stroke-width": 2, class: "expected" },
            tooltip(`${input.expectedLabel}: ${Math.round(expected)}%`),
          ),
      text(input.statusLabels[item.status], { x: barRight + 10, y: y + 18, "font-size": 12, fill: colour, class: "status" }),
      tooltip(`${item.label}: ${item.progress}% · ${input.statusLabels[item.status]}`),
    );
  });

  return svgRoot(
    "progress",
    WIDTH,
    height,
    input.title,
    text(input.title, { x: 8, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    el("line", { x1: barLeft, x2: barLeft, y1: 30, y2: 42, stroke: INK, "stroke-width": 2 }),
    text(input.expectedLabel, { x: barLeft + 6, y: 40, "font-size": 11, fill: MUTED, class: "legend" }),
    ...rows,
  );
}
