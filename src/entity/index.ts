import { ActionItem } from "./action-item/action-item.entity";
import { ProgressUpdate } from "./action-item/progress-update.entity";
import { AdjustmentRequest } from "./adjustment-request/adjustment-request.entity";
import { Customer } from "./customer/customer.entity";
import { ContactConsent } from "./customer/contact-consent.entity";
import { ScheduledJob } from "./job/scheduled-job.entity";
import { OutboxMessage } from "./outbox/outbox-message.entity";
import { Setting } from "./setting/setting.entity";
import { ComplaintSla } from "./sla/complaint-sla.entity";
import { SlaEscalation } from "./sla/sla-escalation.entity";
import { Department } from "./department/department.entity";
import { FeedbackScore } from "./feedback/feedback-score.entity";
import { Feedback } from "./feedback/feedback.entity";
import { FeedbackFlag } from "./feedback/feedback-flag.entity";
import { FeedbackVerificationEntry } from "./feedback/feedback-verification.entity";
import { IntakeIssueSlot } from "./intake-rule/intake-issue-slot.entity";
import { IntakeRuleMatch } from "./intake-rule/intake-rule-match.entity";
import { IntakeRule } from "./intake-rule/intake-rule.entity";
import { FeedbackKeyword } from "./keyword/feedback-keyword.entity";
import { KeywordTag } from "./keyword/keyword-tag.entity";
import { Cause } from "./issue/cause.entity";
import { IssueEvidence } from "./issue/issue-evidence.entity";
import { Issue } from "./issue/issue.entity";
import { ServiceTicket } from "./service-ticket/service-ticket.entity";
import { SurveyCampaign } from "./survey/survey-campaign.entity";
import { SurveyDimension } from "./survey/survey-dimension.entity";
import { SurveyInvitation } from "./survey/survey-invitation.entity";
import { SurveyTemplate } from "./survey/survey-template.entity";
import { TransitionLog } from "./transition-log/transition-log.entity";
import { ApiToken } from "./user/api-token.entity";
import { User } from "./user/user.entity";
import { VerificationCheck } from "./verification-check/verification-check.entity";
import { ReviewAgendaItem } from "./review-meeting/review-agenda-item.entity";
import { ReviewDecision } from "./review-meeting/review-decision.entity";
import { ReviewMeeting } from "./review-meeting/review-meeting.entity";
import { RollupKeyword, RollupPendingFeedback, RollupResponse, RollupScore } from "./rollup/rollup.entity";
import { IdempotencyKey } from "./idempotency/idempotency-key.entity";

export {
  ActionItem,
  ContactConsent,
  AdjustmentRequest,
  ApiToken,
  Cause,
  ComplaintSla,
  Customer,
  Department,
  Feedback,
  FeedbackScore,
  FeedbackFlag,
  FeedbackKeyword,
  FeedbackVerificationEntry,
  IdempotencyKey,
  IntakeIssueSlot,
  IntakeRule,
  IntakeRuleMatch,
  KeywordTag,
  Issue,
  IssueEvidence,
  OutboxMessage,
  ProgressUpdate,
  ScheduledJob,
  ServiceTicket,
  Setting,
  SlaEscalation,
  SurveyCampaign,
  SurveyDimension,
  SurveyInvitation,
  SurveyTemplate,
  TransitionLog,
  User,
  VerificationCheck,
  RollupScore,
  RollupResponse,
  RollupKeyword,
  RollupPendingFeedback,
  ReviewAgendaItem,
  ReviewDecision,
  ReviewMeeting,
};

export const ENTITIES = [
  ActionItem,
  AdjustmentRequest,
  ApiToken,
  Cause,
  ComplaintSla,
  Customer,
  Department,
  Feedback,
  FeedbackScore,
  FeedbackFlag,
  FeedbackKeyword,
  FeedbackVerificationEntry,
  IntakeIssueSlot,
  IntakeRule,
  IntakeRuleMatch,
  KeywordTag,
  Issue,
  IssueEvidence,
  OutboxMessage,
  ProgressUpdate,
  ScheduledJob,
  ServiceTicket,
  Setting,
  SlaEscalation,
  SurveyCampaign,
  SurveyDimension,
  SurveyInvitation,
  SurveyTemplate,
  TransitionLog,
  User,
  VerificationCheck,
  RollupScore,
  RollupResponse,
  RollupKeyword,
  RollupPendingFeedback,
  ReviewAgendaItem,
  ReviewDecision,
  ReviewMeeting,
  ContactConsent,
  IdempotencyKey,
];
