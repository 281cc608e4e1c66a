import { MetricDirection } from "../../common/enums";
import { BAD, el, emptyChart, fitText, GOOD, GRID, INK, linearScale, MUTED, niceCeil, svgRoot, text, tooltip } from "./svg";

export interface BeforeAfterItem {
  /** e.g. "#12 响应及时性". */
  label: string;
  before: number;
  after: number;
  /** The value the action plan aimed for, drawn as a tick when known. */
  target?: number | null;
  /** Appended to the numbers, e.g. "%"; empty for scores. */
  unit?: string;
  direction: MetricDirection;
  /** The check's verdict when it has one: it, not the direction of the change, colours the bar. */
  passed?: boolean | null;
  /** Shown after the change, e.g. 通过 / 未通过. */
  verdictLabel?: string | null;
}

export interface BeforeAfterInput {
  title: string;
  items: BeforeAfterItem[];
  beforeLabel: string;
  afterLabel: string;
  targetLabel: string;
  emptyMessage: string;
  digits?: number;
}

const WIDTH = 760;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 150;
const ROW = 46;

/**
 * Paired horizontal bars per verified metric: before (grey) and after (green when the check
 * passed — or, without a verdict, when it moved the right way — red otherwise), with "before → after (±delta)". Each row has its own scale, since a
 * score 1–5 and a complaint share in percent sit side by side. Rows carry `data-before`,
 * `data-after` and `data-delta`.
 */
export function beforeAfterChart(input: BeforeAfterInput): string {
  if (input.items.length === 0) return emptyChart("before-after", input.title, input.emptyMessage, WIDTH);
  const digits = input.digits ?? 2;
  const top = 52;
  const height = top + input.items.length * ROW + 8;
  const barLeft = LABEL_WIDTH;
  const barRight = WIDTH - VALUE_WIDTH;

  const rows = input.items.map((item, i) => {
    const y = top + i * ROW;
    const unit = item.unit ?? "";
    const max = niceCeil(Math.max(item.before, item.after, item.target ?? 0));
    const x = linearScale(0, max, barLeft, barRight);
    const delta = item.after - item.before;
    const improved = item.direction === MetricDirection.HIGHER_IS_BETTER ? delta > 0 : delta < 0;
    // A change in the right direction can still fall short of the threshold: the verdict decides.
    const good = item.passed ?? improved;
    const fixed = (value: number) => `${value.toFixed(digits)}${unit}`;
    const deltaText = `${delta >= 0 ? "+" : "−"}${Math.abs(delta).toFixed(digits)}${unit}`;
    return el(
      "g",
      {
        class: "before-after",
        "data-label": item.label,
        "data-before": item.before.toFixed(digits),
        "data-after": item.after.toFixed(digits),
        "data-delta": delta.toFixed(digits),
        "data-improved": String(improved),
        "data-passed": item.passed === null || item.passed === undefined ? undefined : String(item.passed),
      },
      el("line", { x1: barLeft, x2: barRight, y1: y + ROW - 4, y2: y + ROW - 4, stroke: GRID }),
      text(fitText(item.label, 12, LABEL_WIDTH - 24), { x: 8, y: y + 22, "font-size": 12, fill: INK, class: "row-label" }),
      el("rect", { x: barLeft, y: y + 4, width: x(item.before) - barLeft, height: 14, fill: "#b8c2cc", class: "bar-before" }),
      el("rect", {
        x: barLeft,
        y: y + 21,
        width: x(item.after) - barLeft,
        height: 14,
        fill: good ? GOOD : BAD,
        class: "bar-after",
      }),
      item.target === null || item.target === undefined
        ? ""
        : el(
            "line",
            { x1: x(item.target), x2: x(item.target), y1: y + 1, y2: y + 38, stroke: INK, "stroke-dasharray": "3 2", class: "target" },
            tooltip(`${input.targetLabel}: ${fixed(item.target)}`),
          ),
      text(`${fixed(item.before)} → ${fixed(item.after)}`, { x: barRight + 8, y: y + 16, "font-size": 12, fill: INK, class: "values" }),
      text(`(${deltaText})${item.verdictLabel ? ` ${item.verdictLabel}` : ""}`, {
        x: barRight + 8,
        y: y + 33,
        "font-size": 12,
        fill: good ? GOOD : BAD,
        class: "delta",
      }),
      tooltip(`${item.label}: ${input.beforeLabel} ${fixed(item.before)} → ${input.afterLabel} ${fixed(item.after)} (${deltaText})`),
    );
  });

  return svgRoot(
    "before-after",
    WIDTH,
    height,
    input.title,
    text(input.title, { x: 8, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    el("rect", { x: barLeft, y: 30, width: 12, height: 10, fill: "#b8c2cc" }),
    text(input.beforeLabel, { x: barLeft + 16, y: 39, "font-size": 11, fill: MUTED, class: "legend" }),
    el("rect", { x: barLeft + 90, y: 30, width: 12, height: 10, fill: GOOD }),
    text(input.afterLabel, { x: barLeft + 106, y: 39, "font-size": 11, fill: MUTED, class: "legend" }),
    ...rows,
  );
}
