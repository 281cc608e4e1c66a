import { escapeXml } from "../escape";

/**
 * Small building blocks shared by the charts: an element writer that escapes every attribute and
 * text, a linear scale, tick choice, text-width estimates for CJK and Latin labels, and a palette.
 * Charts are plain strings of SVG so a report stays one self-contained file with no script.
 */

export type Attributes = Record<string, string | number | null | undefined | false>;

/** Formats a coordinate or size: at most two decimals, no trailing zeros, no "-0". */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

function attributeText(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== null && value !== undefined && value !== false)
    .map(([name, value]) => ` ${name}="${typeof value === "number" ? num(value) : escapeXml(value as string)}"`)
    .join("");
}

/** An element with escaped attributes around already-rendered children. */
export function el(name: string, attributes: Attributes, ...children: string[]): string {
  const body = children.join("");
  return body === "" ? `<${name}${attributeText(attributes)}/>` : `<${name}${attributeText(attributes)}>${body}</${name}>`;
}

/** A `<text>` element; `content` is escaped here. */
export function text(content: string | number, attributes: Attributes): string {
  return `<text${attributeText(attributes)}>${escapeXml(content)}</text>`;
}

/** A tooltip for the enclosing element (browsers show it on hover; screen readers read it). */
export function tooltip(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/** The outer `<svg>` with a title for assistive technology and a `data-chart` kind tests can find. */
export function svgRoot(kind: string, width: number, height: number, title: string, ...children: string[]): string {
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      class: `chart chart-${kind}`,
      "data-chart": kind,
      role: "img",
      "aria-label": title,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width,
      height,
      "font-family": FONT_FAMILY,
    },
    tooltip(title),
    ...children,
  );
}

export const FONT_FAMILY =
  '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",' +
  '"Helvetica Neue",Arial,sans-serif';

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0;
  return (value) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** The smallest "nice" number (1, 2, 2.5, 5 × 10^k) at or above `value`, for axis maxima. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value - 1e-9) return step * power;
  }
  return 10 * power;
}

/**
 * How many grid steps to draw from 0 to `max` (a niceCeil value) so each step is a whole number
 * when the axis counts things: 5 for 5, 50 or 25; 4 for 20 or 200; 2 for 2; 1 for 1.
 */
export function countSteps(max: number): number {
  return [5, 4, 2].find((steps) => Number.isInteger(max / steps)) ?? 1;
}

/** `count + 1` evenly spaced ticks from min to max inclusive. */
export function ticks(min: number, max: number, count: number): number[] {
  return Array.from({ length: count + 1 }, (_, i) => min + ((max - min) * i) / count);
}

// Wide characters (CJK, full-width forms, Hangul) take about one em; others about 0.58 em.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\uD840-\uD8BF][\uDC00-\uDFFF]/;

/** Estimated rendered width of `content` at `fontSize`, good enough to lay labels out. */
export function textWidth(content: string, fontSize: number): number {
  let width = 0;
  for (const char of content) width += WIDE.test(char) ? 1 : 0.58;
  return width * fontSize;
}

/** Shortens `content` with an ellipsis to fit `maxWidth`; the full text belongs in a tooltip. */
export function fitText(content: string, fontSize: number, maxWidth: number): string {
  if (textWidth(content, fontSize) <= maxWidth) return content;
  const chars = [...content];
  while (chars.length > 0 && textWidth(chars.join("") + "…", fontSize) > maxWidth) chars.pop();
  return chars.join("") + "…";
}

/** Colour-blind-safe categorical palette (Okabe–Ito), then repeats. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

export function colourAt(index: number): string {
  return PALETTE[index % PALETTE.length];
}

export const INK = "#1f2933";
export const MUTED = "#6b7785";
export const GRID = "#e3e8ee";
export const GOOD = "#1a7f4b";
export const WARN = "#b7791f";
export const BAD = "#c0392b";

/** Shown in place of a chart that has nothing to draw, so an empty month is visible as such. */
export function emptyChart(kind: string, title: string, message: string, width = 640, height = 80): string {
  return svgRoot(
    kind,
    width,
    height,
    title,
    el("rect", { x: 0.5, y: 0.5, width: width - 1, height: height - 1, fill: "#fafbfc", stroke: GRID, rx: 4 }),
    text(message, { x: width / 2, y: height / 2 + 5, "text-anchor": "middle", "font-size": 14, fill: MUTED, class: "empty" }),
  );
}
