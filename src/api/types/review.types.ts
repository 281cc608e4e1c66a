import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { CauseCategory, Impact, IssueKind, MetricDirection, Quadrant } from "../../common/enums";
import { SlaStage } from "../../entity/sla/sla-stage";
import type * as Review from "../../service/review/types";
import { SatisfactionAnalytics, SatisfactionTrend } from "./satisfaction-analytics.types";

/**
 * GraphQL shapes of the plain review data (src/service/review/types.ts); each class implements
 * its interface so the two cannot drift.
 */

@ObjectType({ description: "A review period; both days inclusive (UTC calendar days)." })
export class ReviewPeriod implements Review.ReviewPeriod {
  @Field({ description: "2026-W47 for a week, 2026-10 for a month." })
  label: string;

  @Field({ description: "First day, YYYY-MM-DD." })
  from: string;

  @Field({ description: "Last day, YYYY-MM-DD (inclusive)." })
  to: string;
}

@ObjectType({ description: "A fishbone cause with its sub-causes (why-chain)." })
export class ReviewCause implements Review.ReviewCause {
  @Field(() => ID, { description: "The cause's id." })
  id: number;

  @Field(() => CauseCategory, { description: "The bone it hangs on (人机料法环测)." })
  category: CauseCategory;

  @Field({ description: "The cause, stated plainly." })
  text: string;

  @Field({ description: "hypothesis, confirmed or refuted." })
  state: string;

  @Field(() => [ReviewCause], { description: "Sub-causes, ordered by id." })
  subCauses: ReviewCause[];
}

@ObjectType({ description: "An issue as a review shows it, with its fishbone." })
export class ReviewIssue implements Review.ReviewIssue {
  @Field(() => ID, { description: "The issue's id." })
  id: number;

  @Field(() => IssueKind, { description: "Complaint or systemic." })
  kind: IssueKind;

  @Field({ description: "Short title." })
  title: string;

  @Field({ description: "Workflow state." })
  state: string;

  @Field(() => Quadrant, { description: "Urgent × important quadrant." })
  quadrant: Quadrant;

  @Field(() => Int, { description: "Priority 1 (highest) to 4." })
  priority: number;

  @Field(() => Impact, { nullable: true, description: "Impact, set at triage." })
  impact: Impact | null;

  @Field(() => String, { nullable: true, description: "Problem category; null when none." })
  category: string | null;

  @Field(() => ID, { nullable: true, description: "Responsible department." })
  departmentId: number | null;

  @Field(() => String, { nullable: true, description: "Name of the responsible department." })
  departmentName: string | null;

  @Field(() => Int, { description: "Improvement cycle." })
  cycle: number;

  @Field({ description: "When the issue was opened." })
  createdAt: Date;

  @Field(() => [ReviewCause], { description: "Top-level causes, each with its sub-causes." })
  causes: ReviewCause[];
}

@ObjectType({ description: "Number of issues in one urgent × important quadrant." })
export class QuadrantCount implements Review.QuadrantCount {
  @Field(() => Quadrant, { description: "The quadrant." })
  quadrant: Quadrant;

  @Field(() => Int, { description: "Issues in it." })
  count: number;
}

@ObjectType({ description: "Number of issues of one category (a Pareto bar); 'none' for uncategorised." })
export class CategoryCount implements Review.CategoryCount {
  @Field({ description: "The category." })
  category: string;

  @Field(() => Int, { description: "Issues of it." })
  count: number;
}

@ObjectType({
  description:
    "One action tracker row with the columns of template 3 (改善措施跟踪表): measure, department, owner, " +
    "planned start and end, progress %, blockers, adjustment, next step.",
})
export class ActionTrackerRow implements Review.ActionTrackerRow {
  @Field(() => ID, { description: "The action item." })
  actionItemId: number;

  @Field(() => ID, { description: "Its issue." })
  issueId: number;

  @Field({ description: "Its issue's title." })
  issueTitle: string;

  @Field({ description: "改善措施: what is done." })
  measure: string;

  @Field(() => ID, { description: "Owning department." })
  departmentId: number;

  @Field({ description: "责任部门: owning department's name." })
  departmentName: string;

  @Field(() => ID, { description: "Owner." })
  ownerId: number;

