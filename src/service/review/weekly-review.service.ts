import { Brackets, DataSource, EntityManager, In, Not } from "typeorm";
import { clockOf } from "../../common/clock";
import { inTransaction } from "../../db/transaction";
import { ActionItem, AdjustmentRequest, Issue } from "../../entity";
import { ComplaintSla } from "../../entity/sla/complaint-sla.entity";
import { SlaStageStatus } from "../../entity/sla/sla-stage";
import { dueOf, reachedOf, STAGES, stageStatus } from "../complaint-sla.service";
import { loadSettings } from "../settings";
import {
  categoryCounts,
  FINISHED_ISSUE_STATES,
  loadNames,
  OPEN_ACTION_STATES,
  quadrantCounts,
  pseudonymiseReview,
  reviewIssues,
  trackerRows,
} from "./review-data";
import { instantRange, parseIsoWeek } from "./review-period";
import { utcDay } from "../../common/validation";
import type { ActionTrackerRow, PendingAdjustment, ReviewPeriod, SlaBreach, WeeklyReview } from "./types";

/** Adjustment requests still waiting for a review or a decision. */
const PENDING_ADJUSTMENT_STATES = ["submitted", "underReview"];

/**
 * Whether an open, not-overdue action is behind plan (DESIGN step 7, "at-risk items surface on
 * their own"): its progress in percent trails the elapsed share of its planned days in percent by
 * more than the tolerance —
 *
 *     progress < 100 × elapsedShare − atRiskTolerancePercent
 *
 * with elapsedShare = (reviewDay − plannedStart + 1) / (plannedEnd − plannedStart + 1), both
 * planned days counted (review-data.ts `elapsedShare`). Example: 10 planned days, 4 elapsed
 * (share 0.4), tolerance 10 → at risk below 30 %. An action not started by plan (share 0) is
 * never at risk; an overdue one is reported as overdue instead.
 */
export function isAtRisk(row: ActionTrackerRow, tolerancePercent: number): boolean {
  return row.daysOverdue === 0 && row.progress < 100 * row.elapsedShare - tolerancePercent;
}

/**
 * The weekly progress meeting pack (周例会, DESIGN step 7 and the seeds' template 3), generated
 * from the data: nothing on it is typed in by hand.
 */
export class WeeklyReviewService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The review of ISO week `week` ("2026-W47", Monday–Sunday, UTC days). Overdue and at-risk are
   * judged on the review day — the week's Sunday, or today when the week is not over — against
   * the actions' current progress. Read in one transaction so the sections agree.
   *
   * @throws BAD_USER_INPUT (field `week`) for a label that is not an ISO week.
   */
  weeklyReview(week: string): Promise<WeeklyReview> {
    const period = parseIsoWeek(week, "week");
    return inTransaction(this.dataSource, async (tx) => pseudonymiseReview(tx, await buildWeeklyReview(tx, period)));
  }
}

