/**
 * The shapes of satisfaction analytics (issue 4), shared by the analytics service, the review
 * services (weekly and monthly review) and the report renderer. Plain data: no entity, no
 * GraphQL decorator, so a renderer can import them without the server.
 */

/**
 * The kinds of segment feedback is counted under. ALL is the whole population; the others break it
 * down by what was true when the feedback was recorded (the segment snapshot on feedback).
 */
export enum SegmentKind {
  ALL = "ALL",
  /** Department of the feedback's service ticket. */
  DEPARTMENT = "DEPARTMENT",
  /** Region of the ticket, else of the customer. */
  REGION = "REGION",
  /** Type of the ticket (REPAIR, INSTALLATION …). */
  SERVICE_TYPE = "SERVICE_TYPE",
  /** NEW or RETURNING: returning when the customer had a ticket opened before this one. */
  CUSTOMER_TYPE = "CUSTOMER_TYPE",
  /** Engineer of the ticket. */
  ENGINEER = "ENGINEER",
}

/** The segment kinds a query may filter or group by. */
export type GroupingKind = Exclude<SegmentKind, SegmentKind.ALL>;

export const GROUPING_KINDS: readonly GroupingKind[] = [
  SegmentKind.DEPARTMENT,
  SegmentKind.REGION,
  SegmentKind.SERVICE_TYPE,
  SegmentKind.CUSTOMER_TYPE,
  SegmentKind.ENGINEER,
];

/** New or returning customer. */
export enum CustomerType {
  NEW = "NEW",
  RETURNING = "RETURNING",
}

/** A period as asked for: exactly one of week, month, quarter, or from + to. */
export interface PeriodQuery {
  /** ISO week, e.g. 2026-W47 (Monday–Sunday). */
  week?: string | null;
  /** Calendar month, e.g. 2026-10. */
  month?: string | null;
  /** Calendar quarter, e.g. 2026-Q4. */
  quarter?: string | null;
  /** First day of a custom period, YYYY-MM-DD (inclusive). */
  from?: string | null;
  /** Last day of a custom period, YYYY-MM-DD (inclusive). */
  to?: string | null;
}

export type PeriodKind = "WEEK" | "MONTH" | "QUARTER" | "CUSTOM";

/** A resolved period: UTC calendar days, both ends inclusive. */
export interface Period {
  kind: PeriodKind;
  /** 2026-W47, 2026-10, 2026-Q4, or 2026-10-01..2026-10-15. */
  label: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  to: string;
  /** Number of days. */
  days: number;
}

/**
 * Restricts analytics to one segment value: `value` is the department id, region, ticket type,
 * NEW/RETURNING or engineer name; null selects the feedback without one (e.g. without a ticket).
 */
export interface SegmentFilter {
  kind: GroupingKind;
  value: string | null;
}

/** A filter as asked for: exactly one field. */
export interface SegmentFilterQuery {
  /** Department id. */
  department?: string | number | null;
  region?: string | null;
  /** Ticket type, e.g. REPAIR. */
  serviceType?: string | null;
  customerType?: CustomerType | null;
  engineer?: string | null;
}

export interface AnalyticsQuery {
  period: PeriodQuery;
  filter?: SegmentFilterQuery | null;
  groupBy?: GroupingKind | null;
}

export interface TrendQuery {
  /** The last month of the trend, e.g. 2026-10. */
  endMonth: string;
  /** How many months, ending with endMonth (default 12). */
  months?: number | null;
  filter?: SegmentFilterQuery | null;
}

/** A, B, C or D by the satisfaction index (thresholds in settings section `analytics`). */
export type Grade = "A" | "B" | "C" | "D";

/** Where the figures were computed from. */
export type AnalyticsSource = "ROLLUP" | "DIRECT";

/** How many answers gave one score. */
export interface ScoreCount {
  /** 1 (very dissatisfied) to 5 (very satisfied). */
  score: number;
  count: number;
  /** count / answers, 0–1 (4 decimals). */
  share: number;
}

