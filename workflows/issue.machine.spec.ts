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
  ISSUE_STATES,
  issueWorkflow,
  type IssueContext,
  type IssueEventType,
  type IssueFacts,
} from "./issue.machine";

const ASSIGNEE_ID = 10;
const DEPARTMENT_ID = 3;

const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);
const agent = actor(["AGENT"], 5);
const assignee = actor(["AGENT"], ASSIGNEE_ID);
const issueLead = actor(["DEPARTMENT_LEAD"], 20, DEPARTMENT_ID);
const otherLead = actor(["DEPARTMENT_LEAD"], 21, DEPARTMENT_ID + 1);
const admin = actor(["ADMIN"], 99);

/** Facts under which every precondition holds, so each row breaks exactly one thing. */
const readyFacts: IssueFacts = {
  confirmedRootCauseCount: 1,
  draftActionCount: 2,
  untracedDraftActionCount: 0,
  openActionCount: 0,
  unapprovedBudgetedActionCount: 0,
  passedVerificationCount: 1,
  openVerificationCount: 0,
  verificationFailed: true,
};

const context: IssueContext = { assigneeId: ASSIGNEE_ID, departmentId: DEPARTMENT_ID };

type Row = TransitionRow<IssueContext, IssueFacts, IssueEventType>;

const OPEN_STATES = ISSUE_STATES.filter((s) => s !== "closed" && s !== "cancelled");

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  // TRIAGE
  { behaviour: "triages an intake issue as a quality specialist", from: "intake", event: "TRIAGE", actor: specialist, expect: { toState: "triaged" } },
  { behaviour: "rejects TRIAGE by an agent", from: "intake", event: "TRIAGE", actor: agent, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects TRIAGE by an operations manager", from: "intake", event: "TRIAGE", actor: manager, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects TRIAGE of an already triaged issue", from: "triaged", event: "TRIAGE", actor: specialist, expect: NOT_ACCEPTED },

  // ASSIGN
  { behaviour: "assigns a triaged issue as a quality specialist", from: "triaged", event: "ASSIGN", actor: specialist, expect: { toState: "assigned" } },
  { behaviour: "assigns a triaged issue as an operations manager", from: "triaged", event: "ASSIGN", actor: manager, expect: { toState: "assigned" } },
  { behaviour: "reassigns an assigned issue as a real self-transition", from: "assigned", event: "ASSIGN", actor: manager, expect: { toState: "assigned", changesState: true } },
  { behaviour: "rejects ASSIGN by a department lead", from: "triaged", event: "ASSIGN", actor: issueLead, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects ASSIGN without a responsible department", from: "triaged", event: "ASSIGN", actor: specialist, context: { departmentId: null }, expect: preconditionFailed("hasDepartment") },
  { behaviour: "rejects ASSIGN without an assignee", from: "triaged", event: "ASSIGN", actor: specialist, context: { assigneeId: null }, expect: preconditionFailed("hasAssignee") },
  { behaviour: "rejects a reassignment without an assignee", from: "assigned", event: "ASSIGN", actor: manager, context: { assigneeId: null }, expect: preconditionFailed("hasAssignee") },
  { behaviour: "reports a lacking role before a missing department", from: "triaged", event: "ASSIGN", actor: agent, context: { departmentId: null }, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects ASSIGN of an intake issue", from: "intake", event: "ASSIGN", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects ASSIGN once analysis started", from: "analyzing", event: "ASSIGN", actor: specialist, expect: NOT_ACCEPTED },

  // START_ANALYSIS
  { behaviour: "starts the analysis as the assignee", from: "assigned", event: "START_ANALYSIS", actor: assignee, expect: { toState: "analyzing" } },
  { behaviour: "starts the analysis as a quality specialist", from: "assigned", event: "START_ANALYSIS", actor: specialist, expect: { toState: "analyzing" } },
  { behaviour: "rejects START_ANALYSIS by an agent who is not the assignee", from: "assigned", event: "START_ANALYSIS", actor: agent, expect: notPermitted("actorIsAssigneeOrQualitySpecialist") },
  { behaviour: "rejects START_ANALYSIS by an operations manager", from: "assigned", event: "START_ANALYSIS", actor: manager, expect: notPermitted("actorIsAssigneeOrQualitySpecialist") },
  { behaviour: "rejects START_ANALYSIS before assignment", from: "triaged", event: "START_ANALYSIS", actor: specialist, expect: NOT_ACCEPTED },

  // EDIT_ANALYSIS
  { behaviour: "lets the assignee edit the analysis without changing state", from: "analyzing", event: "EDIT_ANALYSIS", actor: assignee, expect: { toState: "analyzing", changesState: false } },
  { behaviour: "lets a quality specialist edit the analysis", from: "analyzing", event: "EDIT_ANALYSIS", actor: specialist, expect: { toState: "analyzing", changesState: false } },
  { behaviour: "lets the lead of the issue's department edit the analysis", from: "analyzing", event: "EDIT_ANALYSIS", actor: issueLead, expect: { toState: "analyzing", changesState: false } },
  { behaviour: "rejects EDIT_ANALYSIS by the lead of another department", from: "analyzing", event: "EDIT_ANALYSIS", actor: otherLead, expect: notPermitted("actorMayEditAnalysis") },
  { behaviour: "rejects EDIT_ANALYSIS by an agent who is not the assignee", from: "analyzing", event: "EDIT_ANALYSIS", actor: agent, expect: notPermitted("actorMayEditAnalysis") },
  { behaviour: "rejects EDIT_ANALYSIS by a department lead when the issue has no department", from: "analyzing", event: "EDIT_ANALYSIS", actor: actor(["DEPARTMENT_LEAD"], 22, null), context: { departmentId: null }, expect: notPermitted("actorMayEditAnalysis") },
  { behaviour: "rejects EDIT_ANALYSIS once the plan is proposed", from: "planApproval", event: "EDIT_ANALYSIS", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects EDIT_ANALYSIS while the plan is carried out", from: "inProgress", event: "EDIT_ANALYSIS", actor: assignee, expect: NOT_ACCEPTED },

  // PROPOSE_PLAN
  { behaviour: "proposes a plan as the assignee", from: "analyzing", event: "PROPOSE_PLAN", actor: assignee, expect: { toState: "planApproval" } },
  { behaviour: "proposes a plan as a quality specialist", from: "analyzing", event: "PROPOSE_PLAN", actor: specialist, expect: { toState: "planApproval" } },
  { behaviour: "rejects PROPOSE_PLAN by the department lead", from: "analyzing", event: "PROPOSE_PLAN", actor: issueLead, expect: notPermitted("actorIsAssigneeOrQualitySpecialist") },
  { behaviour: "rejects PROPOSE_PLAN without a confirmed root cause", from: "analyzing", event: "PROPOSE_PLAN", actor: assignee, facts: { confirmedRootCauseCount: 0 }, expect: preconditionFailed("hasConfirmedRootCause") },
  { behaviour: "rejects PROPOSE_PLAN without an action item", from: "analyzing", event: "PROPOSE_PLAN", actor: assignee, facts: { draftActionCount: 0 }, expect: preconditionFailed("hasDraftAction") },
  { behaviour: "rejects PROPOSE_PLAN with an action not traced to a confirmed cause", from: "analyzing", event: "PROPOSE_PLAN", actor: assignee, facts: { untracedDraftActionCount: 1 }, expect: preconditionFailed("allDraftActionsTraced") },
  { behaviour: "reports the missing root cause first when several preconditions fail", from: "analyzing", event: "PROPOSE_PLAN", actor: specialist, facts: { confirmedRootCauseCount: 0, draftActionCount: 0 }, expect: preconditionFailed("hasConfirmedRootCause") },
  { behaviour: "rejects PROPOSE_PLAN before the analysis started", from: "assigned", event: "PROPOSE_PLAN", actor: specialist, expect: NOT_ACCEPTED },

  // APPROVE_PLAN / REJECT_PLAN
  { behaviour: "approves a plan as the operations manager", from: "planApproval", event: "APPROVE_PLAN", actor: manager, expect: { toState: "inProgress" } },
  { behaviour: "rejects APPROVE_PLAN by a quality specialist", from: "planApproval", event: "APPROVE_PLAN", actor: specialist, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects APPROVE_PLAN by the department lead", from: "planApproval", event: "APPROVE_PLAN", actor: issueLead, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects APPROVE_PLAN by an admin", from: "planApproval", event: "APPROVE_PLAN", actor: admin, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "rejects APPROVE_PLAN while a budgeted action is not explicitly approved", from: "planApproval", event: "APPROVE_PLAN", actor: manager, facts: { unapprovedBudgetedActionCount: 1 }, expect: preconditionFailed("allBudgetedActionsApproved") },
  { behaviour: "rejects APPROVE_PLAN before a plan is proposed", from: "analyzing", event: "APPROVE_PLAN", actor: manager, expect: NOT_ACCEPTED },
  { behaviour: "rejects a plan back to analysis with a comment", from: "planApproval", event: "REJECT_PLAN", actor: manager, expect: { toState: "analyzing" } },
  { behaviour: "rejects REJECT_PLAN without a comment", from: "planApproval", event: "REJECT_PLAN", actor: manager, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects REJECT_PLAN with a blank comment", from: "planApproval", event: "REJECT_PLAN", actor: manager, reason: "  \n ", expect: preconditionFailed("reasonProvided") },
  { behaviour: "offers REJECT_PLAN in a preview without a comment", from: "planApproval", event: "REJECT_PLAN", actor: manager, reason: null, preview: true, expect: { toState: "analyzing" } },
  { behaviour: "rejects REJECT_PLAN by a quality specialist", from: "planApproval", event: "REJECT_PLAN", actor: specialist, expect: notPermitted("actorIsOperationsManager") },
  { behaviour: "reports a lacking role before a missing comment", from: "planApproval", event: "REJECT_PLAN", actor: specialist, reason: null, expect: notPermitted("actorIsOperationsManager") },

  // START_VERIFICATION / PLAN_VERIFICATION
  { behaviour: "starts verification as a quality specialist when every action is closed", from: "inProgress", event: "START_VERIFICATION", actor: specialist, expect: { toState: "verifying" } },
  { behaviour: "starts verification as the assignee", from: "inProgress", event: "START_VERIFICATION", actor: assignee, expect: { toState: "verifying" } },
  { behaviour: "rejects START_VERIFICATION while an action item is open", from: "inProgress", event: "START_VERIFICATION", actor: specialist, facts: { openActionCount: 1 }, expect: preconditionFailed("noOpenActions") },
  { behaviour: "rejects START_VERIFICATION by an operations manager", from: "inProgress", event: "START_VERIFICATION", actor: manager, expect: notPermitted("actorIsAssigneeOrQualitySpecialist") },
  { behaviour: "rejects START_VERIFICATION before the plan is approved", from: "planApproval", event: "START_VERIFICATION", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "lets a quality specialist plan verification while the plan is carried out", from: "inProgress", event: "PLAN_VERIFICATION", actor: specialist, expect: { toState: "inProgress", changesState: false } },
  { behaviour: "lets a quality specialist plan more verification while verifying", from: "verifying", event: "PLAN_VERIFICATION", actor: specialist, expect: { toState: "verifying", changesState: false } },
  { behaviour: "rejects PLAN_VERIFICATION by an operations manager", from: "verifying", event: "PLAN_VERIFICATION", actor: manager, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects PLAN_VERIFICATION by the assignee", from: "inProgress", event: "PLAN_VERIFICATION", actor: assignee, expect: notPermitted("actorIsQualitySpecialist") },
  { behaviour: "rejects PLAN_VERIFICATION during analysis", from: "analyzing", event: "PLAN_VERIFICATION", actor: specialist, expect: NOT_ACCEPTED },

  // VERIFICATION_FAILED
  { behaviour: "returns to analysis for a new cycle after a failed verification", from: "verifying", event: "VERIFICATION_FAILED", actor: specialist, expect: { toState: "analyzing" } },
  { behaviour: "lets an operations manager record a failed verification", from: "verifying", event: "VERIFICATION_FAILED", actor: manager, expect: { toState: "analyzing" } },
  { behaviour: "rejects VERIFICATION_FAILED when no check failed", from: "verifying", event: "VERIFICATION_FAILED", actor: specialist, facts: { verificationFailed: false }, expect: preconditionFailed("verificationHasFailed") },
  { behaviour: "rejects VERIFICATION_FAILED by the assignee", from: "verifying", event: "VERIFICATION_FAILED", actor: assignee, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects VERIFICATION_FAILED outside verification", from: "inProgress", event: "VERIFICATION_FAILED", actor: specialist, expect: NOT_ACCEPTED },

  // CLOSE
  { behaviour: "closes a verified issue as a quality specialist", from: "verifying", event: "CLOSE", actor: specialist, expect: { toState: "closed" } },
  { behaviour: "closes a verified issue as an operations manager", from: "verifying", event: "CLOSE", actor: manager, expect: { toState: "closed" } },
  { behaviour: "rejects CLOSE before a passed verification", from: "verifying", event: "CLOSE", actor: specialist, facts: { passedVerificationCount: 0 }, expect: preconditionFailed("hasPassedVerification") },
  { behaviour: "rejects CLOSE while a verification check is still open", from: "verifying", event: "CLOSE", actor: specialist, facts: { openVerificationCount: 1 }, expect: preconditionFailed("noOpenVerifications") },
  { behaviour: "rejects CLOSE by the assignee", from: "verifying", event: "CLOSE", actor: assignee, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects CLOSE while the plan is carried out", from: "inProgress", event: "CLOSE", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects CLOSE of a closed issue", from: "closed", event: "CLOSE", actor: specialist, expect: NOT_ACCEPTED },

  // REOPEN
  { behaviour: "reopens a closed issue on a recurrence", from: "closed", event: "REOPEN", actor: specialist, expect: { toState: "analyzing" } },
  { behaviour: "lets an operations manager reopen a closed issue", from: "closed", event: "REOPEN", actor: manager, expect: { toState: "analyzing" } },
  { behaviour: "rejects REOPEN without a reason", from: "closed", event: "REOPEN", actor: specialist, reason: "", expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects REOPEN by an agent", from: "closed", event: "REOPEN", actor: agent, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects REOPEN of a cancelled issue", from: "cancelled", event: "REOPEN", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects REOPEN of an open issue", from: "verifying", event: "REOPEN", actor: specialist, expect: NOT_ACCEPTED },

  // CANCEL
  ...OPEN_STATES.map(
    (from): Row => ({ behaviour: `cancels an issue from ${from} with a reason`, from, event: "CANCEL", actor: specialist, expect: { toState: "cancelled" } }),
  ),
  { behaviour: "lets an operations manager cancel an issue", from: "inProgress", event: "CANCEL", actor: manager, expect: { toState: "cancelled" } },
  { behaviour: "rejects CANCEL without a reason", from: "analyzing", event: "CANCEL", actor: manager, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects CANCEL by the assignee", from: "analyzing", event: "CANCEL", actor: assignee, expect: notPermitted("actorIsQualitySpecialistOrOperationsManager") },
  { behaviour: "rejects CANCEL of a closed issue", from: "closed", event: "CANCEL", actor: manager, expect: NOT_ACCEPTED },
  { behaviour: "rejects CANCEL of a cancelled issue", from: "cancelled", event: "CANCEL", actor: manager, expect: NOT_ACCEPTED },
];

describe("issue workflow", () => {
  runTransitionTable(
    issueWorkflow,
    {
      context,
      facts: readyFacts,
      reason: "customer called again",
    },
    rows,
  );

  itAcceptsNoEventIn(issueWorkflow, ["cancelled"], {
    context,
    facts: readyFacts,
    actor: actor(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER"], ASSIGNEE_ID, DEPARTMENT_ID),
  });
  itCoversEveryTransition(issueWorkflow, rows);
});
