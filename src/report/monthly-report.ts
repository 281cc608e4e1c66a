import { MetricDirection } from "../common/enums";
import type { MonthlyReview, StateCount } from "../service/review/types";
import { beforeAfterChart, distributionChart, lineTrendChart, paretoChart, paretoRows } from "./charts";
import { type Block, type Card, type ReportDocument, type Section, table, type Tone } from "./document";
import { DASH, day, fixed, instant, percent, signed } from "./format";
import { categoryLabel, dimensionLabel, labelOf, type Lang, type Messages, messagesFor } from "./i18n";
import { categoryPareto, fishboneBlocks, PARETO_BARS, progressChart, quadrantChart } from "./sections";

export interface MonthlyReportOptions {
  /** Settings `review.atRiskTolerancePercent`, for the colours of the action progress bars. */
  atRiskTolerancePercent: number;
}

/**
 * The monthly review report (月度评审报告) as a document: satisfaction figures with the 12-month
 * trend, score distribution and keyword Pareto; issues and actions by department; verification
 * before → after; issues returned to analysis; department scorecards; case-library proposals;
 * the open issues' quadrant matrix, fishbones and action progress.
 */
export function monthlyReportDocument(review: MonthlyReview, lang: Lang, options: MonthlyReportOptions): ReportDocument {
  const m = messagesFor(lang);
  const s = review.satisfaction;
  const passed = review.verifications.filter((check) => check.verdict === "passed").length;
  const failed = review.verifications.length - passed;

  const summary: Card[] = [
    { label: m.responses, value: String(s.responses), note: `${m.momChange} ${signed(s.responses - s.previousResponses, 0)}` },
    {
      label: m.satisfactionIndex,
      value: fixed(s.index),
      note: `${m.grade} ${s.grade ?? DASH} · ${m.momChange} ${signed(s.indexMomChange)} · ${m.yoyChange} ${signed(s.indexYoyChange)}`,
      tone: gradeTone(s.grade),
    },
    { label: m.newIssues, value: String(review.newIssues) },
    { label: m.closedIssues, value: String(review.closedIssues), tone: review.closedIssues > 0 ? "good" : "neutral" },
    { label: m.verificationsPassed, value: String(passed), tone: passed > 0 ? "good" : "neutral" },
    { label: m.verificationsFailed, value: String(failed), tone: failed > 0 ? "bad" : "good" },
    { label: m.returnedToAnalysis, value: String(review.returnedToAnalysis.length), tone: review.returnedToAnalysis.length > 0 ? "warn" : "good" },
  ];

  const sections: Section[] = [
    { id: "summary", heading: m.agenda, blocks: [{ kind: "cards", cards: summary }] },
    { id: "satisfaction", heading: m.satisfaction, blocks: satisfactionBlocks(review, lang) },
    {
      id: "issues",
      heading: m.quadrantMatrix,
      blocks: [
        table(
          [m.quadrant, m.newIssues],
          review.newIssuesByQuadrant.map((row) => [m.quadrants[row.quadrant], String(row.count)]),
          m.none,
          { caption: m.newIssuesByQuadrant, numeric: [1] },
        ),
        categoryPareto(lang, review.newIssuesByCategory, m.categoryPareto),
        quadrantChart(lang, review.openIssues, m.openIssuesMatrix),
      ],
    },
    {
      id: "departments",
      heading: m.departmentStatus,
      blocks: [
        table(
          [m.department, m.issuesByState, m.actionsByState],
          review.byDepartment.map((row) => [
            row.departmentName ?? m.noDepartment,
            stateCounts(row.issues, m.issueStates),
            stateCounts(row.actions, m.actionStates),
          ]),
          m.none,
        ),
      ],
    },
    { id: "verification", heading: m.verificationResults, blocks: verificationBlocks(review, lang) },
    {
      id: "returned",
      heading: m.returnedToAnalysis,
      blocks: [
        table(
          [m.issue, m.title, m.department, m.event, m.reason, m.at],
          review.returnedToAnalysis.map((row) => [
            `#${row.issueId}`,
            row.issueTitle,
            row.departmentName ?? m.noDepartment,
            labelOf(m.returnEvents, row.event),
            row.reason ?? DASH,
            instant(row.at),
          ]),
          m.none,
        ),
      ],
    },
    {
      id: "scorecards",
      heading: m.scorecards,
      blocks: [
        table(
          [m.department, m.satisfactionIndex, m.responses, m.actionsDue, m.doneOnTime, m.planCompletionRate, m.overdueCount, m.score],
          review.scorecards.map((card) => [
            card.departmentName,
            fixed(card.satisfactionIndex),
            String(card.responses),
            String(card.actionsDue),
            String(card.actionsDoneOnTime),
            percent(card.planCompletionRate),
            String(card.overdueCount),
            fixed(card.score),
          ]),
          m.none,
          { numeric: [1, 2, 3, 4, 5, 6, 7] },
        ),
      ],
    },
    {
      id: "case-library",
      heading: m.caseLibrary,
      blocks: [
        {
          kind: "list",
          emptyText: m.none,
          items: review.caseLibraryProposals.map((proposal) => ({
            text: `#${proposal.issueId} ${proposal.title} · ${categoryLabel(lang, proposal.category)} · ${
              proposal.departmentName ?? m.noDepartment
            } · ${m.closedAt} ${day(proposal.closedAt)}`,
            children: [
              ...proposal.causes
                .filter((cause) => cause.state === "confirmed")
                .map((cause) => ({ text: `${m.causes}: ${m.causeCategories[cause.category]} · ${cause.text}` })),
              ...proposal.measures.map((measure) => ({ text: `${m.measures}: ${measure}` })),
              ...proposal.verifications.map((check) => ({
                text: `${m.verifications}: ${metricLabel(lang, check.metric, check.dimension)} ${fixed(check.baseline)} → ${fixed(check.result)}`,
              })),
            ],
          })),
        },
      ],
    },
    { id: "actions", heading: m.actionProgress, blocks: [progressChart(lang, review.tracker, options.atRiskTolerancePercent)] },
    { id: "fishbones", heading: m.fishbones, blocks: fishboneBlocks(lang, review.openIssues) },
  ];

  return {
    lang,
    title: m.monthlyTitle(review.period.label),
    meta: [
      { label: m.period, value: m.periodRange(review.period.from, review.period.to) },
      { label: m.generatedAt, value: instant(review.generatedAt) },
    ],
    sections,
    footer: m.footer,
    contentsLabel: m.contents,
  };
}

