import type { Actor, Role } from "../../workflows/actor";
import {
  describeWorkflow,
  evaluateTransition,
  type TransitionErrorCode,
  type Workflow,
} from "../../workflows/runtime";

/** Builds an actor; ids and departments only matter where a guard compares them. */
export function actor(roles: Role[], id = 1000, departmentId: number | null = null): Actor {
  return { id, roles, departmentId };
}

export type Expectation =
  | { toState: string; changesState?: boolean }
  | { errorCode: TransitionErrorCode; reason: string };

/** One row of a machine spec: a behaviour, the situation and the expected outcome. */
export interface TransitionRow<C, F, E extends string> {
  behaviour: string;
  from: string;
  event: E;
  actor: Actor;
  context?: Partial<C>;
  facts?: Partial<F>;
  reason?: string | null;
  preview?: boolean;
  expect: Expectation;
}

/**
 * Runs a table of transition rows against `evaluateTransition`, one named test per row. Rows that
 * expect a state check the target and whether the state is rewritten; rows that expect a refusal
 * check the error code and the guard blamed, never the message wording.
 */
export function runTransitionTable<C, F, E extends string>(
  wf: Workflow<C, F, E>,
  defaults: { context: C; facts: F; reason: string | null },
  rows: TransitionRow<C, F, E>[],
): void {
  it.each(rows.map((row) => [row.behaviour, row] as const))("%s", (_behaviour, row) => {
    const outcome = evaluateTransition(
      wf,
      row.from,
      { ...defaults.context, ...row.context },
      {
        type: row.event,
        actor: row.actor,
        facts: { ...defaults.facts, ...row.facts },
        reason: row.reason === undefined ? defaults.reason : row.reason,
        preview: row.preview,
      },
    );
    if ("toState" in row.expect) {
      expect(outcome).toEqual({
        ok: true,
        fromState: row.from,
        toState: row.expect.toState,
        changesState: row.expect.changesState ?? true,
      });
    } else {
      expect(outcome).toMatchObject({
        ok: false,
        fromState: row.from,
        errorCode: row.expect.errorCode,
        reason: row.expect.reason,
      });
      expect(outcome.ok === false && outcome.message.length > 0).toBe(true);
    }
  });
}

/** A refused row's expectation: the event is not accepted in the state at all. */
export const NOT_ACCEPTED: Expectation = {
  errorCode: "INVALID_TRANSITION",
  reason: "eventNotAcceptedInState",
};

/** A refused row's expectation: the actor lacks the role or relation guarded by `guard`. */
export function notPermitted(guard: string): Expectation {
  return { errorCode: "NOT_PERMITTED", reason: guard };
}

/** A refused row's expectation: the data precondition or payload guarded by `guard` fails. */
export function preconditionFailed(guard: string): Expectation {
  return { errorCode: "PRECONDITION_FAILED", reason: guard };
}

/**
 * Asserts that `states` refuse every event as not accepted, even from an actor holding every role
 * and related to the entity, with facts under which all preconditions hold.
 */
export function itAcceptsNoEventIn<C, F, E extends string>(
  wf: Workflow<C, F, E>,
  states: string[],
  situation: { context: C; facts: F; actor: Actor },
): void {
  it.each(states)("accepts no event at all in the %s state", (state) => {
    for (const type of wf.eventTypes) {
      const outcome = evaluateTransition(wf, state, situation.context, {
        type,
        actor: situation.actor,
        facts: situation.facts,
        reason: "any reason",
      });
      expect(outcome).toMatchObject({ ok: false, errorCode: "INVALID_TRANSITION" });
    }
  });
}

/** Asserts that the table has an accepting row for every transition the machine defines. */
export function itCoversEveryTransition<C, F, E extends string>(
  wf: Workflow<C, F, E>,
  rows: TransitionRow<C, F, E>[],
): void {
  it("has a table row accepting every transition the machine defines", () => {
    const accepted = new Set(
      rows.filter((r) => "toState" in r.expect).map((r) => `${r.from}:${r.event}`),
    );
    const defined = describeWorkflow(wf).states.flatMap((s) =>
      s.transitions.map((t) => `${s.name}:${t.event}`),
    );
    expect(defined.length).toBeGreaterThan(0);
    expect(defined.filter((t) => !accepted.has(t))).toEqual([]);
  });
}
