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
  actionItemWorkflow,
  type ActionItemContext,
  type ActionItemEventType,
  type ActionItemFacts,
} from "./action-item.machine";

const OWNER_ID = 30;
const DEPARTMENT_ID = 4;

const owner = actor(["AGENT"], OWNER_ID, DEPARTMENT_ID);
const lead = actor(["DEPARTMENT_LEAD"], 31, DEPARTMENT_ID);
const otherLead = actor(["DEPARTMENT_LEAD"], 32, DEPARTMENT_ID + 1);
const colleague = actor(["AGENT"], 33, DEPARTMENT_ID);
const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);

const context: ActionItemContext = {
  ownerId: OWNER_ID,
  departmentId: DEPARTMENT_ID,
  progress: 100,
};

type Row = TransitionRow<ActionItemContext, ActionItemFacts, ActionItemEventType>;

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  // APPROVE / CANCEL of a draft
  { behaviour: "approves a draft action with the plan as the operations manager", from: "draft", event: "APPROVE", actor: manager, expect: { toState: "approved" } },
  { behaviour: "rejects APPROVE by a quality specialist", from: "draft", event: "APPROVE", actor: specialist, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects APPROVE of an approved action", from: "approved", event: "APPROVE", actor: manager, expect: NOT_ACCEPTED },
  { behaviour: "cancels a draft action as a quality specialist", from: "draft", event: "CANCEL", actor: specialist, expect: { toState: "cancelled" } },
  { behaviour: "cancels a draft action as an operations manager", from: "draft", event: "CANCEL", actor: manager, expect: { toState: "cancelled" } },
  { behaviour: "rejects CANCEL of a draft without a reason", from: "draft", event: "CANCEL", actor: specialist, reason: " ", expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects CANCEL of a draft by its owner", from: "draft", event: "CANCEL", actor: owner, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects a direct CANCEL once work started", from: "inProgress", event: "CANCEL", actor: manager, expect: NOT_ACCEPTED },

  // START
  { behaviour: "starts an approved action as its owner", from: "approved", event: "START", actor: owner, expect: { toState: "inProgress" } },
  { behaviour: "starts an approved action as the lead of its department", from: "approved", event: "START", actor: lead, expect: { toState: "inProgress" } },
  { behaviour: "rejects START by a colleague who is not the owner", from: "approved", event: "START", actor: colleague, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects START by the lead of another department", from: "approved", event: "START", actor: otherLead, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects START by the operations manager", from: "approved", event: "START", actor: manager, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects START of a draft action", from: "draft", event: "START", actor: owner, expect: NOT_ACCEPTED },

  // UPDATE_PROGRESS
  { behaviour: "records progress in progress without changing state", from: "inProgress", event: "UPDATE_PROGRESS", actor: owner, expect: { toState: "inProgress", changesState: false } },
  { behaviour: "records progress while blocked", from: "blocked", event: "UPDATE_PROGRESS", actor: lead, expect: { toState: "blocked", changesState: false } },
  { behaviour: "records progress while an adjustment is pending", from: "adjustmentPending", event: "UPDATE_PROGRESS", actor: owner, expect: { toState: "adjustmentPending", changesState: false } },
  { behaviour: "rejects UPDATE_PROGRESS by a colleague", from: "inProgress", event: "UPDATE_PROGRESS", actor: colleague, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects UPDATE_PROGRESS before work started", from: "approved", event: "UPDATE_PROGRESS", actor: owner, expect: NOT_ACCEPTED },
  { behaviour: "rejects UPDATE_PROGRESS of a done action", from: "done", event: "UPDATE_PROGRESS", actor: owner, expect: NOT_ACCEPTED },

  // BLOCK / UNBLOCK
  { behaviour: "blocks an action with a reason", from: "inProgress", event: "BLOCK", actor: owner, expect: { toState: "blocked" } },
  { behaviour: "rejects BLOCK without a reason", from: "inProgress", event: "BLOCK", actor: owner, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects BLOCK by the lead of another department", from: "inProgress", event: "BLOCK", actor: otherLead, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects BLOCK of a blocked action", from: "blocked", event: "BLOCK", actor: owner, expect: NOT_ACCEPTED },
  { behaviour: "unblocks a blocked action", from: "blocked", event: "UNBLOCK", actor: owner, expect: { toState: "inProgress" } },
  { behaviour: "rejects UNBLOCK by a quality specialist", from: "blocked", event: "UNBLOCK", actor: specialist, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects UNBLOCK of an action that is not blocked", from: "inProgress", event: "UNBLOCK", actor: owner, expect: NOT_ACCEPTED },

  // REQUEST_ADJUSTMENT / ADJUSTMENT_RESOLVED
  { behaviour: "parks an action in progress for an adjustment", from: "inProgress", event: "REQUEST_ADJUSTMENT", actor: owner, expect: { toState: "adjustmentPending" } },
  { behaviour: "parks a blocked action for an adjustment", from: "blocked", event: "REQUEST_ADJUSTMENT", actor: lead, expect: { toState: "adjustmentPending" } },
  { behaviour: "rejects REQUEST_ADJUSTMENT by a colleague", from: "inProgress", event: "REQUEST_ADJUSTMENT", actor: colleague, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects REQUEST_ADJUSTMENT while one is pending", from: "adjustmentPending", event: "REQUEST_ADJUSTMENT", actor: owner, expect: NOT_ACCEPTED },
  { behaviour: "resumes work once the adjustment is decided, whoever relays it", from: "adjustmentPending", event: "ADJUSTMENT_RESOLVED", actor: colleague, facts: { adjustmentResolved: true }, expect: { toState: "inProgress" } },
  { behaviour: "rejects ADJUSTMENT_RESOLVED while the adjustment is undecided", from: "adjustmentPending", event: "ADJUSTMENT_RESOLVED", actor: manager, facts: { adjustmentResolved: false }, expect: preconditionFailed("adjustmentResolved") },
  { behaviour: "rejects ADJUSTMENT_RESOLVED without a pending adjustment", from: "inProgress", event: "ADJUSTMENT_RESOLVED", actor: manager, expect: NOT_ACCEPTED },

  // COMPLETE
  { behaviour: "completes an action at 100% with a completion note", from: "inProgress", event: "COMPLETE", actor: owner, expect: { toState: "done" } },
  { behaviour: "lets the department lead complete an action", from: "inProgress", event: "COMPLETE", actor: lead, expect: { toState: "done" } },
  { behaviour: "rejects COMPLETE below 100% progress", from: "inProgress", event: "COMPLETE", actor: owner, context: { progress: 99 }, expect: preconditionFailed("progressComplete") },
  { behaviour: "rejects COMPLETE without a completion note", from: "inProgress", event: "COMPLETE", actor: owner, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "reports missing progress before a missing note", from: "inProgress", event: "COMPLETE", actor: owner, context: { progress: 50 }, reason: null, expect: preconditionFailed("progressComplete") },
  { behaviour: "rejects COMPLETE by the operations manager", from: "inProgress", event: "COMPLETE", actor: manager, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects COMPLETE of a blocked action", from: "blocked", event: "COMPLETE", actor: owner, expect: NOT_ACCEPTED },

  // REQUEST_CANCEL / APPROVE_CANCEL / REJECT_CANCEL
  { behaviour: "requests cancellation of an action in progress", from: "inProgress", event: "REQUEST_CANCEL", actor: owner, expect: { toState: "cancelRequested" } },
  { behaviour: "requests cancellation of a blocked action", from: "blocked", event: "REQUEST_CANCEL", actor: lead, expect: { toState: "cancelRequested" } },
  { behaviour: "rejects REQUEST_CANCEL without a reason", from: "inProgress", event: "REQUEST_CANCEL", actor: owner, reason: "", expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects REQUEST_CANCEL by a quality specialist", from: "inProgress", event: "REQUEST_CANCEL", actor: specialist, expect: notPermitted("actorIsOwnerSide") },
  { behaviour: "rejects REQUEST_CANCEL of an approved action not yet started", from: "approved", event: "REQUEST_CANCEL", actor: owner, expect: NOT_ACCEPTED },
  { behaviour: "approves a cancellation as the operations manager", from: "cancelRequested", event: "APPROVE_CANCEL", actor: manager, expect: { toState: "cancelled" } },
  { behaviour: "rejects APPROVE_CANCEL by the department lead", from: "cancelRequested", event: "APPROVE_CANCEL", actor: lead, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects APPROVE_CANCEL without a request", from: "inProgress", event: "APPROVE_CANCEL", actor: manager, expect: NOT_ACCEPTED },
  { behaviour: "refuses a cancellation back to work with a reason", from: "cancelRequested", event: "REJECT_CANCEL", actor: manager, expect: { toState: "inProgress" } },
  { behaviour: "rejects REJECT_CANCEL without a reason", from: "cancelRequested", event: "REJECT_CANCEL", actor: manager, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects REJECT_CANCEL by a quality specialist", from: "cancelRequested", event: "REJECT_CANCEL", actor: specialist, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects UPDATE_PROGRESS while cancellation is requested", from: "cancelRequested", event: "UPDATE_PROGRESS", actor: owner, expect: NOT_ACCEPTED },
];

describe("action item workflow", () => {
  runTransitionTable(
    actionItemWorkflow,
    { context, facts: { adjustmentResolved: true }, reason: "fixed the script" },
    rows,
  );

  itAcceptsNoEventIn(actionItemWorkflow, ["done", "cancelled"], {
    context,
    facts: { adjustmentResolved: true },
    actor: actor(["OPERATIONS_MANAGER", "QUALITY_SPECIALIST"], OWNER_ID, DEPARTMENT_ID),
  });
  itCoversEveryTransition(actionItemWorkflow, rows);
});
