import { CauseCategory } from "../common/enums";
import { isAtRisk } from "../service/review/weekly-review.service";
import type { ActionTrackerRow, CategoryCount, ReviewCause, ReviewIssue } from "../service/review/types";
import { type FishboneCause, fishboneChart, paretoChart, paretoRows, progressBarsChart, quadrantMatrixChart, type ProgressStatus } from "./charts";
import { type Block, type ListItem, table } from "./document";
import { categoryLabel, labelOf, type Lang, messagesFor } from "./i18n";
import { DASH, percent } from "./format";

/**
 * Report blocks shared by the weekly and monthly reports: the action tracker, action progress
 * bars, the four-quadrant matrix, a category Pareto and the fishbones of open issues.
 */

/** How a tracked action stands on the review day (the colour of its progress bar). */
export function progressStatus(row: ActionTrackerRow, atRiskTolerancePercent: number): ProgressStatus {
  if (row.state === "done") return "done";
  if (row.daysOverdue > 0) return "overdue";
  return isAtRisk(row, atRiskTolerancePercent) ? "atRisk" : "onTrack";
}

/** The action tracker with the columns of template 3 (改善措施跟踪表). */
export function trackerTable(lang: Lang, rows: ActionTrackerRow[], caption?: string): Block {
  const m = messagesFor(lang);
  return table(
    [m.issue, m.measure, m.department, m.owner, m.plannedStart, m.plannedEnd, m.progress, m.blockers, m.adjustment, m.nextStep, m.state],
    rows.map((row) => [
      `#${row.issueId}`,
      row.measure,
      row.departmentName,
      row.ownerName,
      row.plannedStart,
      row.plannedEnd,
      String(row.progress),
      row.blockers ?? DASH,
      row.adjustment ?? DASH,
      row.nextStep ?? DASH,
      labelOf(m.actionStates, row.state),
    ]),
    m.none,
    { caption, numeric: [6] },
  );
}

/** Short tracker for the agenda: the action, who, when, how far, how late. */
export function actionAgendaTable(lang: Lang, rows: ActionTrackerRow[], caption: string): Block {
  const m = messagesFor(lang);
  return table(
    [m.issue, m.measure, m.department, m.owner, m.plannedEnd, m.progress, m.elapsed, m.daysOverdue],
    rows.map((row) => [
      `#${row.issueId}`,
      row.measure,
      row.departmentName,
      row.ownerName,
      row.plannedEnd,
      String(row.progress),
      percent(row.elapsedShare, 0),
      String(row.daysOverdue),
    ]),
    m.none,
    { caption, numeric: [5, 6, 7] },
  );
}

/** Progress bars of the actions, most urgent status first. */
export function progressChart(lang: Lang, rows: ActionTrackerRow[], atRiskTolerancePercent: number): Block {
  const m = messagesFor(lang);
  const order: Record<ProgressStatus, number> = { overdue: 0, atRisk: 1, onTrack: 2, done: 3 };
  const items = rows
    .map((row) => ({ row, status: progressStatus(row, atRiskTolerancePercent) }))
    .sort((a, b) => order[a.status] - order[b.status] || a.row.plannedEnd.localeCompare(b.row.plannedEnd) || a.row.actionItemId - b.row.actionItemId);
  return {
    kind: "chart",
    svg: progressBarsChart({
      title: m.actionProgress,
      items: items.map(({ row, status }) => ({
        label: `#${row.issueId} ${row.measure}`,
        detail: `${row.departmentName} · ${row.ownerName} · ${row.plannedStart} – ${row.plannedEnd}`,
        progress: row.progress,
        expected: status === "done" ? null : row.elapsedShare * 100,
        status,
      })),
      statusLabels: m.progressStatuses,
      expectedLabel: m.expectedProgress,
      emptyMessage: m.none,
    }),
    fallback: table(
      [m.measure, m.owner, m.plannedEnd, m.progress, m.expectedProgress, m.state],
      items.map(({ row, status }) => [
        `#${row.issueId} ${row.measure}`,
        row.ownerName,
        row.plannedEnd,
        `${row.progress}%`,
        status === "done" ? DASH : percent(row.elapsedShare, 0),
        m.progressStatuses[status],
      ]),
      m.none,
      { numeric: [3, 4] },
    ),
  };
}