function satisfactionBlocks(review: MonthlyReview, lang: Lang): Block[] {
  const m = messagesFor(lang);
  const s = review.satisfaction;
  const dimensionName = (code: string, name?: string) => dimensionLabel(lang, code, name);
  const lowest = s.lowestDimensions.map((code) => {
    const figures = s.dimensions.find((dimension) => dimension.dimension === code);
    return `${dimensionName(code, figures?.name)} (${fixed(figures?.average)})`;
  });
  const months = review.trend.months.map((month) => month.month);
  const trendDimensions = review.trend.dimensions;
  const averageOf = (monthIndex: number, code: string) =>
    review.trend.months[monthIndex].dimensions.find((point) => point.dimension === code)?.average ?? null;

  return [
    table(
      [m.dimension, m.answers, m.average, m.index, m.grade, m.lowShare, m.verySatisfiedShare, m.momChange, m.yoyChange],
      s.dimensions.map((dimension) => [
        dimensionName(dimension.dimension, dimension.name),
        String(dimension.answers),
        fixed(dimension.average),
        fixed(dimension.index),
        dimension.grade ?? DASH,
        percent(dimension.lowShare),
        percent(dimension.verySatisfiedShare),
        signed(dimension.momChange),
        signed(dimension.yoyChange),
      ]),
      m.noData,
      { caption: m.dimensionTable, numeric: [1, 2, 3, 5, 6, 7, 8] },
    ),
    { kind: "paragraph", text: `${m.lowestDimensions}: ${lowest.length ? lowest.join("、") : m.none}` },
    {
      kind: "chart",
      svg: lineTrendChart({
        title: m.trend,
        periods: months,
        series: trendDimensions.map((dimension) => ({
          name: dimensionName(dimension.dimension, dimension.name),
          values: months.map((_, i) => averageOf(i, dimension.dimension)),
        })),
        yMin: 1,
        yMax: 5,
        emptyMessage: m.noData,
      }),
      fallback: table(
        [m.dimension, ...months],
        trendDimensions.map((dimension) => [
          dimensionName(dimension.dimension, dimension.name),
          ...months.map((_, i) => fixed(averageOf(i, dimension.dimension))),
        ]),
        m.noData,
        { caption: m.trend, numeric: months.map((_, i) => i + 1) },
      ),
    },
    {
      kind: "chart",
      svg: lineTrendChart({
        title: m.indexTrend,
        periods: months,
        series: [{ name: m.satisfactionIndex, values: review.trend.months.map((month) => month.index) }],
        yMin: 0,
        yMax: 100,
        yTicks: 5,
        emptyMessage: m.noData,
      }),
      fallback: table(
        [m.satisfactionIndex, ...months],
        [[m.satisfactionIndex, ...review.trend.months.map((month) => fixed(month.index))]],
        m.noData,
        { caption: m.indexTrend, numeric: months.map((_, i) => i + 1) },
      ),
    },
    {
      kind: "chart",
      svg: distributionChart({
        title: m.distribution,
        categories: [1, 2, 3, 4, 5].map(m.scoreLabel),
        series: s.dimensions.map((dimension) => ({
          name: dimensionName(dimension.dimension, dimension.name),
          counts: [1, 2, 3, 4, 5].map((score) => dimension.distribution.find((row) => row.score === score)?.count ?? 0),
        })),
        emptyMessage: m.noData,
      }),
      fallback: table(
        [m.dimension, ...[1, 2, 3, 4, 5].map(m.scoreLabel)],
        s.dimensions.map((dimension) => [
          dimensionName(dimension.dimension, dimension.name),
          ...[1, 2, 3, 4, 5].map((score) => {
            const row = dimension.distribution.find((entry) => entry.score === score);
            return row ? `${row.count} (${percent(row.share)})` : "0";
          }),
        ]),
        m.noData,
        { caption: m.distribution, numeric: [1, 2, 3, 4, 5] },
      ),
    },
    keywordPareto(review, lang, m),
  ];
}

