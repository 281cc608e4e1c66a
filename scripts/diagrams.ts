/**
 * `npm run diagrams` draws every workflow of workflows/ as a Mermaid stateDiagram-v2
 * (docs/workflows/<machine>.mmd, embedded in docs/workflows/README.md) and as an SVG
 * (docs/workflows/<machine>.svg) rendered by Mermaid in headless Chromium.
 * `npm run diagrams:check` fails when a committed diagram no longer matches the machines.
 *
 * The diagrams are drawn from `describeWorkflow`, the walk of the xstate machine that the
 * `workflowDefinitions` query also serves, so the pictures cannot drift from what is enforced.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { WORKFLOWS } from "../workflows";
import { describeWorkflow, Workflow, WorkflowDescription } from "../workflows/runtime";

export const DIAGRAMS_DIR = path.resolve(__dirname, "..", "docs", "workflows");
export const MERMAID_BUNDLE = path.resolve(__dirname, "..", "node_modules", "mermaid", "dist", "mermaid.min.js");

/**
 * The SVG's first line names the hash of the Mermaid source it was rendered from. The check
 * compares that hash, not the SVG itself: the drawing depends on the fonts of the machine that
 * rendered it, the source does not.
 */
const SVG_SOURCE_MARK = "<!-- qloop-diagram-source sha256:";

/** A transition without a target runs its guards and is logged but leaves the state as it is. */
const STAYS = "(stays)";

/** A Mermaid stateDiagram-v2 of one workflow: states, events, targets and guard names. */
export function mermaidOf(description: WorkflowDescription): string {
  const lines = ["stateDiagram-v2", `  %% ${description.name}: generated from workflows/ by npm run diagrams`];
  lines.push(`  [*] --> ${description.initial}`);
  for (const state of description.states) {
    for (const transition of state.transitions) {
      const target = transition.target ?? state.name;
      const event = transition.target === null ? `${transition.event} ${STAYS}` : transition.event;
      const label = [event, ...transition.guards.map((guard) => `[${guard}]`)].join("<br/>");
      lines.push(`  ${state.name} --> ${target} : ${label}`);
    }
  }
  for (const state of description.states) {
    if (state.final) lines.push(`  ${state.name} --> [*]`);
  }
  return lines.join("\n") + "\n";
}

export function sourceHash(mermaid: string): string {
  return crypto.createHash("sha256").update(mermaid).digest("hex");
}

/** Prefixes a rendered SVG with the hash of its Mermaid source. */
export function markSvg(svg: string, mermaid: string): string {
  return `${SVG_SOURCE_MARK}${sourceHash(mermaid)} -->\n${svg}\n`;
}

function markedHash(svg: string): string | null {
  const firstLine = svg.split("\n", 1)[0];
  if (!firstLine.startsWith(SVG_SOURCE_MARK)) return null;
  return firstLine.slice(SVG_SOURCE_MARK.length).replace(/\s*-->\s*$/, "");
}

export interface Diagram {
  /** The workflow's name in `WORKFLOWS` (and the file name). */
  name: string;
  mermaid: string;
}

export function diagramsOf(workflows: Record<string, Workflow<any, any, any>> = WORKFLOWS): Diagram[] {
  return Object.entries(workflows).map(([name, workflow]) => ({
    name,
    mermaid: mermaidOf(describeWorkflow(workflow)),
  }));
}

/** docs/workflows/README.md: every diagram inline (GitHub renders Mermaid blocks) plus its SVG. */
export function readmeOf(diagrams: Diagram[]): string {
  const parts = [
    "# Workflow diagrams",
    "",
    "Generated from the machines in [`workflows/`](../../workflows/) by `npm run diagrams`; CI runs",
    "`npm run diagrams:check` and fails when one is stale. Edges are labelled with the event and the",
    `names of its guards (all must pass); ${STAYS} marks an event that is checked and logged but keeps`,
    "the state. The same graph is served by the `workflowDefinitions` query.",
    "",
  ];
  for (const diagram of diagrams) {
    parts.push(`## ${diagram.name}`, "", `![${diagram.name} workflow](${diagram.name}.svg)`, "", "```mermaid");
    parts.push(diagram.mermaid.trimEnd(), "```", "");
  }
  return parts.join("\n");
}

/** What is wrong with the committed diagrams in `dir`; empty when they are current. */
export function staleDiagrams(dir: string, diagrams: Diagram[] = diagramsOf()): string[] {
  const problems: string[] = [];
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8") : null);
  for (const diagram of diagrams) {
    const mmd = read(`${diagram.name}.mmd`);
    if (mmd === null) problems.push(`${diagram.name}.mmd is missing`);
    else if (mmd !== diagram.mermaid) problems.push(`${diagram.name}.mmd is stale`);
    const svg = read(`${diagram.name}.svg`);
    if (svg === null) problems.push(`${diagram.name}.svg is missing`);
    else if (markedHash(svg) !== sourceHash(diagram.mermaid)) problems.push(`${diagram.name}.svg is stale`);
  }
  if (read("README.md") !== readmeOf(diagrams)) problems.push("README.md is stale");
  return problems;
}

/** Renders Mermaid sources to SVG with the bundled mermaid.min.js in headless Chromium. */
export async function renderSvgs(diagrams: Diagram[]): Promise<string[]> {
  const { launchChromium } = await import("../src/report/browser/chromium");
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    const svgs = await page.evaluate(async (sources) => {
      const mermaid = (globalThis as any).mermaid;
      // Plain SVG text instead of HTML in foreignObject, so the files also render outside browsers.
      mermaid.initialize({ startOnLoad: false, theme: "neutral", securityLevel: "strict", htmlLabels: false });
      const out: string[] = [];
      for (const { name, mermaid: text } of sources) out.push((await mermaid.render(`workflow-${name}`, text)).svg);
      return out;
    }, diagrams);
    if (problems.length) throw new Error(`Mermaid failed in Chromium:\n${problems.join("\n")}`);
    return svgs;
  } finally {
    await chromium.close();
  }
}

export async function writeDiagrams(dir: string, diagrams: Diagram[] = diagramsOf()): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const svgs = await renderSvgs(diagrams);
  diagrams.forEach((diagram, index) => {
    fs.writeFileSync(path.join(dir, `${diagram.name}.mmd`), diagram.mermaid);
    fs.writeFileSync(path.join(dir, `${diagram.name}.svg`), markSvg(svgs[index], diagram.mermaid));
  });
  fs.writeFileSync(path.join(dir, "README.md"), readmeOf(diagrams));
}

async function main(): Promise<void> {
  const relative = path.relative(process.cwd(), DIAGRAMS_DIR);
  if (process.argv.includes("--check")) {
    const problems = staleDiagrams(DIAGRAMS_DIR);
    if (problems.length) {
      console.error(`${relative}: diagrams are out of date with workflows/ (run npm run diagrams):`);
      for (const problem of problems) console.error(`  ${problem}`);
      process.exit(1);
    }
    console.log(`${relative}: diagrams match the machines`);
    return;
  }
  await writeDiagrams(DIAGRAMS_DIR);
  console.log(`${relative}: wrote ${Object.keys(WORKFLOWS).length} diagrams`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
