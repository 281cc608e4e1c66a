import { CauseCategory } from "../../common/enums";
import { BAD, el, fitText, GOOD, INK, MUTED, svgRoot, text, textWidth, tooltip } from "./svg";

export type CauseState = "hypothesis" | "confirmed" | "refuted";

export interface FishboneCause {
  text: string;
  state: CauseState | string;
  /** Sub-causes (the why-chain beneath this cause). */
  children: FishboneCause[];
}

export interface FishboneBone {
  category: CauseCategory;
  causes: FishboneCause[];
}

export interface FishboneInput {
  title: string;
  /** The problem at the fish's head, e.g. the title. */
  effect: string;
  bones: FishboneBone[];
  /** Localised bone names, e.g. { MAN: "人 Man" }. */
  categoryLabels: Record<CauseCategory, string>;
  /** Localised cause states for the legend and tooltips. */
  stateLabels: Record<CauseState, string>;
  /** Written on a bone with no causes. */
  noneLabel: string;
}

// Top bones, left to right, then bottom bones: the 人机料法环测 order of the 5M1E method.
const TOP: CauseCategory[] = [CauseCategory.MAN, CauseCategory.MACHINE, CauseCategory.MATERIAL];
const BOTTOM: CauseCategory[] = [CauseCategory.METHOD, CauseCategory.ENVIRONMENT, CauseCategory.MEASUREMENT];

const WIDTH = 980;
const SPINE_LEFT = 24;
const SPINE_RIGHT = 760;
const COLUMN = (SPINE_RIGHT - SPINE_LEFT) / 3;
const LINE = 18;
const LABEL_BAND = 30;
const MAX_DEPTH_INDENT = 3;

interface Line {
  text: string;
  state: string;
  depth: number;
}

/** Causes depth first, so each sub-cause sits under its parent, indented by its depth. */
function flatten(causes: FishboneCause[], depth = 0): Line[] {
  return causes.flatMap((cause) => [{ text: cause.text, state: cause.state, depth }, ...flatten(cause.children, depth + 1)]);
}

/** Splits `content` into at most `maxLines` lines of at most `width`, the last one shortened. */
function wrap(content: string, fontSize: number, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const char of content) {
    if (textWidth(current + char, fontSize) > width && current !== "") {
      lines.push(current);
      current = "";
    }
    current += char;
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitText(lines.slice(maxLines - 1).join(""), fontSize, width);
  return kept;
}

function stateStyle(state: string): Record<string, string | number | undefined> {
  if (state === "confirmed") return { fill: BAD, "font-weight": "bold" };
  if (state === "refuted") return { fill: MUTED, "text-decoration": "line-through" };
  return { fill: INK };
}

/**
 * A fishbone (Ishikawa) diagram: the problem at the head on the right, six bones for 人 机 料 法 环
 * 测 (three above the spine, three below), each cause written along its bone with its sub-causes
 * indented beneath it. Confirmed causes are bold red, refuted ones struck through, hypotheses
 * plain. Every cause line carries `data-category`, `data-depth` and `data-state`.
 */
