import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { narrowedDepartment } from "../auth/department-scope";
import { clockOf } from "../common/clock";
import { ComplaintTier, IssueKind } from "../common/enums";
import { badInput } from "../common/errors";
import { Feedback, Issue, IssueEvidence, ServiceTicket } from "../entity";
import { ComplaintSla } from "../entity/sla/complaint-sla.entity";
import { SlaEscalation } from "../entity/sla/sla-escalation.entity";
import { ESCALATION_LEVEL, SlaStage, SlaStageStatus } from "../entity/sla/sla-stage";
import type { JobHandler } from "../jobs/handlers";
import { insertOnce } from "../db/insert-once";
import { JobKind } from "../jobs/job-kind";
import { scheduleJob } from "../jobs/scheduler";
import { withdrawJobs } from "../jobs/withdraw-jobs";
import { MessageKind } from "../notify/message-kind";
import { departmentLeads, enqueueForUsers, operationsManagers } from "../notify/recipients";
import type { IssueTransitioned } from "./intake-hooks";
import { DEFAULT_SETTINGS, loadSettings, Settings } from "./settings";

/**
 * Complaint SLA (DESIGN "Complaint SLA"): every COMPLAINT issue carries three promises — respond,
 * plan, close — whose limits come from `settings.sla` by tier. The clock is a {@link ComplaintSla}
 * row written with the complaint; each stage has a durable SLA job at its due time. A stage whose
 * job falls due unmet is escalated to the department head(s), and, if still unmet
 * `settings.sla.escalateToManagerAfterMinutes` later, to the operations manager(s).
 *
 * Milestones (recorded from the issue's transitions, at the injected clock's time):
 * - **responded**: the complaint left intake through TRIAGE — a quality specialist took it on and
 *   routed it (department, priority, tier). That is qloop's "first response": the moment the
 *   complaint is owned by someone, not the moment a call is made outside the system.
 * - **planned**: the issue first entered `planApproval` (a plan was proposed).
 * - **closed**: the issue first entered `closed`. A later reopening does not restart the clock.
 * - Cancelling the complaint stops the clock: stages not due by then no longer count.
 */

export const STAGES = [SlaStage.RESPOND, SlaStage.PLAN, SlaStage.CLOSE] as const;

const JOB_KIND_OF_STAGE: Record<SlaStage, JobKind> = {
  [SlaStage.RESPOND]: JobKind.SLA_RESPOND,
  [SlaStage.PLAN]: JobKind.SLA_PLAN,
  [SlaStage.CLOSE]: JobKind.SLA_CLOSE,
};

const STAGE_LABEL: Record<SlaStage, string> = {
  [SlaStage.RESPOND]: "首次响应 first response",
  [SlaStage.PLAN]: "改善方案 plan",
  [SlaStage.CLOSE]: "关闭 closure",
};

export interface StageLimits {
  respondMinutes: number;
  planHours: number;
  closeHours: number;
}

/**
 * The limits of a tier, each key falling back to the default (a stored settings section replaces
 * a tier object whole, so a partial override must not leave a limit undefined). An untiered
 * complaint gets the stricter limit of the two tiers per stage until triage sets its tier.
 */
export function limitsFor(settings: Settings, tier: ComplaintTier | null): StageLimits {
  const tier1 = { ...DEFAULT_SETTINGS.sla.TIER_1, ...settings.sla.TIER_1 };
  const tier2 = { ...DEFAULT_SETTINGS.sla.TIER_2, ...settings.sla.TIER_2 };
  if (tier === ComplaintTier.TIER_1) return tier1;
  if (tier === ComplaintTier.TIER_2) return tier2;
  return {
    respondMinutes: Math.min(tier1.respondMinutes, tier2.respondMinutes),
    planHours: Math.min(tier1.planHours, tier2.planHours),
    closeHours: Math.min(tier1.closeHours, tier2.closeHours),
  };
}

function limitMs(limits: StageLimits, stage: SlaStage): number {
  if (stage === SlaStage.RESPOND) return limits.respondMinutes * 60_000;
  if (stage === SlaStage.PLAN) return limits.planHours * 3_600_000;
  return limits.closeHours * 3_600_000;
}

export function dueOf(sla: ComplaintSla, stage: SlaStage): Date {
  if (stage === SlaStage.RESPOND) return sla.respondDueAt;
  if (stage === SlaStage.PLAN) return sla.planDueAt;
  return sla.closeDueAt;
}

export function reachedOf(sla: ComplaintSla, stage: SlaStage): Date | null {
  if (stage === SlaStage.RESPOND) return sla.respondedAt;
  if (stage === SlaStage.PLAN) return sla.plannedAt;
  return sla.closedAt;
}

