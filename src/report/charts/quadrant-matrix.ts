import { Quadrant } from "../../common/enums";
import { BAD, el, fitText, GRID, INK, MUTED, svgRoot, text, tooltip, WARN } from "./svg";

export interface QuadrantItem {
  /** Shown in the cell, e.g. "#12 核心客户报修响应超过 4 小时". */
  label: string;
  quadrant: Quadrant;
}

export interface QuadrantMatrixInput {
  title: string;
  items: QuadrantItem[];
  /** Localised names of the four quadrants and of the two axes. */
  quadrantLabels: Record<Quadrant, string>;
  urgentLabel: string;
  notUrgentLabel: string;
  importantLabel: string;
  notImportantLabel: string;
  /** Written in a cell with nothing in it. */
  noneLabel: string;
  /** "+{n}" overflow text maker, e.g. (n) => `另有 ${n} 项`. */
  moreLabel: (hidden: number) => string;
  /** Items listed per cell before the rest is summarised. */
  maxPerCell?: number;
}

const WIDTH = 760;
const AXIS = 28;
const HEADER = 36;
const LINE = 18;

// Eisenhower layout: urgent on the left, important on top, so "do first" is the top-left cell.
const CELLS: { quadrant: Quadrant; column: 0 | 1; row: 0 | 1; fill: string; accent: string }[] = [
  { quadrant: Quadrant.URGENT_IMPORTANT, column: 0, row: 0, fill: "#fdecea", accent: BAD },
  { quadrant: Quadrant.IMPORTANT_NOT_URGENT, column: 1, row: 0, fill: "#fff6e5", accent: WARN },
  { quadrant: Quadrant.URGENT_NOT_IMPORTANT, column: 0, row: 1, fill: "#eaf3fb", accent: "#0072B2" },
  { quadrant: Quadrant.NEITHER, column: 1, row: 1, fill: "#f3f4f6", accent: MUTED },
];

/**
 * The four-quadrant (urgent × important) priority matrix with the issues listed in their cell and
 * the count in each cell's header. Each cell carries `data-quadrant` and `data-count`.
 */
export function quadrantMatrixChart(input: QuadrantMatrixInput): string {
  const maxPerCell = input.maxPerCell ?? 8;
  const byQuadrant = new Map<Quadrant, QuadrantItem[]>(CELLS.map((cell) => [cell.quadrant, []]));
  for (const item of input.items) byQuadrant.get(item.quadrant)?.push(item);
  const linesPerCell = Math.max(
    1,
    ...CELLS.map((cell) => {
      const count = byQuadrant.get(cell.quadrant)!.length;
      return Math.min(count, maxPerCell) + (count > maxPerCell ? 1 : 0);
    }),
  );
  const cellWidth = (WIDTH - AXIS - 8) / 2;
  const cellHeight = HEADER + linesPerCell * LINE + 12;
  const top = 32 + AXIS;
  const height = top + 2 * cellHeight + 8;

  const cells = CELLS.map((cell) => {
    const x = AXIS + cell.column * cellWidth;
    const y = top + cell.row * cellHeight;
    const items = byQuadrant.get(cell.quadrant)!;
    const shown = items.slice(0, maxPerCell);
    const lines = shown.map((item, i) =>
      el(
        "g",
        { class: "quadrant-item" },
        text(fitText(`• ${item.label}`, 12, cellWidth - 20), { x: x + 10, y: y + HEADER + 14 + i * LINE, "font-size": 12, fill: INK }),
        tooltip(item.label),
      ),
    );
    if (items.length > maxPerCell) {
      lines.push(
        text(input.moreLabel(items.length - maxPerCell), {
          x: x + 10,
          y: y + HEADER + 14 + shown.length * LINE,
          "font-size": 12,
          fill: MUTED,
          class: "more",
        }),
      );
    }
    if (items.length === 0) {
      lines.push(text(input.noneLabel, { x: x + 10, y: y + HEADER + 14, "font-size": 12, fill: MUTED, class: "none" }));
    }
    return el(
      "g",
      { class: "quadrant", "data-quadrant": cell.quadrant, "data-count": items.length },
      el("rect", { x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2, fill: cell.fill, stroke: GRID, rx: 4 }),
      el("rect", { x: x + 1, y: y + 1, width: 5, height: cellHeight - 2, fill: cell.accent }),
      text(`${input.quadrantLabels[cell.quadrant]} (${items.length})`, {
        x: x + 12,
        y: y + 22,
        "font-size": 13,
        "font-weight": "bold",
        fill: INK,
        class: "quadrant-title",
      }),
      ...lines,
    );
  });

  const axisLabel = (content: string, x: number, y: number, rotate = false) =>
    text(content, {
      x,
      y,
      "text-anchor": "middle",
      "font-size": 12,
      fill: MUTED,
      transform: rotate ? `rotate(-90 ${x} ${y})` : undefined,
    });

  return svgRoot(
    "quadrant",
    WIDTH,
    height,
    input.title,
    text(input.title, { x: AXIS, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    axisLabel(input.urgentLabel, AXIS + cellWidth / 2, top - 8),
    axisLabel(input.notUrgentLabel, AXIS + cellWidth * 1.5, top - 8),
    axisLabel(input.importantLabel, AXIS / 2 + 4, top + cellHeight / 2, true),
    axisLabel(input.notImportantLabel, AXIS / 2 + 4, top + cellHeight * 1.5, true),
    ...cells,
  );
}