/** The four-quadrant matrix with each issue in its cell. */
export function quadrantChart(lang: Lang, issues: ReviewIssue[], title: string): Block {
  const m = messagesFor(lang);
  return {
    kind: "chart",
    svg: quadrantMatrixChart({
      title,
      items: issues.map((issue) => ({ label: `#${issue.id} ${issue.title}`, quadrant: issue.quadrant })),
      quadrantLabels: m.quadrants,
      urgentLabel: m.urgent,
      notUrgentLabel: m.notUrgent,
      importantLabel: m.important,
      notImportantLabel: m.notImportant,
      noneLabel: m.none,
      moreLabel: m.more,
    }),
    fallback: issueTable(lang, issues),
  };
}

/** Issues with kind, state, quadrant, impact, category and department. */
export function issueTable(lang: Lang, issues: ReviewIssue[], caption?: string): Block & { kind: "table" } {
  const m = messagesFor(lang);
  return table(
    [m.issue, m.title, m.kind, m.state, m.quadrant, m.impact, m.category, m.department],
    issues.map((issue) => [
      `#${issue.id}`,
      issue.title,
      labelOf(m.issueKinds, issue.kind),
      labelOf(m.issueStates, issue.state),
      labelOf(m.quadrants, issue.quadrant),
      labelOf(m.impacts, issue.impact),
      categoryLabel(lang, issue.category),
      issue.departmentName ?? m.noDepartment,
    ]),
    m.none,
    { caption },
  );
}

/** Pareto of issues per category, with the figures as its table. */
export function categoryPareto(lang: Lang, counts: CategoryCount[], title: string): Block {
  const m = messagesFor(lang);
  const items = counts.map((count) => ({ label: categoryLabel(lang, count.category), count: count.count }));
  const rows = paretoRows(items, PARETO_BARS, m.other);
  return {
    kind: "chart",
    svg: paretoChart({ title, items, cumulativeLabel: m.cumulativeShare, emptyMessage: m.noData, maxBars: PARETO_BARS, otherLabel: m.other }),
    fallback: table(
      [m.category, m.count, m.cumulativeShare],
      rows.map((row) => [row.label, String(row.count), `${row.cumulativeShare.toFixed(1)}%`]),
      m.noData,
      { numeric: [1, 2] },
    ),
  };
}

export const PARETO_BARS = 10;

const BONES: CauseCategory[] = [
  CauseCategory.MAN,
  CauseCategory.MACHINE,
  CauseCategory.MATERIAL,
  CauseCategory.METHOD,
  CauseCategory.ENVIRONMENT,
  CauseCategory.MEASUREMENT,
];

/** One fishbone per issue; Markdown gets the causes as a nested list per bone. */
export function fishboneBlocks(lang: Lang, issues: ReviewIssue[]): Block[] {
  const m = messagesFor(lang);
  if (issues.length === 0) return [{ kind: "paragraph", text: m.none }];
  const toFishbone = (cause: ReviewCause): FishboneCause => ({
    text: cause.text,
    state: cause.state,
    children: cause.subCauses.map(toFishbone),
  });
  const toListItem = (cause: ReviewCause): ListItem => ({
    text: `${cause.text} (${labelOf(m.causeStates, cause.state)})`,
    children: cause.subCauses.map(toListItem),
  });
  return issues.flatMap((issue): Block[] => {
    const title = m.fishboneOf(issue.id, issue.title);
    const bones = BONES.map((category) => ({ category, causes: issue.causes.filter((cause) => cause.category === category) }));
    return [
      { kind: "subheading", text: title },
      {
        kind: "chart",
        svg: fishboneChart({
          title: m.fishboneTitle(issue.id),
          effect: issue.title,
          bones: bones.map((bone) => ({ category: bone.category, causes: bone.causes.map(toFishbone) })),
          categoryLabels: m.causeCategories,
          stateLabels: m.causeStates,
          noneLabel: m.none,
        }),
        // Markdown has no SVG: the bones become a nested list.
        fallback: {
          kind: "list",
          items: bones
            .filter((bone) => bone.causes.length > 0)
            .map((bone) => ({ text: m.causeCategories[bone.category], children: bone.causes.map(toListItem) })),
          emptyText: m.none,
        },
      },
    ];
  });
}
