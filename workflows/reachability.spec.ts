import { getShortestPaths, getSimplePaths } from "xstate/graph";
import { actor } from "../test/workflows/transition-table";
import {
  ISSUE_EVENT_TYPES,
  ISSUE_STATES,
  issueMachine,
  type IssueContext,
  type IssueEvent,
  type IssueFacts,
} from "./issue.machine";

/**
 * Graph proofs over the real issue machine: xstate/graph explores every event the tests offer from
 * every reachable state, so a guard dropped from the machine shows up as a path that should not
 * exist.
 */

const context: IssueContext = { assigneeId: 10, departmentId: 3 };
// One actor holding every role the issue machine asks for, and the assignee: only facts limit it.
const superActor = actor(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER"], 10, 3);

/** Facts under which every precondition other than the passed verification holds. */
function factsWith(passedVerificationCount: number): IssueFacts {
  return {
    confirmedRootCauseCount: 1,
    draftActionCount: 1,
    untracedDraftActionCount: 0,
    openActionCount: 0,
    unapprovedBudgetedActionCount: 0,
    passedVerificationCount,
    openVerificationCount: 0,
    verificationFailed: true,
  };
}

function eventsWith(passedVerificationCount: number): IssueEvent[] {
  return ISSUE_EVENT_TYPES.map(
    (type) =>
      ({
        type,
        actor: superActor,
        facts: factsWith(passedVerificationCount),
        reason: "why",
      }) as IssueEvent,
  );
}

function from(state: string) {
  return issueMachine.resolveState({ value: state, context });
}

/** The events of a path, without the synthetic init step xstate/graph puts first. */
function eventTypes(path: { steps: { event: { type: string } }[] }): string[] {
  return path.steps.map((step) => step.event.type).filter((type) => type !== "xstate.init");
}

const isClosed = (snapshot: { value: unknown }) => snapshot.value === "closed";

describe("issue machine reachability", () => {
  it("reaches closed when events report a passed verification", () => {
    const paths = getShortestPaths(issueMachine, {
      fromState: from("intake"),
      events: eventsWith(1),
      toState: isClosed,
    });
    expect(paths).toHaveLength(1);
    expect(eventTypes(paths[0]).slice(-3)).toEqual([
      "APPROVE_PLAN",
      "START_VERIFICATION",
      "CLOSE",
    ]);
  });

  it("enters closed on every simple path only by a CLOSE with a passed verification", () => {
    const paths = getSimplePaths(issueMachine, {
      fromState: from("intake"),
      events: [...eventsWith(0), ...eventsWith(1)],
    });
    // Every step that enters closed; simple paths never revisit a state, so one per path at most.
    const closing = paths.flatMap((path) =>
      path.steps.filter(
        (step, i) => i > 0 && isClosed(step.state) && !isClosed(path.steps[i - 1].state),
      ),
    );
    expect(paths.filter((path) => isClosed(path.state)).length).toBeGreaterThan(0);
    expect(closing.length).toBeGreaterThan(0);
    for (const step of closing) {
      expect(step.event.type).toBe("CLOSE");
      expect(step.event.facts.passedVerificationCount).toBeGreaterThanOrEqual(1);
    }
  });

  it("never reaches closed while no verification has passed", () => {
    const paths = getShortestPaths(issueMachine, {
      fromState: from("intake"),
      events: eventsWith(0),
    });
    const reached = new Set(paths.map((path) => path.state.value));
    // The verifying state is reached, so it is the CLOSE guard, not a dead end, that stops it.
    expect(reached.has("verifying")).toBe(true);
    expect(reached.has("closed")).toBe(false);
  });

  it.each(ISSUE_STATES.filter((s) => s !== "closed" && s !== "cancelled"))(
    "reaches cancelled directly from %s",
    (state) => {
      const paths = getShortestPaths(issueMachine, {
        fromState: from(state),
        events: eventsWith(0),
        toState: (snapshot) => snapshot.value === "cancelled",
      });
      expect(paths).toHaveLength(1);
      expect(eventTypes(paths[0])).toEqual(["CANCEL"]);
    },
  );

  it("cancels a closed issue only after reopening it", () => {
    const paths = getShortestPaths(issueMachine, {
      fromState: from("closed"),
      events: eventsWith(1),
      toState: (snapshot) => snapshot.value === "cancelled",
    });
    expect(paths.map(eventTypes)).toEqual([
      ["REOPEN", "CANCEL"],
    ]);
  });
});
