import path from "node:path";
import { GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { projectRoot } from "../common/paths";
import { authChecker } from "./auth-checker";
import { ActionItemResolver, ProgressUpdateResolver } from "./resolvers/action-item.resolver";
import { AdjustmentRequestResolver } from "./resolvers/adjustment-request.resolver";
import { CauseResolver } from "./resolvers/cause.resolver";
import {
  ComplaintSlaAttainmentResolver,
  ComplaintSlaResolver,
  IssueSlaResolver,
  SlaEscalationResolver,
} from "./resolvers/complaint-sla.resolver";
import { DirectoryResolver } from "./resolvers/directory.resolver";
import {
  FeedbackKeywordResolver,
  FeedbackResolver,
  FeedbackVerificationEntryResolver,
  IntakeRuleMatchResolver,
  IssueIntakeResolver,
} from "./resolvers/feedback.resolver";
import { IntakeRuleActionResolver, IntakeRuleResolver } from "./resolvers/intake-rule.resolver";
import { IntakeSettingsResolver } from "./resolvers/intake-settings.resolver";
import { KeywordResolver } from "./resolvers/keyword.resolver";
import { IssueResolver } from "./resolvers/issue.resolver";
import { OutboxResolver } from "./resolvers/outbox.resolver";
import { ReferenceResolver, ServiceTicketResolver, SurveyTemplateResolver } from "./resolvers/reference.resolver";
import { PublicSurveyResolver, SurveyCampaignResolver, SurveyInvitationResolver } from "./resolvers/survey.resolver";
import { VerificationCheckResolver } from "./resolvers/verification-check.resolver";
import { WorkflowResolver } from "./resolvers/workflow.resolver";
import { SatisfactionAnalyticsResolver } from "./resolvers/satisfaction-analytics.resolver";
import { ReviewResolver } from "./resolvers/review.resolver";
import { ReviewDecisionResolver, ReviewMeetingResolver } from "./resolvers/review-meeting.resolver";

export const RESOLVERS = [
  DirectoryResolver,
  ReferenceResolver,
  ServiceTicketResolver,
  SurveyTemplateResolver,
  FeedbackResolver,
  FeedbackVerificationEntryResolver,
  FeedbackKeywordResolver,
  IntakeRuleMatchResolver,
  IssueIntakeResolver,
  KeywordResolver,
  IntakeRuleResolver,
  IntakeRuleActionResolver,
  IntakeSettingsResolver,
  IssueResolver,
  CauseResolver,
  ActionItemResolver,
  ProgressUpdateResolver,
  AdjustmentRequestResolver,
  VerificationCheckResolver,
  WorkflowResolver,
  SurveyCampaignResolver,
  SurveyInvitationResolver,
  PublicSurveyResolver,
  IssueSlaResolver,
  ComplaintSlaResolver,
  SlaEscalationResolver,
  ComplaintSlaAttainmentResolver,
  OutboxResolver,
  SatisfactionAnalyticsResolver,
  ReviewResolver,
  ReviewMeetingResolver,
  ReviewDecisionResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    validate: { forbidUnknownValues: false },
  });
  return built;
}

export const schemaFile = () => path.join(projectRoot(), "schema", "schema.graphql");

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSchemaSdl(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + "\n";
}
