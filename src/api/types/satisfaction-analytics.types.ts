import { Max, MaxLength, Min } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { TicketType } from "../../common/enums";
import { TREND_MONTHS } from "../../service/analytics/satisfaction.service";
import {
  CustomerType,
  GROUPING_KINDS,
  GroupingKind,
  type AnalyticsSource as AnalyticsSourceValue,
  type Grade,
  type PeriodKind as PeriodKindValue,
} from "../../service/analytics/types";

/** The segment kinds analytics can filter or group by (SegmentKind without ALL). */
export const AnalyticsSegment = Object.fromEntries(GROUPING_KINDS.map((kind) => [kind, kind])) as {
  [K in GroupingKind]: K;
};
export const SatisfactionGrade = { A: "A", B: "B", C: "C", D: "D" } as const satisfies Record<Grade, Grade>;
export const AnalyticsSource = { ROLLUP: "ROLLUP", DIRECT: "DIRECT" } as const satisfies Record<
  AnalyticsSourceValue,
  AnalyticsSourceValue
>;
export const PeriodKind = { WEEK: "WEEK", MONTH: "MONTH", QUARTER: "QUARTER", CUSTOM: "CUSTOM" } as const satisfies Record<
  PeriodKindValue,
  PeriodKindValue
>;

registerEnumType(AnalyticsSegment, {
  name: "AnalyticsSegment",
  description: "What satisfaction analytics can be filtered or grouped by; values are fixed when feedback is recorded.",
  valuesConfig: {
    DEPARTMENT: { description: "Department of the feedback's service ticket." },
    REGION: { description: "Region of the service ticket, else of the customer." },
    SERVICE_TYPE: { description: "Type of the service ticket (repair, installation …)." },
    CUSTOMER_TYPE: { description: "NEW or RETURNING customer (returning: had a ticket opened before this one)." },
    ENGINEER: { description: "Engineer of the service ticket." },
  },
});
registerEnumType(CustomerType, {
  name: "CustomerType",
  description: "New or returning customer.",
  valuesConfig: {
    NEW: { description: "No ticket opened before the feedback's ticket (or before the feedback, without one)." },
    RETURNING: { description: "Had a ticket opened before." },
  },
});
registerEnumType(SatisfactionGrade, {
  name: "SatisfactionGrade",
  description: "Grade of a satisfaction index: A ≥ 90, B ≥ 75, C ≥ 60, D below (configurable, settings `analytics`).",
  valuesConfig: {
    A: { description: "Excellent: index at or above the A threshold (90 by default)." },
    B: { description: "Good: index at or above the B threshold (75 by default)." },
    C: { description: "Fair: index at or above the C threshold (60 by default)." },
    D: { description: "Poor: index below the C threshold." },
  },
});
registerEnumType(AnalyticsSource, {
  name: "AnalyticsSource",
  description: "Where figures were computed from.",
  valuesConfig: {
    ROLLUP: { description: "The daily rollups kept with the feedback." },
    DIRECT: { description: "Aggregate SQL over the raw feedback (a filter together with a grouping)." },
  },
});
registerEnumType(PeriodKind, {
  name: "PeriodKind",
  description: "ISO week, month, quarter or custom days.",
  valuesConfig: {
    WEEK: { description: "An ISO week (Monday to Sunday)." },
    MONTH: { description: "A calendar month." },
    QUARTER: { description: "A calendar quarter." },
    CUSTOM: { description: "Any range of whole days." },
  },
});

// ---------------------------------------------------------------------------------------------
// Inputs. Shapes are checked by the service, which names the offending field.
// ---------------------------------------------------------------------------------------------

@InputType({ description: "A period: exactly one of week, month, quarter, or from and to (UTC calendar days)." })
export class AnalyticsPeriodInput {
  @Field(() => String, { nullable: true, description: "ISO week, Monday–Sunday, e.g. 2026-W47." })
  @MaxLength(10)
  week?: string | null;

  @Field(() => String, { nullable: true, description: "Calendar month, e.g. 2026-10." })
  @MaxLength(10)
  month?: string | null;

