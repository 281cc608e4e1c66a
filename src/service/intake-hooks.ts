import type { EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import type { FeedbackSource } from "../common/enums";
import type { Feedback, Issue } from "../entity";
import { onFeedbackImported, onFeedbackRecorded, prepareImportIntake } from "./feedback-intake";
import { enqueueChangeNotice } from "./change-notice";
import { TagMatch, tagText } from "./keywords/tagger";
import { onComplaintTransition, startComplaintSla } from "./complaint-sla.service";

/**
 * Extension points of the intake features (issue 3), called inside the transaction of the change
 * so that tags, flags, deadlines and outbox rows commit with it or not at all.
 */

export interface FeedbackRecorded {
  feedback: Feedback;
  scores: { dimension: string; score: number }[];
  /** Who recorded it (the system actor for public survey answers). */
  actor: Actor;
  /** Whether intake rules may open or link issues (a complaint already opened its own). */
  applyIntakeRules: boolean;
}

/** After a piece of feedback and its scores are inserted: keywords, verification flags, rules. */
export async function afterFeedbackRecorded(tx: EntityManager, event: FeedbackRecorded): Promise<void> {
  await onFeedbackRecorded(tx, event);
}

/** After an issue is inserted (state intake): complaint SLA clocks start here. */
export async function afterIssueCreated(tx: EntityManager, issue: Issue, _actor: Actor): Promise<void> {
  await startComplaintSla(tx, issue);
}

export interface IssueTransitioned {
  issue: Issue;
  fromState: string;
  event: string;
  actor: Actor;
}

/** After an issue changed state: SLA milestones, the customer's "what we changed" notice. */
export async function afterIssueTransition(tx: EntityManager, event: IssueTransitioned): Promise<void> {
  await onComplaintTransition(tx, event);
  await enqueueChangeNotice(tx, event);
}

/** The ticket an imported row names, with what the ticket check reads of it. */
export interface ImportedTicket {
  id: number;
  code: string;
  openedAt: Date;
  firstResponseAt: Date | null;
}

/** One piece of feedback a bulk import has just inserted, as the importer holds it. */
export interface ImportedFeedback {
  id: number;
  source: FeedbackSource;
  comment: string | null;
  receivedAt: Date;
  ticket: ImportedTicket | null;
  scores: readonly { dimension: string; score: number }[];
  /** The comment's keyword tags, from the hook's tagComment. */
  keywords: TagMatch[];
}

/**
 * The intake side of one bulk import of feedback (bulk import skips the per-row hook for speed):
 * keyword tags and verification flags. Imports do not run intake rules nor set deadlines:
 * historical exports must not open issues or page people.
 */
export interface FeedbackImportHook {
  /**
   * The keyword tags of a comment, with the import's taxonomy. Pure; the importer calls it while
   * parsing, where the work overlaps the previous batch's database work instead of lengthening
   * the current batch's transaction.
   */
  tagComment(comment: string | null): TagMatch[];
  /** After each batch, in its transaction, with the rows it inserted: stores their tags and flags. */
  afterBatch(tx: EntityManager, feedback: readonly ImportedFeedback[]): Promise<void>;
}

/**
 * Prepares the hook of one import, before its first row: reads the settings and compiles the
 * keyword taxonomy (seeding the default tags into an empty one) once, so every batch of the file is
 * tagged and flagged alike and none pays for reading them again. A taxonomy or setting changed
 * during an import applies from the next import on.
 */
export async function prepareFeedbackImport(tx: EntityManager): Promise<FeedbackImportHook> {
  const intake = await prepareImportIntake(tx);
  return {
    tagComment: (comment) => tagText(comment, intake.taxonomy),
    afterBatch: (batchTx, feedback) => onFeedbackImported(batchTx, intake, feedback),
  };
}