function keywordPareto(review: MonthlyReview, lang: Lang, m: Messages): Block {
  const items = review.satisfaction.keywords.map((keyword) => ({
    label: lang === "en" ? keyword.labelEn : keyword.labelZh,
    count: keyword.count,
  }));
  const rows = paretoRows(items, PARETO_BARS, m.other);
  return {
    kind: "chart",
    svg: paretoChart({ title: m.keywordPareto, items, cumulativeLabel: m.cumulativeShare, emptyMessage: m.noData, maxBars: PARETO_BARS, otherLabel: m.other }),
    fallback: table(
      [m.category, m.count, m.cumulativeShare],
      rows.map((row) => [row.label, String(row.count), `${row.cumulativeShare.toFixed(1)}%`]),
      m.noData,
      { caption: m.keywordPareto, numeric: [1, 2] },
    ),
  };
}

function verificationBlocks(review: MonthlyReview, lang: Lang): Block[] {
  const m = messagesFor(lang);
  const measured = review.verifications.filter((check) => check.baseline !== null && check.result !== null);
  return [
    {
      kind: "chart",
      svg: beforeAfterChart({
        title: m.verificationResults,
        items: measured.map((check) => ({
          label: `#${check.issueId} ${metricLabel(lang, check.metric, check.dimension)}`,
          before: check.baseline as number,
          after: check.result as number,
          direction: check.direction,
          passed: check.verdict === "passed",
          verdictLabel: labelOf(m.verdicts, check.verdict),
        })),
        beforeLabel: m.before,
        afterLabel: m.after,
        targetLabel: m.target,
        emptyMessage: m.none,
      }),
    },
    table(
      [m.issue, m.title, m.department, m.metric, m.before, m.after, m.change, m.threshold, m.verdict, m.at],
      review.verifications.map((check) => [
        `#${check.issueId}`,
        check.issueTitle,
        check.departmentName ?? m.noDepartment,
        metricLabel(lang, check.metric, check.dimension),
        fixed(check.baseline),
        fixed(check.result),
        // Improvement is signed in the metric's direction: positive always means better.
        `${signed(check.improvement)}${check.direction === MetricDirection.LOWER_IS_BETTER ? " ↓" : ""}`,
        fixed(check.threshold),
        labelOf(m.verdicts, check.verdict),
        day(check.completedAt),
      ]),
      m.none,
      { numeric: [4, 5, 6, 7] },
    ),
  ];
}

/** A verification metric: its dimension's name when it measures one, else the metric as written. */
function metricLabel(lang: Lang, metric: string, dimension: string | null): string {
  return dimension ? dimensionLabel(lang, dimension, metric) : metric;
}

function stateCounts(counts: StateCount[], labels: Record<string, string>): string {
  return counts.length ? counts.map((row) => `${labelOf(labels, row.state)} ${row.count}`).join(", ") : DASH;
}

function gradeTone(grade: string | null): Tone {
  if (grade === "A" || grade === "B") return "good";
  if (grade === "C") return "warn";
  return grade === "D" ? "bad" : "neutral";
}