  @Field(() => String, { nullable: true, description: "Calendar quarter, e.g. 2026-Q4." })
  @MaxLength(10)
  quarter?: string | null;

  @Field(() => String, { nullable: true, description: "First day of a custom period, YYYY-MM-DD (inclusive)." })
  @MaxLength(10)
  from?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Last day of a custom period, YYYY-MM-DD (inclusive); at most 731 days.",
  })
  @MaxLength(10)
  to?: string | null;
}

@InputType({ description: "Restricts analytics to one segment value: give exactly one field." })
export class AnalyticsFilterInput {
  @Field(() => ID, { nullable: true, description: "Department of the service ticket." })
  department?: string | null;

  @Field(() => String, { nullable: true, description: "Region (of the ticket, else of the customer)." })
  @MaxLength(100)
  region?: string | null;

  @Field(() => TicketType, { nullable: true, description: "Service type (ticket type)." })
  serviceType?: TicketType | null;

  @Field(() => CustomerType, { nullable: true, description: "New or returning customer." })
  customerType?: CustomerType | null;

  @Field(() => String, { nullable: true, description: "Engineer of the ticket." })
  @MaxLength(100)
  engineer?: string | null;
}

@InputType({ description: "Which satisfaction analysis to compute." })
export class SatisfactionAnalyticsInput {
  @Field(() => AnalyticsPeriodInput, { description: "The period." })
  period: AnalyticsPeriodInput;

  @Field(() => AnalyticsFilterInput, { nullable: true, description: "Only feedback of one segment value." })
  filter?: AnalyticsFilterInput | null;

  @Field(() => AnalyticsSegment, { nullable: true, description: "Break the figures down by this segment kind." })
  groupBy?: GroupingKind | null;
}

@InputType({ description: "Which satisfaction trend to compute." })
export class SatisfactionTrendInput {
  @Field({ description: "The last month of the trend, e.g. 2026-10." })
  @MaxLength(10)
  endMonth: string;

  @Field(() => Int, {
    defaultValue: TREND_MONTHS.default,
    description: `Months, ending with endMonth (1–${TREND_MONTHS.max}, default ${TREND_MONTHS.default}).`,
  })
  @Min(1)
  @Max(TREND_MONTHS.max)
  months: number = TREND_MONTHS.default;

  @Field(() => AnalyticsFilterInput, { nullable: true, description: "Only feedback of one segment value." })
  filter?: AnalyticsFilterInput | null;
}

// ---------------------------------------------------------------------------------------------
// Results (the service's plain objects; see src/service/analytics/types.ts).
// ---------------------------------------------------------------------------------------------

@ObjectType({ description: "A resolved period: UTC calendar days, both ends inclusive." })
export class AnalyticsPeriod {
  @Field(() => PeriodKind, { description: "Week, month, quarter or custom." })
  kind: PeriodKindValue;

  @Field({ description: "2026-W47, 2026-10, 2026-Q4 or 2026-10-01..2026-10-15." })
  label: string;

  @Field({ description: "First day, YYYY-MM-DD." })
  from: string;

  @Field({ description: "Last day, YYYY-MM-DD (inclusive)." })
  to: string;

  @Field(() => Int, { description: "Number of days." })
  days: number;
}

@ObjectType({ description: "The segment value analytics were restricted to." })
export class AnalyticsFilter {
  @Field(() => AnalyticsSegment, { description: "Segment kind." })
  kind: GroupingKind;

  @Field(() => String, { nullable: true, description: "Department id, region, ticket type, NEW/RETURNING or engineer." })
  value: string | null;
}

@ObjectType({ description: "How many answers gave one score." })
export class ScoreCount {
  @Field(() => Int, { description: "1 (very dissatisfied) to 5 (very satisfied)." })
  score: number;

  @Field(() => Int, { description: "Answers with this score." })
  count: number;

  @Field(() => Float, { description: "count / answers (0–1, 4 decimals)." })
  share: number;
}

