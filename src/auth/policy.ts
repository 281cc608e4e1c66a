import { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ROLES, type Actor, type Role } from "../../workflows/actor";
import { notFound } from "../common/errors";
import {
  ActionItem,
  AdjustmentRequest,
  Cause,
  Feedback,
  Issue,
  VerificationCheck,
} from "../entity";

/**
 * The authorisation policy of qloop: one table, role × operation × scope.
 *
 * - A **scope** says which objects a role reaches through an operation:
 *   `ALL`; `OWN_DEPARTMENT` (objects of the caller's department, or assigned to / owned by /
 *   created by the caller); `REGISTERED_OR_ASSIGNED` (objects the caller registered or is assigned
 *   to, and what hangs off them); `NONE` (the role may not run the operation at all: FORBIDDEN).
 * - {@link VISIBILITY} gives every object type's read scope. Services apply it on every path to an
 *   object — lists (in SQL, so totalCount and cursors stay right), by-id lookups, nested fields and
 *   DataLoaders — and an object out of scope looks exactly like a missing one (null, or NOT_FOUND
 *   with the same message).
 * - {@link OPERATIONS} has one row per query and mutation: the object type it reads or acts on and
 *   each role's scope. A mutation's target must be in the caller's scope (else NOT_FOUND, as if it
 *   did not exist); then the workflow machine's guards decide the transition itself.
 *
 * Multi-role users get the union of their roles' scopes.
 */
export type Scope = "ALL" | "OWN_DEPARTMENT" | "REGISTERED_OR_ASSIGNED" | "NONE";

export enum Resource {
  ISSUE = "ISSUE",
  CAUSE = "CAUSE",
  ACTION_ITEM = "ACTION_ITEM",
  ADJUSTMENT_REQUEST = "ADJUSTMENT_REQUEST",
  VERIFICATION_CHECK = "VERIFICATION_CHECK",
  FEEDBACK = "FEEDBACK",
  CUSTOMER = "CUSTOMER",
  SERVICE_TICKET = "SERVICE_TICKET",
  SURVEY = "SURVEY",
  SURVEY_LINK = "SURVEY_LINK",
  REVIEW = "REVIEW",
  ANALYTICS = "ANALYTICS",
  SLA_REPORT = "SLA_REPORT",
  INTAKE_RULE = "INTAKE_RULE",
  INTAKE_CONFIG = "INTAKE_CONFIG",
  KEYWORD = "KEYWORD",
  OUTBOX = "OUTBOX",
  DIRECTORY = "DIRECTORY",
  TRANSITION_LOG = "TRANSITION_LOG",
  WORKFLOW_DEFINITION = "WORKFLOW_DEFINITION",
}

/** One scope per role; a role left out has NONE. */
export type RoleScopes = Partial<Record<Role, Scope>>;

export interface VisibilityRow {
  scopes: RoleScopes;
  why: string;
}

const ALL_ROLES_ALL: RoleScopes = Object.fromEntries(ROLES.map((role) => [role, "ALL"]));

