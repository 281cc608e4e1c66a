import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup } from "xstate";
import {
  DIAGRAMS_DIR,
  Diagram,
  diagramsOf,
  markSvg,
  mermaidOf,
  readmeOf,
  staleDiagrams,
} from "../../scripts/diagrams";
import { WORKFLOWS } from "../../workflows";
import { describeWorkflow, Workflow } from "../../workflows/runtime";

interface Edge {
  from: string;
  event: string;
  to: string;
}

/** The edges a diagram draws, read back from its Mermaid text. */
function drawnEdges(mermaid: string): Edge[] {
  return mermaid
    .split("\n")
    .map((line) => /^\s+(\w+) --> (\w+) : (\w+)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, from, to, event]) => ({ from, event, to }));
}

/** The edges written in the machine's own config, read without describeWorkflow. */
function configuredEdges(workflow: Workflow<any, any, any>): Edge[] {
  const states = workflow.machine.config.states as Record<string, { on?: Record<string, unknown> }>;
  return Object.entries(states).flatMap(([from, state]) =>
    Object.entries(state.on ?? {}).flatMap(([event, transitions]) =>
      [transitions].flat().map((transition) => {
        const target = typeof transition === "string" ? transition : (transition as { target?: string }).target;
        return { from, event, to: target ?? from };
      }),
    ),
  );
}

const byText = (edge: Edge) => `${edge.from} -${edge.event}-> ${edge.to}`;

function doorWorkflow(withLock: boolean): Workflow<any, any, any> {
  const states: Record<string, object> = {
    shut: { on: { OPEN: { target: "open", guard: "keyTurned" }, ...(withLock ? { LOCK: "locked" } : {}) } },
    open: { on: { SHUT: "shut" } },
  };
  if (withLock) states.locked = { type: "final" };
  const machine = setup({ guards: { keyTurned: () => true } }).createMachine({ id: "door", initial: "shut", states } as any);
  return { name: "door", machine, eventTypes: ["OPEN", "SHUT", "LOCK"], guardReasons: {} } as unknown as Workflow<any, any, any>;
}

function writeCommitted(dir: string, diagrams: Diagram[]): void {
  for (const diagram of diagrams) {
    fs.writeFileSync(path.join(dir, `${diagram.name}.mmd`), diagram.mermaid);
    fs.writeFileSync(path.join(dir, `${diagram.name}.svg`), markSvg(`<svg><text>${diagram.name}</text></svg>`, diagram.mermaid));
  }
  fs.writeFileSync(path.join(dir, "README.md"), readmeOf(diagrams));
}

describe("workflow diagrams", () => {
  describe.each(Object.entries(WORKFLOWS))("the %s diagram", (_name, workflow) => {
    const description = describeWorkflow(workflow);
    const mermaid = mermaidOf(description);

    it("draws every transition of the machine config, and nothing else", () => {
      expect(drawnEdges(mermaid).map(byText).sort()).toEqual(configuredEdges(workflow).map(byText).sort());
    });

    it("shows every state, the initial state and each final state", () => {
      const configured = Object.keys(workflow.machine.config.states ?? {});
      const lines = mermaid.split("\n");
      for (const state of configured) {
        expect([state, lines.some((line) => new RegExp(`\\b${state}\\b`).test(line))]).toEqual([state, true]);
      }
      expect(lines).toContain(`  [*] --> ${workflow.machine.config.initial}`);
      const finals = configured.filter((state) => (workflow.machine.config.states as any)[state].type === "final");
      expect(lines.filter((line) => line.endsWith("--> [*]")).sort()).toEqual(finals.map((state) => `  ${state} --> [*]`).sort());
    });

    it("labels each edge with the names of its guards", () => {
      const lines = mermaid.split("\n");
      for (const state of description.states) {
        for (const transition of state.transitions) {
          const edge = lines.find(
            (line) =>
              line.startsWith(`  ${state.name} --> ${transition.target ?? state.name} : ${transition.event}`) &&
              transition.guards.every((guard) => line.includes(`[${guard}]`)),
          );
          expect([state.name, transition.event, edge !== undefined]).toEqual([state.name, transition.event, true]);
        }
      }
    });
  });

  it("draws a targetless transition as a loop marked as staying", () => {
    const mermaid = mermaidOf(describeWorkflow(WORKFLOWS.issue));
    expect(mermaid).toContain("  analyzing --> analyzing : EDIT_ANALYSIS (stays)<br/>[actorMayEditAnalysis]");
  });

  it("the committed diagrams in docs/workflows match the machines", () => {
    expect(staleDiagrams(DIAGRAMS_DIR)).toEqual([]);
  });

  describe("staleness", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-diagrams-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("accepts diagrams generated from the current machine", () => {
      writeCommitted(dir, diagramsOf({ door: doorWorkflow(false) }));
      expect(staleDiagrams(dir, diagramsOf({ door: doorWorkflow(false) }))).toEqual([]);
    });

    it("reports the Mermaid source, the SVG and the README stale after the machine changes", () => {
      writeCommitted(dir, diagramsOf({ door: doorWorkflow(false) }));
      expect(staleDiagrams(dir, diagramsOf({ door: doorWorkflow(true) }))).toEqual([
        "door.mmd is stale",
        "door.svg is stale",
        "README.md is stale",
      ]);
    });

    it("ignores differences in the drawing itself as long as it was rendered from the same source", () => {
      const diagrams = diagramsOf({ door: doorWorkflow(false) });
      writeCommitted(dir, diagrams);
      fs.writeFileSync(path.join(dir, "door.svg"), markSvg('<svg><text font-family="other">door</text></svg>', diagrams[0].mermaid));
      expect(staleDiagrams(dir, diagrams)).toEqual([]);
    });

    it("reports missing files and an SVG without a source hash", () => {
      const diagrams = diagramsOf({ door: doorWorkflow(false) });
      fs.writeFileSync(path.join(dir, "door.svg"), "<svg></svg>\n");
      expect(staleDiagrams(dir, diagrams)).toEqual(["door.mmd is missing", "door.svg is stale", "README.md is stale"]);
    });
  });
});