@ObjectType({ description: "Figures of one dimension (e.g. responsiveness) in the period." })
export class DimensionFigures {
  @Field({ description: "Dimension code, e.g. responsiveness." })
  dimension: string;

  @Field({ description: "Dimension name, e.g. 响应及时性." })
  name: string;

  @Field(() => Int, { description: "Scores given on the dimension (N)." })
  answers: number;

  @Field(() => [ScoreCount], { description: "Scores 1–5, five entries, score 1 first." })
  distribution: ScoreCount[];

  @Field(() => Float, { nullable: true, description: "Mean score (2 decimals)." })
  average: number | null;

  @Field(() => Float, { nullable: true, description: "Share of low scores (≤ 3 by default; 0–1, 4 decimals)." })
  lowShare: number | null;

  @Field(() => Float, { nullable: true, description: "Share of scores of 5 (0–1, 4 decimals)." })
  verySatisfiedShare: number | null;

  @Field(() => Float, { nullable: true, description: "Satisfaction index Σ score × count / 5N × 100 (2 decimals)." })
  index: number | null;

  @Field(() => SatisfactionGrade, { nullable: true, description: "Grade of the index." })
  grade: Grade | null;

  @Field(() => Float, { nullable: true, description: "Mean score of the previous period of the same length." })
  previousAverage: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Month-over-month (period-over-period) change of the mean: average − previousAverage.",
  })
  momChange: number | null;

  @Field(() => Float, { nullable: true, description: "Mean score of the same period a year before." })
  yearAgoAverage: number | null;

  @Field(() => Float, { nullable: true, description: "Year-over-year change of the mean: average − yearAgoAverage." })
  yoyChange: number | null;
}

@ObjectType({ description: "How often a keyword tag occurred in the comments of valid feedback." })
export class KeywordFrequency {
  @Field({ description: "Tag code, e.g. slow_response." })
  tagCode: string;

  @Field({ description: "Chinese label, e.g. 响应慢." })
  labelZh: string;

  @Field({ description: "English label." })
  labelEn: string;

  @Field(() => Int, { description: "Feedback whose comment carries the tag." })
  count: number;

  @Field(() => Float, { description: "count / responses (0–1, 4 decimals)." })
  share: number;
}

@ObjectType({ description: "Figures of a segment in a period (shared fields; not used on its own)." })
class FiguresFields {
  @Field(() => Int, { description: "Valid (not INVALID) feedback received in the period." })
  responses: number;

  @Field(() => [DimensionFigures], { description: "Per dimension, the default dimensions first in survey order." })
  dimensions: DimensionFigures[];

  @Field(() => Float, {
    nullable: true,
    description: "Overall index over every score of every dimension (Σ score × count / 5N × 100).",
  })
  index: number | null;

  @Field(() => SatisfactionGrade, { nullable: true, description: "Grade of the overall index." })
  grade: Grade | null;

  @Field(() => Float, { nullable: true, description: "Overall index of the previous period." })
  previousIndex: number | null;

  @Field(() => Float, { nullable: true, description: "index − previousIndex (points)." })
  indexMomChange: number | null;

  @Field(() => Float, { nullable: true, description: "Overall index of the same period a year before." })
  yearAgoIndex: number | null;

  @Field(() => Float, { nullable: true, description: "index − yearAgoIndex (points)." })
  indexYoyChange: number | null;

  @Field(() => Int, { description: "Valid feedback in the previous period." })
  previousResponses: number;

  @Field(() => Int, { description: "Valid feedback in the same period a year before." })
  yearAgoResponses: number;

  @Field(() => [String], {
    description: "Codes of the 2–3 lowest dimensions by mean score, lowest first: the priority problems.",
  })
  lowestDimensions: string[];

  @Field(() => [KeywordFrequency], { description: "Keyword frequencies in comments, most frequent first." })
  keywords: KeywordFrequency[];
}

@ObjectType({ description: "The figures of one segment value (one group of a grouped analysis)." })
export class SatisfactionGroup extends FiguresFields {
  @Field(() => AnalyticsSegment, { description: "Segment kind." })
  kind: GroupingKind;

