import { and, setup } from "xstate";
import {
  REASON_REQUIRED,
  actorHasAnyRole,
  isActor,
  notPermitted,
  reasonProvided,
  requiresAnyRole,
} from "./guards";
import type {
  GuardReason,
  Workflow,
  WorkflowEventUnion,
  WorkflowGuardArgs,
} from "./runtime";

export const ADJUSTMENT_REQUEST_STATES = [
  "submitted",
  "underReview",
  "approved",
  "rejected",
  "withdrawn",
] as const;
export type AdjustmentRequestState = (typeof ADJUSTMENT_REQUEST_STATES)[number];

export const ADJUSTMENT_REQUEST_EVENT_TYPES = ["REVIEW", "APPROVE", "REJECT", "WITHDRAW"] as const;
export type AdjustmentRequestEventType = (typeof ADJUSTMENT_REQUEST_EVENT_TYPES)[number];

export interface AdjustmentRequestContext {
  requesterId: number;
  departmentId: number;
}

/** The adjustment-request guards need no facts beyond the actor and the context. */
export type AdjustmentRequestFacts = Record<string, never>;

export type AdjustmentRequestEvent = WorkflowEventUnion<
  AdjustmentRequestEventType,
  AdjustmentRequestFacts
>;

type AdjustmentRequestGuardArgs = WorkflowGuardArgs<AdjustmentRequestContext, AdjustmentRequestEvent>;

const adjustmentRequestGuards = {
  actorIsQualitySpecialist: actorHasAnyRole("QUALITY_SPECIALIST"),
  actorIsOperationsManager: actorHasAnyRole("OPERATIONS_MANAGER"),
  actorIsRequester: ({ context, event }: AdjustmentRequestGuardArgs) =>
    isActor(event.actor, context.requesterId),
  reasonProvided,
};

const adjustmentRequestGuardReasons: Record<keyof typeof adjustmentRequestGuards, GuardReason> = {
  actorIsQualitySpecialist: requiresAnyRole("QUALITY_SPECIALIST"),
  actorIsOperationsManager: requiresAnyRole("OPERATIONS_MANAGER"),
  actorIsRequester: notPermitted("Only the requester may withdraw an adjustment request."),
  reasonProvided: REASON_REQUIRED,
};

const withdrawTransition = { target: "withdrawn", guard: "actorIsRequester" } as const;

/**
 * A request to adjust an action item (scope, due date, budget): a quality specialist takes it
 * under review and the operations manager decides; a rejection must say why. The requester may
 * withdraw it until it is decided.
 */
export const adjustmentRequestMachine = setup({
  types: {
    context: {} as AdjustmentRequestContext,
    events: {} as AdjustmentRequestEvent,
    input: {} as AdjustmentRequestContext,
  },
  guards: adjustmentRequestGuards,
}).createMachine({
  id: "adjustmentRequest",
  initial: "submitted",
  context: ({ input }) => ({ ...input }),
  states: {
    submitted: {
      on: {
        REVIEW: { target: "underReview", guard: "actorIsQualitySpecialist" },
        WITHDRAW: withdrawTransition,
      },
    },
    underReview: {
      on: {
        APPROVE: { target: "approved", guard: "actorIsOperationsManager" },
        REJECT: { target: "rejected", guard: and(["actorIsOperationsManager", "reasonProvided"]) },
        WITHDRAW: withdrawTransition,
      },
    },
    approved: { type: "final" },
    rejected: { type: "final" },
    withdrawn: { type: "final" },
  },
});

/** The adjustment-request workflow as the services run it. */
export const adjustmentRequestWorkflow: Workflow<
  AdjustmentRequestContext,
  AdjustmentRequestFacts,
  AdjustmentRequestEventType
> = {
  name: "adjustmentRequest",
  machine: adjustmentRequestMachine,
  eventTypes: ADJUSTMENT_REQUEST_EVENT_TYPES,
  guardReasons: adjustmentRequestGuardReasons,
};