/** The figures of one dimension in one period and segment. */
export interface DimensionFigures {
  /** Dimension code, e.g. responsiveness. */
  dimension: string;
  /** Its name, e.g. 响应及时性 (the code when no template names it). */
  name: string;
  /** Number of scores given on the dimension (N). */
  answers: number;
  /** Scores 1–5, always five entries, score 1 first. */
  distribution: ScoreCount[];
  /** Mean score, 2 decimals; null without answers. */
  average: number | null;
  /** Share of scores ≤ 3 (settings analytics.lowScoreAtMost), 0–1, 4 decimals. */
  lowShare: number | null;
  /** Share of scores of 5, 0–1, 4 decimals. */
  verySatisfiedShare: number | null;
  /** Σ score × count / 5N × 100, 2 decimals; null without answers. */
  index: number | null;
  grade: Grade | null;
  /** Average of the previous period of the same length (month before, week before …). */
  previousAverage: number | null;
  /** average − previousAverage, 2 decimals; null when either is missing. */
  momChange: number | null;
  /** Average of the same period a year before. */
  yearAgoAverage: number | null;
  /** average − yearAgoAverage, 2 decimals. */
  yoyChange: number | null;
}

/** How often one keyword tag occurred in the comments of the valid feedback. */
export interface KeywordFrequency {
  tagCode: string;
  labelZh: string;
  labelEn: string;
  count: number;
  /** count / responses, 0–1, 4 decimals. */
  share: number;
}

/** The figures of one segment (the whole population or one group) in one period. */
export interface SatisfactionFigures {
  /** Valid (not INVALID) feedback received in the period. */
  responses: number;
  /** Per dimension, by code. */
  dimensions: DimensionFigures[];
  /** Index over every score of every dimension: Σ score × count / 5N × 100, 2 decimals. */
  index: number | null;
  grade: Grade | null;
  previousIndex: number | null;
  /** index − previousIndex (index points, 2 decimals). */
  indexMomChange: number | null;
  yearAgoIndex: number | null;
  indexYoyChange: number | null;
  previousResponses: number;
  yearAgoResponses: number;
  /** The lowest dimensions by average (2–3; see settings analytics.lowestDimensions), lowest first. */
  lowestDimensions: string[];
  /** Keyword frequencies, most frequent first. */
  keywords: KeywordFrequency[];
}

/** One group of a grouped analysis. */
export interface SatisfactionGroup extends SatisfactionFigures {
  kind: GroupingKind;
  /** Department id, region, ticket type, NEW/RETURNING or engineer; null: none (e.g. no ticket). */
  value: string | null;
  /** Readable label: department name, 维修, 新客户, the region … 未知 for none. */
  label: string;
}

/** The satisfaction analysis of a period. */
export interface SatisfactionAnalysis extends SatisfactionFigures {
  period: Period;
  previousPeriod: Period;
  yearAgoPeriod: Period;
  filter: SegmentFilter | null;
  groupBy: GroupingKind | null;
  /** One entry per segment value with feedback in the period (empty without groupBy). */
  groups: SatisfactionGroup[];
  /** ROLLUP normally; DIRECT when filter and groupBy together need the raw feedback. */
  source: AnalyticsSource;
  /** Grade thresholds applied. */
  gradeThresholds: GradeThresholds;
}

export interface GradeThresholds {
  /** Index at or above which the grade is A (default 90). */
  a: number;
  b: number;
  c: number;
}

/** One month of a trend. */
export interface TrendMonth {
  /** YYYY-MM. */
  month: string;
  responses: number;
  index: number | null;
  grade: Grade | null;
  dimensions: TrendDimensionPoint[];
}

export interface TrendDimensionPoint {
  dimension: string;
  name: string;
  answers: number;
  average: number | null;
  index: number | null;
}

/** Per dimension per month, oldest month first. */
export interface SatisfactionTrend {
  endMonth: string;
  filter: SegmentFilter | null;
  /** Every dimension seen in the trend, by code. */
  dimensions: { dimension: string; name: string }[];
  months: TrendMonth[];
}
