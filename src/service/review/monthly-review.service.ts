import { DataSource, EntityManager, In, Not } from "typeorm";
import { computeImprovement } from "../../../workflows/verification-check.machine";
import { clockOf } from "../../common/clock";
import { WorkflowEntity } from "../../common/enums";
import { inTransaction } from "../../db/transaction";
import { ActionItem, Department, Issue, TransitionLog, VerificationCheck } from "../../entity";
import type { SatisfactionAnalyticsService } from "../analytics/satisfaction.service";
import { SegmentKind } from "../analytics/types";
import { DEFAULT_SETTINGS, loadSettings } from "../settings";
import {
  categoryCounts,
  FINISHED_ISSUE_STATES,
  loadNames,
  type Names,
  OPEN_ACTION_STATES,
  quadrantCounts,
  pseudonymiseReview,
  reviewIssues,
  trackerRows,
} from "./review-data";
import { instantRange, parseMonth } from "./review-period";
import { utcDay } from "../../common/validation";
import type {
  CaseLibraryProposal,
  DepartmentScorecard,
  DepartmentStatus,
  MonthlyReview,
  ReturnedToAnalysis,
  ReviewPeriod,
  StateCount,
  VerificationResult,
} from "./types";

/** Issue events that send an issue back to analysis. */
const RETURN_EVENTS = ["VERIFICATION_FAILED", "REJECT_PLAN", "REOPEN"];

/** Rounds to 2 decimals, as the analytics figures are. */
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The monthly review (月度评审, DESIGN steps 3, 7, 9 and 10): the month's satisfaction analytics
 * and 12-month trend (SatisfactionAnalyticsService), issue and action status by department,
 * verification results before → after, issues returned to analysis, department scorecards and
 * closed issues proposed for the case library.
 */
export class MonthlyReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly analytics: SatisfactionAnalyticsService,
  ) {}

  /**
   * The review of calendar month `month` ("2026-10", UTC days).
   *
   * @throws BAD_USER_INPUT (field `month`) for a label that is not a month.
   */
  monthlyReview(month: string): Promise<MonthlyReview> {
    const period = parseMonth(month, "month");
    return inTransaction(this.dataSource, (tx) => this.build(tx, period));
  }

  /**
   * Builds the review inside `tx` (the meeting service freezes its agenda from it). The analytics
   * figures come from the analytics service, which reads the rollups on its own.
   *
   * Department scorecard, per department:
   * - satisfaction: the department's satisfaction index of the month (0–100), null without responses;
   * - plan completion: of the actions planned to end in the month (cancelled ones aside), the share
   *   done by their planned end, × 100; null when none was due;
   * - overdue: actions planned to end by the month's last day (and before today) that were not done
   *   by then — still open, or done after the month — giving max(0, 100 − penalty × count);
   * - score: Σ weight × component / Σ weight over the components that are not null
   *   (settings `review.scorecardWeights`, `review.overduePenaltyPerAction`), 2 decimals.
   */
  async build(tx: EntityManager, period: ReviewPeriod): Promise<MonthlyReview> {
    const now = clockOf(tx).now();
    const today = utcDay(now);
    const { start, end } = instantRange(period);
    const satisfaction = await this.analytics.analyse({
      period: { month: period.label },
      groupBy: SegmentKind.DEPARTMENT,
    });
    const trend = await this.analytics.trend({ endMonth: period.label, months: 12 });

    const issueRepo = tx.getRepository(Issue);
    const created = await issueRepo
      .createQueryBuilder("i")
      .where("i.createdAt >= :start AND i.createdAt < :end", { start, end })
      .getMany();
    const closed = await issueRepo
      .createQueryBuilder("i")
      .where("i.state = 'closed' AND i.closedAt >= :start AND i.closedAt < :end", { start, end })
      .getMany();
    const open = await issueRepo.findBy({ state: Not(In(FINISHED_ISSUE_STATES)) });
    const statusIssues = await issueRepo
      .createQueryBuilder("i")
      .where("i.createdAt < :end", { end })
      .andWhere("NOT (i.state = 'closed' AND i.closedAt < :start)", { start })
      .andWhere("i.state <> 'cancelled'")
      .getMany();
    const departments = await tx.getRepository(Department).find({ order: { id: "ASC" } });
    const names = await loadNames(
      tx,
      [...departments.map((d) => d.id), ...statusIssues.map((i) => i.departmentId), ...open.map((i) => i.departmentId), null],
      [],
    );

    const reviewDay = today < period.to ? today : period.to;
    const openActions = await tx.getRepository(ActionItem).findBy({ state: In(OPEN_ACTION_STATES) });
    const newIssues = await reviewIssues(tx, created, names);
    return pseudonymiseReview(tx, {
      period,
      generatedAt: now,
      satisfaction,
      trend,
      newIssues: created.length,
      newIssuesByQuadrant: quadrantCounts(newIssues),
      newIssuesByCategory: categoryCounts(newIssues),
      closedIssues: closed.length,
      byDepartment: await departmentStatus(tx, statusIssues, names),
      verifications: await verificationResults(tx, { start, end }, names),
      returnedToAnalysis: await returnedToAnalysis(tx, { start, end }, names),
      scorecards: await scorecards(tx, period, today, departments, satisfaction.groups),
      caseLibraryProposals: await caseLibraryProposals(tx, closed, names),
      openIssues: await reviewIssues(tx, open, names),
      tracker: await trackerRows(tx, openActions, reviewDay),
    });
  }
}

