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
import type { Actor } from "../../../workflows/actor";
import { Resource } from "../../auth/policy";
import { byIdLoader, childrenLoader, groupBy } from "./entity-loaders";
import { latestConsentLoader } from "./contact-consent.loader";
import { evidenceByIssueLoader } from "./evidence-by-issue.loader";
import { feedbackIntakeLoaders } from "./feedback-intake.loaders";
import { invitationStatsLoader } from "./invitation-stats.loader";
import { issueFactsLoader } from "./issue-facts.loader";
import { slaLoaders } from "./sla.loaders";

/**
 * Per-request DataLoaders for every relation, so a nested list costs one statement per level
 * whatever its length. Created fresh for each request: nothing is cached across users. Loaders of
 * objects with row-level visibility (src/auth/policy.ts) return only what `actor` may see: null
 * by id, left out of child lists. A null actor (internal use, no request) is not restricted.
 */
export function createLoaders(dataSource: DataSource, actor: Actor | null = null) {
  const scope = (resource: Resource) => ({ actor, resource });
  return {
    department: byIdLoader(dataSource, Department),
    user: byIdLoader(dataSource, User),
    customer: byIdLoader(dataSource, Customer),
    contactConsent: latestConsentLoader(dataSource),
    serviceTicket: byIdLoader(dataSource, ServiceTicket),
    surveyTemplate: byIdLoader(dataSource, SurveyTemplate),
    feedback: byIdLoader(dataSource, Feedback, scope(Resource.FEEDBACK)),
    issue: byIdLoader(dataSource, Issue, scope(Resource.ISSUE)),
    cause: byIdLoader(dataSource, Cause, scope(Resource.CAUSE)),
    actionItem: byIdLoader(dataSource, ActionItem, scope(Resource.ACTION_ITEM)),
    adjustmentRequest: byIdLoader(dataSource, AdjustmentRequest, scope(Resource.ADJUSTMENT_REQUEST)),
    verificationCheck: byIdLoader(dataSource, VerificationCheck, scope(Resource.VERIFICATION_CHECK)),
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
    evidenceByIssue: evidenceByIssueLoader(dataSource, scope(Resource.FEEDBACK)),
    causesByIssue: childrenLoader(dataSource, Cause, "issueId", scope(Resource.CAUSE)),
    causesByParent: childrenLoader(dataSource, Cause, "parentId", scope(Resource.CAUSE)),
    actionItemsByIssue: childrenLoader(dataSource, ActionItem, "issueId", scope(Resource.ACTION_ITEM)),
    actionItemsByCause: childrenLoader(dataSource, ActionItem, "causeId", scope(Resource.ACTION_ITEM)),
    progressUpdatesByActionItem: childrenLoader(dataSource, ProgressUpdate, "actionItemId"),
    adjustmentRequestsByActionItem: childrenLoader(dataSource, AdjustmentRequest, "actionItemId", scope(Resource.ADJUSTMENT_REQUEST)),
    verificationChecksByIssue: childrenLoader(dataSource, VerificationCheck, "issueId", scope(Resource.VERIFICATION_CHECK)),
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
