import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import {
  FeedbackFlag,
  FeedbackKeyword,
  FeedbackVerificationEntry,
  IntakeRule,
  IntakeRuleMatch,
  KeywordTag,
} from "../../entity";
import { byIdLoader, groupBy } from "./entity-loaders";

/**
 * Loaders of feedback verification, keyword tags and intake rules: one statement per relation
 * and request, whatever the number of feedback in the page.
 */
export function feedbackIntakeLoaders(dataSource: DataSource) {
  return {
    flagsByFeedback: new DataLoader<number, FeedbackFlag[]>(async (feedbackIds) => {
      const rows = await dataSource
        .getRepository(FeedbackFlag)
        .find({ where: { feedbackId: In([...feedbackIds]) }, order: { flaggedAt: "ASC", reason: "ASC" } });
      return groupBy(feedbackIds, rows, (row) => row.feedbackId);
    }),
    keywordsByFeedback: new DataLoader<number, FeedbackKeyword[]>(async (feedbackIds) => {
      const rows = await dataSource
        .getRepository(FeedbackKeyword)
        .find({ where: { feedbackId: In([...feedbackIds]) }, order: { tagCode: "ASC" } });
      return groupBy(feedbackIds, rows, (row) => row.feedbackId);
    }),
    verificationHistoryByFeedback: new DataLoader<number, FeedbackVerificationEntry[]>(async (feedbackIds) => {
      const rows = await dataSource
        .getRepository(FeedbackVerificationEntry)
        .find({ where: { feedbackId: In([...feedbackIds]) }, order: { id: "ASC" } });
      return groupBy(feedbackIds, rows, (row) => row.feedbackId);
    }),
    intakeMatchByFeedback: new DataLoader<number, IntakeRuleMatch | null>(async (feedbackIds) => {
      const rows = await dataSource.getRepository(IntakeRuleMatch).findBy({ feedbackId: In([...feedbackIds]) });
      const byId = new Map(rows.map((row) => [row.feedbackId, row]));
      return feedbackIds.map((id) => byId.get(id) ?? null);
    }),
    keywordTagByCode: new DataLoader<string, KeywordTag | null>(async (codes) => {
      const rows = await dataSource.getRepository(KeywordTag).findBy({ code: In([...codes]) });
      const byCode = new Map(rows.map((row) => [row.code, row]));
      return codes.map((code) => byCode.get(code) ?? null);
    }),
    intakeMatchesByIssue: new DataLoader<number, IntakeRuleMatch[]>(async (issueIds) => {
      const rows = await dataSource
        .getRepository(IntakeRuleMatch)
        .find({ where: { issueId: In([...issueIds]) }, order: { matchedAt: "ASC", feedbackId: "ASC" } });
      return groupBy(issueIds, rows, (row) => row.issueId);
    }),
    intakeRule: byIdLoader(dataSource, IntakeRule),
  };
}