const DUE_COLUMN: Record<SlaStage, "respondDueAt" | "planDueAt" | "closeDueAt"> = {
  [SlaStage.RESPOND]: "respondDueAt",
  [SlaStage.PLAN]: "planDueAt",
  [SlaStage.CLOSE]: "closeDueAt",
};

/**
 * A stage's standing at `asOf`: MET when reached by its due time; BREACHED when reached later, or
 * not reached and due at or before `asOf` (unless the clock stopped before it fell due);
 * NOT_APPLICABLE when the complaint was cancelled before it fell due; PENDING otherwise.
 */
export function stageStatus(sla: ComplaintSla, stage: SlaStage, asOf: Date): SlaStageStatus {
  const due = dueOf(sla, stage).getTime();
  const reached = reachedOf(sla, stage);
  if (reached) return reached.getTime() <= due ? SlaStageStatus.MET : SlaStageStatus.BREACHED;
  if (sla.stoppedAt && sla.stoppedAt.getTime() <= due) return SlaStageStatus.NOT_APPLICABLE;
  return due <= asOf.getTime() ? SlaStageStatus.BREACHED : SlaStageStatus.PENDING;
}

/** Job dedupe keys: level 1 per stage and revision (due times move with the tier), level 2 once per stage. */
const stageJobKey = (issueId: number, stage: SlaStage, revision: number) => `sla:${issueId}:${stage}:r${revision}`;
const managerJobKey = (issueId: number, stage: SlaStage) => `sla:${issueId}:${stage}:L2`;

async function scheduleStageJob(tx: EntityManager, sla: ComplaintSla, stage: SlaStage): Promise<void> {
  const dueAt = dueOf(sla, stage);
  await scheduleJob(tx, {
    kind: JOB_KIND_OF_STAGE[stage],
    subjectId: sla.issueId,
    dueAt,
    dedupeKey: stageJobKey(sla.issueId, stage, sla.revision),
    payload: { stage, level: ESCALATION_LEVEL.DEPARTMENT_HEAD, dueAt: dueAt.toISOString() },
  });
}

/**
 * Starts the SLA clock of a new complaint (afterIssueCreated), at the injected clock's time:
 * the clock row and one job per stage, in the complaint's transaction. Other issues are ignored.
 */
export async function startComplaintSla(tx: EntityManager, issue: Issue): Promise<void> {
  if (issue.kind !== IssueKind.COMPLAINT) return;
  const now = clockOf(tx).now();
  const limits = limitsFor(await loadSettings(tx), issue.complaintTier);
  const at = (stage: SlaStage) => new Date(now.getTime() + limitMs(limits, stage));
  const repo = tx.getRepository(ComplaintSla);
  const sla = await repo.save(
    repo.create({
      issueId: issue.id,
      tier: issue.complaintTier,
      departmentId: issue.departmentId,
      startedAt: now,
      respondDueAt: at(SlaStage.RESPOND),
      respondedAt: null,
      planDueAt: at(SlaStage.PLAN),
      plannedAt: null,
      closeDueAt: at(SlaStage.CLOSE),
      closedAt: null,
      stoppedAt: null,
      revision: 1,
    }),
  );
  for (const stage of STAGES) await scheduleStageJob(tx, sla, stage);
}

/**
 * Moves a complaint's SLA clock after an issue transition (afterIssueTransition): records the
 * milestones reached, stops the clock on cancellation, follows the department, and recomputes the
 * due times of stages not yet reached nor due when triage changed the tier. Jobs that became moot
 * are withdrawn (see {@link withdrawJobs}; their handlers would find nothing to do anyway).
 */