/** Builds the weekly review of `period` inside `tx` (the meeting service freezes it as the agenda). */
export async function buildWeeklyReview(tx: EntityManager, period: ReviewPeriod): Promise<WeeklyReview> {
  const now = clockOf(tx).now();
  const today = utcDay(now);
  const reviewDay = today < period.to ? today : period.to;
  const { start, end } = instantRange(period);
  const settings = await loadSettings(tx);
  const tolerance = settings.review.atRiskTolerancePercent;

  const issues = tx.getRepository(Issue);
  const created = await issues
    .createQueryBuilder("i")
    .where("i.createdAt >= :start AND i.createdAt < :end", { start, end })
    .getMany();
  const open = await issues.findBy({ state: Not(In(FINISHED_ISSUE_STATES)) });

  const actions = await tx
    .getRepository(ActionItem)
    .createQueryBuilder("a")
    .where("a.state IN (:...open)", { open: OPEN_ACTION_STATES })
    .orWhere(
      new Brackets((qb) =>
        qb.where("a.state = 'done'").andWhere("a.actualEnd >= :from AND a.actualEnd <= :to", period),
      ),
    )
    .getMany();
  const tracker = await trackerRows(tx, actions, reviewDay);
  const openRows = tracker.filter((row) => OPEN_ACTION_STATES.includes(row.state));

  const requests = await tx
    .getRepository(AdjustmentRequest)
    .find({ where: { state: In(PENDING_ADJUSTMENT_STATES) }, order: { id: "ASC" } });
  const slas = await tx
    .getRepository(ComplaintSla)
    .createQueryBuilder("s")
    .where(
      new Brackets((qb) => {
        for (const column of ["respondDueAt", "planDueAt", "closeDueAt"]) {
          qb.orWhere(`s.${column} >= :start AND s.${column} < :end`, { start, end });
        }
      }),
    )
    .getMany();

  const requestedItems = await tx
    .getRepository(ActionItem)
    .findBy({ id: In([0, ...requests.map((r) => r.actionItemId)]) });
  const slaIssues = await issues.findBy({ id: In([0, ...slas.map((s) => s.issueId)]) });
  const names = await loadNames(
    tx,
    [...created, ...open, ...slaIssues].map((i) => i.departmentId).concat(requestedItems.map((a) => a.departmentId)),
    requests.map((r) => r.requesterId),
  );

  const newIssues = await reviewIssues(tx, created, names);
  const openIssues = await reviewIssues(tx, open, names);
  return {
    period,
    reviewDay,
    generatedAt: now,
    atRiskTolerancePercent: tolerance,
    newIssues,
    newIssuesByQuadrant: quadrantCounts(newIssues),
    openIssues,
    openIssuesByQuadrant: quadrantCounts(openIssues),
    openIssuesByCategory: categoryCounts(openIssues),
    dueThisWeek: openRows.filter((row) => row.plannedEnd >= period.from && row.plannedEnd <= period.to),
    overdue: openRows.filter((row) => row.daysOverdue > 0),
    atRisk: openRows.filter((row) => isAtRisk(row, tolerance)),
    pendingPlanApprovals: openIssues.filter((issue) => issue.state === "planApproval"),
    pendingAdjustments: pendingAdjustments(requests, requestedItems, names),
    blockers: openRows.filter((row) => row.blockers !== null),
    slaBreaches: slaBreaches(slas, slaIssues, names, start, end, now),
    tracker,
  };
}

function pendingAdjustments(
  requests: AdjustmentRequest[],
  items: ActionItem[],
  names: Awaited<ReturnType<typeof loadNames>>,
): PendingAdjustment[] {
  const itemsById = new Map(items.map((item) => [item.id, item]));
  return requests.map((request) => {
    const item = itemsById.get(request.actionItemId);
    return {
      adjustmentRequestId: request.id,
      actionItemId: request.actionItemId,
      measure: item?.description ?? "",
      departmentName: names.department(request.departmentId) ?? "",
      requesterName: names.user(request.requesterId),
      state: request.state,
      reason: request.reason,
      proposedPlannedEnd: request.proposedPlannedEnd,
      submittedAt: request.createdAt,
    };
  });
}

/**
 * Stages due inside [start, end) that are breached now (reached late, or still unmet past their
 * due time): a stage due later this week is not a breach yet.
 */
function slaBreaches(
  slas: ComplaintSla[],
  issues: Issue[],
  names: Awaited<ReturnType<typeof loadNames>>,
  start: Date,
  end: Date,
  now: Date,
): SlaBreach[] {
  const issuesById = new Map(issues.map((issue) => [issue.id, issue]));
  return slas
    .flatMap((sla) =>
      STAGES.filter((stage) => {
        const due = dueOf(sla, stage).getTime();
        return due >= start.getTime() && due < end.getTime() && stageStatus(sla, stage, now) === SlaStageStatus.BREACHED;
      }).map((stage) => {
        const issue = issuesById.get(sla.issueId);
        return {
          issueId: sla.issueId,
          title: issue?.title ?? "",
          stage,
          dueAt: dueOf(sla, stage),
          reachedAt: reachedOf(sla, stage),
          departmentName: names.department(issue?.departmentId ?? sla.departmentId),
        };
      }),
    )
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.issueId - b.issueId);
}
