import { DataSource } from "typeorm";
import type { Role } from "../../../workflows/actor";
import { Resource, scopesOf, Scope, VISIBILITY } from "../../../src/auth/policy";
import {
  Channel,
  CauseCategory,
  FeedbackSource,
  IssueKind,
  MetricDirection,
  VerificationStatus,
  WorkflowEntity,
} from "../../../src/common/enums";
import {
  ActionItem,
  AdjustmentRequest,
  Cause,
  Customer,
  Feedback,
  Issue,
  IssueEvidence,
  TransitionLog,
  VerificationCheck,
} from "../../../src/entity";
import { ComplaintSla } from "../../../src/entity/sla/complaint-sla.entity";
import type { Person, World } from "../../support/test-app";

/**
 * The objects of the authorisation matrix, written straight to the database: two departments'
 * issues with their causes, action items, adjustment requests, checks, feedback and log rows,
 * arranged so every scope of the policy table has an object inside it and one outside it.
 *
 * The `facts` of each object are the plain relations the scopes are defined on; {@link inScope}
 * reads them to decide, independently of the SQL in src/auth/policy.ts, what each user may reach.
 */
export interface Subject {
  role: Role;
  person: Person;
  userId: number;
  departmentId: number | null;
}

export interface IssueFacts { id: number; departmentId: number | null; createdById: number; assigneeId: number | null }
export interface ActionFacts { id: number; issueId: number; causeId: number; departmentId: number; ownerId: number }
export interface AdjustmentFacts { id: number; actionItemId: number; departmentId: number; requesterId: number }
export interface ChildFacts { id: number; issueId: number }
export interface FeedbackFacts { id: number; segmentDepartmentId: number | null; evidenceOf: number[] }

export interface Objects {
  issues: IssueFacts[];
  causes: ChildFacts[];
  actions: ActionFacts[];
  adjustments: AdjustmentFacts[];
  checks: ChildFacts[];
  feedback: FeedbackFacts[];
}

/** The user of each role the matrix acts as. The department lead leads the service department. */
export function subjects(w: World): Subject[] {
  const subject = (role: Role, person: Person, departmentId: string | null): Subject => ({
    role,
    person,
    userId: Number(person.id),
    departmentId: departmentId === null ? null : Number(departmentId),
  });
  return [
    subject("AGENT", w.agent, w.serviceDept),
    subject("QUALITY_SPECIALIST", w.quality, null),
    subject("DEPARTMENT_LEAD", w.serviceLead, w.serviceDept),
    subject("OPERATIONS_MANAGER", w.manager, null),
    subject("ADMIN", w.admin, null),
  ];
}

