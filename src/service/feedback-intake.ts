import { EntityManager } from "typeorm";
import { clockOf } from "../common/clock";
import { FeedbackSource } from "../common/enums";
import { FeedbackFlagReason } from "../common/feedback-enums";
import { Feedback, ServiceTicket } from "../entity";
import {
  flagsFor,
  loadTickets,
  putToVerifyOnArrival,
  RaisedFlag,
  slowResponseTagCodes,
  storeFlags,
} from "./feedback-verification";
import { applyIntakeRules } from "./intake-rule.service";
import type { FeedbackRecorded, ImportedFeedback } from "./intake-hooks";
import {
  compileEnabled,
  loadTaxonomy,
  retagFeedback,
  storeKeywordTags,
  tagComments,
} from "./keywords/keyword.service";
import type { CompiledTaxonomy } from "./keywords/tagger";
import { loadSettings, Settings } from "./settings";

type Score = { dimension: string; score: number };

/**
 * What happens to feedback as it arrives, in the transaction that records it: keyword tags first
 * (the ticket check and the rules read them), then verification flags (TO_VERIFY with a deadline),
 * then the automatic intake rules when the caller allows them.
 */
export async function onFeedbackRecorded(tx: EntityManager, event: FeedbackRecorded): Promise<void> {
  const { feedback, scores } = event;
  const now = clockOf(tx).now();
  const settings = await loadSettings(tx);
  const taxonomy = await loadTaxonomy(tx);
  const [tagged] = tagComments([feedback], compileEnabled(taxonomy));
  await storeKeywordTags(tx, [tagged]);
  const tagCodes = tagged.matches.map((match) => match.code);

  const ticket = await ticketOf(tx, feedback.ticketId);
  const flags = flagsFor(
    {
      feedbackId: feedback.id,
      source: feedback.source,
      comment: feedback.comment,
      scores,
      tagCodes,
      slowResponseTags: slowResponseTagCodes(taxonomy),
      ticket,
    },
    settings.verification,
  );
  await putToVerifyOnArrival(tx, feedback, flags, settings, now);

  if (event.applyIntakeRules) {
    await applyIntakeRules(tx, { feedback, scores, tagCodes, taxonomy, now });
  }
}

/** What tagging and flagging imported feedback needs, read once per import (prepareFeedbackImport). */
export interface ImportIntake {
  verification: Settings["verification"];
  taxonomy: CompiledTaxonomy;
  slowResponseTags: ReadonlyMap<string, string>;
}

export async function prepareImportIntake(tx: EntityManager): Promise<ImportIntake> {
  const settings = await loadSettings(tx);
  const taxonomy = await loadTaxonomy(tx);
  return {
    verification: settings.verification,
    taxonomy: compileEnabled(taxonomy),
    slowResponseTags: slowResponseTagCodes(taxonomy),
  };
}

/**
 * Stores the tags and raises the flags of a batch of imported feedback: one multi-row insert each
 * for tags and flags, whatever the batch size, and no read. The rows, with their tags and tickets,
 * come from the importer, which has just written them. Imported feedback keeps its status: no
 * deadline, no escalation, no rules.
 */
export async function onFeedbackImported(
  tx: EntityManager,
  intake: ImportIntake,
  feedback: readonly ImportedFeedback[],
): Promise<void> {
  if (feedback.length === 0) return;
  const now = clockOf(tx).now();
  const flags: { feedbackId: number; flag: RaisedFlag }[] = [];
  for (const row of feedback) {
    const raised = flagsFor(
      {
        feedbackId: row.id,
        source: row.source,
        comment: row.comment,
        scores: byDimension(row.scores),
        tagCodes: row.keywords.map((match) => match.code),
        slowResponseTags: intake.slowResponseTags,
        ticket: row.ticket,
      },
      intake.verification,
    );
    for (const flag of raised) flags.push({ feedbackId: row.id, flag });
  }
  await storeKeywordTags(
    tx,
    feedback.map((row) => ({ feedbackId: row.id, receivedAt: row.receivedAt, matches: row.keywords })),
  );
  await storeFlags(tx, flags, now);
}

/**
 * Scores in dimension order, the order the import hook used to read them back in (by primary key),
 * so a flag listing several low scores words them as it always did whatever the file's column order.
 */
function byDimension(scores: readonly Score[]): Score[] {
  return [...scores].sort((a, b) => (a.dimension < b.dimension ? -1 : a.dimension > b.dimension ? 1 : 0));
}

/**
 * After a call-back supplemented feedback: the comment is tagged again, a ticket mismatch the new
 * words reveal is flagged (the status is the caller's decision), and the intake rules run unless
 * one acted on the feedback before, it is a complaint (which has its own issue) or it was imported
 * (historical exports never open issues).
 */
export async function afterFeedbackSupplemented(
  tx: EntityManager,
  feedback: Feedback,
  scores: { dimension: string; score: number }[],
  now: Date,
): Promise<void> {
  const settings = await loadSettings(tx);
  const taxonomy = await loadTaxonomy(tx);
  const matches = await retagFeedback(tx, feedback, taxonomy);
  const tagCodes = matches.map((match) => match.code);
  const ticket = await ticketOf(tx, feedback.ticketId);
  const mismatch = flagsFor(
    {
      feedbackId: feedback.id,
      source: feedback.source,
      comment: feedback.comment,
      scores,
      tagCodes,
      slowResponseTags: slowResponseTagCodes(taxonomy),
      ticket,
    },
    settings.verification,
  ).filter((flag) => flag.reason === FeedbackFlagReason.TICKET_MISMATCH);
  await storeFlags(tx, mismatch.map((flag) => ({ feedbackId: feedback.id, flag })), now);
  if (feedback.source !== FeedbackSource.COMPLAINT && feedback.source !== FeedbackSource.IMPORT) {
    await applyIntakeRules(tx, { feedback, scores, tagCodes, taxonomy, now });
  }
}

async function ticketOf(tx: EntityManager, ticketId: number | null): Promise<ServiceTicket | null> {
  if (ticketId === null) return null;
  return (await loadTickets(tx, [ticketId])).get(ticketId) ?? null;
}
