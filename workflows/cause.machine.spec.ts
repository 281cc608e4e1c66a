import {
  NOT_ACCEPTED,
  actor,
  itCoversEveryTransition,
  notPermitted,
  preconditionFailed,
  runTransitionTable,
  type TransitionRow,
} from "../test/workflows/transition-table";
import {
  causeWorkflow,
  type CauseContext,
  type CauseEventType,
  type CauseFacts,
} from "./cause.machine";

const ASSIGNEE_ID = 10;

const assignee = actor(["AGENT"], ASSIGNEE_ID);
const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);
const issueLead = actor(["DEPARTMENT_LEAD"], 20, 3);

type Row = TransitionRow<CauseContext, CauseFacts, CauseEventType>;

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  { behaviour: "confirms a hypothesis on evidence as a quality specialist", from: "hypothesis", event: "CONFIRM", actor: specialist, expect: { toState: "confirmed" } },
  { behaviour: "confirms a hypothesis as the issue assignee", from: "hypothesis", event: "CONFIRM", actor: assignee, expect: { toState: "confirmed" } },
  { behaviour: "refutes a hypothesis on evidence", from: "hypothesis", event: "REFUTE", actor: assignee, expect: { toState: "refuted" } },
  { behaviour: "reopens a confirmed cause", from: "confirmed", event: "REOPEN", actor: specialist, expect: { toState: "hypothesis" } },
  { behaviour: "reopens a refuted cause", from: "refuted", event: "REOPEN", actor: assignee, expect: { toState: "hypothesis" } },
  { behaviour: "rejects CONFIRM by the operations manager", from: "hypothesis", event: "CONFIRM", actor: manager, expect: notPermitted("actorIsQualitySpecialistOrIssueAssignee") },
  { behaviour: "rejects CONFIRM by the department lead", from: "hypothesis", event: "CONFIRM", actor: issueLead, expect: notPermitted("actorIsQualitySpecialistOrIssueAssignee") },
  { behaviour: "rejects CONFIRM by an agent when the issue has no assignee", from: "hypothesis", event: "CONFIRM", actor: assignee, context: { issueAssigneeId: null }, expect: notPermitted("actorIsQualitySpecialistOrIssueAssignee") },
  { behaviour: "rejects REFUTE by the operations manager", from: "hypothesis", event: "REFUTE", actor: manager, expect: notPermitted("actorIsQualitySpecialistOrIssueAssignee") },
  { behaviour: "rejects REOPEN by the operations manager", from: "refuted", event: "REOPEN", actor: manager, expect: notPermitted("actorIsQualitySpecialistOrIssueAssignee") },
  { behaviour: "rejects CONFIRM once the plan is proposed", from: "hypothesis", event: "CONFIRM", actor: specialist, facts: { issueState: "planApproval" }, expect: preconditionFailed("issueIsAnalyzing") },
  { behaviour: "rejects REFUTE while the plan is carried out", from: "hypothesis", event: "REFUTE", actor: specialist, facts: { issueState: "inProgress" }, expect: preconditionFailed("issueIsAnalyzing") },
  { behaviour: "rejects REOPEN of a confirmed cause outside analysis", from: "confirmed", event: "REOPEN", actor: specialist, facts: { issueState: "closed" }, expect: preconditionFailed("issueIsAnalyzing") },
  { behaviour: "rejects CONFIRM without evidence", from: "hypothesis", event: "CONFIRM", actor: specialist, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects REFUTE with blank evidence", from: "hypothesis", event: "REFUTE", actor: assignee, reason: "   ", expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects REOPEN without evidence", from: "refuted", event: "REOPEN", actor: assignee, reason: "", expect: preconditionFailed("reasonProvided") },
  { behaviour: "reports the issue state before missing evidence", from: "hypothesis", event: "CONFIRM", actor: specialist, facts: { issueState: "verifying" }, reason: null, expect: preconditionFailed("issueIsAnalyzing") },
  { behaviour: "rejects CONFIRM of a confirmed cause", from: "confirmed", event: "CONFIRM", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects REFUTE of a confirmed cause without reopening it", from: "confirmed", event: "REFUTE", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects CONFIRM of a refuted cause without reopening it", from: "refuted", event: "CONFIRM", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects REOPEN of a hypothesis", from: "hypothesis", event: "REOPEN", actor: specialist, expect: NOT_ACCEPTED },
];

describe("cause workflow", () => {
  runTransitionTable(
    causeWorkflow,
    {
      context: { issueAssigneeId: ASSIGNEE_ID },
      facts: { issueState: "analyzing" },
      reason: "call recordings show the script skips the refund step",
    },
    rows,
  );
  itCoversEveryTransition(causeWorkflow, rows);
});