export async function seedObjects(dataSource: DataSource, w: World): Promise<Objects> {
  const m = dataSource.manager;
  const service = Number(w.serviceDept);
  const tech = Number(w.techDept);
  const [agent, quality, serviceLead, techLead, engineer] = [w.agent, w.quality, w.serviceLead, w.techLead, w.engineer].map(
    (person) => Number(person.id),
  );
  const customer = await m.save(m.create(Customer, { name: "矩阵客户", phone: null, region: "华东" } as Partial<Customer>));

  const issue = async (kind: IssueKind, departmentId: number | null, createdById: number, assigneeId: number | null, state: string) => {
    const row = await m.save(
      m.create(Issue, {
        kind,
        title: `matrix ${kind} ${departmentId}`,
        description: "seeded for the authorisation matrix",
        departmentId,
        createdById,
        assigneeId,
        customerId: kind === IssueKind.COMPLAINT ? customer.id : null,
        state,
      }),
    );
    return { id: row.id, departmentId, createdById, assigneeId };
  };
  // I1: a service complaint the agent registered; I2: a technical issue; I3: a technical issue
  // with a service-department action; I4: an untriaged complaint assigned to the agent.
  const issues = [
    await issue(IssueKind.COMPLAINT, service, agent, serviceLead, "analyzing"),
    await issue(IssueKind.SYSTEMIC, tech, quality, techLead, "analyzing"),
    await issue(IssueKind.SYSTEMIC, tech, quality, quality, "analyzing"),
    await issue(IssueKind.COMPLAINT, null, quality, agent, "intake"),
  ];

  const causes: ChildFacts[] = [];
  for (const { id: issueId } of issues) {
    const row = await m.save(
      m.create(Cause, { issueId, category: CauseCategory.METHOD, text: `cause of ${issueId}`, state: "hypothesis", createdById: quality }),
    );
    causes.push({ id: row.id, issueId });
  }
  const causeOf = (issueId: number) => causes.find((cause) => cause.issueId === issueId)!.id;

  const action = async (issueId: number, departmentId: number, ownerId: number) => {
    const row = await m.save(
      m.create(ActionItem, {
        issueId,
        causeId: causeOf(issueId),
        cycle: 1,
        description: "matrix action",
        metric: "响应时长",
        baseline: null,
        target: 2,
        ownerId,
        departmentId,
        plannedStart: "2026-01-05",
        plannedEnd: "2099-12-31",
        state: "inProgress",
      }),
    );
    return { id: row.id, issueId, causeId: causeOf(issueId), departmentId, ownerId };
  };
  // A4: the agent owns an action on an issue the agent does not otherwise see.
  const actions = [
    await action(issues[0].id, service, engineer),
    await action(issues[1].id, tech, techLead),
    await action(issues[2].id, service, engineer),
    await action(issues[1].id, tech, agent),
  ];

  const adjustment = async (item: ActionFacts, requesterId: number) => {
    const row = await m.save(
      m.create(AdjustmentRequest, {
        actionItemId: item.id,
        departmentId: item.departmentId,
        requesterId,
        reason: "matrix adjustment",
        proposedPlannedEnd: "2099-12-31",
        state: "submitted",
      }),
    );
    return { id: row.id, actionItemId: item.id, departmentId: item.departmentId, requesterId };
  };
  const adjustments = [await adjustment(actions[0], engineer), await adjustment(actions[1], techLead)];

  const checks: ChildFacts[] = [];
  for (const { id: issueId } of issues.slice(0, 2)) {
    const row = await m.save(
      m.create(VerificationCheck, {
        issueId,
        cycle: 1,
        metric: "满意度",
        direction: MetricDirection.HIGHER_IS_BETTER,
        threshold: 0.5,
        state: "planned",
        createdById: quality,
      }),
    );
    checks.push({ id: row.id, issueId });
  }

  const feedbackRow = async (segmentDepartmentId: number | null, evidenceOf: number[]) => {
    const row = await m.save(
      m.create(Feedback, {
        source: FeedbackSource.SURVEY,
        channel: Channel.SMS,
        customerId: customer.id,
        ticketId: null,
        templateId: null,
        comment: "matrix",
        verificationStatus: VerificationStatus.UNVERIFIED,
        receivedAt: new Date("2026-01-05T00:00:00Z"),
        recordedById: quality,
        segmentDepartmentId,
      } as Partial<Feedback>),
    );
    for (const issueId of evidenceOf) await m.save(m.create(IssueEvidence, { issueId, feedbackId: row.id, linkedById: quality }));
    return { id: row.id, segmentDepartmentId, evidenceOf };
  };
  const feedback = [
    await feedbackRow(service, [issues[0].id]),
    await feedbackRow(tech, [issues[1].id]),
    await feedbackRow(null, []),
    await feedbackRow(tech, [issues[2].id]),
  ];

  // Complaint SLA clocks of a service and a technical issue, for the attainment report.
  for (const [issueId, departmentId] of [[issues[0].id, service], [issues[1].id, tech]]) {
    const at = (hours: number) => new Date(Date.UTC(2026, 0, 5, hours));
    await m.save(
      m.create(ComplaintSla, { issueId, departmentId, startedAt: at(0), respondDueAt: at(1), planDueAt: at(24), closeDueAt: at(72) }),
    );
  }

  const log = async (entityType: WorkflowEntity, entityId: number) =>
    m.save(m.create(TransitionLog, { entityType, entityId, fromState: "", toState: "seeded", event: "CREATE", actorId: quality }));
  for (const row of issues) await log(WorkflowEntity.ISSUE, row.id);
  for (const row of causes) await log(WorkflowEntity.CAUSE, row.id);
  for (const row of actions) await log(WorkflowEntity.ACTION_ITEM, row.id);
  for (const row of adjustments) await log(WorkflowEntity.ADJUSTMENT_REQUEST, row.id);
  for (const row of checks) await log(WorkflowEntity.VERIFICATION_CHECK, row.id);

  return { issues, causes, actions, adjustments, checks, feedback };
}

// ---------------------------------------------------------------------------------------------
// The oracle: what each scope means, written from the relations, not from the SQL under test.
// ---------------------------------------------------------------------------------------------

type RowScope = Exclude<Scope, "ALL" | "NONE">;

function issueIn(o: Objects, scope: RowScope, s: Subject, issueId: number): boolean {
  const issue = o.issues.find((row) => row.id === issueId)!;
  const mine =
    issue.createdById === s.userId ||
    issue.assigneeId === s.userId ||
    o.actions.some((item) => item.issueId === issueId && item.ownerId === s.userId);
  if (scope === "REGISTERED_OR_ASSIGNED") return mine;
  return (
    mine ||
    (issue.departmentId !== null && issue.departmentId === s.departmentId) ||
    o.actions.some((item) => item.issueId === issueId && item.departmentId === s.departmentId)
  );
}