function stateCounts(states: string[]): StateCount[] {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => ({ state, count })).sort((a, b) => (a.state < b.state ? -1 : 1));
}

/**
 * Current states, per department, of the issues that existed by the month's end and were not
 * already closed before it began (cancelled issues aside), and of their action items (by the
 * action's department).
 */
async function departmentStatus(tx: EntityManager, issues: Issue[], names: Names): Promise<DepartmentStatus[]> {
  const actions = issues.length
    ? await tx.getRepository(ActionItem).findBy({ issueId: In(issues.map((i) => i.id)) })
    : [];
  const keys = [...new Set([...issues.map((i) => i.departmentId), ...actions.map((a) => a.departmentId)])].sort(
    (a, b) => (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER),
  );
  return keys.map((departmentId) => ({
    departmentId,
    departmentName: names.department(departmentId),
    issues: stateCounts(issues.filter((i) => i.departmentId === departmentId).map((i) => i.state)),
    actions: stateCounts(actions.filter((a) => a.departmentId === departmentId).map((a) => a.state)),
  }));
}

function verificationResult(check: VerificationCheck, issue: Issue | undefined, names: Names): VerificationResult {
  return {
    verificationCheckId: check.id,
    issueId: check.issueId,
    issueTitle: issue?.title ?? "",
    departmentName: names.department(issue?.departmentId ?? null),
    metric: check.metric,
    dimension: check.dimension,
    direction: check.direction,
    baseline: check.baseline,
    result: check.result,
    improvement: computeImprovement(check),
    threshold: check.threshold,
    verdict: check.state,
    completedAt: check.completedAt!,
  };
}

/** Checks that reached a verdict (passed or failed) during the month, in order of completion. */
async function verificationResults(
  tx: EntityManager,
  range: { start: Date; end: Date },
  names: Names,
): Promise<VerificationResult[]> {
  const checks = await tx
    .getRepository(VerificationCheck)
    .createQueryBuilder("v")
    .where("v.state IN ('passed', 'failed')")
    .andWhere("v.completedAt >= :start AND v.completedAt < :end", range)
    .orderBy("v.completedAt", "ASC")
    .addOrderBy("v.id", "ASC")
    .getMany();
  const issues = await tx.getRepository(Issue).findBy({ id: In([0, ...checks.map((c) => c.issueId)]) });
  const byId = new Map(issues.map((issue) => [issue.id, issue]));
  return checks.map((check) => verificationResult(check, byId.get(check.issueId), names));
}

/** Failed verifications, rejected plans and reopenings during the month, from the transition log. */
async function returnedToAnalysis(
  tx: EntityManager,
  range: { start: Date; end: Date },
  names: Names,
): Promise<ReturnedToAnalysis[]> {
  const rows = await tx
    .getRepository(TransitionLog)
    .createQueryBuilder("t")
    .where("t.entityType = :type", { type: WorkflowEntity.ISSUE })
    .andWhere("t.event IN (:...events)", { events: RETURN_EVENTS })
    .andWhere("t.createdAt >= :start AND t.createdAt < :end", range)
    .orderBy("t.id", "ASC")
    .getMany();
  const issues = await tx.getRepository(Issue).findBy({ id: In([0, ...rows.map((r) => r.entityId)]) });
  const byId = new Map(issues.map((issue) => [issue.id, issue]));
  return rows.map((row) => ({
    issueId: row.entityId,
    issueTitle: byId.get(row.entityId)?.title ?? "",
    departmentName: names.department(byId.get(row.entityId)?.departmentId ?? null),
    event: row.event,
    reason: row.reason,
    at: row.createdAt,
  }));
}

