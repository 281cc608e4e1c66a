/**
 * A report as a small document model, built once from the review data and written out as HTML
 * (with SVG charts) or Markdown (charts become their data tables). All strings here are plain
 * text; the writers escape them.
 */

export type Tone = "good" | "warn" | "bad" | "neutral";

export interface Card {
  label: string;
  value: string;
  /** A second line, e.g. "环比 +1.20". */
  note?: string;
  tone?: Tone;
}

export interface TableBlock {
  kind: "table";
  /** Optional heading line above the table. */
  caption?: string;
  headers: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  numeric?: number[];
  /** Written instead of an empty table. */
  emptyText: string;
}

export interface ListItem {
  text: string;
  children?: ListItem[];
}

export interface ListBlock {
  kind: "list";
  items: ListItem[];
  emptyText?: string;
}

export type Block =
  | { kind: "cards"; cards: Card[] }
  | TableBlock
  /** An inline SVG; Markdown writes `fallback` (the same figures as a table or list) in its place. */
  | { kind: "chart"; svg: string; fallback?: TableBlock | ListBlock }
  | ListBlock
  | { kind: "paragraph"; text: string }
  | { kind: "subheading"; text: string };

export interface Section {
  /** Anchor id (ASCII). */
  id: string;
  heading: string;
  blocks: Block[];
}

export interface ReportDocument {
  lang: string;
  title: string;
  /** Lines under the title: the period, generation time … */
  meta: { label: string; value: string }[];
  sections: Section[];
  footer: string;
  /** Label of the table of contents. */
  contentsLabel: string;
}

export function table(
  headers: string[],
  rows: string[][],
  emptyText: string,
  options: { caption?: string; numeric?: number[] } = {},
): TableBlock {
  return { kind: "table", headers, rows, emptyText, ...options };
}
