import { DataSource, EntityManager, In } from "typeorm";
import { TicketType, VerificationStatus } from "../../common/enums";
import { badInput } from "../../common/errors";
import {
  Department,
  Feedback,
  FeedbackKeyword,
  FeedbackScore,
  KeywordTag,
  RollupKeyword,
  RollupResponse,
  RollupScore,
  SurveyDimension,
} from "../../entity";
import { inTransaction } from "../../db/transaction";
import type { Actor } from "../../../workflows/actor";
import { narrowedSegmentFilter } from "../../auth/department-scope";
import { dateParam, isMysql, tableOf } from "../../import/sql";
import { DEFAULT_DIMENSIONS } from "../reference.service";
import { loadSettings, Settings } from "../settings";
import { addDays, monthsEnding, parseMonth, previousPeriod, resolvePeriod, startOfDay, yearAgoPeriod } from "./period";
import { NO_SEGMENT_VALUE, rebuildRollups, segmentValueSql } from "./rollups";
import {
  AnalyticsQuery,
  AnalyticsSource,
  CustomerType,
  DimensionFigures,
  Grade,
  GradeThresholds,
  GroupingKind,
  GROUPING_KINDS,
  KeywordFrequency,
  Period,
  SatisfactionAnalysis,
  SatisfactionFigures,
  SatisfactionGroup,
  SatisfactionTrend,
  SegmentFilter,
  SegmentFilterQuery,
  SegmentKind,
  TrendQuery,
} from "./types";

/** What a rollup rebuild counted. */
export interface RollupRebuild {
  /** Valid feedback counted. */
  feedback: number;
  scoreRows: number;
  responseRows: number;
  keywordRows: number;
}

/** The trend's length limits (months). */
export const TREND_MONTHS = { default: 12, max: 36 } as const;

/** Longest segment value (engineer names, regions), as the rollup column. */
const SEGMENT_VALUE_LIMIT = 100;

/**
 * Satisfaction analytics (DESIGN.md step 3, issue 4): for a period and a segment, per dimension the
 * average, the distribution of scores 1–5, the share of low (≤ 3) and of very satisfied (5) scores,
 * the five-level satisfaction index Σ score × count / 5N as 0–100 with its grade, the change
 * against the previous period and the same period a year before, the lowest dimensions, keyword
 * frequencies and the number of responses. INVALID feedback is left out everywhere.
 *
 * `analyse` and `trend` read the rollups (a few rows per day and segment); `directAnalyse` computes
 * the same figures with aggregate SQL over the raw feedback tables, for tests and the benchmark.
 * Both turn the same integer counts into figures with the same code, so they agree exactly.
 */
