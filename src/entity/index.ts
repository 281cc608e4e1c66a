import { ActionItem } from "./action-item/action-item.entity";
import { ProgressUpdate } from "./action-item/progress-update.entity";
import { AdjustmentRequest } from "./adjustment-request/adjustment-request.entity";
import { Customer } from "./customer/customer.entity";
import { Department } from "./department/department.entity";
import { FeedbackScore } from "./feedback/feedback-score.entity";
import { Feedback } from "./feedback/feedback.entity";
import { Cause } from "./issue/cause.entity";
import { IssueEvidence } from "./issue/issue-evidence.entity";
import { Issue } from "./issue/issue.entity";
import { ServiceTicket } from "./service-ticket/service-ticket.entity";
import { SurveyDimension } from "./survey/survey-dimension.entity";
import { SurveyTemplate } from "./survey/survey-template.entity";
import { TransitionLog } from "./transition-log/transition-log.entity";
import { ApiToken } from "./user/api-token.entity";
import { User } from "./user/user.entity";
import { VerificationCheck } from "./verification-check/verification-check.entity";

export {
  ActionItem,
  AdjustmentRequest,
  ApiToken,
  Cause,
  Customer,
  Department,
  Feedback,
  FeedbackScore,
  Issue,
  IssueEvidence,
  ProgressUpdate,
  ServiceTicket,
  SurveyDimension,
  SurveyTemplate,
  TransitionLog,
  User,
  VerificationCheck,
};

export const ENTITIES = [
  ActionItem,
  AdjustmentRequest,
  ApiToken,
  Cause,
  Customer,
  Department,
  Feedback,
  FeedbackScore,
  Issue,
  IssueEvidence,
  ProgressUpdate,
  ServiceTicket,
  SurveyDimension,
  SurveyTemplate,
  TransitionLog,
  User,
  VerificationCheck,
];
