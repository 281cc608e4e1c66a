import type { WeeklyReview } from "../service/review/types";
import { type Block, type ReportDocument, type Section, table } from "./document";
import { DASH, instant } from "./format";
import { labelOf, type Lang, messagesFor } from "./i18n";
import {
  actionAgendaTable,
  categoryPareto,
  fishboneBlocks,
  issueTable,
  progressChart,
  quadrantChart,
  trackerTable,
} from "./sections";

/**
 * The weekly progress meeting pack (周例会材料) as a document: the agenda generated from the data
 * (new issues by quadrant, actions due, overdue and at risk, pending approvals and adjustments,
 * blockers, SLA breaches), the action tracker of template 3 and the fishbones of open issues.
 */
export function weeklyReportDocument(review: WeeklyReview, lang: Lang): ReportDocument {
  const m = messagesFor(lang);
  const tolerance = review.atRiskTolerancePercent;
  const count = (n: number, badWhenAny = true): { value: string; tone: "bad" | "good" | "neutral" } => ({
    value: String(n),
    tone: n > 0 ? (badWhenAny ? "bad" : "neutral") : "good",
  });

  const agenda: Block = {
    kind: "cards",
    cards: [
      { label: m.newIssues, ...count(review.newIssues.length, false) },
      { label: m.openIssues, ...count(review.openIssues.length, false) },
      { label: m.dueThisWeek, ...count(review.dueThisWeek.length, false) },
      { label: m.overdue, ...count(review.overdue.length) },
      { label: m.atRisk, ...count(review.atRisk.length) },
      { label: m.pendingPlanApprovals, ...count(review.pendingPlanApprovals.length, false) },
      { label: m.pendingAdjustments, ...count(review.pendingAdjustments.length, false) },
      { label: m.blockers, ...count(review.blockers.length) },
      { label: m.slaBreaches, ...count(review.slaBreaches.length) },
    ],
  };

  const sections: Section[] = [
    { id: "agenda", heading: m.agenda, blocks: [agenda] },
    {
      id: "new-issues",
      heading: m.newIssuesByQuadrant,
      blocks: [
        table(
          [m.quadrant, m.count],
          review.newIssuesByQuadrant.map((row) => [m.quadrants[row.quadrant], String(row.count)]),
          m.none,
          { numeric: [1] },
        ),
        issueTable(lang, review.newIssues),
      ],
    },
    {
      id: "open-issues",
      heading: m.openIssuesMatrix,
      blocks: [quadrantChart(lang, review.openIssues, m.openIssuesMatrix), categoryPareto(lang, review.openIssuesByCategory, m.categoryPareto)],
    },
    {
      id: "actions",
      heading: m.actionProgress,
      blocks: [
        actionAgendaTable(lang, review.dueThisWeek, m.dueThisWeek),
        actionAgendaTable(lang, review.overdue, m.overdue),
        actionAgendaTable(lang, review.atRisk, m.atRisk),
        progressChart(lang, review.tracker, tolerance),
      ],
    },
    {
      id: "approvals",
      heading: `${m.pendingPlanApprovals} / ${m.pendingAdjustments}`,
      blocks: [
        issueTable(lang, review.pendingPlanApprovals, m.pendingPlanApprovals),
        table(
          [m.measure, m.department, m.requester, m.state, m.reason, m.proposedEnd, m.submittedAt],
          review.pendingAdjustments.map((request) => [
            request.measure,
            request.departmentName,
            request.requesterName,
            labelOf(m.adjustmentStates, request.state),
            request.reason,
            request.proposedPlannedEnd ?? DASH,
            instant(request.submittedAt),
          ]),
          m.none,
          { caption: m.pendingAdjustments },
        ),
      ],
    },
    {
      id: "blockers",
      heading: m.blockers,
      blocks: [
        table(
          [m.issue, m.measure, m.owner, m.blockers, m.nextStep],
          review.blockers.map((row) => [`#${row.issueId}`, row.measure, row.ownerName, row.blockers ?? DASH, row.nextStep ?? DASH]),
          m.none,
        ),
      ],
    },
    {
      id: "sla",
      heading: m.slaBreaches,
      blocks: [
        table(
          [m.issue, m.title, m.stage, m.department, m.dueAt, m.reachedAt],
          review.slaBreaches.map((breach) => [
            `#${breach.issueId}`,
            breach.title,
            labelOf(m.slaStages, breach.stage),
            breach.departmentName ?? m.noDepartment,
            instant(breach.dueAt),
            breach.reachedAt ? instant(breach.reachedAt) : DASH,
          ]),
          m.none,
        ),
      ],
    },
    { id: "tracker", heading: m.actionTracker, blocks: [trackerTable(lang, review.tracker)] },
    { id: "fishbones", heading: m.fishbones, blocks: fishboneBlocks(lang, review.openIssues) },
  ];

  return {
    lang,
    title: m.weeklyTitle(review.period.label),
    meta: [
      { label: m.period, value: m.periodRange(review.period.from, review.period.to) },
      { label: m.reviewDay, value: review.reviewDay },
      { label: m.generatedAt, value: instant(review.generatedAt) },
    ],
    sections,
    footer: m.footer,
    contentsLabel: m.contents,
  };
}
