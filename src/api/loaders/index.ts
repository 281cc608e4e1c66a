import DataLoader from "dataloader";
import { DataSource } from "typeorm";
import { WorkflowEntity } from "../../common/enums";
import {
  ActionItem,
  AdjustmentRequest,
  Cause,
  Customer,
  Department,
  Feedback,
  FeedbackScore,
  Issue,
  ProgressUpdate,
  ServiceTicket,
  SurveyCampaign,
  SurveyDimension,
  SurveyInvitation,
  SurveyTemplate,
  TransitionLog,
  User,
  VerificationCheck,
  ReviewDecision,
  ReviewMeeting,
} from "../../entity";
import { byIdLoader, childrenLoader, groupBy } from "./entity-loaders";
import { evidenceByIssueLoader } from "./evidence-by-issue.loader";
import { feedbackIntakeLoaders } from "./feedback-intake.loaders";
import { invitationStatsLoader } from "./invitation-stats.loader";
import { issueFactsLoader } from "./issue-facts.loader";
import { slaLoaders } from "./sla.loaders";

/**
 * Per-request DataLoaders for every relation, so a nested list costs one statement per level
 * whatever its length. Created fresh for each request: nothing is cached across users.
 */
export function createLoaders(dataSource: DataSource) {
  return {
    department: byIdLoader(dataSource, Department),
    user: byIdLoader(dataSource, User),
    customer: byIdLoader(dataSource, Customer),
    serviceTicket: byIdLoader(dataSource, ServiceTicket),
    surveyTemplate: byIdLoader(dataSource, SurveyTemplate),
    feedback: byIdLoader(dataSource, Feedback),
    issue: byIdLoader(dataSource, Issue),
    cause: byIdLoader(dataSource, Cause),
    actionItem: byIdLoader(dataSource, ActionItem),
    adjustmentRequest: byIdLoader(dataSource, AdjustmentRequest),
    verificationCheck: byIdLoader(dataSource, VerificationCheck),
    surveyCampaign: byIdLoader(dataSource, SurveyCampaign),
    surveyInvitation: byIdLoader(dataSource, SurveyInvitation),

    dimensionsByTemplate: childrenLoader(dataSource, SurveyDimension, "templateId"),
    scoresByFeedback: new DataLoader<number, FeedbackScore[]>(async (feedbackIds) => {
      const rows = await dataSource
        .getRepository(FeedbackScore)
        .createQueryBuilder("s")
        .where("s.feedbackId IN (:...feedbackIds)", { feedbackIds })
        .orderBy("s.dimension", "ASC")
        .getMany();
      return groupBy(feedbackIds, rows, (row) => row.feedbackId);
    }),
    evidenceByIssue: evidenceByIssueLoader(dataSource),
    causesByIssue: childrenLoader(dataSource, Cause, "issueId"),
    causesByParent: childrenLoader(dataSource, Cause, "parentId"),
    actionItemsByIssue: childrenLoader(dataSource, ActionItem, "issueId"),
    actionItemsByCause: childrenLoader(dataSource, ActionItem, "causeId"),
    progressUpdatesByActionItem: childrenLoader(dataSource, ProgressUpdate, "actionItemId"),
    adjustmentRequestsByActionItem: childrenLoader(dataSource, AdjustmentRequest, "actionItemId"),
    verificationChecksByIssue: childrenLoader(dataSource, VerificationCheck, "issueId"),
    issueFacts: issueFactsLoader(dataSource),
    history: historyLoader(dataSource),
    ...feedbackIntakeLoaders(dataSource),
    invitationStats: invitationStatsLoader(dataSource),
    ...slaLoaders(dataSource),
    reviewMeeting: byIdLoader(dataSource, ReviewMeeting),
    decisionsByMeeting: childrenLoader(dataSource, ReviewDecision, "meetingId"),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Transition log of many objects of one kind; key is "ENTITY:id". */
function historyLoader(dataSource: DataSource) {
  return new DataLoader<{ entityType: WorkflowEntity; entityId: number }, TransitionLog[], string>(
    async (keys) => {
      const rows = await dataSource
        .getRepository(TransitionLog)
        .createQueryBuilder("t")
        .where(
          keys.map((_, i) => `(t.entityType = :type${i} AND t.entityId = :id${i})`).join(" OR "),
          Object.fromEntries(keys.flatMap((k, i) => [[`type${i}`, k.entityType], [`id${i}`, k.entityId]])),
        )
        .orderBy("t.id", "ASC")
        .getMany();
      const keyOf = (k: { entityType: string; entityId: number }) => `${k.entityType}:${k.entityId}`;
      return groupBy(keys.map(keyOf), rows, keyOf);
    },
    { cacheKeyFn: (k) => `${k.entityType}:${k.entityId}` },
  );
}
