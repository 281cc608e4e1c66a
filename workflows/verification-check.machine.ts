import { and, setup } from "xstate";
import {
  REASON_REQUIRED,
  actorHasAnyRole,
  preconditionFailed,
  reasonProvided,
  requiresAnyRole,
} from "./guards";
import type {
  GuardReason,
  Workflow,
  WorkflowEventUnion,
  WorkflowGuardArgs,
} from "./runtime";

export const VERIFICATION_CHECK_STATES = [
  "planned",
  "surveying",
  "passed",
  "failed",
  "cancelled",
] as const;
export type VerificationCheckState = (typeof VERIFICATION_CHECK_STATES)[number];

export const VERIFICATION_CHECK_EVENT_TYPES = ["START_SURVEY", "COMPLETE", "CANCEL"] as const;
export type VerificationCheckEventType = (typeof VERIFICATION_CHECK_EVENT_TYPES)[number];

/** A verification check's measurements arrive as facts, so the machine remembers nothing. */
export type VerificationCheckContext = Record<string, never>;

export type ImprovementDirection = "HIGHER_IS_BETTER" | "LOWER_IS_BETTER";

export interface VerificationCheckFacts {
  /** The state of the issue the check belongs to. */
  issueState: string;
  /** Number of re-surveyed samples behind `result`. */
  sampleSize: number;
  /** The metric captured when the check was planned. */
  baseline: number | null;
  /** The metric measured by the re-survey. */
  result: number | null;
  /** The minimum improvement, in the metric's unit, for the check to pass. */
  threshold: number;
  direction: ImprovementDirection;
}

export type VerificationCheckEvent = WorkflowEventUnion<
  VerificationCheckEventType,
  VerificationCheckFacts
>;

type Measurement = Pick<VerificationCheckFacts, "baseline" | "result" | "direction">;

/** Decimal places kept by `computeImprovement`, far below any survey metric's resolution. */
const IMPROVEMENT_DECIMALS = 10;

/**
 * The improvement of `result` over `baseline`, positive when the metric moved the right way:
 * `result - baseline` when higher is better, `baseline - result` when lower is better.
 * Binary noise from subtracting decimal scores (4.1 - 3.6 = 0.49999999999999956) is rounded away,
 * so the value can be shown and compared as the decimal a person would compute.
 *
 * @returns null while the baseline or the result is missing.
 */
export function computeImprovement(measurement: Measurement): number | null {
  const { baseline, result, direction } = measurement;
  if (baseline === null || result === null) return null;
  const raw = direction === "HIGHER_IS_BETTER" ? result - baseline : baseline - result;
  // `+ 0` turns a rounded -0 into 0 so that "no change" never displays as "-0".
  return Number(raw.toFixed(IMPROVEMENT_DECIMALS)) + 0;
}

/**
 * Tolerance relative to the operands' magnitude: subtracting two doubles errs by about one unit in
 * the last place of the larger one (~1e-16 relative), so 1e-12 absorbs that with a wide margin
 * while staying far below any meaningful difference in a survey metric.
 */
const RELATIVE_TOLERANCE = 1e-12;

/**
 * Whether the measured improvement reaches `threshold`. The relative tolerance, on top of the
 * rounding in `computeImprovement`, keeps large metrics (e.g. handling times in seconds) robust.
 */
export function meetsThreshold(
  facts: Measurement & Pick<VerificationCheckFacts, "threshold">,
): boolean {
  const improvement = computeImprovement(facts);
  if (improvement === null) return false;
  const scale = Math.max(1, Math.abs(facts.baseline ?? 0), Math.abs(facts.result ?? 0));
  return improvement >= facts.threshold - scale * RELATIVE_TOLERANCE;
}

function isMeasured(value: number | null): boolean {
  return value !== null && Number.isFinite(value);
}

type VerificationCheckGuardArgs = WorkflowGuardArgs<
  VerificationCheckContext,
  VerificationCheckEvent
>;

const verificationCheckGuards = {
  actorIsQualitySpecialist: actorHasAnyRole("QUALITY_SPECIALIST"),
  // Re-surveying before the actions are finished would measure the old process.
  issueIsVerifying: ({ event }: VerificationCheckGuardArgs) =>
    event.facts.issueState === "verifying",
  hasSample: ({ event }: VerificationCheckGuardArgs) => event.facts.sampleSize >= 1,
  hasBaseline: ({ event }: VerificationCheckGuardArgs) => isMeasured(event.facts.baseline),
  hasResult: ({ event }: VerificationCheckGuardArgs) => isMeasured(event.facts.result),
  meetsThreshold: ({ event }: VerificationCheckGuardArgs) => meetsThreshold(event.facts),
  reasonProvided,
};

const verificationCheckGuardReasons: Record<keyof typeof verificationCheckGuards, GuardReason> = {
  actorIsQualitySpecialist: requiresAnyRole("QUALITY_SPECIALIST"),
  issueIsVerifying: preconditionFailed("The survey starts only when the issue is verifying."),
  hasSample: preconditionFailed("The re-survey needs at least one sample."),
  hasBaseline: preconditionFailed("The check has no baseline."),
  hasResult: preconditionFailed("The re-survey has no result."),
  meetsThreshold: preconditionFailed("The improvement does not reach the threshold."),
  reasonProvided: REASON_REQUIRED,
};

const cancelTransition = {
  target: "cancelled",
  guard: and(["actorIsQualitySpecialist", "reasonProvided"]),
} as const;

/**
 * A verification check of an issue's improvement: planned (baseline captured) → surveying
 * (re-survey sample) → passed | failed. The verdict is computed from the measurements by the
 * machine (the first COMPLETE candidate passes only when the threshold is met), never typed in.
 */
export const verificationCheckMachine = setup({
  types: {
    context: {} as VerificationCheckContext,
    events: {} as VerificationCheckEvent,
  },
  guards: verificationCheckGuards,
}).createMachine({
  id: "verificationCheck",
  initial: "planned",
  context: {},
  states: {
    planned: {
      on: {
        START_SURVEY: {
          target: "surveying",
          guard: and(["actorIsQualitySpecialist", "issueIsVerifying"]),
        },
        CANCEL: cancelTransition,
      },
    },
    surveying: {
      on: {
        COMPLETE: [
          {
            target: "passed",
            guard: and([
              "actorIsQualitySpecialist",
              "hasSample",
              "hasBaseline",
              "hasResult",
              "meetsThreshold",
            ]),
          },
          {
            target: "failed",
            guard: and(["actorIsQualitySpecialist", "hasSample", "hasBaseline", "hasResult"]),
          },
        ],
        CANCEL: cancelTransition,
      },
    },
    passed: { type: "final" },
    failed: { type: "final" },
    cancelled: { type: "final" },
  },
});

/** The verification-check workflow as the services run it. */
export const verificationCheckWorkflow: Workflow<
  VerificationCheckContext,
  VerificationCheckFacts,
  VerificationCheckEventType
> = {
  name: "verificationCheck",
  machine: verificationCheckMachine,
  eventTypes: VERIFICATION_CHECK_EVENT_TYPES,
  guardReasons: verificationCheckGuardReasons,
};
