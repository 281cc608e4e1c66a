import { and, setup } from "xstate";
import {
  isActor,
  notPermitted,
  preconditionFailed,
  reasonProvided,
} from "./guards";
import type {
  GuardReason,
  Workflow,
  WorkflowEventUnion,
  WorkflowGuardArgs,
} from "./runtime";

export const CAUSE_STATES = ["hypothesis", "confirmed", "refuted"] as const;
export type CauseState = (typeof CAUSE_STATES)[number];

export const CAUSE_EVENT_TYPES = ["CONFIRM", "REFUTE", "REOPEN"] as const;
export type CauseEventType = (typeof CAUSE_EVENT_TYPES)[number];

export interface CauseContext {
  /** The assignee of the issue the cause belongs to. */
  issueAssigneeId: number | null;
}

export interface CauseFacts {
  /** The state of the issue the cause belongs to. */
  issueState: string;
}

export type CauseEvent = WorkflowEventUnion<CauseEventType, CauseFacts>;

type CauseGuardArgs = WorkflowGuardArgs<CauseContext, CauseEvent>;

const causeGuards = {
  actorIsQualitySpecialistOrIssueAssignee: ({ context, event }: CauseGuardArgs) =>
    event.actor.roles.includes("QUALITY_SPECIALIST") ||
    isActor(event.actor, context.issueAssigneeId),
  // Causes are judged during analysis only; afterwards they are the basis of an approved plan.
  issueIsAnalyzing: ({ event }: CauseGuardArgs) => event.facts.issueState === "analyzing",
  reasonProvided,
};

const causeGuardReasons: Record<keyof typeof causeGuards, GuardReason> = {
  actorIsQualitySpecialistOrIssueAssignee: notPermitted(
    "Only a quality specialist or the issue's assignee may judge a cause.",
  ),
  issueIsAnalyzing: preconditionFailed("Causes are judged only while the issue is analyzing."),
  reasonProvided: preconditionFailed("Judging a cause needs the evidence as a non-blank reason."),
};

// Confirming, refuting and reopening are all judgements of the same people on the same evidence.
const judgement = (target: "hypothesis" | "confirmed" | "refuted") =>
  ({
    target,
    guard: and(["actorIsQualitySpecialistOrIssueAssignee", "issueIsAnalyzing", "reasonProvided"]),
  }) as const;

/**
 * The status of one fishbone cause: a hypothesis is confirmed or refuted on evidence, and can be
 * reopened while the issue is still being analysed. No state is final.
 */
export const causeMachine = setup({
  types: {
    context: {} as CauseContext,
    events: {} as CauseEvent,
    input: {} as CauseContext,
  },
  guards: causeGuards,
}).createMachine({
  id: "cause",
  initial: "hypothesis",
  context: ({ input }) => ({ ...input }),
  states: {
    hypothesis: {
      on: { CONFIRM: judgement("confirmed"), REFUTE: judgement("refuted") },
    },
    confirmed: { on: { REOPEN: judgement("hypothesis") } },
    refuted: { on: { REOPEN: judgement("hypothesis") } },
  },
});

/** The cause workflow as the services run it. */
export const causeWorkflow: Workflow<CauseContext, CauseFacts, CauseEventType> = {
  name: "cause",
  machine: causeMachine,
  eventTypes: CAUSE_EVENT_TYPES,
  guardReasons: causeGuardReasons,
};
