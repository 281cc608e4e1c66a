import type { CauseCategory, Impact, IssueKind, MetricDirection, Quadrant } from "../../common/enums";
import type { SlaStage } from "../../entity/sla/sla-stage";
import type { SatisfactionAnalysis, SatisfactionTrend } from "../analytics/types";

/**
 * The weekly progress meeting pack and the monthly review as plain data: numbers, strings, days
 * ("YYYY-MM-DD", UTC calendar days), Dates and arrays only — no entities, no lazy relations — so
 * the report renderer (src/report/), the GraphQL types and a meeting's frozen agenda all read the
 * same objects. Names of departments and people are resolved here; customers never appear.
 */

/** A review period: its label and its first and last day, both inclusive. */
export interface ReviewPeriod {
  /** "2026-W47" for a week, "2026-10" for a month. */
  label: string;
  /** First day, "YYYY-MM-DD". */
  from: string;
  /** Last day, "YYYY-MM-DD" (inclusive). */
  to: string;
}

/** One fishbone cause (鱼骨图) with its sub-causes (why-chain), as the report draws it. */
export interface ReviewCause {
  id: number;
  /** The bone: MAN 人, MACHINE 机, MATERIAL 料, METHOD 法, ENVIRONMENT 环, MEASUREMENT 测. */
  category: CauseCategory;
  text: string;
  /** hypothesis, confirmed or refuted. */
  state: string;
  subCauses: ReviewCause[];
}

/** An issue as a review shows it, with its fishbone. */
export interface ReviewIssue {
  id: number;
  kind: IssueKind;
  title: string;
  state: string;
  quadrant: Quadrant;
  /** 1 (urgent and important) to 4. */
  priority: number;
  impact: Impact | null;
  /** Problem category (keyword tag or dimension code); null when none was given. */
  category: string | null;
  departmentId: number | null;
  departmentName: string | null;
  cycle: number;
  createdAt: Date;
  /** Top-level causes, each with its sub-causes, ordered by id. */
  causes: ReviewCause[];
}

export interface QuadrantCount {
  quadrant: Quadrant;
  count: number;
}

/** Issues per category, most frequent first (a Pareto chart's bars); `null` category is "none". */
export interface CategoryCount {
  category: string;
  count: number;
}

/**
 * One row of the action tracker, with the columns of the seeds' template 3 (改善措施跟踪表):
 * measure, department, owner, planned start, planned end, progress %, blockers, adjustment,
 * next step — plus what the agenda needs to judge it (state, elapsed share, days overdue).
 */
export interface ActionTrackerRow {
  actionItemId: number;
  issueId: number;
  issueTitle: string;
  /** 改善措施: the action's description. */
  measure: string;
  departmentId: number;
  departmentName: string;
  ownerId: number;
  ownerName: string;
  plannedStart: string;
  plannedEnd: string;
  actualEnd: string | null;
  /** 0–100. */
  progress: number;
  state: string;
  /** Share of the planned days elapsed by the review day, 0–1 (see weekly-review.service.ts). */
  elapsedShare: number;
  /** Days past the planned end on the review day; 0 when not overdue. */
  daysOverdue: number;
  /** 存在问题: blockers of the latest progress update; null when it named none. */
  blockers: string | null;
  /** 调整: the latest adjustment request, summarised ("2026-11-30 → 2026-12-15 (approved)"); null when none. */
  adjustment: string | null;
  /** 下一步行动: next step of the latest progress update. */
  nextStep: string | null;
  /** When the latest progress update was posted; null before the first. */
  lastProgressAt: Date | null;
}

/** An adjustment request waiting for review or decision. */
export interface PendingAdjustment {
  adjustmentRequestId: number;
  actionItemId: number;
  measure: string;
  departmentName: string;
  requesterName: string;
  /** submitted or underReview. */
  state: string;
  reason: string;
  proposedPlannedEnd: string | null;
  submittedAt: Date;
}

/** A complaint SLA stage breached during the period. */
export interface SlaBreach {
  issueId: number;
  title: string;
  stage: SlaStage;
  dueAt: Date;
  /** When the stage was reached (late); null while still unmet. */
  reachedAt: Date | null;
  departmentName: string | null;
}

