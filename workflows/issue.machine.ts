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

export const ISSUE_STATES = [
  "intake",
  "triaged",
  "assigned",
  "analyzing",
  "planApproval",
  "inProgress",
  "verifying",
  "closed",
  "cancelled",
] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

export const ISSUE_EVENT_TYPES = [
  "TRIAGE",
  "ASSIGN",
  "START_ANALYSIS",
  "EDIT_ANALYSIS",
  "PROPOSE_PLAN",
  "APPROVE_PLAN",
  "REJECT_PLAN",
  "START_VERIFICATION",
  "PLAN_VERIFICATION",
  "VERIFICATION_FAILED",
  "CLOSE",
  "REOPEN",
  "CANCEL",
] as const;
export type IssueEventType = (typeof ISSUE_EVENT_TYPES)[number];

/** What the machine remembers about an issue. The service sets the new assignee before ASSIGN. */
export interface IssueContext {
  assigneeId: number | null;
  departmentId: number | null;
}

/** Counts the service gathers from the issue's causes, action items and verification checks. */
export interface IssueFacts {
  confirmedRootCauseCount: number;
  draftActionCount: number;
  /** Draft actions whose cause is not confirmed. */
  untracedDraftActionCount: number;
  /** Actions neither done nor cancelled. */
  openActionCount: number;
  /** Budgeted draft actions the approval did not name explicitly. */
  unapprovedBudgetedActionCount: number;
  /** Passed verification checks in the current cycle. */
  passedVerificationCount: number;
  /** Planned or surveying verification checks in the current cycle. */
  openVerificationCount: number;
  /** A verification check of this issue has just failed. */
  verificationFailed: boolean;
}

export type IssueEvent = WorkflowEventUnion<IssueEventType, IssueFacts>;

type IssueGuardArgs = WorkflowGuardArgs<IssueContext, IssueEvent>;

const issueGuards = {
  actorIsQualitySpecialist: actorHasAnyRole("QUALITY_SPECIALIST"),
  actorIsOperationsManager: actorHasAnyRole("OPERATIONS_MANAGER"),
  actorIsQualitySpecialistOrOperationsManager: actorHasAnyRole(
    "QUALITY_SPECIALIST",
    "OPERATIONS_MANAGER",
  ),
  actorIsAssigneeOrQualitySpecialist: ({ context, event }: IssueGuardArgs) =>
    isActor(event.actor, context.assigneeId) || event.actor.roles.includes("QUALITY_SPECIALIST"),
  // Fishbone causes and action items are drafted by the assignee, the quality specialist, or the
  // lead of the department that owns the issue (who knows the process being analysed).
  actorMayEditAnalysis: ({ context, event }: IssueGuardArgs) =>
    isActor(event.actor, context.assigneeId) ||
    event.actor.roles.includes("QUALITY_SPECIALIST") ||
    isDepartmentLeadOf(event.actor, context.departmentId),
  hasDepartment: ({ context }: IssueGuardArgs) => context.departmentId !== null,
  hasAssignee: ({ context }: IssueGuardArgs) => context.assigneeId !== null,
  hasConfirmedRootCause: ({ event }: IssueGuardArgs) => event.facts.confirmedRootCauseCount >= 1,
  hasDraftAction: ({ event }: IssueGuardArgs) => event.facts.draftActionCount >= 1,
  allDraftActionsTraced: ({ event }: IssueGuardArgs) =>
    event.facts.untracedDraftActionCount === 0,
  allBudgetedActionsApproved: ({ event }: IssueGuardArgs) =>
    event.facts.unapprovedBudgetedActionCount === 0,
  noOpenActions: ({ event }: IssueGuardArgs) => event.facts.openActionCount === 0,
  verificationHasFailed: ({ event }: IssueGuardArgs) => event.facts.verificationFailed === true,
  hasPassedVerification: ({ event }: IssueGuardArgs) => event.facts.passedVerificationCount >= 1,
  noOpenVerifications: ({ event }: IssueGuardArgs) => event.facts.openVerificationCount === 0,
  reasonProvided,
};