  @Field(() => String, {
    nullable: true,
    description:
      "Department id, region, ticket type, NEW/RETURNING or engineer; null: none (e.g. feedback without a ticket).",
  })
  value: string | null;

  @Field({ description: "Readable label: department name, 维修, 新客户, the region … 未知 for none." })
  label: string;
}

@ObjectType({ description: "Grade thresholds of the satisfaction index." })
export class GradeThresholds {
  @Field(() => Float, { description: "Index at or above which the grade is A." })
  a: number;

  @Field(() => Float, { description: "Index at or above which the grade is B." })
  b: number;

  @Field(() => Float, { description: "Index at or above which the grade is C; below is D." })
  c: number;
}

@ObjectType({ description: "Satisfaction analytics of a period; INVALID feedback is left out." })
export class SatisfactionAnalytics extends FiguresFields {
  @Field(() => AnalyticsPeriod, { description: "The period analysed." })
  period: AnalyticsPeriod;

  @Field(() => AnalyticsPeriod, { description: "The previous period of the same length (for MoM)." })
  previousPeriod: AnalyticsPeriod;

  @Field(() => AnalyticsPeriod, { description: "The same period a year before (for YoY)." })
  yearAgoPeriod: AnalyticsPeriod;

  @Field(() => AnalyticsFilter, { nullable: true, description: "The segment value the figures are restricted to." })
  filter: AnalyticsFilter | null;

  @Field(() => AnalyticsSegment, { nullable: true, description: "The breakdown, if any." })
  groupBy: GroupingKind | null;

  @Field(() => [SatisfactionGroup], {
    description: "One entry per segment value with feedback, most responses first; empty without groupBy.",
  })
  groups: SatisfactionGroup[];

  @Field(() => AnalyticsSource, { description: "Where the figures were computed from." })
  source: AnalyticsSourceValue;

  @Field(() => GradeThresholds, { description: "The grade thresholds applied." })
  gradeThresholds: GradeThresholds;
}

@ObjectType({ description: "One dimension in one month of a trend." })
export class TrendDimensionPoint {
  @Field({ description: "Dimension code." })
  dimension: string;

  @Field({ description: "Dimension name." })
  name: string;

  @Field(() => Int, { description: "Scores given on the dimension in the month." })
  answers: number;

  @Field(() => Float, { nullable: true, description: "Mean score (2 decimals); null without answers." })
  average: number | null;

  @Field(() => Float, { nullable: true, description: "Satisfaction index (0–100, 2 decimals)." })
  index: number | null;
}

@ObjectType({ description: "One month of a satisfaction trend." })
export class TrendMonth {
  @Field({ description: "YYYY-MM." })
  month: string;

  @Field(() => Int, { description: "Valid feedback received in the month." })
  responses: number;

  @Field(() => Float, { nullable: true, description: "Overall index over every score of the month." })
  index: number | null;

  @Field(() => SatisfactionGrade, { nullable: true, description: "Grade of the overall index." })
  grade: Grade | null;

  @Field(() => [TrendDimensionPoint], { description: "Every dimension of the trend, in the order of `dimensions`." })
  dimensions: TrendDimensionPoint[];
}

@ObjectType({ description: "A dimension of a trend." })
export class TrendDimension {
  @Field({ description: "Dimension code." })
  dimension: string;

  @Field({ description: "Dimension name." })
  name: string;
}

@ObjectType({ description: "Per dimension per month satisfaction, oldest month first; INVALID feedback is left out." })
export class SatisfactionTrend {
  @Field({ description: "The last month." })
  endMonth: string;

  @Field(() => AnalyticsFilter, { nullable: true, description: "The segment value the trend is restricted to." })
  filter: AnalyticsFilter | null;

  @Field(() => [TrendDimension], { description: "Every dimension with scores in the trend." })
  dimensions: TrendDimension[];

  @Field(() => [TrendMonth], { description: "One entry per month, months without feedback included." })
  months: TrendMonth[];
}