/** Who sees which objects, on every path (list, by id, nested field). */
export const VISIBILITY: Record<Resource, VisibilityRow> = {
  [Resource.ISSUE]: {
    scopes: { AGENT: "REGISTERED_OR_ASSIGNED", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "Agents handle the complaints they took or were given; leads the issues of their department (or that their department has actions on); an action's owner sees its issue; quality and operations run the whole loop; admins support and audit.",
  },
  [Resource.CAUSE]: {
    scopes: { AGENT: "REGISTERED_OR_ASSIGNED", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "A fishbone belongs to its issue: whoever sees the issue sees its causes, nobody else.",
  },
  [Resource.ACTION_ITEM]: {
    scopes: { AGENT: "REGISTERED_OR_ASSIGNED", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "Leads see and act on their own department's actions only (others' performance is not theirs to read); agents see actions they own or that sit on their complaints.",
  },
  [Resource.ADJUSTMENT_REQUEST]: {
    scopes: { AGENT: "REGISTERED_OR_ASSIGNED", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "Follows its action item exactly: leads their department's requests, agents those on actions they own or on their complaints.",
  },
  [Resource.VERIFICATION_CHECK]: {
    scopes: { AGENT: "REGISTERED_OR_ASSIGNED", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "A verification belongs to its issue: visible exactly where the issue is.",
  },
  [Resource.FEEDBACK]: {
    scopes: { AGENT: "ALL", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "Agents call customers back and verify any incoming feedback; a lead reads the feedback on their department's tickets and the evidence of issues they see (names and phones are masked separately).",
  },
  [Resource.CUSTOMER]: { scopes: ALL_ROLES_ALL, why: "Needed to register complaints and tickets; personal data is masked by role separately." },
  [Resource.SERVICE_TICKET]: { scopes: ALL_ROLES_ALL, why: "Tickets are the shared service record every role refers to." },
  [Resource.SURVEY]: { scopes: ALL_ROLES_ALL, why: "Campaigns, templates and call-back tasks are shared work queues; who may change them is decided by role and machine." },
  [Resource.SURVEY_LINK]: { scopes: ALL_ROLES_ALL, why: "The customer's single-use link is the credential; no login." },
  [Resource.REVIEW]: {
    scopes: { QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "ALL", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "Review packs and meetings are the joint cross-department review that leads attend; agents are not part of it.",
  },
  [Resource.ANALYTICS]: {
    scopes: { QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "A lead steers their own department's scores (other departments' are not theirs to compare against); the joint review pack carries the cross-department view; agents are not measured here.",
  },
  [Resource.SLA_REPORT]: {
    scopes: { AGENT: "ALL", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL" },
    why: "Agents and quality work the complaint queue against these promises; a lead answers for their department's attainment only; admins do not run the queue.",
  },
  [Resource.INTAKE_RULE]: {
    scopes: ALL_ROLES_ALL,
    why: "Everyone may know which feedback opens issues automatically; only configuration roles change the rules.",
  },
  [Resource.INTAKE_CONFIG]: {
    scopes: { QUALITY_SPECIALIST: "ALL", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "Deadlines, sampling and SLA promises are configuration of quality, operations and admins.",
  },
  [Resource.KEYWORD]: { scopes: ALL_ROLES_ALL, why: "The keyword taxonomy and its counts are shared vocabulary without personal data." },
  [Resource.OUTBOX]: {
    scopes: { QUALITY_SPECIALIST: "ALL", ADMIN: "ALL" },
    why: "Messages carry customer contact data: only admins (delivery) and quality (dead letters) look at them.",
  },
  [Resource.DIRECTORY]: { scopes: ALL_ROLES_ALL, why: "Colleagues and departments are needed to assign and escalate." },
  [Resource.TRANSITION_LOG]: {
    scopes: { AGENT: "REGISTERED_OR_ASSIGNED", QUALITY_SPECIALIST: "ALL", DEPARTMENT_LEAD: "OWN_DEPARTMENT", OPERATIONS_MANAGER: "ALL", ADMIN: "ALL" },
    why: "A log entry is visible exactly where the object it records is.",
  },
  [Resource.WORKFLOW_DEFINITION]: { scopes: ALL_ROLES_ALL, why: "The machines' graph is documentation, public." },
};

export type OperationKind = "query" | "mutation" | "subscription";

export interface OperationRow {
  kind: OperationKind;
  resource: Resource;
  /** Argument path naming the object acted on (`id`, `input.issueId`), when there is one. */
  target?: string;
  /** Each role's scope; "public" needs no token at all. */
  scopes: RoleScopes | "public";
  why: string;
}

const read = (resource: Resource, why: string, target?: string): OperationRow => ({
  kind: "query",
  resource,
  target,
  scopes: VISIBILITY[resource].scopes,
  why,
});
/** A mutation on an object: each listed role acts within its read scope of the object. */
const act = (resource: Resource, roles: readonly Role[] | "visible", target: string | undefined, why: string): OperationRow => ({
  kind: "mutation",
  resource,
  target,
  scopes:
    roles === "visible"
      ? VISIBILITY[resource].scopes
      : Object.fromEntries(roles.map((role) => [role, VISIBILITY[resource].scopes[role] ?? "NONE"])),
  why,
});

const INTAKE_ROLES: Role[] = ["AGENT", "QUALITY_SPECIALIST"];
const REFERENCE_WRITERS: Role[] = ["AGENT", "QUALITY_SPECIALIST", "ADMIN"];
const CONFIG_EDITORS: Role[] = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"];
const MEETING_ROLES: Role[] = ["QUALITY_SPECIALIST", "DEPARTMENT_LEAD", "OPERATIONS_MANAGER", "ADMIN"];
const SURVEY_ROLES: Role[] = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"];
/** Who may try a workflow event on an object they see; the machine's guards then decide. */
const WORKFLOW: "visible" = "visible";

/** Every query, mutation and subscription of the API. A new operation without a row fails the matrix test. */
export const OPERATIONS: Record<string, OperationRow> = {
  // ---- queries -------------------------------------------------------------------------------
  me: read(Resource.DIRECTORY, "Everyone may see who they are."),
  users: read(Resource.DIRECTORY, "Assigning and escalating needs the colleague list."),
  user: read(Resource.DIRECTORY, "As users.", "id"),
  departments: read(Resource.DIRECTORY, "Departments are reference data."),
  issue: read(Resource.ISSUE, "By id, within the issue scope; out of scope is null like missing.", "id"),
  issues: read(Resource.ISSUE, "Filtered in SQL to the issue scope, so totalCount counts only what the caller may see."),
  actionItem: read(Resource.ACTION_ITEM, "Within the action scope.", "id"),
  actionItems: read(Resource.ACTION_ITEM, "Filtered in SQL to the action scope."),
  adjustmentRequest: read(Resource.ADJUSTMENT_REQUEST, "Within the adjustment scope.", "id"),
  adjustmentRequests: read(Resource.ADJUSTMENT_REQUEST, "Filtered in SQL to the adjustment scope."),
  verificationCheck: read(Resource.VERIFICATION_CHECK, "Within the issue scope of its issue.", "id"),
  verificationChecks: read(Resource.VERIFICATION_CHECK, "Filtered in SQL to the issue scope."),
  feedback: read(Resource.FEEDBACK, "Within the feedback scope.", "id"),
  feedbacks: read(Resource.FEEDBACK, "Filtered in SQL to the feedback scope."),
  customer: read(Resource.CUSTOMER, "Intake needs the customer; names are masked by role.", "id"),
  customers: read(Resource.CUSTOMER, "As customer."),
  serviceTicket: read(Resource.SERVICE_TICKET, "Tickets are the shared service record.", "id"),
  serviceTickets: read(Resource.SERVICE_TICKET, "As serviceTicket."),
  surveyTemplate: read(Resource.SURVEY, "Templates are reference data.", "id"),
  surveyTemplates: read(Resource.SURVEY, "As surveyTemplate."),
  surveyCampaign: read(Resource.SURVEY, "Campaign progress is shared.", "id"),
  surveyCampaigns: read(Resource.SURVEY, "As surveyCampaign."),
  surveyInvitation: read(Resource.SURVEY, "Call-back tasks are a shared queue.", "id"),
  surveyInvitations: read(Resource.SURVEY, "As surveyInvitation."),
  surveyByToken: { kind: "query", resource: Resource.SURVEY_LINK, scopes: "public", why: "The customer's link is the credential." },
  workflowDefinitions: { kind: "query", resource: Resource.WORKFLOW_DEFINITION, scopes: "public", why: "Documentation of the machines." },
  transitionLog: read(Resource.TRANSITION_LOG, "Entries of objects outside the caller's scope are filtered out in SQL."),
  intakeRules: read(Resource.INTAKE_RULE, "Everyone may know what opens issues automatically."),
  intakeRule: read(Resource.INTAKE_RULE, "As intakeRules.", "id"),
  intakeSettings: read(Resource.INTAKE_CONFIG, "Settings are configuration of quality, operations and admins."),
  keywordTags: read(Resource.KEYWORD, "Shared vocabulary."),
  keywordTagCounts: read(Resource.KEYWORD, "Aggregate counts, no personal data."),
  complaintSlaAttainment: read(Resource.SLA_REPORT, "Every team is measured on the promises."),
  satisfactionAnalytics: read(Resource.ANALYTICS, "Joint review material."),
  satisfactionTrend: read(Resource.ANALYTICS, "Joint review material."),
  weeklyReview: read(Resource.REVIEW, "The weekly meeting pack."),
  monthlyReview: read(Resource.REVIEW, "The monthly review pack."),
  reviewMeeting: read(Resource.REVIEW, "Meetings of the joint review.", "id"),
  reviewMeetings: read(Resource.REVIEW, "As reviewMeeting."),
  outboxMessages: read(Resource.OUTBOX, "Messages hold customer contact data."),

  // ---- subscriptions: each event is loaded through the subscriber's scoped loaders -------------
  transitionRecorded: { ...read(Resource.TRANSITION_LOG, "Transitions of objects the subscriber may read."), kind: "subscription" },
  complaintRegistered: { ...read(Resource.ISSUE, "New complaints the subscriber may read (the agent inbox)."), kind: "subscription" },

  // ---- intake ----------------------------------------------------------------------------------
  registerComplaint: act(Resource.ISSUE, INTAKE_ROLES, undefined, "Agents and quality take complaints in."),
  createIssue: act(Resource.ISSUE, ["QUALITY_SPECIALIST"], undefined, "Only quality opens systemic issues."),
  linkEvidence: act(Resource.ISSUE, INTAKE_ROLES, "issueId", "Intake staff attach feedback to issues they see."),
  recordFeedback: act(Resource.FEEDBACK, INTAKE_ROLES, undefined, "Intake staff record feedback."),
  setFeedbackVerification: act(Resource.FEEDBACK, INTAKE_ROLES, "id", "Intake staff verify feedback."),
  supplementFeedback: act(Resource.FEEDBACK, INTAKE_ROLES, "id", "Intake staff record call-back results."),
  recordContactConsent: act(Resource.CUSTOMER, ["AGENT", "QUALITY_SPECIALIST", "OPERATIONS_MANAGER"], "customerId", "Whoever talks to the customer records their contact decision; operations handles escalated refusals."),
  createCustomer: act(Resource.CUSTOMER, REFERENCE_WRITERS, undefined, "Intake staff and admins keep the customer register."),
  createServiceTicket: act(Resource.SERVICE_TICKET, REFERENCE_WRITERS, undefined, "Intake staff and admins record tickets."),
  completeServiceTicket: act(Resource.SERVICE_TICKET, REFERENCE_WRITERS, "id", "As createServiceTicket."),

  // ---- issue workflow: tried by whoever sees the issue; the machine decides -------------------
  triageIssue: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide (quality)."),
  assignIssue: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide (quality, the department's lead)."),
  startAnalysis: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide (assignee)."),
  proposePlan: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide (assignee, quality)."),
  approvePlan: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide (operations manager)."),
  rejectPlan: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide (operations manager)."),
  startVerification: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide."),
  closeIssue: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide."),
  reopenIssue: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide."),
  cancelIssue: act(Resource.ISSUE, WORKFLOW, "id", "Issue machine guards decide."),
  addCause: act(Resource.ISSUE, WORKFLOW, "input.issueId", "EDIT_ANALYSIS of the issue decides."),
  confirmCause: act(Resource.CAUSE, WORKFLOW, "id", "Cause machine guards decide."),
  refuteCause: act(Resource.CAUSE, WORKFLOW, "id", "Cause machine guards decide."),
  reopenCause: act(Resource.CAUSE, WORKFLOW, "id", "Cause machine guards decide."),
  addActionItem: act(Resource.ISSUE, WORKFLOW, "input.issueId", "EDIT_ANALYSIS of the issue decides."),
  planVerificationCheck: act(Resource.ISSUE, WORKFLOW, "input.issueId", "PLAN_VERIFICATION of the issue decides."),
  startVerificationSurvey: act(Resource.VERIFICATION_CHECK, WORKFLOW, "id", "Verification machine decides (quality)."),
  completeVerificationCheck: act(Resource.VERIFICATION_CHECK, WORKFLOW, "id", "Verification machine decides (quality)."),
  cancelVerificationCheck: act(Resource.VERIFICATION_CHECK, WORKFLOW, "id", "Verification machine decides (quality)."),

  // ---- action items and adjustments: leads only within their own department ------------------
  startActionItem: act(Resource.ACTION_ITEM, WORKFLOW, "id", "Owner or own-department lead; machine decides."),
  postProgress: act(Resource.ACTION_ITEM, WORKFLOW, "input.actionItemId", "As startActionItem."),
  blockActionItem: act(Resource.ACTION_ITEM, WORKFLOW, "id", "As startActionItem."),
  unblockActionItem: act(Resource.ACTION_ITEM, WORKFLOW, "id", "As startActionItem."),
  completeActionItem: act(Resource.ACTION_ITEM, WORKFLOW, "id", "As startActionItem."),
  requestActionItemCancellation: act(Resource.ACTION_ITEM, WORKFLOW, "id", "As startActionItem."),
  approveActionItemCancellation: act(Resource.ACTION_ITEM, WORKFLOW, "id", "Machine decides (operations manager)."),
  rejectActionItemCancellation: act(Resource.ACTION_ITEM, WORKFLOW, "id", "Machine decides (operations manager)."),
  cancelDraftActionItem: act(Resource.ACTION_ITEM, WORKFLOW, "id", "Machine decides (quality, operations)."),
  submitAdjustmentRequest: act(Resource.ACTION_ITEM, WORKFLOW, "input.actionItemId", "Filed on an action the caller may act on."),
  reviewAdjustmentRequest: act(Resource.ADJUSTMENT_REQUEST, WORKFLOW, "id", "Adjustment machine decides (quality)."),
  approveAdjustmentRequest: act(Resource.ADJUSTMENT_REQUEST, WORKFLOW, "id", "Adjustment machine decides (operations manager)."),
  rejectAdjustmentRequest: act(Resource.ADJUSTMENT_REQUEST, WORKFLOW, "id", "Adjustment machine decides."),
  withdrawAdjustmentRequest: act(Resource.ADJUSTMENT_REQUEST, WORKFLOW, "id", "Adjustment machine decides (requester)."),

  // ---- surveys ---------------------------------------------------------------------------------
  createSurveyTemplate: act(Resource.SURVEY, ["QUALITY_SPECIALIST", "ADMIN"], undefined, "Quality designs questionnaires; admins load them."),
  createSurveyCampaign: act(Resource.SURVEY, SURVEY_ROLES, undefined, "Survey managers run campaigns."),
  launchSurveyCampaign: act(Resource.SURVEY, SURVEY_ROLES, "id", "Survey managers; the campaign machine decides."),
  closeSurveyCampaign: act(Resource.SURVEY, SURVEY_ROLES, "id", "As launchSurveyCampaign."),
  recordCallbackAnswer: act(Resource.SURVEY, WORKFLOW, "id", "Invitation machine decides (agents and quality make the call-backs)."),
  submitSurveyResponse: { kind: "mutation", resource: Resource.SURVEY_LINK, target: "token", scopes: "public", why: "The customer's link is the credential." },

  // ---- review meetings ---------------------------------------------------------------------------
  scheduleReviewMeeting: act(Resource.REVIEW, MEETING_ROLES, undefined, "Meeting machine decides (quality, operations)."),
  updateReviewMeeting: act(Resource.REVIEW, MEETING_ROLES, "id", "Meeting machine decides."),
  holdReviewMeeting: act(Resource.REVIEW, MEETING_ROLES, "id", "Meeting machine decides."),
  resolveAgendaItem: act(Resource.REVIEW, MEETING_ROLES, "itemId", "Meeting machine decides."),
  recordMeetingDecision: act(Resource.REVIEW, MEETING_ROLES, undefined, "Meeting machine decides."),
  completeMeetingDecision: act(Resource.REVIEW, ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"], "id", "Meeting managers follow decisions up."),
  closeReviewMeeting: act(Resource.REVIEW, MEETING_ROLES, "id", "Meeting machine decides."),
  cancelReviewMeeting: act(Resource.REVIEW, MEETING_ROLES, "id", "Meeting machine decides."),

  // ---- configuration and administration ---------------------------------------------------------
  createIntakeRule: act(Resource.INTAKE_RULE, CONFIG_EDITORS, undefined, "Quality, operations and admins own intake."),
  updateIntakeRule: act(Resource.INTAKE_RULE, CONFIG_EDITORS, "id", "As createIntakeRule."),
  deleteIntakeRule: act(Resource.INTAKE_RULE, CONFIG_EDITORS, "id", "As createIntakeRule."),
  updateIntakeSettings: act(Resource.INTAKE_CONFIG, ["OPERATIONS_MANAGER", "ADMIN"], undefined, "Deadlines and SLA promises are management decisions."),
  createKeywordTag: act(Resource.KEYWORD, CONFIG_EDITORS, undefined, "Quality, operations and admins curate the taxonomy."),
  updateKeywordTag: act(Resource.KEYWORD, CONFIG_EDITORS, "id", "As createKeywordTag."),
  retryOutboxMessage: act(Resource.OUTBOX, ["ADMIN"], "id", "Delivery is operated by admins."),
  createDepartment: act(Resource.DIRECTORY, ["ADMIN"], undefined, "Admins keep the directory."),
  createUser: act(Resource.DIRECTORY, ["ADMIN"], undefined, "Admins keep the directory; tokens come from the CLI."),
};

// ---------------------------------------------------------------------------------------------
// Deciding
// ---------------------------------------------------------------------------------------------

/** The actor of an anonymous request: no roles, so it reaches no row-scoped object at all. */
export const NO_ONE: Actor = { id: 0, roles: [], departmentId: null };

/** The scopes `actor`'s roles hold in `scopes` (NONE left out); empty means no access at all. */
export function scopesOf(roles: readonly Role[], scopes: RoleScopes): Scope[] {
  const held = new Set<Scope>();
  for (const role of roles) {
    const scope = scopes[role] ?? "NONE";
    if (scope !== "NONE") held.add(scope);
  }
  return [...held];
}

/** Whether a user with `roles` may run `operation` at all (unknown operations: no). */
export function mayRun(operation: string, roles: readonly Role[]): boolean {
  const row = OPERATIONS[operation];
  if (!row) return false;
  if (row.scopes === "public") return true;
  return scopesOf(roles, row.scopes).length > 0;
}

/** Aggregate object types a caller with OWN_DEPARTMENT reads for their own department only. */
export const DEPARTMENT_AGGREGATES: readonly Resource[] = [Resource.ANALYTICS, Resource.SLA_REPORT];

/** Object types whose visibility depends on the row, not only on the role. */
const SCOPED_TABLES = {
  [Resource.ISSUE]: Issue,
  [Resource.CAUSE]: Cause,
  [Resource.ACTION_ITEM]: ActionItem,
  [Resource.ADJUSTMENT_REQUEST]: AdjustmentRequest,
  [Resource.VERIFICATION_CHECK]: VerificationCheck,
  [Resource.FEEDBACK]: Feedback,
} as const;
type ScopedResource = keyof typeof SCOPED_TABLES;

/**
 * SQL conditions of the row scopes, on alias `a` of the object's table. Columns are named like
 * their properties, so the same text serves the query builder's alias and raw subqueries.
 * Parameters: `:policyUserId`, `:policyDepartmentId`.
 */
const CONDITIONS: Record<ScopedResource, Partial<Record<"OWN_DEPARTMENT" | "REGISTERED_OR_ASSIGNED", (a: string) => string>>> = {
  [Resource.ISSUE]: {
    // The owner of an action item always sees its issue: the plan is the action's context.
    REGISTERED_OR_ASSIGNED: (a) =>
      `(${a}.createdById = :policyUserId OR ${a}.assigneeId = :policyUserId` +
      ` OR ${a}.id IN (SELECT poi.issueId FROM action_item poi WHERE poi.ownerId = :policyUserId))`,
    OWN_DEPARTMENT: (a) =>
      `(${a}.departmentId = :policyDepartmentId OR ${a}.assigneeId = :policyUserId OR ${a}.createdById = :policyUserId` +
      ` OR ${a}.id IN (SELECT pdi.issueId FROM action_item pdi` +
      ` WHERE pdi.departmentId = :policyDepartmentId OR pdi.ownerId = :policyUserId))`,
  },
  [Resource.CAUSE]: {
    REGISTERED_OR_ASSIGNED: (a) => inIssues(a, "REGISTERED_OR_ASSIGNED"),
    OWN_DEPARTMENT: (a) => inIssues(a, "OWN_DEPARTMENT"),
  },
  [Resource.VERIFICATION_CHECK]: {
    REGISTERED_OR_ASSIGNED: (a) => inIssues(a, "REGISTERED_OR_ASSIGNED"),
    OWN_DEPARTMENT: (a) => inIssues(a, "OWN_DEPARTMENT"),
  },
  [Resource.ACTION_ITEM]: {
    REGISTERED_OR_ASSIGNED: (a) => `(${a}.ownerId = :policyUserId OR ${inIssues(a, "REGISTERED_OR_ASSIGNED")})`,
    OWN_DEPARTMENT: (a) => `(${a}.departmentId = :policyDepartmentId OR ${a}.ownerId = :policyUserId)`,
  },
  // A request is reached exactly where its action item is (requesters are the action's people).
  [Resource.ADJUSTMENT_REQUEST]: {
    REGISTERED_OR_ASSIGNED: (a) => inActions(a, "REGISTERED_OR_ASSIGNED"),
    OWN_DEPARTMENT: (a) => inActions(a, "OWN_DEPARTMENT"),
  },
  [Resource.FEEDBACK]: {
    OWN_DEPARTMENT: (a) =>
      `(${a}.segmentDepartmentId = :policyDepartmentId OR ${a}.id IN (SELECT pfe.feedbackId FROM issue_evidence pfe ` +
      `WHERE ${inIssues("pfe", "OWN_DEPARTMENT")}))`,
  },
};

function inIssues(a: string, scope: "OWN_DEPARTMENT" | "REGISTERED_OR_ASSIGNED"): string {
  return `${a}.issueId IN (SELECT psi.id FROM issue psi WHERE ${CONDITIONS[Resource.ISSUE][scope]!("psi")})`;
}

function inActions(a: string, scope: "OWN_DEPARTMENT" | "REGISTERED_OR_ASSIGNED"): string {
  return `${a}.actionItemId IN (SELECT psa.id FROM action_item psa WHERE ${CONDITIONS[Resource.ACTION_ITEM][scope]!("psa")})`;
}

function isScoped(resource: Resource): resource is ScopedResource {
  return resource in SCOPED_TABLES;
}

/** Whether every cell of the table has a way to be enforced (checked once by the matrix test). */
export function unenforceableCells(): string[] {
  const missing: string[] = [];
  for (const [resource, row] of Object.entries(VISIBILITY) as [Resource, VisibilityRow][]) {
    for (const [role, scope] of Object.entries(row.scopes)) {
      if (scope === "ALL" || scope === "NONE") continue;
      if (resource === Resource.TRANSITION_LOG) continue;
      // Aggregates are narrowed to the caller's department (src/auth/department-scope.ts).
      if (scope === "OWN_DEPARTMENT" && DEPARTMENT_AGGREGATES.includes(resource)) continue;
      if (!isScoped(resource) || !CONDITIONS[resource][scope]) missing.push(`${resource}.${role}.${scope}`);
    }
  }
  return missing;
}

/**
 * The SQL condition restricting `resource` rows (alias `a`) to what `actor` may see, or null when
 * the actor sees them all. An actor without any scope gets a condition matching nothing.
 */
export function visibleCondition(
  actor: Actor,
  resource: Resource,
  a: string,
): { sql: string; params: Record<string, number> } | null {
  const scopes = scopesOf(actor.roles, VISIBILITY[resource].scopes);
  if (scopes.includes("ALL")) return null;
  const params = { policyUserId: actor.id, policyDepartmentId: actor.departmentId ?? -1 };
  if (resource === Resource.TRANSITION_LOG) return transitionLogCondition(actor, a, params);
  if (scopes.length === 0 || !isScoped(resource)) return { sql: "1 = 0", params };
  const parts = scopes.map((scope) => CONDITIONS[resource][scope as "OWN_DEPARTMENT"]!(a));
  return { sql: `(${parts.join(" OR ")})`, params };
}

/** Log entries of scoped objects only where the object is visible; other entries as they are. */
function transitionLogCondition(actor: Actor, a: string, params: Record<string, number>) {
  const kinds: [string, ScopedResource, string][] = [
    ["ISSUE", Resource.ISSUE, "issue"],
    ["CAUSE", Resource.CAUSE, "cause"],
    ["ACTION_ITEM", Resource.ACTION_ITEM, "action_item"],
    ["ADJUSTMENT_REQUEST", Resource.ADJUSTMENT_REQUEST, "adjustment_request"],
    ["VERIFICATION_CHECK", Resource.VERIFICATION_CHECK, "verification_check"],
  ];
  const parts = kinds.map(([entityType, resource, table]) => {
    const inner = visibleCondition(actor, resource, "ptl");
    if (!inner) return null;
    return `(${a}.entityType <> '${entityType}' OR ${a}.entityId IN (SELECT ptl.id FROM ${table} ptl WHERE ${inner.sql}))`;
  });
  const sql = parts.filter((part) => part !== null).join(" AND ");
  return { sql: sql === "" ? "1 = 1" : `(${sql})`, params };
}

/** Adds the visibility condition of `resource` to a list query whose main alias is `alias`. */
export function restrictToVisible<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  actor: Actor | null,
  resource: Resource,
): SelectQueryBuilder<T> {
  if (!actor) return query;
  const condition = visibleCondition(actor, resource, alias);
  if (condition) query.andWhere(condition.sql, condition.params);
  return query;
}

/** The ids among `ids` of `resource` that `actor` may see (all of them when unrestricted). */
export async function visibleIds(
  manager: EntityManager,
  actor: Actor,
  resource: Resource,
  ids: readonly number[],
): Promise<Set<number>> {
  const condition = visibleCondition(actor, resource, "pv");
  if (!condition || ids.length === 0) return new Set(ids);
  const target = SCOPED_TABLES[resource as ScopedResource] as EntityTarget<ObjectLiteral>;
  const rows = await manager
    .getRepository(target)
    .createQueryBuilder("pv")
    .select("pv.id", "id")
    .where("pv.id IN (:...policyIds)", { policyIds: [...ids] })
    .andWhere(condition.sql, condition.params)
    .getRawMany<{ id: number | string }>();
  return new Set(rows.map((row) => Number(row.id)));
}

/**
 * Throws NOT_FOUND — the very error a missing object gives — unless `actor` may reach object `id`
 * of `resource`. Used by every service path that acts on an object by id.
 */
export async function assertVisible(
  manager: EntityManager,
  actor: Actor,
  resource: Resource,
  id: number,
  label: string,
): Promise<void> {
  const visible = await visibleIds(manager, actor, resource, [id]);
  if (!visible.has(id)) throw notFound(label, id);
}