export class SatisfactionAnalyticsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The analysis of a period (`{ week | month | quarter | from, to }`), optionally restricted to one
   * segment value (`filter`: department, region, service type, customer type or engineer) and/or
   * broken down by a segment kind (`groupBy`). A filter together with a grouping needs the raw
   * feedback (the rollups count one segment at a time), so it is computed directly and the result
   * says `source: DIRECT`. Bad input is refused with BAD_USER_INPUT naming the field. With an
   * `actor` confined to their department by the policy, the filter is narrowed to it.
   */
  async analyse(query: AnalyticsQuery, actor: Actor | null = null): Promise<SatisfactionAnalysis> {
    const filter = narrowedSegmentFilter(actor, "satisfactionAnalytics", query.filter, "input.filter");
    const plan = planAnalysis({ ...query, filter });
    const source: AnalyticsSource = plan.filter && plan.groupBy ? "DIRECT" : "ROLLUP";
    return this.run(plan, source);
  }

  /** The same analysis as `analyse`, always computed by aggregate SQL over the raw feedback tables. */
  async directAnalyse(query: AnalyticsQuery): Promise<SatisfactionAnalysis> {
    return this.run(planAnalysis(query), "DIRECT");
  }

  /**
   * Per dimension per month, `months` (default 12, at most 36) months ending with `endMonth`,
   * oldest first, optionally for one segment value; months without feedback are included empty.
   */
  async trend(query: TrendQuery, actor: Actor | null = null): Promise<SatisfactionTrend> {
    const end = parseMonth(query.endMonth, "input.endMonth");
    const count = query.months ?? TREND_MONTHS.default;
    if (!Number.isInteger(count) || count < 1 || count > TREND_MONTHS.max) {
      throw badInput("input.months", `must be a whole number from 1 to ${TREND_MONTHS.max}`);
    }
    const filter = resolveFilter(
      narrowedSegmentFilter(actor, "satisfactionTrend", query.filter, "input.filter"),
      "input.filter",
    );
    const months = monthsEnding(end.label, count);
    const manager = this.dataSource.manager;
    const settings = (await loadSettings(manager)).analytics;
    const segment = rollupSegment(filter, null);
    const first = `${months[0]}-01`;
    const rows = await readRollupMonths(manager, segment, first, end.to);
    const names = await dimensionNames(manager, [...new Set(rows.scores.map((row) => row.dimension))]);
    const dimensions = [...names.entries()]
      .map(([dimension, name]) => ({ dimension, name }))
      .sort((a, b) => dimensionOrder(a.dimension) - dimensionOrder(b.dimension) || compare(a.dimension, b.dimension));
    return {
      endMonth: end.label,
      filter,
      dimensions,
      months: months.map((month) => {
        const scores = new Map(
          rows.scores.filter((row) => row.month === month).map((row) => [row.dimension, row.counts] as const),
        );
        const pooled = sumCounts([...scores.values()]);
        const index = indexOf(pooled);
        return {
          month,
          responses: rows.responses.get(month) ?? 0,
          index,
          grade: gradeOf(index, thresholdsOf(settings)),
          dimensions: dimensions.map(({ dimension, name }) => {
            const counts = scores.get(dimension) ?? EMPTY;
            return { dimension, name, answers: total(counts), average: averageOf(counts), index: indexOf(counts) };
          }),
        };
      }),
    };
  }

  /**
   * Recomputes every rollup from the raw feedback tables in one transaction (`qloop rollup rebuild`),
   * first taking the segment snapshot of feedback recorded before the snapshot existed. Returns
   * how much valid feedback was counted and how many rollup rows there are now.
   */
  async rebuildRollups(): Promise<RollupRebuild> {
    return inTransaction(this.dataSource, async (tx) => {
      await rebuildRollups(tx);
      const responses = await tx
        .getRepository(RollupResponse)
        .sum("responses", { segmentKind: SegmentKind.ALL, segmentValue: NO_SEGMENT_VALUE });
      return {
        feedback: Number(responses ?? 0),
        scoreRows: await tx.getRepository(RollupScore).count(),
        responseRows: await tx.getRepository(RollupResponse).count(),
        keywordRows: await tx.getRepository(RollupKeyword).count(),
      };
    });
  }

  private async run(plan: AnalysisPlan, source: AnalyticsSource): Promise<SatisfactionAnalysis> {
    const manager = this.dataSource.manager;
    const ranges = [plan.period, previousPeriod(plan.period), yearAgoPeriod(plan.period)];
    // Independent reads run side by side: on MySQL each takes its own pooled connection, so the
    // answer waits for the slowest statement rather than the sum (SQLite simply queues them).
    // The keyword taxonomy is small: its labels are read with the counts rather than after them,
    // which saved a round trip on every request (W4's end-to-end latency, issue 6).
    const [settings, raw, tags] = await Promise.all([
      loadSettings(manager).then((all) => all.analytics),
      source === "ROLLUP"
        ? readRollups(manager, ranges, rollupSegment(plan.filter, plan.groupBy))
        : readDirect(manager, ranges, plan.filter, plan.groupBy),
      tagLabels(manager),
    ]);
    // Only dimensions outside the default set cost a statement here.
    const names = await dimensionNames(manager, [...new Set(raw.scores.map((row) => row.dimension))]);
    const figuresOf = (group: string | null) => buildFigures(raw, group, names, tags, settings);

    const groups: SatisfactionGroup[] = [];
    if (plan.groupBy) {
      const kind = plan.groupBy;
      const values = [
        ...new Set(raw.responses.filter((row) => row.bucket === 0 && row.responses > 0).map((row) => row.group)),
      ];
      const labels = await segmentLabels(manager, kind, values);
      for (const value of values) {
        groups.push({ kind, value, label: labels.get(value) ?? value ?? "未知", ...figuresOf(value) });
      }
      groups.sort(
        (a, b) => b.responses - a.responses || compare(a.value ?? "\uffff", b.value ?? "\uffff"),
      );
    }
    // Without a grouping the one slice is the whole (filtered) population; with one, the whole is
    // the sum of its groups, which the figures of every group together give.
    const overall = plan.groupBy ? buildFigures(mergeGroups(raw), null, names, tags, settings) : figuresOf(null);
    return {
      period: ranges[0],
      previousPeriod: ranges[1],
      yearAgoPeriod: ranges[2],
      filter: plan.filter,
      groupBy: plan.groupBy,
      ...overall,
      groups,
      source,
      gradeThresholds: thresholdsOf(settings),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Input.
// ---------------------------------------------------------------------------------------------

interface AnalysisPlan {
  period: Period;
  filter: SegmentFilter | null;
  groupBy: GroupingKind | null;
}

function planAnalysis(query: AnalyticsQuery): AnalysisPlan {
  if (!query.period) throw badInput("input.period", "is required");
  const period = resolvePeriod(query.period, "input.period");
  const filter = resolveFilter(query.filter ?? null, "input.filter");
  const groupBy = query.groupBy ?? null;
  if (groupBy !== null && !GROUPING_KINDS.includes(groupBy)) {
    throw badInput("input.groupBy", `must be one of ${GROUPING_KINDS.join(", ")}`);
  }
  if (filter && groupBy === filter.kind) {
    throw badInput("input.groupBy", "grouping by the segment kind the filter fixes gives one group; drop one of them");
  }
  return { period, filter, groupBy };
}

const FILTER_FIELDS: readonly { field: keyof SegmentFilterQuery; kind: GroupingKind }[] = [
  { field: "department", kind: SegmentKind.DEPARTMENT },
  { field: "region", kind: SegmentKind.REGION },
  { field: "serviceType", kind: SegmentKind.SERVICE_TYPE },
  { field: "customerType", kind: SegmentKind.CUSTOMER_TYPE },
  { field: "engineer", kind: SegmentKind.ENGINEER },
];

/** Checks a filter (exactly one field) and turns it into a segment kind and value. */
function resolveFilter(query: SegmentFilterQuery | null, field: string): SegmentFilter | null {
  if (query === null) return null;
  const given = FILTER_FIELDS.filter(({ field: key }) => query[key] != null);
  if (given.length !== 1) {
    throw badInput(field, "give exactly one of department, region, serviceType, customerType, engineer");
  }
  const { field: key, kind } = given[0];
  const value = String(query[key]).trim();
  const name = `${field}.${key}`;
  if (value === "" || [...value].length > SEGMENT_VALUE_LIMIT) {
    throw badInput(name, `must be 1 to ${SEGMENT_VALUE_LIMIT} characters`);
  }
  if (kind === SegmentKind.DEPARTMENT && !/^[1-9][0-9]{0,9}$/.test(value)) {
    throw badInput(name, `"${value.slice(0, 40)}" is not a valid id`);
  }
  if (kind === SegmentKind.SERVICE_TYPE && !(Object.values(TicketType) as string[]).includes(value)) {
    throw badInput(name, `must be one of ${Object.values(TicketType).join(", ")}`);
  }
  if (kind === SegmentKind.CUSTOMER_TYPE && !(Object.values(CustomerType) as string[]).includes(value)) {
    throw badInput(name, "must be NEW or RETURNING");
  }
  return { kind, value };
}

// ---------------------------------------------------------------------------------------------
// Reading counts: from the rollups, or directly from the raw feedback tables.
// ---------------------------------------------------------------------------------------------

/** Scores 1–5 as counts, index 0 for score 1. */
type Counts = readonly number[];
const EMPTY: Counts = [0, 0, 0, 0, 0];

/** Integer counts per period bucket (0 the period, 1 previous, 2 a year before) and group. */
interface RawCounts {
  scores: { bucket: number; group: string | null; dimension: string; counts: Counts }[];
  responses: { bucket: number; group: string | null; responses: number }[];
  /** Keyword tags of the period itself (bucket 0). */
  keywords: { group: string | null; tagCode: string; count: number }[];
}

/** Which rollup rows to read: one segment value, or every value of a kind (grouped). */
interface RollupSegment {
  kind: SegmentKind;
  /** The value; undefined when grouping by the kind. */
  value?: string;
}

function rollupSegment(filter: SegmentFilter | null, groupBy: GroupingKind | null): RollupSegment {
  if (groupBy) return { kind: groupBy };
  if (filter) return { kind: filter.kind, value: filter.value ?? NO_SEGMENT_VALUE };
  return { kind: SegmentKind.ALL, value: NO_SEGMENT_VALUE };
}

const COUNT_COLUMNS = ["count1", "count2", "count3", "count4", "count5"];

/** One `SELECT … UNION ALL SELECT …` per rollup table, one branch per period. */
async function readRollups(manager: EntityManager, ranges: Period[], segment: RollupSegment): Promise<RawCounts> {
  const q = (name: string) => manager.connection.driver.escape(name);
  const grouped = segment.value === undefined;
  const value = grouped ? "" : `${q("segmentValue")} = ? AND `;
  const where = `${q("segmentKind")} = ? AND ${value}${q("day")} BETWEEN ? AND ?`;
  const params = (range: Period) => [segment.kind, ...(grouped ? [] : [segment.value]), range.from, range.to];
  const group = grouped ? q("segmentValue") : "NULL";
  const groupBy = (keys: string[]) => {
    const terms = [...(grouped ? [group] : []), ...keys];
    return terms.length > 0 ? `GROUP BY ${terms.join(", ")}` : "";
  };
  const union = <R>(build: (bucket: number) => string, only?: number) =>
    queryPerBucket<R>(manager, ranges, params, build, only);
  const [scoreRows, responseRows, keywordRows] = await Promise.all([
    union<ScoreRow>(
      (bucket) =>
        `SELECT ${bucket} AS ${q("bucket")}, ${group} AS ${q("grp")}, ${q("dimension")}, ` +
        `${COUNT_COLUMNS.map((c) => `SUM(${q(c)}) AS ${q(c)}`).join(", ")} ` +
        `FROM ${q(tableOf(manager, RollupScore))} WHERE ${where} ${groupBy([q("dimension")])}`,
    ),
    union<ResponseRow>(
      (bucket) =>
        `SELECT ${bucket} AS ${q("bucket")}, ${group} AS ${q("grp")}, SUM(${q("responses")}) AS ${q("responses")} ` +
        `FROM ${q(tableOf(manager, RollupResponse))} WHERE ${where} ${groupBy([])}`,
    ),
    union<KeywordRow>(
      () =>
        `SELECT ${group} AS ${q("grp")}, ${q("tagCode")}, SUM(${q("count")}) AS ${q("count")} ` +
        `FROM ${q(tableOf(manager, RollupKeyword))} WHERE ${where} ${groupBy([q("tagCode")])}`,
      0,
    ),
  ]);
  return normalise(scoreRows, responseRows, keywordRows);
}

/** The same counts by aggregate SQL over feedback, feedback_score and feedback_keyword. */
async function readDirect(
  manager: EntityManager,
  ranges: Period[],
  filter: SegmentFilter | null,
  groupBy: GroupingKind | null,
): Promise<RawCounts> {
  const q = (name: string) => manager.connection.driver.escape(name);
  const received = dateParam(manager, Feedback, "receivedAt");
  const group = groupBy ? segmentValueSql(manager, groupBy) : "NULL";
  const conditions = [`f.${q("verificationStatus")} <> '${VerificationStatus.INVALID}'`];
  const filterParams: unknown[] = [];
  if (filter) {
    const column = `f.${q(SNAPSHOT_COLUMN[filter.kind])}`;
    if (filter.value === null) conditions.push(`${column} IS NULL`);
    else {
      conditions.push(`${column} = ?`);
      filterParams.push(filter.kind === SegmentKind.DEPARTMENT ? Number(filter.value) : filter.value);
    }
  }
  // Days are UTC calendar days: [from 00:00, the day after `to` 00:00) of the indexed receivedAt.
  const within = (column: string) => `${column} >= ? AND ${column} < ?`;
  const bounds = (range: Period) => [received(startOfDay(range.from)), received(startOfDay(addDays(range.to, 1)))];
  const union = <R>(build: (bucket: number) => string, only?: number) =>
    queryPerBucket<R>(manager, ranges, (range) => [...bounds(range), ...filterParams], build, only);
  const where = (timeColumn: string) => `WHERE ${within(timeColumn)} AND ${conditions.join(" AND ")}`;
  const groupByTerms = (keys: string[]) => {
    const terms = [...(groupBy ? [group] : []), ...keys];
    return terms.length > 0 ? `GROUP BY ${terms.join(", ")}` : "";
  };
  const feedback = `${q(tableOf(manager, Feedback))} f`;
  const scoreRows = await union<ScoreRow>(
    (bucket) =>
      `SELECT ${bucket} AS ${q("bucket")}, ${group} AS ${q("grp")}, s.${q("dimension")} AS ${q("dimension")}, ` +
      [1, 2, 3, 4, 5]
        .map((score) => `SUM(CASE WHEN s.${q("score")} = ${score} THEN 1 ELSE 0 END) AS ${q(`count${score}`)}`)
        .join(", ") +
      ` FROM ${feedback} INNER JOIN ${q(tableOf(manager, FeedbackScore))} s ON s.${q("feedbackId")} = f.${q("id")} ` +
      `${where(`f.${q("receivedAt")}`)} ${groupByTerms([`s.${q("dimension")}`])}`,
  );
  const responseRows = await union<ResponseRow>(
    (bucket) =>
      `SELECT ${bucket} AS ${q("bucket")}, ${group} AS ${q("grp")}, COUNT(*) AS ${q("responses")} ` +
      `FROM ${feedback} ${where(`f.${q("receivedAt")}`)} ${groupByTerms([])}`,
  );
  const keywordRows = await union<KeywordRow>(
    () =>
      `SELECT ${group} AS ${q("grp")}, k.${q("tagCode")} AS ${q("tagCode")}, COUNT(*) AS ${q("count")} ` +
      `FROM ${q(tableOf(manager, FeedbackKeyword))} k INNER JOIN ${feedback} ON f.${q("id")} = k.${q("feedbackId")} ` +
      `${where(`k.${q("receivedAt")}`)} ${groupByTerms([`k.${q("tagCode")}`])}`,
    0,
  );
  return normalise(scoreRows, responseRows, keywordRows);
}

/**
 * One statement for several periods: `build(bucket)` for each period (or only bucket `only`),
 * joined with UNION ALL, each with its parameters; periods may overlap (a long custom period and
 * the same days a year before), which a CASE over the days could not tell apart.
 */
async function queryPerBucket<R>(
  manager: EntityManager,
  ranges: Period[],
  params: (range: Period) => unknown[],
  build: (bucket: number) => string,
  only?: number,
): Promise<R[]> {
  const used = ranges
    .map((range, bucket) => ({ range, bucket }))
    .filter(({ bucket }) => only === undefined || bucket === only);
  return (await manager.query(
    used.map(({ bucket }) => build(bucket)).join(" UNION ALL "),
    used.flatMap(({ range }) => params(range)),
  )) as R[];
}

/** The feedback column holding each segment of the snapshot. */
const SNAPSHOT_COLUMN: Record<GroupingKind, keyof Feedback> = {
  [SegmentKind.DEPARTMENT]: "segmentDepartmentId",
  [SegmentKind.REGION]: "segmentRegion",
  [SegmentKind.SERVICE_TYPE]: "segmentServiceType",
  [SegmentKind.CUSTOMER_TYPE]: "segmentCustomerType",
  [SegmentKind.ENGINEER]: "segmentEngineer",
};

interface ScoreRow {
  bucket: unknown;
  grp: unknown;
  dimension: string;
  count1: unknown;
  count2: unknown;
  count3: unknown;
  count4: unknown;
  count5: unknown;
}
interface ResponseRow {
  bucket: unknown;
  grp: unknown;
  responses: unknown;
}
interface KeywordRow {
  grp: unknown;
  tagCode: string;
  count: unknown;
}

/** Drivers return sums as strings or numbers, and "none" as ""; make them numbers and null. */
function normalise(scores: ScoreRow[], responses: ResponseRow[], keywords: KeywordRow[]): RawCounts {
  const groupOf = (raw: unknown) => (raw === null || raw === undefined || raw === NO_SEGMENT_VALUE ? null : String(raw));
  return {
    scores: scores.map((row) => ({
      bucket: Number(row.bucket),
      group: groupOf(row.grp),
      dimension: row.dimension,
      counts: [row.count1, row.count2, row.count3, row.count4, row.count5].map(Number),
    })),
    responses: responses.map((row) => ({
      bucket: Number(row.bucket),
      group: groupOf(row.grp),
      responses: Number(row.responses),
    })),
    keywords: keywords
      .map((row) => ({ group: groupOf(row.grp), tagCode: row.tagCode, count: Number(row.count) }))
      .filter((row) => row.count > 0),
  };
}

/** Every group as one: the whole population of a grouped analysis. */
function mergeGroups(raw: RawCounts): RawCounts {
  return {
    scores: raw.scores.map((row) => ({ ...row, group: null })),
    responses: raw.responses.map((row) => ({ ...row, group: null })),
    keywords: raw.keywords.map((row) => ({ ...row, group: null })),
  };
}

/** Per month and dimension, from the rollups (trend). */
async function readRollupMonths(
  manager: EntityManager,
  segment: RollupSegment,
  from: string,
  to: string,
): Promise<{ scores: { month: string; dimension: string; counts: Counts }[]; responses: Map<string, number> }> {
  const q = (name: string) => manager.connection.driver.escape(name);
  const month = isMysql(manager) ? `DATE_FORMAT(${q("day")}, '%Y-%m')` : `substr(${q("day")}, 1, 7)`;
  const where = `${q("segmentKind")} = ? AND ${q("segmentValue")} = ? AND ${q("day")} BETWEEN ? AND ?`;
  const params = [segment.kind, segment.value ?? NO_SEGMENT_VALUE, from, to];
  const scores = (await manager.query(
    `SELECT ${month} AS ${q("month")}, ${q("dimension")}, ` +
      `${COUNT_COLUMNS.map((c) => `SUM(${q(c)}) AS ${q(c)}`).join(", ")} ` +
      `FROM ${q(tableOf(manager, RollupScore))} WHERE ${where} GROUP BY ${month}, ${q("dimension")}`,
    params,
  )) as (Omit<ScoreRow, "bucket" | "grp"> & { month: string })[];
  const responses = (await manager.query(
    `SELECT ${month} AS ${q("month")}, SUM(${q("responses")}) AS ${q("responses")} ` +
      `FROM ${q(tableOf(manager, RollupResponse))} WHERE ${where} GROUP BY ${month}`,
    params,
  )) as { month: string; responses: unknown }[];
  return {
    scores: scores
      .map((row) => ({
        month: row.month,
        dimension: row.dimension,
        counts: [row.count1, row.count2, row.count3, row.count4, row.count5].map(Number),
      }))
      .filter((row) => total(row.counts) > 0),
    responses: new Map(responses.map((row) => [row.month, Number(row.responses)])),
  };
}

// ---------------------------------------------------------------------------------------------
// Figures from counts (pure).
// ---------------------------------------------------------------------------------------------

type AnalyticsSettings = Settings["analytics"];

function buildFigures(
  raw: RawCounts,
  group: string | null,
  names: Map<string, string>,
  tags: Map<string, { labelZh: string; labelEn: string }>,
  settings: AnalyticsSettings,
): SatisfactionFigures {
  const thresholds = thresholdsOf(settings);
  const scoresIn = (bucket: number) => {
    const byDimension = new Map<string, number[]>();
    for (const row of raw.scores) {
      if (row.bucket !== bucket || row.group !== group) continue;
      const counts = byDimension.get(row.dimension) ?? [0, 0, 0, 0, 0];
      row.counts.forEach((count, i) => (counts[i] += count));
      byDimension.set(row.dimension, counts);
    }
    for (const [dimension, counts] of byDimension) if (total(counts) === 0) byDimension.delete(dimension);
    return byDimension;
  };
  const responsesIn = (bucket: number) =>
    raw.responses
      .filter((row) => row.bucket === bucket && row.group === group)
      .reduce((sum, row) => sum + row.responses, 0);
  const [current, previous, yearAgo] = [0, 1, 2].map(scoresIn);
  const responses = responsesIn(0);

  const dimensions: DimensionFigures[] = [...current.entries()]
    .sort(([a], [b]) => dimensionOrder(a) - dimensionOrder(b) || compare(a, b))
    .map(([dimension, counts]) => {
      const answers = total(counts);
      const average = averageOf(counts);
      const index = indexOf(counts);
      const previousAverage = averageOf(previous.get(dimension) ?? EMPTY);
      const yearAgoAverage = averageOf(yearAgo.get(dimension) ?? EMPTY);
      return {
        dimension,
        name: names.get(dimension) ?? dimension,
        answers,
        distribution: counts.map((count, i) => ({ score: i + 1, count, share: round(count / answers, 4) })),
        average,
        lowShare: round(counts.slice(0, settings.lowScoreAtMost).reduce((a, b) => a + b, 0) / answers, 4),
        verySatisfiedShare: round(counts[4] / answers, 4),
        index,
        grade: gradeOf(index, thresholds),
        previousAverage,
        momChange: change(average, previousAverage),
        yearAgoAverage,
        yoyChange: change(average, yearAgoAverage),
      };
    });

  const index = indexOf(sumCounts([...current.values()]));
  const previousIndex = indexOf(sumCounts([...previous.values()]));
  const yearAgoIndex = indexOf(sumCounts([...yearAgo.values()]));
  // The lowest 2–3 dimensions become priority problems; with few dimensions, never all of them.
  const lowestCount = Math.min(settings.lowestDimensions, Math.max(1, dimensions.length - 1));
  const lowestDimensions = [...current.entries()]
    .map(([dimension, counts]) => ({ dimension, mean: weightedSum(counts) / total(counts) }))
    .sort((a, b) => a.mean - b.mean || compare(a.dimension, b.dimension))
    .slice(0, lowestCount)
    .map((entry) => entry.dimension);
  const tagCounts = new Map<string, number>();
  for (const row of raw.keywords) {
    if (row.group === group) tagCounts.set(row.tagCode, (tagCounts.get(row.tagCode) ?? 0) + row.count);
  }
  const keywords: KeywordFrequency[] = [...tagCounts.entries()]
    .map(([tagCode, count]) => ({
      tagCode,
      labelZh: tags.get(tagCode)?.labelZh ?? tagCode,
      labelEn: tags.get(tagCode)?.labelEn ?? tagCode,
      count,
      share: responses > 0 ? round(count / responses, 4) : 0,
    }))
    .sort((a, b) => b.count - a.count || compare(a.tagCode, b.tagCode));
  return {
    responses,
    dimensions,
    index,
    grade: gradeOf(index, thresholds),
    previousIndex,
    indexMomChange: change(index, previousIndex),
    yearAgoIndex,
    indexYoyChange: change(index, yearAgoIndex),
    previousResponses: responsesIn(1),
    yearAgoResponses: responsesIn(2),
    lowestDimensions,
    keywords,
  };
}

function total(counts: Counts): number {
  return counts.reduce((a, b) => a + b, 0);
}

/** Σ score × count. */
function weightedSum(counts: Counts): number {
  return counts.reduce((sum, count, i) => sum + (i + 1) * count, 0);
}

function sumCounts(all: Counts[]): Counts {
  return all.reduce<number[]>((sum, counts) => sum.map((value, i) => value + counts[i]), [0, 0, 0, 0, 0]);
}

/** Mean score, 2 decimals; null without answers. */
function averageOf(counts: Counts): number | null {
  const n = total(counts);
  return n === 0 ? null : round(weightedSum(counts) / n, 2);
}

/** The five-level satisfaction index Σ score × count / 5N as 0–100, 2 decimals. */
function indexOf(counts: Counts): number | null {
  const n = total(counts);
  return n === 0 ? null : round((weightedSum(counts) / (5 * n)) * 100, 2);
}

function gradeOf(index: number | null, thresholds: GradeThresholds): Grade | null {
  if (index === null) return null;
  if (index >= thresholds.a) return "A";
  if (index >= thresholds.b) return "B";
  if (index >= thresholds.c) return "C";
  return "D";
}

function thresholdsOf(settings: AnalyticsSettings): GradeThresholds {
  return { a: settings.gradeA, b: settings.gradeB, c: settings.gradeC };
}

/** now − before of two shown (rounded) figures, so the change adds up on the page. */
function change(now: number | null, before: number | null): number | null {
  return now === null || before === null ? null : round(now - before, 2);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * factor) / factor;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const DEFAULT_ORDER = new Map(DEFAULT_DIMENSIONS.map((dimension, i) => [dimension.code, i]));

/** The default dimensions in their survey order, then others by code. */
function dimensionOrder(code: string): number {
  return DEFAULT_ORDER.get(code) ?? DEFAULT_DIMENSIONS.length;
}

// ---------------------------------------------------------------------------------------------
// Labels.
// ---------------------------------------------------------------------------------------------

/** Dimension names: the default dimensions' Chinese names, else a template's name, else the code. */
async function dimensionNames(manager: EntityManager, codes: string[]): Promise<Map<string, string>> {
  const defaults = new Map(DEFAULT_DIMENSIONS.map((dimension) => [dimension.code, dimension.name]));
  const names = new Map(codes.map((code) => [code, defaults.get(code) ?? code]));
  const others = codes.filter((code) => !defaults.has(code));
  if (others.length > 0) {
    const rows = await manager.getRepository(SurveyDimension).find({ where: { code: In(others) }, order: { id: "ASC" } });
    for (const row of rows.reverse()) names.set(row.code, row.name);
  }
  return names;
}

/** The labels of every keyword tag (the taxonomy: tens of rows). */
async function tagLabels(manager: EntityManager): Promise<Map<string, { labelZh: string; labelEn: string }>> {
  const tags = await manager.getRepository(KeywordTag).find({ select: { code: true, labelZh: true, labelEn: true } });
  return new Map(tags.map((tag) => [tag.code, { labelZh: tag.labelZh, labelEn: tag.labelEn }]));
}

const SERVICE_TYPE_LABELS: Record<string, string> = {
  [TicketType.REPAIR]: "维修",
  [TicketType.INSTALLATION]: "安装",
  [TicketType.CONSULTATION]: "咨询",
  [TicketType.COMPLAINT]: "投诉处理",
  [TicketType.REVISIT]: "回访",
};
const CUSTOMER_TYPE_LABELS: Record<string, string> = { [CustomerType.NEW]: "新客户", [CustomerType.RETURNING]: "老客户" };

/** Readable group labels: department names, 维修, 新客户, the region or engineer itself, 未知 for none. */
async function segmentLabels(
  manager: EntityManager,
  kind: GroupingKind,
  values: (string | null)[],
): Promise<Map<string | null, string>> {
  const labels = new Map<string | null, string>([[null, "未知"]]);
  if (kind === SegmentKind.DEPARTMENT) {
    const ids = values.filter((value): value is string => value !== null).map(Number);
    if (ids.length > 0) {
      for (const department of await manager.getRepository(Department).findBy({ id: In(ids) })) {
        labels.set(String(department.id), department.name);
      }
    }
  }
  const fixed: Record<string, string> =
    kind === SegmentKind.SERVICE_TYPE
      ? SERVICE_TYPE_LABELS
      : kind === SegmentKind.CUSTOMER_TYPE
        ? CUSTOMER_TYPE_LABELS
        : {};
  for (const value of values) {
    if (value !== null && !labels.has(value)) labels.set(value, fixed[value] ?? value);
  }
  return labels;
}
