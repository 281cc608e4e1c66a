import { AgendaSection, AgendaSubject } from "../../entity/review-meeting/review-meeting-enums";
import type { ActionTrackerRow, MonthlyReview, WeeklyReview } from "./types";

/** An agenda item before it is stored. */
export interface AgendaDraft {
  section: AgendaSection;
  subjectType: AgendaSubject;
  subjectId: number;
  title: string;
  /** The figures behind the item as JSON, frozen with it. */
  detail: string | null;
  carriedFromItemId: number | null;
}

/** Collects items in order, keeping the first item per subject (an overdue action is not also "due"). */
class AgendaBuilder {
  private readonly items: AgendaDraft[] = [];
  private readonly seen = new Set<string>();

  add(section: AgendaSection, subjectType: AgendaSubject, subjectId: number, title: string, detail: unknown): void {
    const key = `${subjectType}:${subjectId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const text = [...title].length <= 500 ? title : [...title].slice(0, 499).join("") + "…";
    this.items.push({ section, subjectType, subjectId, title: text, detail: JSON.stringify(detail), carriedFromItemId: null });
  }

  action(section: AgendaSection, row: ActionTrackerRow, title: string): void {
    this.add(section, AgendaSubject.ACTION_ITEM, row.actionItemId, `${row.measure} — ${title}`, row);
  }

  build(): AgendaDraft[] {
    return this.items;
  }
}

const percent = (share: number) => Math.round(share * 100);

/**
 * The weekly (and joint) meeting agenda, in the order the meeting works through it: complaint SLA
 * breaches, new issues, plans waiting for approval, overdue, at-risk and blocked actions, actions
 * due this week, pending adjustment requests. A subject appears once, under its first section.
 */
export function agendaFromWeeklyReview(review: WeeklyReview): AgendaDraft[] {
  const agenda = new AgendaBuilder();
  for (const breach of review.slaBreaches) {
    agenda.add(AgendaSection.SLA_BREACH, AgendaSubject.ISSUE, breach.issueId, `${breach.title} — SLA ${breach.stage} breached`, breach);
  }
  for (const issue of review.newIssues) {
    agenda.add(AgendaSection.NEW_ISSUE, AgendaSubject.ISSUE, issue.id, `${issue.title} (P${issue.priority})`, {
      quadrant: issue.quadrant,
      state: issue.state,
      category: issue.category,
    });
  }
  for (const issue of review.pendingPlanApprovals) {
    agenda.add(AgendaSection.PLAN_APPROVAL, AgendaSubject.ISSUE, issue.id, `${issue.title} — plan awaiting approval`, {
      state: issue.state,
    });
  }
  for (const row of review.overdue) {
    agenda.action(AgendaSection.OVERDUE_ACTION, row, `${row.daysOverdue} d overdue, ${row.progress}%`);
  }
  for (const row of review.atRisk) {
    agenda.action(AgendaSection.AT_RISK_ACTION, row, `${row.progress}% at ${percent(row.elapsedShare)}% of plan time`);
  }
  for (const row of review.blockers) {
    agenda.action(AgendaSection.BLOCKER, row, `blocked: ${row.blockers}`);
  }
  for (const row of review.dueThisWeek) {
    agenda.action(AgendaSection.DUE_ACTION, row, `due ${row.plannedEnd}, ${row.progress}%`);
  }
  for (const request of review.pendingAdjustments) {
    agenda.add(
      AgendaSection.ADJUSTMENT_REQUEST,
      AgendaSubject.ADJUSTMENT_REQUEST,
      request.adjustmentRequestId,
      `${request.measure} — adjustment ${request.state}: ${request.reason}`,
      request,
    );
  }
  return agenda.build();
}

/**
 * The monthly review agenda: issues returned to analysis, verification results, case-library
 * proposals, then the actions overdue now.
 */
export function agendaFromMonthlyReview(review: MonthlyReview): AgendaDraft[] {
  const agenda = new AgendaBuilder();
  for (const returned of review.returnedToAnalysis) {
    agenda.add(
      AgendaSection.RETURNED_TO_ANALYSIS,
      AgendaSubject.ISSUE,
      returned.issueId,
      `${returned.issueTitle} — back to analysis (${returned.event})`,
      returned,
    );
  }
  for (const check of review.verifications) {
    agenda.add(
      AgendaSection.VERIFICATION,
      AgendaSubject.VERIFICATION_CHECK,
      check.verificationCheckId,
      `${check.issueTitle} — ${check.metric} ${check.baseline ?? "?"} → ${check.result ?? "?"} (${check.verdict})`,
      check,
    );
  }
  for (const proposal of review.caseLibraryProposals) {
    agenda.add(AgendaSection.CASE_LIBRARY, AgendaSubject.ISSUE, proposal.issueId, `${proposal.title} — propose for the case library`, {
      measures: proposal.measures,
    });
  }
  for (const row of review.tracker.filter((r) => r.daysOverdue > 0)) {
    agenda.action(AgendaSection.OVERDUE_ACTION, row, `${row.daysOverdue} d overdue, ${row.progress}%`);
  }
  return agenda.build();
}
