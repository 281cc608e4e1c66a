import path from "node:path";
import { GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { projectRoot } from "../common/paths";
import { authChecker } from "./auth-checker";
import { ActionItemResolver, ProgressUpdateResolver } from "./resolvers/action-item.resolver";
import { AdjustmentRequestResolver } from "./resolvers/adjustment-request.resolver";
import { CauseResolver } from "./resolvers/cause.resolver";
import { ContactConsentResolver } from "./resolvers/contact-consent.resolver";
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
import { LiveUpdateResolver } from "./subscriptions/live-update.resolver";
import { topicPubSubUnused } from "./subscriptions/live-events";

export const RESOLVERS = [
  DirectoryResolver,
  ReferenceResolver,
  ContactConsentResolver,
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
  LiveUpdateResolver,
] as const;

/**
 * type-graphql 2 creates Query, Mutation and Subscription itself and offers no option to describe
 * them, so the descriptions are set on the built schema (once, as it is cached below).
 */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query) {
    query.description =
      "Reads: look up and list the after-sales quality data (feedback, issues, actions, surveys, SLAs, analytics).";
  }
  if (mutation) {
    mutation.description =
      "Writes: record feedback and complaints, and move issues, actions and checks through their workflows; " +
      "a refused workflow move is returned as an ErrorResult, not thrown.";
  }
  if (subscription) {
    subscription.description = "Live updates over WebSocket (graphql-ws on /graphql), sent once the change is committed.";
  }
  return schema;
}

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    pubSub: topicPubSubUnused,
    validate: { forbidUnknownValues: false },
  }).then(describeRootTypes);
  return built;
}

export const schemaFile = () => path.join(projectRoot(), "schema", "schema.graphql");

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSchemaSdl(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + "\n";
}