/** The weekly progress meeting pack (周例会). */
export interface WeeklyReview {
  period: ReviewPeriod;
  /** The day overdue and at-risk are judged on: the week's Sunday, or today if earlier. */
  reviewDay: string;
  /** When the review was generated. */
  generatedAt: Date;
  /** At-risk tolerance in percentage points (settings `review.atRiskTolerancePercent`). */
  atRiskTolerancePercent: number;
  /** Issues opened during the week, highest priority first. */
  newIssues: ReviewIssue[];
  /** The new issues per quadrant; always the four quadrants, in priority order. */
  newIssuesByQuadrant: QuadrantCount[];
  /** Every open issue (not closed or cancelled) with its fishbone, highest priority first. */
  openIssues: ReviewIssue[];
  /** Open issues per quadrant (the four-quadrant matrix). */
  openIssuesByQuadrant: QuadrantCount[];
  /** Open issues per category, most frequent first (Pareto). */
  openIssuesByCategory: CategoryCount[];
  /** Open actions whose planned end falls in the week. */
  dueThisWeek: ActionTrackerRow[];
  /** Open actions whose planned end is before the review day. */
  overdue: ActionTrackerRow[];
  /** Open actions not overdue whose progress is behind the elapsed share of their planned time. */
  atRisk: ActionTrackerRow[];
  /** Issues whose plan waits for the operations manager's approval. */
  pendingPlanApprovals: ReviewIssue[];
  /** Adjustment requests submitted or under review. */
  pendingAdjustments: PendingAdjustment[];
  /** Open actions whose latest progress update reports blockers. */
  blockers: ActionTrackerRow[];
  /** Complaint SLA stages due during the week (up to now) and breached. */
  slaBreaches: SlaBreach[];
  /** The action tracker (模板3): every open action plus those completed during the week. */
  tracker: ActionTrackerRow[];
}

/** A completed verification check: the same metric before → after. */
export interface VerificationResult {
  verificationCheckId: number;
  issueId: number;
  issueTitle: string;
  departmentName: string | null;
  metric: string;
  dimension: string | null;
  direction: MetricDirection;
  baseline: number | null;
  result: number | null;
  /** Result minus baseline in the metric's direction (positive is better). */
  improvement: number | null;
  threshold: number;
  /** passed or failed. */
  verdict: string;
  completedAt: Date;
}

/** An issue sent back to analysis during the month. */
export interface ReturnedToAnalysis {
  issueId: number;
  issueTitle: string;
  departmentName: string | null;
  /** VERIFICATION_FAILED, REJECT_PLAN or REOPEN. */
  event: string;
  reason: string | null;
  at: Date;
}

export interface StateCount {
  state: string;
  count: number;
}

/** Issue and action status of one department. */
export interface DepartmentStatus {
  departmentId: number | null;
  departmentName: string | null;
  /** Issues by current state (see monthly-review.service.ts for which issues count). */
  issues: StateCount[];
  /** Action items by current state, same issues' actions. */
  actions: StateCount[];
}

/** One department's scorecard for the month (weights: settings `review.scorecardWeights`). */
export interface DepartmentScorecard {
  departmentId: number;
  departmentName: string;
  /** Satisfaction index 0–100 of the department's feedback in the month; null without responses. */
  satisfactionIndex: number | null;
  responses: number;
  /** Actions due in the month (not cancelled). */
  actionsDue: number;
  /** Of those, done by their planned end. */
  actionsDoneOnTime: number;
  /** actionsDoneOnTime / actionsDue, 0–1; null when nothing was due. */
  planCompletionRate: number | null;
  /** Actions due by the month's end and not done by then. */
  overdueCount: number;
  /** max(0, 100 − overduePenalty × overdueCount). */
  overdueScore: number;
  /** Weighted mean of the available components, 0–100. */
  score: number | null;
}

/** A closed issue proposed for the case library (服务改善案例库). */
export interface CaseLibraryProposal {
  issueId: number;
  title: string;
  category: string | null;
  departmentName: string | null;
  closedAt: Date;
  /** The done measures of the closing cycle. */
  measures: string[];
  /** The passed verification checks of the closing cycle. */
  verifications: VerificationResult[];
  causes: ReviewCause[];
}

/**
 * The monthly review (月度评审). The type parameters default to the analytics service's shapes;
 * they exist so a renderer written against the early contract keeps compiling.
 */
export interface MonthlyReview<TAnalytics = SatisfactionAnalysis, TTrend = SatisfactionTrend> {
  period: ReviewPeriod;
  generatedAt: Date;
  /** Satisfaction analytics of the month, grouped by department (SatisfactionAnalyticsService.analyse). */
  satisfaction: TAnalytics;
  /** The 12 months ending with this one, per dimension (SatisfactionAnalyticsService.trend). */
  trend: TTrend;
  /** Issues opened in the month. */
  newIssues: number;
  /** Issues opened in the month per quadrant. */
  newIssuesByQuadrant: QuadrantCount[];
  /** Issues opened in the month per category (Pareto). */
  newIssuesByCategory: CategoryCount[];
  /** Issues closed in the month. */
  closedIssues: number;
  byDepartment: DepartmentStatus[];
  verifications: VerificationResult[];
  returnedToAnalysis: ReturnedToAnalysis[];
  scorecards: DepartmentScorecard[];
  caseLibraryProposals: CaseLibraryProposal[];
  /** Open issues with fishbones at the time of generation (for the report's diagrams). */
  openIssues: ReviewIssue[];
  /** Open actions at the time of generation (action progress bars). */
  tracker: ActionTrackerRow[];
}