export async function onComplaintTransition(tx: EntityManager, event: IssueTransitioned): Promise<void> {
  const { issue } = event;
  if (issue.kind !== IssueKind.COMPLAINT) return;
  const repo = tx.getRepository(ComplaintSla);
  const sla = await repo.findOneBy({ issueId: issue.id });
  if (!sla) return; // a complaint from before SLA clocks existed
  const now = clockOf(tx).now();
  const reached: SlaStage[] = [];
  if (event.fromState === "intake" && event.event === "TRIAGE" && !sla.respondedAt) {
    sla.respondedAt = now;
    reached.push(SlaStage.RESPOND);
  }
  if (issue.state === "planApproval" && !sla.plannedAt) {
    sla.plannedAt = now;
    reached.push(SlaStage.PLAN);
  }
  if (issue.state === "closed" && !sla.closedAt) {
    sla.closedAt = now;
    reached.push(SlaStage.CLOSE);
  }
  const obsoleteKeys = reached.flatMap((stage) => [
    stageJobKey(issue.id, stage, sla.revision),
    managerJobKey(issue.id, stage),
  ]);
  if (issue.state === "cancelled" && !sla.stoppedAt) {
    sla.stoppedAt = now;
    for (const stage of STAGES) {
      obsoleteKeys.push(stageJobKey(issue.id, stage, sla.revision), managerJobKey(issue.id, stage));
    }
  }
  sla.departmentId = issue.departmentId;

  const rescheduled: SlaStage[] = [];
  if (issue.complaintTier !== sla.tier && !sla.stoppedAt) {
    const limits = limitsFor(await loadSettings(tx), issue.complaintTier);
    for (const stage of STAGES) {
      // Only promises still open move: a met or already-due stage keeps the due time it was judged by.
      if (reachedOf(sla, stage) || dueOf(sla, stage).getTime() <= now.getTime()) continue;
      obsoleteKeys.push(stageJobKey(issue.id, stage, sla.revision));
      sla[DUE_COLUMN[stage]] = new Date(sla.startedAt.getTime() + limitMs(limits, stage));
      rescheduled.push(stage);
    }
    sla.tier = issue.complaintTier;
    if (rescheduled.length > 0) sla.revision += 1;
  }
  await repo.save(sla);
  await withdrawJobs(tx, obsoleteKeys, now);
  for (const stage of rescheduled) await scheduleStageJob(tx, sla, stage);
}

/**
 * The department whose head answers for a complaint: the issue's own department (set at triage),
 * else the department that handled the service ticket of its evidence — an untriaged complaint
 * breaching its response time has no department of its own yet.
 */
async function responsibleDepartment(tx: EntityManager, issue: Issue): Promise<number | null> {
  if (issue.departmentId !== null) return issue.departmentId;
  const row = await tx
    .getRepository(ServiceTicket)
    .createQueryBuilder("t")
    .select("t.departmentId", "departmentId")
    .innerJoin(Feedback, "f", "f.ticketId = t.id")
    .innerJoin(IssueEvidence, "e", "e.feedbackId = f.id")
    .where("e.issueId = :issueId AND t.departmentId IS NOT NULL", { issueId: issue.id })
    .orderBy("f.id", "ASC")
    .limit(1)
    .getRawOne<{ departmentId: number | string }>();
  return row ? Number(row.departmentId) : null;
}

/** Locks the issue row like the issue service does, so milestones and breaches cannot interleave. */
async function lockIssueRow(tx: EntityManager, issueId: number): Promise<Issue | null> {
  const query = tx.getRepository(Issue).createQueryBuilder("i").where("i.id = :issueId", { issueId });
  if (tx.connection.options.type !== "better-sqlite3") query.setLock("pessimistic_write");
  return query.getOne();
}

/**
 * The SLA_RESPOND / SLA_PLAN / SLA_CLOSE job handler, run by the sweeper in its claiming
 * transaction. Level 1 (at the stage's due time): if the stage is breached and still unmet,
 * records the escalation, e-mails the department head(s) — the operations manager(s) when the
 * department has no head — and schedules level 2. Level 2: if still unmet, records it and e-mails
 * the operations manager(s). The unique (issue, stage, level) escalation row and the dedupe keys
 * of jobs and messages make each escalation happen once, whichever sweeper gets there.
 */