  @Field({ description: "责任人: owner's name." })
  ownerName: string;

  @Field({ description: "计划开始: planned start day." })
  plannedStart: string;

  @Field({ description: "计划完成: planned end day." })
  plannedEnd: string;

  @Field(() => String, { nullable: true, description: "Day it was completed." })
  actualEnd: string | null;

  @Field(() => Int, { description: "进度: progress in percent." })
  progress: number;

  @Field({ description: "Workflow state." })
  state: string;

  @Field(() => Float, { description: "Share of the planned days elapsed by the review day, 0–1." })
  elapsedShare: number;

  @Field(() => Int, { description: "Days past the planned end on the review day; 0 when not overdue." })
  daysOverdue: number;

  @Field(() => String, { nullable: true, description: "存在问题: blockers of the latest progress update." })
  blockers: string | null;

  @Field(() => String, { nullable: true, description: "调整: the latest adjustment request, summarised." })
  adjustment: string | null;

  @Field(() => String, { nullable: true, description: "下一步行动: next step of the latest progress update." })
  nextStep: string | null;

  @Field(() => Date, { nullable: true, description: "When the latest progress update was posted." })
  lastProgressAt: Date | null;
}

@ObjectType({ description: "An adjustment request waiting for review or decision." })
export class PendingAdjustment implements Review.PendingAdjustment {
  @Field(() => ID, { description: "The adjustment request." })
  adjustmentRequestId: number;

  @Field(() => ID, { description: "The action item it adjusts." })
  actionItemId: number;

  @Field({ description: "That action's measure." })
  measure: string;

  @Field({ description: "Department of the action." })
  departmentName: string;

  @Field({ description: "Who filed the request." })
  requesterName: string;

  @Field({ description: "submitted or underReview." })
  state: string;

  @Field({ description: "Why the plan cannot go ahead as agreed." })
  reason: string;

  @Field(() => String, { nullable: true, description: "Proposed new planned end." })
  proposedPlannedEnd: string | null;

  @Field({ description: "When it was filed." })
  submittedAt: Date;
}

@ObjectType({ description: "A complaint SLA stage that fell due in the period and is breached." })
export class SlaBreach implements Review.SlaBreach {
  @Field(() => ID, { description: "The complaint." })
  issueId: number;

  @Field({ description: "Its title." })
  title: string;

  @Field(() => SlaStage, { description: "RESPOND, PLAN or CLOSE." })
  stage: SlaStage;

  @Field({ description: "When the stage was due." })
  dueAt: Date;

  @Field(() => Date, { nullable: true, description: "When it was reached (late); null while unmet." })
  reachedAt: Date | null;

  @Field(() => String, { nullable: true, description: "Responsible department." })
  departmentName: string | null;
}

@ObjectType({
  description:
    "The weekly progress meeting pack (周例会), generated from the data. At risk: an open action not " +
    "overdue whose progress % < 100 × elapsed share of its planned days − atRiskTolerancePercent.",
})
export class WeeklyReview implements Review.WeeklyReview {
  @Field(() => ReviewPeriod, { description: "The ISO week, Monday–Sunday." })
  period: ReviewPeriod;

  @Field({ description: "The day overdue and at-risk are judged on: the week's Sunday, or today if earlier." })
  reviewDay: string;

  @Field({ description: "When the review was generated." })
  generatedAt: Date;

  @Field(() => Int, { description: "At-risk tolerance in percentage points (settings review.atRiskTolerancePercent)." })
  atRiskTolerancePercent: number;

  @Field(() => [ReviewIssue], { description: "Issues opened during the week, highest priority first." })
  newIssues: ReviewIssue[];

  @Field(() => [QuadrantCount], { description: "New issues per quadrant (all four, in priority order)." })
  newIssuesByQuadrant: QuadrantCount[];

  @Field(() => [ReviewIssue], { description: "Open issues with their fishbones, highest priority first." })
  openIssues: ReviewIssue[];

  @Field(() => [QuadrantCount], { description: "Open issues per quadrant (the four-quadrant matrix)." })
  openIssuesByQuadrant: QuadrantCount[];

  @Field(() => [CategoryCount], { description: "Open issues per category, most frequent first (Pareto)." })
  openIssuesByCategory: CategoryCount[];

