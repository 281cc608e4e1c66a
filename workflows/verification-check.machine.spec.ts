import {
  NOT_ACCEPTED,
  actor,
  itAcceptsNoEventIn,
  itCoversEveryTransition,
  notPermitted,
  preconditionFailed,
  runTransitionTable,
  type TransitionRow,
} from "../test/workflows/transition-table";
import {
  computeImprovement,
  meetsThreshold,
  verificationCheckWorkflow,
  type VerificationCheckContext,
  type VerificationCheckEventType,
  type VerificationCheckFacts,
} from "./verification-check.machine";

const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);
const assignee = actor(["AGENT"], 10);

/** A satisfaction score re-surveyed from 3.6 to 4.1 against a 0.5 threshold. */
const facts: VerificationCheckFacts = {
  issueState: "verifying",
  sampleSize: 30,
  baseline: 3.6,
  result: 4.1,
  threshold: 0.5,
  direction: "HIGHER_IS_BETTER",
};

type Row = TransitionRow<
  VerificationCheckContext,
  VerificationCheckFacts,
  VerificationCheckEventType
>;

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  { behaviour: "starts the survey while the issue is verifying", from: "planned", event: "START_SURVEY", actor: specialist, expect: { toState: "surveying" } },
  { behaviour: "rejects START_SURVEY while the issue is still in progress", from: "planned", event: "START_SURVEY", actor: specialist, facts: { issueState: "inProgress" }, expect: preconditionFailed("issueIsVerifying") },
  { behaviour: "rejects START_SURVEY by the operations manager", from: "planned", event: "START_SURVEY", actor: manager, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects START_SURVEY of a survey already running", from: "surveying", event: "START_SURVEY", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "passes a check whose improvement exactly meets the threshold despite float error", from: "surveying", event: "COMPLETE", actor: specialist, expect: { toState: "passed" } },
  { behaviour: "fails a check whose improvement falls just short of the threshold", from: "surveying", event: "COMPLETE", actor: specialist, facts: { result: 4.09 }, expect: { toState: "failed" } },
  { behaviour: "fails a check whose metric got worse", from: "surveying", event: "COMPLETE", actor: specialist, facts: { result: 3.2 }, expect: { toState: "failed" } },
  { behaviour: "passes a lower-is-better check when the metric dropped enough", from: "surveying", event: "COMPLETE", actor: specialist, facts: { direction: "LOWER_IS_BETTER", baseline: 72.5, result: 48.3, threshold: 24.2 }, expect: { toState: "passed" } },
  { behaviour: "fails a lower-is-better check when the metric rose", from: "surveying", event: "COMPLETE", actor: specialist, facts: { direction: "LOWER_IS_BETTER" }, expect: { toState: "failed" } },
  { behaviour: "rejects COMPLETE without a sample", from: "surveying", event: "COMPLETE", actor: specialist, facts: { sampleSize: 0 }, expect: preconditionFailed("hasSample") },
  { behaviour: "rejects COMPLETE without a baseline", from: "surveying", event: "COMPLETE", actor: specialist, facts: { baseline: null }, expect: preconditionFailed("hasBaseline") },
  { behaviour: "rejects COMPLETE without a result", from: "surveying", event: "COMPLETE", actor: specialist, facts: { result: null }, expect: preconditionFailed("hasResult") },
  { behaviour: "rejects COMPLETE with a non-finite result", from: "surveying", event: "COMPLETE", actor: specialist, facts: { result: Number.NaN }, expect: preconditionFailed("hasResult") },
  { behaviour: "rejects COMPLETE by the assignee even when the threshold is met", from: "surveying", event: "COMPLETE", actor: assignee, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects COMPLETE by the assignee of a failing check as not permitted", from: "surveying", event: "COMPLETE", actor: assignee, facts: { result: 3 }, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects COMPLETE before the survey started", from: "planned", event: "COMPLETE", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "cancels a planned check with a reason", from: "planned", event: "CANCEL", actor: specialist, expect: { toState: "cancelled" } },
  { behaviour: "cancels a running survey with a reason", from: "surveying", event: "CANCEL", actor: specialist, expect: { toState: "cancelled" } },
  { behaviour: "rejects CANCEL without a reason", from: "planned", event: "CANCEL", actor: specialist, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects CANCEL by the operations manager", from: "surveying", event: "CANCEL", actor: manager, expect: notPermitted("actorIsQualitySpecialist") },
];

describe("verification check workflow", () => {
  runTransitionTable(
    verificationCheckWorkflow,
    { context: {}, facts, reason: "survey vendor lost" },
    rows,
  );
  itAcceptsNoEventIn(verificationCheckWorkflow, ["passed", "failed", "cancelled"], {
    context: {},
    facts,
    actor: specialist,
  });
  itCoversEveryTransition(verificationCheckWorkflow, rows);
});

/** Shorthand for the measurement `computeImprovement` reads. */
function measured(
  baseline: number | null,
  result: number | null,
  direction: VerificationCheckFacts["direction"] = "HIGHER_IS_BETTER",
) {
  return { baseline, result, direction };
}

describe("computeImprovement", () => {
  it("rounds away float noise so 3.6 → 4.1 shows an improvement of exactly 0.5", () => {
    expect(4.1 - 3.6).not.toBe(0.5);
    expect(computeImprovement(facts)).toBe(0.5);
  });

  it("counts a drop as improvement when lower is better", () => {
    expect(computeImprovement(measured(120, 90, "LOWER_IS_BETTER"))).toBe(30);
    expect(computeImprovement(measured(90, 120, "LOWER_IS_BETTER"))).toBe(-30);
  });

  it("counts a drop as a negative improvement when higher is better", () => {
    expect(computeImprovement(measured(4.2, 3.9))).toBe(-0.3);
  });

  it("reports no change as 0, never -0", () => {
    const improvement = computeImprovement(measured(3.6, 3.6, "LOWER_IS_BETTER"));
    expect(Object.is(improvement, 0)).toBe(true);
  });

  it("is null while the baseline or the result is missing", () => {
    expect(computeImprovement(measured(null, 4))).toBeNull();
    expect(computeImprovement(measured(4, null))).toBeNull();
  });
});

describe("meetsThreshold", () => {
  it.each([
    [3.6, 4.1, 0.5, "HIGHER_IS_BETTER", true],
    [3.6, 4.09, 0.5, "HIGHER_IS_BETTER", false],
    [0.1, 0.3, 0.2, "HIGHER_IS_BETTER", true],
    [0.3, 0.1, 0.2, "LOWER_IS_BETTER", true],
    [1000000.1, 1000000.6, 0.5, "HIGHER_IS_BETTER", true],
    [1000000.1, 1000000.59, 0.5, "HIGHER_IS_BETTER", false],
    [1000000.1, 1000000.5999, 0.5, "HIGHER_IS_BETTER", false],
    [5, 5, 0, "HIGHER_IS_BETTER", true],
  ] as const)(
    "judges %p → %p against threshold %p (%s) as %p",
    (baseline, result, threshold, direction, expected) => {
      expect(meetsThreshold({ baseline, result, threshold, direction })).toBe(expected);
    },
  );

  it("never passes without measurements", () => {
    expect(meetsThreshold({ ...facts, result: null })).toBe(false);
  });
});