export const handleSlaJob: JobHandler = async ({ tx, now }, job) => {
  const payload = (job.payload ?? {}) as { stage?: SlaStage; level?: number; dueAt?: string };
  const stage = payload.stage;
  const level = payload.level ?? ESCALATION_LEVEL.DEPARTMENT_HEAD;
  if (!stage || !STAGES.includes(stage)) throw new Error(`SLA job ${job.id} has no valid stage`);
  const issue = await lockIssueRow(tx, job.subjectId);
  if (!issue) return;
  const sla = await tx.getRepository(ComplaintSla).findOneBy({ issueId: issue.id });
  if (!sla) return;
  const due = dueOf(sla, stage);
  // A level-1 job of a superseded due time (the tier changed) is void; its successor will judge.
  if (level === ESCALATION_LEVEL.DEPARTMENT_HEAD && payload.dueAt && payload.dueAt !== due.toISOString()) return;
  if (reachedOf(sla, stage) !== null) return; // reached (in time, or late but no longer needing anyone)
  if (stageStatus(sla, stage, now) !== SlaStageStatus.BREACHED) return;

  const settings = await loadSettings(tx);
  const departmentId = level === ESCALATION_LEVEL.DEPARTMENT_HEAD ? await responsibleDepartment(tx, issue) : null;
  let recipients = level === ESCALATION_LEVEL.DEPARTMENT_HEAD ? await departmentLeads(tx, departmentId) : [];
  if (recipients.length === 0) recipients = await operationsManagers(tx);

  const first = await insertOnce(tx, SlaEscalation, {
    issueId: issue.id,
    stage,
    level,
    dueAt: due,
    escalatedAt: now,
    departmentId,
    recipientIds: recipients.map((user) => String(user.id)),
  });
  // Recorded already (by a handler run that committed): nothing more to do.
  if (!first) return;

  const limits = limitsFor(settings, sla.tier);
  const who = level === ESCALATION_LEVEL.DEPARTMENT_HEAD ? "部门负责人 department head" : "运营经理 operations manager";
  await enqueueForUsers(
    tx,
    recipients,
    {
      kind: MessageKind.SLA_ESCALATION,
      subject: `[SLA] 投诉 #${issue.id} ${STAGE_LABEL[stage]} 超时 overdue: ${issue.title}`,
      body: [
        `投诉 Complaint #${issue.id}: ${issue.title}`,
        `阶段 Stage: ${STAGE_LABEL[stage]} (${stageLimitText(limits, stage)}, tier ${sla.tier ?? "untiered"})`,
        `应于 Due: ${due.toISOString()}`,
        `当前状态 Current state: ${issue.state}`,
        `升级对象 Escalated to: ${who} (level ${level})`,
      ].join("\n"),
      payload: { issueId: issue.id, stage, level, dueAt: due.toISOString() },
      dedupePrefix: `sla:${issue.id}:${stage}:L${level}`,
    },
    now,
  );
  if (level === ESCALATION_LEVEL.DEPARTMENT_HEAD) {
    const after = { ...DEFAULT_SETTINGS.sla, ...settings.sla }.escalateToManagerAfterMinutes;
    await scheduleJob(tx, {
      kind: JOB_KIND_OF_STAGE[stage],
      subjectId: issue.id,
      dueAt: new Date(now.getTime() + after * 60_000),
      dedupeKey: managerJobKey(issue.id, stage),
      payload: { stage, level: ESCALATION_LEVEL.OPERATIONS_MANAGER, dueAt: due.toISOString() },
    });
  }
};

function stageLimitText(limits: StageLimits, stage: SlaStage): string {
  if (stage === SlaStage.RESPOND) return `≤ ${limits.respondMinutes} min`;
  if (stage === SlaStage.PLAN) return `≤ ${limits.planHours} h`;
  return `≤ ${limits.closeHours} h`;
}

// ---------------------------------------------------------------------------------------------

/** One stage of a complaint's SLA as the API shows it. */
export interface SlaStageView {
  stage: SlaStage;
  dueAt: Date;
  reachedAt: Date | null;
  status: SlaStageStatus;
}

/** Counts of one stage over a set of complaints, and the attainment rate. */
export interface StageAttainment {
  stage: SlaStage;
  met: number;
  breached: number;
  pending: number;
  notApplicable: number;
  /** met / (met + breached); null when nothing has been judged yet. */
  rate: number | null;
}

export interface AttainmentRow {
  departmentId: number | null;
  complaints: number;
  respond: StageAttainment;
  plan: StageAttainment;
  close: StageAttainment;
}

export interface AttainmentReport {
  from: Date;
  to: Date;
  asOf: Date;
  total: AttainmentRow;
  byDepartment: AttainmentRow[];
}

/** Read side of the complaint SLA: stage views and attainment figures. */
export class ComplaintSlaService {
  constructor(private readonly dataSource: DataSource) {}

  /** The three stages of a clock, judged now (the DataSource's clock). */
  stages(sla: ComplaintSla): SlaStageView[] {
    const now = clockOf(this.dataSource).now();
    return STAGES.map((stage) => ({
      stage,
      dueAt: dueOf(sla, stage),
      reachedAt: reachedOf(sla, stage),
      status: stageStatus(sla, stage, now),
    }));
  }