function actionIn(o: Objects, scope: RowScope, s: Subject, actionId: number): boolean {
  const item = o.actions.find((row) => row.id === actionId)!;
  if (item.ownerId === s.userId) return true;
  if (scope === "REGISTERED_OR_ASSIGNED") return issueIn(o, scope, s, item.issueId);
  return item.departmentId === s.departmentId;
}

export type ObjectKind = "issue" | "cause" | "action" | "adjustment" | "check" | "feedback";

export const RESOURCE_OF: Record<ObjectKind, Resource> = {
  issue: Resource.ISSUE,
  cause: Resource.CAUSE,
  action: Resource.ACTION_ITEM,
  adjustment: Resource.ADJUSTMENT_REQUEST,
  check: Resource.VERIFICATION_CHECK,
  feedback: Resource.FEEDBACK,
};

export function idsOf(o: Objects, kind: ObjectKind): number[] {
  const rows = { issue: o.issues, cause: o.causes, action: o.actions, adjustment: o.adjustments, check: o.checks, feedback: o.feedback }[kind];
  return rows.map((row) => row.id);
}

function inScope(o: Objects, kind: ObjectKind, scope: Scope, s: Subject, id: number): boolean {
  if (scope === "ALL") return true;
  if (scope === "NONE") return false;
  switch (kind) {
    case "issue":
      return issueIn(o, scope, s, id);
    case "cause":
      return issueIn(o, scope, s, o.causes.find((row) => row.id === id)!.issueId);
    case "check":
      return issueIn(o, scope, s, o.checks.find((row) => row.id === id)!.issueId);
    case "action":
      return actionIn(o, scope, s, id);
    case "adjustment": {
      return actionIn(o, scope, s, o.adjustments.find((row) => row.id === id)!.actionItemId);
    }
    case "feedback": {
      const row = o.feedback.find((f) => f.id === id)!;
      if (scope === "REGISTERED_OR_ASSIGNED") throw new Error("no feedback scope REGISTERED_OR_ASSIGNED in the oracle");
      return (
        (row.segmentDepartmentId !== null && row.segmentDepartmentId === s.departmentId) ||
        row.evidenceOf.some((issueId) => issueIn(o, scope, s, issueId))
      );
    }
  }
}

/** Whether the policy table lets `s` see object `id` of `kind`: any of the subject's scopes. */
export function expectedVisible(o: Objects, kind: ObjectKind, s: Subject, id: number): boolean {
  return scopesOf([s.role], VISIBILITY[RESOURCE_OF[kind]].scopes).some((scope) => inScope(o, kind, scope, s, id));
}

export function expectedVisibleIds(o: Objects, kind: ObjectKind, s: Subject): number[] {
  return idsOf(o, kind).filter((id) => expectedVisible(o, kind, s, id));
}

/**
 * Puts back the relations the scopes are defined on (departments, creators, assignees, owners,
 * evidence links) and removes action items, requests and links created since seeding: a
 * successful in-scope mutation (a triage moving an issue to another department, a new action)
 * must not change what the next cell expects.
 */
export async function restoreRelations(dataSource: DataSource, o: Objects): Promise<void> {
  const m = dataSource.manager;
  for (const { id, departmentId, createdById, assigneeId } of o.issues) {
    await m.update(Issue, { id }, { departmentId, createdById, assigneeId });
  }
  const keep = (rows: { id: number }[]) => rows.map((row) => row.id);
  await m.createQueryBuilder().delete().from(AdjustmentRequest).where("id NOT IN (:...ids)", { ids: keep(o.adjustments) }).execute();
  await m.createQueryBuilder().delete().from(ActionItem).where("id NOT IN (:...ids)", { ids: keep(o.actions) }).execute();
  for (const { id, issueId, causeId, departmentId, ownerId } of o.actions) {
    await m.update(ActionItem, { id }, { issueId, causeId, departmentId, ownerId });
  }
  for (const { id, actionItemId, departmentId, requesterId } of o.adjustments) {
    await m.update(AdjustmentRequest, { id }, { actionItemId, departmentId, requesterId });
  }
  await m.createQueryBuilder().delete().from(IssueEvidence).execute();
  for (const { id, segmentDepartmentId, evidenceOf } of o.feedback) {
    await m.update(Feedback, { id }, { segmentDepartmentId } as Partial<Feedback>);
    for (const issueId of evidenceOf) await m.insert(IssueEvidence, { issueId, feedbackId: id, linkedById: o.issues[0].createdById });
  }
}
