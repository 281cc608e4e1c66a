import { DataSource } from "typeorm";
import { ActionItemService } from "./action-item.service";
import { AdjustmentRequestService } from "./adjustment-request.service";
import { AuthService } from "./auth.service";
import { CauseService } from "./cause.service";
import { ComplaintSlaService } from "./complaint-sla.service";
import { ContactConsentService } from "./contact-consent.service";
import { DirectoryService } from "./directory.service";
import { FeedbackService } from "./feedback.service";
import { IntakeRuleService } from "./intake-rule.service";
import { IntakeSettingsService } from "./intake-settings.service";
import { KeywordService } from "./keywords/keyword.service";
import { IssueService } from "./issue.service";
import { OutboxService } from "./outbox.service";
import { ReferenceService } from "./reference.service";
import { SurveyCampaignService } from "./survey-campaign.service";
import { SurveyInvitationService } from "./survey-invitation.service";
import { TransitionLogService } from "./transition-log.service";
import { VerificationCheckService } from "./verification-check.service";
import { SatisfactionAnalyticsService } from "./analytics/satisfaction.service";
import { WeeklyReviewService } from "./review/weekly-review.service";
import { MonthlyReviewService } from "./review/monthly-review.service";
import { ReviewMeetingService } from "./review/review-meeting.service";
import { ReportService } from "../report/report.service";
import { LiveUpdateService } from "./live-update.service";

/** One instance of each service per server; they hold no per-request state. */
export function createServices(dataSource: DataSource) {
  return {
    auth: new AuthService(dataSource),
    directory: new DirectoryService(dataSource),
    reference: new ReferenceService(dataSource),
    contactConsent: new ContactConsentService(dataSource),
    feedback: new FeedbackService(dataSource),
    keywords: new KeywordService(dataSource),
    intakeRules: new IntakeRuleService(dataSource),
    intakeSettings: new IntakeSettingsService(dataSource),
    issues: new IssueService(dataSource),
    causes: new CauseService(dataSource),
    actionItems: new ActionItemService(dataSource),
    adjustmentRequests: new AdjustmentRequestService(dataSource),
    verificationChecks: new VerificationCheckService(dataSource),
    surveyCampaigns: new SurveyCampaignService(dataSource),
    surveyInvitations: new SurveyInvitationService(dataSource),
    transitionLog: new TransitionLogService(dataSource),
    liveUpdates: new LiveUpdateService(dataSource),
    complaintSla: new ComplaintSlaService(dataSource),
    outbox: new OutboxService(dataSource),
    analytics: new SatisfactionAnalyticsService(dataSource),
    weeklyReview: new WeeklyReviewService(dataSource),
    monthlyReview: new MonthlyReviewService(dataSource, new SatisfactionAnalyticsService(dataSource)),
    // The meeting service carries decisions out through the action-item services (stateless, so
    // its own instances behave exactly like the ones above).
    reviewMeetings: new ReviewMeetingService(
      dataSource,
      new ActionItemService(dataSource),
      new AdjustmentRequestService(dataSource),
      new MonthlyReviewService(dataSource, new SatisfactionAnalyticsService(dataSource)),
    ),
    reports: new ReportService(
      dataSource,
      new WeeklyReviewService(dataSource),
      new MonthlyReviewService(dataSource, new SatisfactionAnalyticsService(dataSource)),
    ),
  };
}

export type Services = ReturnType<typeof createServices>;