async function scorecards(
  tx: EntityManager,
  period: ReviewPeriod,
  today: string,
  departments: Department[],
  groups: { value: string | null; index: number | null; responses: number }[],
): Promise<DepartmentScorecard[]> {
  const settings = (await loadSettings(tx)).review;
  // A stored section replaces nested objects whole; fall back weight by weight.
  const weights = { ...DEFAULT_SETTINGS.review.scorecardWeights, ...settings.scorecardWeights };
  const penalty = settings.overduePenaltyPerAction;
  const actions = await tx
    .getRepository(ActionItem)
    .createQueryBuilder("a")
    .where("a.state NOT IN ('cancelled', 'draft')")
    .andWhere("a.plannedEnd <= :to", { to: period.to })
    .getMany();
  return departments.map((department) => {
    const mine = actions.filter((a) => a.departmentId === department.id);
    const due = mine.filter((a) => a.plannedEnd >= period.from);
    const doneOnTime = due.filter((a) => a.state === "done" && a.actualEnd !== null && a.actualEnd <= a.plannedEnd);
    const overdue = mine.filter(
      (a) => a.plannedEnd < today && (a.state !== "done" || a.actualEnd === null || a.actualEnd > period.to),
    );
    const group = groups.find((g) => g.value === String(department.id));
    const satisfactionIndex = group?.index ?? null;
    const planCompletionRate = due.length === 0 ? null : doneOnTime.length / due.length;
    const overdueScore = Math.max(0, 100 - penalty * overdue.length);
    const components: [number, number | null][] = [
      [weights.satisfaction, satisfactionIndex],
      [weights.planCompletion, planCompletionRate === null ? null : planCompletionRate * 100],
      [weights.overdue, overdueScore],
    ];
    const counted = components.filter(([weight, value]) => value !== null && weight > 0);
    const weightSum = counted.reduce((sum, [weight]) => sum + weight, 0);
    return {
      departmentId: department.id,
      departmentName: department.name,
      satisfactionIndex,
      responses: group?.responses ?? 0,
      actionsDue: due.length,
      actionsDoneOnTime: doneOnTime.length,
      planCompletionRate,
      overdueCount: overdue.length,
      overdueScore,
      score: weightSum === 0 ? null : round2(counted.reduce((sum, [w, v]) => sum + w * v!, 0) / weightSum),
    };
  });
}

/** Issues closed in the month with a passed verification of their closing cycle. */
async function caseLibraryProposals(tx: EntityManager, closed: Issue[], names: Names): Promise<CaseLibraryProposal[]> {
  if (closed.length === 0) return [];
  const ids = closed.map((issue) => issue.id);
  const checks = await tx.getRepository(VerificationCheck).find({ where: { issueId: In(ids), state: "passed" }, order: { id: "ASC" } });
  const actions = await tx.getRepository(ActionItem).find({ where: { issueId: In(ids), state: "done" }, order: { id: "ASC" } });
  const fishbones = new Map((await reviewIssues(tx, closed, names)).map((issue) => [issue.id, issue.causes]));
  return closed
    .map((issue) => ({ issue, passed: checks.filter((c) => c.issueId === issue.id && c.cycle === issue.cycle) }))
    .filter(({ passed }) => passed.length > 0)
    .sort((a, b) => a.issue.closedAt!.getTime() - b.issue.closedAt!.getTime() || a.issue.id - b.issue.id)
    .map(({ issue, passed }) => ({
      issueId: issue.id,
      title: issue.title,
      category: issue.category,
      departmentName: names.department(issue.departmentId),
      closedAt: issue.closedAt!,
      measures: actions.filter((a) => a.issueId === issue.id && a.cycle === issue.cycle).map((a) => a.description),
      verifications: passed.map((check) => verificationResult(check, issue, names)),
      causes: fishbones.get(issue.id) ?? [],
    }));
}
