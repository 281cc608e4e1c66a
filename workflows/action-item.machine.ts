import { and, setup } from "xstate";
import {
  REASON_REQUIRED,
  actorHasAnyRole,
  isActor,
  isDepartmentLeadOf,
  notPermitted,
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

export const ACTION_ITEM_STATES = [
  "draft",
  "approved",
  "inProgress",
  "blocked",
  "adjustmentPending",
  "cancelRequested",
  "done",
  "cancelled",
] as const;
export type ActionItemState = (typeof ACTION_ITEM_STATES)[number];

export const ACTION_ITEM_EVENT_TYPES = [
  "APPROVE",
  "CANCEL",
  "START",
  "UPDATE_PROGRESS",
  "BLOCK",
  "UNBLOCK",
  "REQUEST_ADJUSTMENT",
  "ADJUSTMENT_RESOLVED",
  "COMPLETE",
  "REQUEST_CANCEL",
  "APPROVE_CANCEL",
  "REJECT_CANCEL",
] as const;
export type ActionItemEventType = (typeof ACTION_ITEM_EVENT_TYPES)[number];

export interface ActionItemContext {
  ownerId: number;
  departmentId: number;
  /** 0–100; the service puts the progress being saved here before COMPLETE is evaluated. */
  progress: number;
}

export interface ActionItemFacts {
  /** The adjustment request that parked this item has been decided (approved or rejected). */
  adjustmentResolved: boolean;
}

export type ActionItemEvent = WorkflowEventUnion<ActionItemEventType, ActionItemFacts>;

type ActionItemGuardArgs = WorkflowGuardArgs<ActionItemContext, ActionItemEvent>;

const actionItemGuards = {
  actorIsOperationsManager: actorHasAnyRole("OPERATIONS_MANAGER"),
  actorIsQualitySpecialistOrOperationsManager: actorHasAnyRole(
    "QUALITY_SPECIALIST",
    "OPERATIONS_MANAGER",
  ),
  // The owner does the work; the lead of the owning department may act for them (absence,
  // handover).
  actorIsOwnerSide: ({ context, event }: ActionItemGuardArgs) =>
    isActor(event.actor, context.ownerId) || isDepartmentLeadOf(event.actor, context.departmentId),
  adjustmentResolved: ({ event }: ActionItemGuardArgs) => event.facts.adjustmentResolved === true,
  progressComplete: ({ context }: ActionItemGuardArgs) => context.progress === 100,
  reasonProvided,
};

const actionItemGuardReasons: Record<keyof typeof actionItemGuards, GuardReason> = {
  actorIsOperationsManager: requiresAnyRole("OPERATIONS_MANAGER"),
  actorIsQualitySpecialistOrOperationsManager: requiresAnyRole(
    "QUALITY_SPECIALIST",
    "OPERATIONS_MANAGER",
  ),
  actorIsOwnerSide: notPermitted(
    "Only the action item's owner or the lead of its department may do this.",
  ),
  adjustmentResolved: preconditionFailed("The adjustment request has not been decided yet."),
  progressComplete: preconditionFailed("An action item is completed only at 100% progress."),
  reasonProvided: REASON_REQUIRED,
};

// Both working states offer the same exits, so they share one definition each.
const requestAdjustmentTransition = {
  target: "adjustmentPending",
  guard: "actorIsOwnerSide",
} as const;
const requestCancelTransition = {
  target: "cancelRequested",
  guard: and(["actorIsOwnerSide", "reasonProvided"]),
} as const;
const updateProgressTransition = { guard: "actorIsOwnerSide" } as const;

/**
 * An action item of an issue's plan: draft → approved (with the plan) → inProgress ⇄ blocked,
 * parked in adjustmentPending while an adjustment request is decided, done at 100% with a
 * completion note. Once work has started, cancelling needs the operations manager's approval.
 */
export const actionItemMachine = setup({
  types: {
    context: {} as ActionItemContext,
    events: {} as ActionItemEvent,
    input: {} as ActionItemContext,
  },
  guards: actionItemGuards,
}).createMachine({
  id: "actionItem",
  initial: "draft",
  context: ({ input }) => ({ ...input }),
  states: {
    draft: {
      on: {
        APPROVE: { target: "approved", guard: "actorIsOperationsManager" },
        // A draft has no work behind it yet, so the plan's authors cancel it without approval.
        CANCEL: {
          target: "cancelled",
          guard: and(["actorIsQualitySpecialistOrOperationsManager", "reasonProvided"]),
        },
      },
    },
    approved: {
      on: {
        START: { target: "inProgress", guard: "actorIsOwnerSide" },
      },
    },
    inProgress: {
      on: {
        UPDATE_PROGRESS: updateProgressTransition,
        BLOCK: { target: "blocked", guard: and(["actorIsOwnerSide", "reasonProvided"]) },
        REQUEST_ADJUSTMENT: requestAdjustmentTransition,
        COMPLETE: {
          target: "done",
          guard: and(["actorIsOwnerSide", "progressComplete", "reasonProvided"]),
        },
        REQUEST_CANCEL: requestCancelTransition,
      },
    },
    blocked: {
      on: {
        UPDATE_PROGRESS: updateProgressTransition,
        UNBLOCK: { target: "inProgress", guard: "actorIsOwnerSide" },
        REQUEST_ADJUSTMENT: requestAdjustmentTransition,
        REQUEST_CANCEL: requestCancelTransition,
      },
    },
    adjustmentPending: {
      on: {
        UPDATE_PROGRESS: updateProgressTransition,
        // No role guard: the adjustment-request machine already checked who decided.
        ADJUSTMENT_RESOLVED: { target: "inProgress", guard: "adjustmentResolved" },
      },
    },
    cancelRequested: {
      on: {
        APPROVE_CANCEL: { target: "cancelled", guard: "actorIsOperationsManager" },
        REJECT_CANCEL: {
          target: "inProgress",
          guard: and(["actorIsOperationsManager", "reasonProvided"]),
        },
      },
    },
    done: { type: "final" },
    cancelled: { type: "final" },
  },
});

/** The action-item workflow as the services run it. */
export const actionItemWorkflow: Workflow<ActionItemContext, ActionItemFacts, ActionItemEventType> =
  {
    name: "actionItem",
    machine: actionItemMachine,
    eventTypes: ACTION_ITEM_EVENT_TYPES,
    guardReasons: actionItemGuardReasons,
  };