  @Field(() => [ActionTrackerRow], { description: "Open actions whose planned end falls in the week." })
  dueThisWeek: ActionTrackerRow[];

  @Field(() => [ActionTrackerRow], { description: "Open actions past their planned end on the review day." })
  overdue: ActionTrackerRow[];

  @Field(() => [ActionTrackerRow], { description: "Open actions behind the elapsed share of their planned time." })
  atRisk: ActionTrackerRow[];

  @Field(() => [ReviewIssue], { description: "Issues whose plan waits for approval." })
  pendingPlanApprovals: ReviewIssue[];

  @Field(() => [PendingAdjustment], { description: "Adjustment requests submitted or under review." })
  pendingAdjustments: PendingAdjustment[];

  @Field(() => [ActionTrackerRow], { description: "Open actions whose latest progress update reports blockers." })
  blockers: ActionTrackerRow[];

  @Field(() => [SlaBreach], { description: "Complaint SLA stages due in the week (up to now) and breached." })
  slaBreaches: SlaBreach[];

  @Field(() => [ActionTrackerRow], {
    description: "The action tracker (模板3): every open action plus those completed in the week, by planned end.",
  })
  tracker: ActionTrackerRow[];
}

@ObjectType({ description: "A completed verification check: the same metric before → after." })
export class VerificationResult implements Review.VerificationResult {
  @Field(() => ID, { description: "The check." })
  verificationCheckId: number;

  @Field(() => ID, { description: "Its issue." })
  issueId: number;

  @Field({ description: "Its issue's title." })
  issueTitle: string;

  @Field(() => String, { nullable: true, description: "Responsible department." })
  departmentName: string | null;

  @Field({ description: "What is measured." })
  metric: string;

  @Field(() => String, { nullable: true, description: "Survey dimension code for a score metric." })
  dimension: string | null;

  @Field(() => MetricDirection, { description: "Which way the metric improves." })
  direction: MetricDirection;

  @Field(() => Float, { nullable: true, description: "Before." })
  baseline: number | null;

  @Field(() => Float, { nullable: true, description: "After." })
  result: number | null;

  @Field(() => Float, { nullable: true, description: "Improvement in the metric's direction (positive is better)." })
  improvement: number | null;

  @Field(() => Float, { description: "Least improvement that counts as effective." })
  threshold: number;

  @Field({ description: "passed or failed." })
  verdict: string;

  @Field({ description: "When the verdict was reached." })
  completedAt: Date;
}

@ObjectType({ description: "An issue sent back to analysis: failed verification, rejected plan or recurrence." })
export class ReturnedToAnalysis implements Review.ReturnedToAnalysis {
  @Field(() => ID, { description: "The issue." })
  issueId: number;

  @Field({ description: "Its title." })
  issueTitle: string;

  @Field(() => String, { nullable: true, description: "Responsible department." })
  departmentName: string | null;

  @Field({ description: "VERIFICATION_FAILED, REJECT_PLAN or REOPEN." })
  event: string;

  @Field(() => String, { nullable: true, description: "Reason logged with the event." })
  reason: string | null;

  @Field({ description: "When it happened." })
  at: Date;
}

@ObjectType({ description: "How many objects are in one workflow state." })
export class StateCount implements Review.StateCount {
  @Field({ description: "The state." })
  state: string;

  @Field(() => Int, { description: "Objects in it." })
  count: number;
}

@ObjectType({ description: "Issue and action status of one department (current states)." })
export class DepartmentStatus implements Review.DepartmentStatus {
  @Field(() => ID, { nullable: true, description: "The department; null for issues without one." })
  departmentId: number | null;

  @Field(() => String, { nullable: true, description: "Its name." })
  departmentName: string | null;

  @Field(() => [StateCount], {
    description: "Issues by state: those existing by the month's end, not closed before it began, not cancelled.",
  })
  issues: StateCount[];

  @Field(() => [StateCount], { description: "Those issues' action items by state, under the action's department." })
  actions: StateCount[];
}