const issueGuardReasons: Record<keyof typeof issueGuards, GuardReason> = {
  actorIsQualitySpecialist: requiresAnyRole("QUALITY_SPECIALIST"),
  actorIsOperationsManager: requiresAnyRole("OPERATIONS_MANAGER"),
  actorIsQualitySpecialistOrOperationsManager: requiresAnyRole(
    "QUALITY_SPECIALIST",
    "OPERATIONS_MANAGER",
  ),
  actorIsAssigneeOrQualitySpecialist: notPermitted(
    "Only the issue's assignee or a quality specialist may do this.",
  ),
  actorMayEditAnalysis: notPermitted(
    "Only the assignee, a quality specialist or the lead of the issue's department may edit " +
      "the analysis.",
  ),
  hasDepartment: preconditionFailed("The issue must have a responsible department."),
  hasAssignee: preconditionFailed("The issue must have an assignee."),
  hasConfirmedRootCause: preconditionFailed("A plan needs at least one confirmed root cause."),
  hasDraftAction: preconditionFailed("A plan needs at least one action item."),
  allDraftActionsTraced: preconditionFailed(
    "Every action item of the plan must be traced to a confirmed cause.",
  ),
  allBudgetedActionsApproved: preconditionFailed(
    "Every budgeted action item must be approved explicitly.",
  ),
  noOpenActions: preconditionFailed("Verification starts only when every action item is closed."),
  verificationHasFailed: preconditionFailed("No verification check of this issue has failed."),
  hasPassedVerification: preconditionFailed("Closing needs a passed verification check."),
  noOpenVerifications: preconditionFailed(
    "Closing needs every verification check of the cycle to be finished.",
  ),
  reasonProvided: REASON_REQUIRED,
};

// The service puts the new assignee into the context before evaluating, so the same guard covers
// the first assignment and a reassignment.
const assignTransition = {
  target: "assigned",
  reenter: true,
  guard: and(["actorIsQualitySpecialistOrOperationsManager", "hasDepartment", "hasAssignee"]),
} as const;

// Every open state accepts the same cancellation; a root-level transition would also apply to
// `closed`, where a recurrence (REOPEN) is the only way out.
const cancelTransition = {
  target: "cancelled",
  guard: and(["actorIsQualitySpecialistOrOperationsManager", "reasonProvided"]),
} as const;

/**
 * The issue lifecycle: intake → triaged → assigned → analyzing → planApproval → inProgress →
 * verifying → closed, with loops back to analyzing for a rejected plan, a failed verification
 * (a new cycle) and a recurrence, and cancellation with a reason from any open state.
 * `closed` is not final because a recurrence reopens it.
 */
export const issueMachine = setup({
  types: {
    context: {} as IssueContext,
    events: {} as IssueEvent,
    input: {} as IssueContext,
  },
  guards: issueGuards,
}).createMachine({
  id: "issue",
  initial: "intake",
  context: ({ input }) => ({ ...input }),
  states: {
    intake: {
      on: {
        TRIAGE: { target: "triaged", guard: "actorIsQualitySpecialist" },
        CANCEL: cancelTransition,
      },
    },
    triaged: {
      on: {
        ASSIGN: assignTransition,
        CANCEL: cancelTransition,
      },
    },
    assigned: {
      on: {
        // Reassignment is a real self-transition so it is logged like any other transition.
        ASSIGN: assignTransition,
        START_ANALYSIS: { target: "analyzing", guard: "actorIsAssigneeOrQualitySpecialist" },
        CANCEL: cancelTransition,
      },
    },
    analyzing: {
      on: {
        EDIT_ANALYSIS: { guard: "actorMayEditAnalysis" },
        PROPOSE_PLAN: {
          target: "planApproval",
          guard: and([
            "actorIsAssigneeOrQualitySpecialist",
            "hasConfirmedRootCause",
            "hasDraftAction",
            "allDraftActionsTraced",
          ]),
        },
        CANCEL: cancelTransition,
      },
    },
    planApproval: {
      on: {
        APPROVE_PLAN: {
          target: "inProgress",
          guard: and(["actorIsOperationsManager", "allBudgetedActionsApproved"]),
        },
        REJECT_PLAN: {
          target: "analyzing",
          guard: and(["actorIsOperationsManager", "reasonProvided"]),
        },
        CANCEL: cancelTransition,
      },
    },
    inProgress: {
      on: {
        START_VERIFICATION: {
          target: "verifying",
          guard: and(["actorIsAssigneeOrQualitySpecialist", "noOpenActions"]),
        },
        PLAN_VERIFICATION: { guard: "actorIsQualitySpecialist" },
        CANCEL: cancelTransition,
      },
    },
    verifying: {
      on: {
        PLAN_VERIFICATION: { guard: "actorIsQualitySpecialist" },
        VERIFICATION_FAILED: {
          target: "analyzing",
          guard: and(["actorIsQualitySpecialistOrOperationsManager", "verificationHasFailed"]),
        },
        CLOSE: {
          target: "closed",
          guard: and([
            "actorIsQualitySpecialistOrOperationsManager",
            "hasPassedVerification",
            "noOpenVerifications",
          ]),
        },
        CANCEL: cancelTransition,
      },
    },
    closed: {
      on: {
        REOPEN: {
          target: "analyzing",
          guard: and(["actorIsQualitySpecialistOrOperationsManager", "reasonProvided"]),
        },
      },
    },
    cancelled: { type: "final" },
  },
});

/** The issue workflow as the services run it. */
export const issueWorkflow: Workflow<IssueContext, IssueFacts, IssueEventType> = {
  name: "issue",
  machine: issueMachine,
  eventTypes: ISSUE_EVENT_TYPES,
  guardReasons: issueGuardReasons,
};