export function fishboneChart(input: FishboneInput): string {
  const linesByCategory = new Map<CauseCategory, Line[]>();
  for (const category of [...TOP, ...BOTTOM]) linesByCategory.set(category, []);
  for (const bone of input.bones) linesByCategory.get(bone.category)?.push(...flatten(bone.causes));
  const rowsOf = (categories: CauseCategory[]) =>
    Math.max(1, ...categories.map((category) => linesByCategory.get(category)!.length));
  const topRows = rowsOf(TOP);
  const bottomRows = rowsOf(BOTTOM);
  const titleBand = 34;
  const spineY = titleBand + LABEL_BAND + topRows * LINE + 16;
  const height = spineY + 16 + bottomRows * LINE + LABEL_BAND + 42;

  const bone = (category: CauseCategory, column: number, above: boolean) => {
    const lines = linesByCategory.get(category)!;
    const rows = above ? topRows : bottomRows;
    // Each bone starts at the left of its column and leans toward the head; its causes are
    // written to its right, within the column, so the last column stays clear of the head.
    // A gentle lean (at most half the bone's height) keeps the bone from running into its text.
    const columnLeft = SPINE_LEFT + column * COLUMN;
    const farX = columnLeft + 20;
    const farY = above ? spineY - 16 - rows * LINE - 6 : spineY + 16 + rows * LINE + 6;
    const meetX = farX + Math.min(60, Math.abs(spineY - farY) / 2);
    const boneX = (y: number) => farX + ((y - farY) / (spineY - farY)) * (meetX - farX);
    const labelY = above ? farY - 10 : farY + 22;
    const label = input.categoryLabels[category];
    const labelWidth = textWidth(label, 13) + 16;
    const parts = [
      el("line", { x1: farX, y1: farY, x2: meetX, y2: spineY, stroke: INK, "stroke-width": 2 }),
      el("rect", { x: farX - 14, y: labelY - 16, width: labelWidth, height: 22, rx: 4, fill: "#e8f1fa", stroke: "#0072B2" }),
      text(label, { x: farX - 14 + labelWidth / 2, y: labelY, "text-anchor": "middle", "font-size": 13, "font-weight": "bold", fill: INK, class: "bone-label" }),
    ];
    const firstY = above ? farY + 6 + LINE : spineY + 16 + LINE - 4;
    // Sub-causes line up under their top-level cause rather than follow the slanting bone, so the
    // indentation shows the why-chain on bones leaning either way.
    let anchorX = 0;
    lines.forEach((line, i) => {
      const y = firstY + i * LINE;
      const atBone = boneX(y - 4);
      if (line.depth === 0) anchorX = atBone;
      // Never left of the bone itself (top bones lean right going down).
      const x = Math.max(anchorX, atBone);
      const indent = Math.min(line.depth, MAX_DEPTH_INDENT) * 14;
      const prefix = line.depth > 0 ? "└ " : "";
      const fontSize = line.depth > 0 ? 11 : 12;
      const stateLabel = (input.stateLabels as Record<string, string>)[line.state] ?? line.state;
      const textX = x + 10 + indent;
      parts.push(
        el(
          "g",
          { class: "cause", "data-category": category, "data-depth": line.depth, "data-state": line.state },
          line.depth === 0 ? el("line", { x1: x, y1: y - 4, x2: x + 8, y2: y - 4, stroke: INK }) : "",
          text(fitText(prefix + line.text, fontSize, columnLeft + COLUMN - 10 - textX), {
            x: textX,
            y,
            "font-size": fontSize,
            ...stateStyle(line.state),
          }),
          tooltip(`${label} · ${stateLabel}: ${line.text}`),
        ),
      );
    });
    if (lines.length === 0) {
      const y = firstY;
      parts.push(text(input.noneLabel, { x: boneX(y - 4) + 10, y, "font-size": 12, fill: MUTED, class: "none" }));
    }
    return el("g", { class: "bone", "data-category": category, "data-count": lines.length }, ...parts);
  };

  const effectLines = wrap(input.effect, 13, WIDTH - SPINE_RIGHT - 36, 4);
  const effectHeight = effectLines.length * 18 + 16;
  const head = el(
    "g",
    { class: "effect" },
    el("path", {
      d: `M ${SPINE_RIGHT} ${spineY} L ${SPINE_RIGHT + 14} ${spineY - effectHeight / 2} L ${WIDTH - 8} ${spineY - effectHeight / 2} L ${WIDTH - 8} ${spineY + effectHeight / 2} L ${SPINE_RIGHT + 14} ${spineY + effectHeight / 2} Z`,
      fill: "#fdecea",
      stroke: BAD,
      "stroke-width": 1.5,
    }),
    ...effectLines.map((line, i) =>
      text(line, {
        x: SPINE_RIGHT + 22,
        y: spineY - effectHeight / 2 + 22 + i * 18,
        "font-size": 13,
        "font-weight": "bold",
        fill: INK,
      }),
    ),
    tooltip(input.effect),
  );

  const legendY = height - 10;
  const legend = (["confirmed", "hypothesis", "refuted"] as CauseState[]).map((state, i) =>
    text(input.stateLabels[state], { x: SPINE_LEFT + i * 120, y: legendY, "font-size": 11, ...stateStyle(state), class: "legend" }),
  );

  return svgRoot(
    "fishbone",
    WIDTH,
    height,
    input.title,
    text(input.title, { x: SPINE_LEFT, y: 20, "font-size": 14, "font-weight": "bold", fill: INK }),
    el("line", { x1: SPINE_LEFT, y1: spineY, x2: SPINE_RIGHT, y2: spineY, stroke: INK, "stroke-width": 3 }),
    ...TOP.map((category, column) => bone(category, column, true)),
    ...BOTTOM.map((category, column) => bone(category, column, false)),
    head,
    el("g", { class: "legend", fill: GOOD }, ...legend),
  );
}
