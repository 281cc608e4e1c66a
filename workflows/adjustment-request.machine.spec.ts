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
  adjustmentRequestWorkflow,
  type AdjustmentRequestContext,
  type AdjustmentRequestEventType,
  type AdjustmentRequestFacts,
} from "./adjustment-request.machine";

const REQUESTER_ID = 40;

const requester = actor(["AGENT"], REQUESTER_ID, 4);
const requestingLead = actor(["DEPARTMENT_LEAD"], REQUESTER_ID, 4);
const lead = actor(["DEPARTMENT_LEAD"], 41, 4);
const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);

const context: AdjustmentRequestContext = { requesterId: REQUESTER_ID, departmentId: 4 };

type Row = TransitionRow<
  AdjustmentRequestContext,
  AdjustmentRequestFacts,
  AdjustmentRequestEventType
>;

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  { behaviour: "takes a submitted request under review as a quality specialist", from: "submitted", event: "REVIEW", actor: specialist, expect: { toState: "underReview" } },
  { behaviour: "rejects REVIEW by the operations manager", from: "submitted", event: "REVIEW", actor: manager, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects REVIEW of a request already under review", from: "underReview", event: "REVIEW", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "approves a reviewed request as the operations manager", from: "underReview", event: "APPROVE", actor: manager, expect: { toState: "approved" } },
  { behaviour: "rejects APPROVE by a quality specialist", from: "underReview", event: "APPROVE", actor: specialist, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects APPROVE before the review", from: "submitted", event: "APPROVE", actor: manager, expect: NOT_ACCEPTED },
  { behaviour: "rejects a reviewed request with a comment", from: "underReview", event: "REJECT", actor: manager, expect: { toState: "rejected" } },
  { behaviour: "refuses REJECT without a comment", from: "underReview", event: "REJECT", actor: manager, reason: "\t", expect: preconditionFailed("reasonProvided") },
  { behaviour: "offers REJECT in a preview without a comment", from: "underReview", event: "REJECT", actor: manager, reason: null, preview: true, expect: { toState: "rejected" } },
  { behaviour: "refuses REJECT by the department lead", from: "underReview", event: "REJECT", actor: lead, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "refuses REJECT before the review", from: "submitted", event: "REJECT", actor: manager, expect: NOT_ACCEPTED },
  { behaviour: "lets the requester withdraw a submitted request", from: "submitted", event: "WITHDRAW", actor: requester, expect: { toState: "withdrawn" } },
  { behaviour: "lets the requester withdraw a request under review", from: "underReview", event: "WITHDRAW", actor: requestingLead, expect: { toState: "withdrawn" } },
  { behaviour: "rejects WITHDRAW by the lead of the requester's department", from: "submitted", event: "WITHDRAW", actor: lead, expect: notPermitted("actorIsRequester") },
  { behaviour: "rejects WITHDRAW by the operations manager", from: "underReview", event: "WITHDRAW", actor: manager, expect: notPermitted("actorIsRequester") },
];

describe("adjustment request workflow", () => {
  runTransitionTable(adjustmentRequestWorkflow, { context, facts: {}, reason: "budget cut" }, rows);
  itAcceptsNoEventIn(adjustmentRequestWorkflow, ["approved", "rejected", "withdrawn"], {
    context,
    facts: {},
    actor: actor(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER"], REQUESTER_ID, 4),
  });
  itCoversEveryTransition(adjustmentRequestWorkflow, rows);
});