@ObjectType({
  description:
    "A department's scorecard for the month. score = Σ weight × component / Σ weight over the non-null " +
    "components: satisfactionIndex, planCompletionRate × 100, overdueScore (settings review.scorecardWeights).",
})
export class DepartmentScorecard implements Review.DepartmentScorecard {
  @Field(() => ID, { description: "The department." })
  departmentId: number;

  @Field({ description: "Its name." })
  departmentName: string;

  @Field(() => Float, { nullable: true, description: "Satisfaction index 0–100 of its feedback in the month." })
  satisfactionIndex: number | null;

  @Field(() => Int, { description: "Valid responses behind the index." })
  responses: number;

  @Field(() => Int, { description: "Actions planned to end in the month (cancelled and drafts aside)." })
  actionsDue: number;

  @Field(() => Int, { description: "Of those, done by their planned end." })
  actionsDoneOnTime: number;

  @Field(() => Float, { nullable: true, description: "actionsDoneOnTime / actionsDue, 0–1; null when none was due." })
  planCompletionRate: number | null;

  @Field(() => Int, { description: "Actions due by the month's end and not done by then." })
  overdueCount: number;

  @Field(() => Float, { description: "max(0, 100 − review.overduePenaltyPerAction × overdueCount)." })
  overdueScore: number;

  @Field(() => Float, { nullable: true, description: "Weighted score, 0–100, 2 decimals." })
  score: number | null;
}

@ObjectType({ description: "A closed issue with a passed verification, proposed for the case library (服务改善案例库)." })
export class CaseLibraryProposal implements Review.CaseLibraryProposal {
  @Field(() => ID, { description: "The issue." })
  issueId: number;

  @Field({ description: "Its title." })
  title: string;

  @Field(() => String, { nullable: true, description: "Its category." })
  category: string | null;

  @Field(() => String, { nullable: true, description: "Responsible department." })
  departmentName: string | null;

  @Field({ description: "When it was closed." })
  closedAt: Date;

  @Field(() => [String], { description: "The done measures of the closing cycle." })
  measures: string[];

  @Field(() => [VerificationResult], { description: "The passed verification checks of the closing cycle." })
  verifications: VerificationResult[];

  @Field(() => [ReviewCause], { description: "Its fishbone." })
  causes: ReviewCause[];
}

@ObjectType({ description: "The monthly review (月度评审)." })
export class MonthlyReview implements Review.MonthlyReview<SatisfactionAnalytics, SatisfactionTrend> {
  @Field(() => ReviewPeriod, { description: "The calendar month." })
  period: ReviewPeriod;

  @Field({ description: "When the review was generated." })
  generatedAt: Date;

  @Field(() => SatisfactionAnalytics, { description: "Satisfaction analytics of the month, grouped by department." })
  satisfaction: SatisfactionAnalytics;

  @Field(() => SatisfactionTrend, { description: "The 12 months ending with this one, per dimension." })
  trend: SatisfactionTrend;

  @Field(() => Int, { description: "Issues opened in the month." })
  newIssues: number;

  @Field(() => [QuadrantCount], { description: "Issues opened in the month per quadrant." })
  newIssuesByQuadrant: QuadrantCount[];

  @Field(() => [CategoryCount], { description: "Issues opened in the month per category (Pareto)." })
  newIssuesByCategory: CategoryCount[];

  @Field(() => Int, { description: "Issues closed in the month." })
  closedIssues: number;

  @Field(() => [DepartmentStatus], { description: "Issue and action status by department." })
  byDepartment: DepartmentStatus[];

  @Field(() => [VerificationResult], { description: "Verification checks completed in the month: before → after." })
  verifications: VerificationResult[];

  @Field(() => [ReturnedToAnalysis], { description: "Issues sent back to analysis in the month." })
  returnedToAnalysis: ReturnedToAnalysis[];

  @Field(() => [DepartmentScorecard], { description: "One scorecard per department." })
  scorecards: DepartmentScorecard[];

  @Field(() => [CaseLibraryProposal], { description: "Issues closed in the month with a passed verification." })
  caseLibraryProposals: CaseLibraryProposal[];

  @Field(() => [ReviewIssue], { description: "Open issues now, with fishbones." })
  openIssues: ReviewIssue[];

  @Field(() => [ActionTrackerRow], { description: "Open actions now (template 3 tracker)." })
  tracker: ActionTrackerRow[];
}