  /**
   * SLA attainment of the complaints registered in [from, to) — optionally of one department
   * (the issue's responsible department; complaints not yet triaged have none) — judged now.
   *
   * Per stage: `met` = reached by its due time; `breached` = reached late, or unmet with its due
   * time passed (unless cancelled before it fell due); `pending` = unmet and not yet due;
   * `notApplicable` = cancelled before it fell due. The rate is met / (met + breached): only
   * complaints whose stage is settled count, so a complaint still inside its window neither
   * helps nor hurts; it is null when that denominator is 0. Computed in SQL with one grouped
   * statement, so the report costs the same for any number of complaints. With an `actor`
   * confined to their department by the policy, the report is narrowed to it.
   */
  async attainment(
    request: { from: Date; to: Date; departmentId: number | null },
    actor: Actor | null = null,
  ): Promise<AttainmentReport> {
    const departmentId = narrowedDepartment(actor, "complaintSlaAttainment", request.departmentId, "departmentId");
    const filter = { ...request, departmentId };
    if (filter.to.getTime() <= filter.from.getTime()) throw badInput("to", "must be after from");
    const asOf = clockOf(this.dataSource).now();
    const query = this.dataSource
      .getRepository(ComplaintSla)
      .createQueryBuilder("s")
      .select("s.departmentId", "departmentId")
      .addSelect("COUNT(*)", "complaints")
      .where("s.startedAt >= :from AND s.startedAt < :to", { from: filter.from, to: filter.to })
      .setParameter("asOf", asOf)
      .groupBy("s.departmentId");
    if (filter.departmentId !== null) {
      query.andWhere("s.departmentId = :departmentId", { departmentId: filter.departmentId });
    }
    for (const stage of STAGES) {
      const due = `s.${DUE_COLUMN[stage]}`;
      const reached = `s.${REACHED_COLUMN[stage]}`;
      const stoppedBefore = `(s.stoppedAt IS NOT NULL AND s.stoppedAt <= ${due})`;
      query
        .addSelect(`SUM(CASE WHEN ${reached} IS NOT NULL AND ${reached} <= ${due} THEN 1 ELSE 0 END)`, `${stage}_met`)
        .addSelect(
          `SUM(CASE WHEN (${reached} IS NOT NULL AND ${reached} > ${due}) OR ` +
            `(${reached} IS NULL AND ${due} <= :asOf AND NOT ${stoppedBefore}) THEN 1 ELSE 0 END)`,
          `${stage}_breached`,
        )
        .addSelect(`SUM(CASE WHEN ${reached} IS NULL AND ${stoppedBefore} THEN 1 ELSE 0 END)`, `${stage}_na`);
    }
    const raw = await query.getRawMany<Record<string, string | number | null>>();
    const rows = raw
      .map((r) => toRow(r))
      .sort((a, b) => (a.departmentId ?? Number.MAX_SAFE_INTEGER) - (b.departmentId ?? Number.MAX_SAFE_INTEGER));
    return { from: filter.from, to: filter.to, asOf, total: sumRows(rows, filter.departmentId), byDepartment: rows };
  }
}

const REACHED_COLUMN: Record<SlaStage, "respondedAt" | "plannedAt" | "closedAt"> = {
  [SlaStage.RESPOND]: "respondedAt",
  [SlaStage.PLAN]: "plannedAt",
  [SlaStage.CLOSE]: "closedAt",
};

function stageFigures(
  stage: SlaStage,
  complaints: number,
  met: number,
  breached: number,
  notApplicable: number,
): StageAttainment {
  const judged = met + breached;
  return {
    stage,
    met,
    breached,
    notApplicable,
    pending: complaints - met - breached - notApplicable,
    rate: judged === 0 ? null : met / judged,
  };
}

function toRow(raw: Record<string, string | number | null>): AttainmentRow {
  const complaints = Number(raw.complaints);
  const figures = (stage: SlaStage) =>
    stageFigures(
      stage,
      complaints,
      Number(raw[`${stage}_met`] ?? 0),
      Number(raw[`${stage}_breached`] ?? 0),
      Number(raw[`${stage}_na`] ?? 0),
    );
  return {
    departmentId: raw.departmentId === null ? null : Number(raw.departmentId),
    complaints,
    respond: figures(SlaStage.RESPOND),
    plan: figures(SlaStage.PLAN),
    close: figures(SlaStage.CLOSE),
  };
}

function sumRows(rows: AttainmentRow[], departmentId: number | null): AttainmentRow {
  const complaints = rows.reduce((sum, row) => sum + row.complaints, 0);
  const total = (stage: "respond" | "plan" | "close", name: SlaStage) =>
    stageFigures(
      name,
      complaints,
      rows.reduce((sum, row) => sum + row[stage].met, 0),
      rows.reduce((sum, row) => sum + row[stage].breached, 0),
      rows.reduce((sum, row) => sum + row[stage].notApplicable, 0),
    );
  return {
    departmentId,
    complaints,
    respond: total("respond", SlaStage.RESPOND),
    plan: total("plan", SlaStage.PLAN),
    close: total("close", SlaStage.CLOSE),
  };
}
