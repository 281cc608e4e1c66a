import { GraphQLError } from "graphql";
import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { clockOf, HOUR_MS } from "../common/clock";
import { Channel, FeedbackSource, VerificationStatus } from "../common/enums";
import { FeedbackFlagReason, VerificationAction } from "../common/feedback-enums";
import { badInput, ErrorCodes } from "../common/errors";
import { TransitionErrorCode } from "../common/error-results";
import { optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import {
  Customer,
  Feedback,
  FeedbackFlag,
  FeedbackKeyword,
  FeedbackScore,
  ServiceTicket,
  SurveyDimension,
  SurveyTemplate,
} from "../entity";
import { addToRollups, countNewFeedback, onVerificationStatusChanged } from "./analytics/rollups";
import { Resource, restrictToVisible } from "../auth/policy";
import { findOrFail, findVisibleOrFail, reload } from "./common";
import { afterFeedbackSupplemented } from "./feedback-intake";
import { appendHistory, cancelVerifyDue, scheduleVerifyDue } from "./feedback-verification";
import { afterFeedbackRecorded } from "./intake-hooks";
import { loadSettings } from "./settings";
import { ConsentDecisionInput, recordConsentWithFeedback } from "./contact-consent.service";

export interface NewFeedback {
  customerId: number;
  ticketId: number | null;
  templateId: number | null;
  source: FeedbackSource;
  channel: Channel;
  scores: { dimension: string; score: number }[];
  comment: string | null;
  receivedAt: Date;
  /** The survey invitation this feedback answers (set by the survey and call-back answers). */
  invitationId?: number | null;
}

/**
 * Validates and inserts one piece of feedback with its scores, inside the caller's transaction
 * (complaint registration reuses it). Field names in errors are relative to the feedback input.
 */
export async function insertFeedback(
  manager: EntityManager,
  actor: Actor,
  input: NewFeedback,
  options: { applyIntakeRules: boolean },
): Promise<Feedback> {
  const seen = new Set<string>();
  input.scores.forEach((score, i) => {
    if (!Number.isInteger(score.score) || score.score < 1 || score.score > 5) {
      throw badInput(`scores.${i}.score`, "must be an integer from 1 to 5");
    }
    if (seen.has(score.dimension)) throw badInput(`scores.${i}.dimension`, `${score.dimension} is scored twice`);
    seen.add(score.dimension);
  });
  const comment = optionalText(input.comment, "comment", TEXT_LIMITS.longText);
  await findOrFail(manager, Customer, input.customerId, "Customer");
  if (input.ticketId !== null) {
    const ticket = await findOrFail(manager, ServiceTicket, input.ticketId, "ServiceTicket");
    if (ticket.customerId !== input.customerId) throw badInput("ticketId", "belongs to another customer");
  }
  if (input.templateId !== null) await findOrFail(manager, SurveyTemplate, input.templateId, "SurveyTemplate");
  // A minute of leeway for clocks that disagree slightly; a later time is a typo.
  if (input.receivedAt.getTime() > clockOf(manager).now().getTime() + 60_000) {
    throw badInput("receivedAt", "is in the future");
  }

  const feedback = await manager.getRepository(Feedback).save(
    manager.getRepository(Feedback).create({
      ...input,
      comment,
      recordedById: actor.id,
      verificationStatus: VerificationStatus.UNVERIFIED,
      verificationNote: null,
    }),
  );
  await manager.getRepository(FeedbackScore).insert(
    input.scores.map((score) => ({ feedbackId: feedback.id, dimension: score.dimension, score: score.score })),
  );
  await afterFeedbackRecorded(manager, {
    feedback,
    scores: input.scores,
    actor,
    applyIntakeRules: options.applyIntakeRules,
  });
  // After the tags are stored: the analytics rollups count them too.
  await countNewFeedback(manager, [feedback.id]);
  return reload(manager, Feedback, feedback.id);
}

/** What recordFeedback accepts: a NewFeedback whose source and receipt time may be defaulted. */
export interface RecordedFeedback extends Omit<NewFeedback, "source" | "receivedAt" | "comment"> {
  source?: FeedbackSource | null;
  /** The customer's contact decision, when asked with this feedback. */
  contactConsent?: ConsentDecisionInput | null;
  comment?: string | null;
  receivedAt?: Date | null;
}

export interface FeedbackFilter {
  customerId?: number | null;
  ticketId?: number | null;
  source?: FeedbackSource | null;
  verificationStatus?: VerificationStatus | null;
  receivedFrom?: Date | null;
  receivedTo?: Date | null;
  /** Feedback with any of these flags (empty: none matches). */
  flags?: FeedbackFlagReason[] | null;
  /** Feedback whose comment carries any of these keyword tags (empty: none matches). */
  keywordTags?: string[] | null;
  /** true: TO_VERIFY past its deadline; false: everything else. */
  verificationOverdue?: boolean | null;
}

/** What supplementFeedback accepts. */
export interface FeedbackSupplementInput {
  /** The customer's words, as heard on the call-back. */
  comment?: string | null;
  /** Answers on dimensions the customer had not scored. */
  scores?: { dimension: string; score: number }[] | null;
  /** Who was called, when, and what they said: recorded in the history. */
  note: string;
  /** Completes the verification too (default true). */
  markVerified?: boolean | null;
  expectedVersion?: number | null;
}

/**
 * Collecting and verifying customer feedback. Feedback is never deleted: invalid feedback is
 * marked, with a note, and the statistics leave it out.
 */
export class FeedbackService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records survey or call-back feedback with its scores in one transaction. Complaints are refused
   * here because they open an issue as well (registerComplaint). With a template, every score must
   * be on one of the template's dimensions, so statistics per dimension stay comparable.
   */
  async recordFeedback(actor: Actor, input: RecordedFeedback): Promise<Feedback> {
    const source = input.source ?? FeedbackSource.CALLBACK;
    if (source === FeedbackSource.COMPLAINT) {
      throw badInput("input.source", "complaints are registered with registerComplaint");
    }
    return inTransaction(this.dataSource, async (tx) => {
      if (input.templateId !== null) {
        await findOrFail(tx, SurveyTemplate, input.templateId, "SurveyTemplate");
        const dimensions = await tx.getRepository(SurveyDimension).findBy({ templateId: input.templateId });
        const codes = new Set(dimensions.map((dimension) => dimension.code));
        input.scores.forEach((score, i) => {
          if (!codes.has(score.dimension)) {
            throw badInput(
              `input.scores.${i}.dimension`,
              `${score.dimension} is not a dimension of the template`,
            );
          }
        });
      }
      const feedback = await withFieldPrefix("input.", () =>
        insertFeedback(tx, actor, {
          customerId: input.customerId,
          ticketId: input.ticketId,
          templateId: input.templateId,
          source,
          channel: input.channel,
          scores: input.scores.map(({ dimension, score }) => ({ dimension, score })),
          comment: input.comment ?? null,
          receivedAt: input.receivedAt ?? clockOf(tx).now(),
        }, { applyIntakeRules: true }),
      );
      await recordConsentWithFeedback(tx, actor.id, input.contactConsent, feedback);
      return feedback;
    });
  }

  /**
   * Sets the verification status of feedback — TO_VERIFY, VERIFIED or INVALID — with the note that
   * justifies it, and appends who, when and why to the verification history. VERIFIED and INVALID
   * complete the verification: the deciding user is recorded as `verifiedBy` and the pending
   * deadline job is cancelled. TO_VERIFY (from another status) starts a new deadline of
   * `verification.verifyWithinHours`; feedback already TO_VERIFY keeps its deadline. UNVERIFIED is
   * only the status of feedback nobody has looked at, so it cannot be set. Invalid feedback is
   * kept, never deleted, and the statistics leave it out.
   *
   * The write is conditional on the version read (and on `expectedVersion` when given), so two
   * people verifying the same feedback at once cannot silently overwrite each other's conclusion.
   */
  async setVerification(
    actor: Actor,
    id: number,
    status: VerificationStatus,
    note: string,
    expectedVersion?: number | null,
  ): Promise<Feedback> {
    if (status === VerificationStatus.UNVERIFIED) {
      throw badInput(
        "status",
        "UNVERIFIED is the status of feedback nobody has looked at; choose TO_VERIFY, VERIFIED or INVALID",
      );
    }
    const verificationNote = requireText(note, "note", TEXT_LIMITS.shortText);
    return inTransaction(this.dataSource, async (tx) => {
      const row = await findVisibleOrFail(tx, actor, Feedback, Resource.FEEDBACK, id, "Feedback");
      const now = clockOf(tx).now();
      const set: Record<string, unknown> = { verificationStatus: status, verificationNote };
      let newDueAt: Date | null = null;
      if (status === VerificationStatus.TO_VERIFY) {
        set.verifiedById = null;
        if (row.verificationStatus !== VerificationStatus.TO_VERIFY || !row.verificationDueAt) {
          const { verification } = await loadSettings(tx);
          newDueAt = new Date(now.getTime() + verification.verifyWithinHours * HOUR_MS);
          set.verificationDueAt = newDueAt;
        }
      } else {
        set.verifiedById = actor.id;
      }
      await updateVersioned(tx, row, expectedVersion, set);
      await onVerificationStatusChanged(tx, id, row.verificationStatus, status);
      if (newDueAt) await scheduleVerifyDue(tx, id, newDueAt);
      if (status !== VerificationStatus.TO_VERIFY) await cancelVerifyDue(tx, row, now);
      await appendHistory(tx, {
        feedbackId: id,
        action: ACTION_OF_STATUS[status],
        fromStatus: row.verificationStatus,
        toStatus: status,
        actor,
        reason: verificationNote,
        at: now,
      });
      return reload(tx, Feedback, id);
    });
  }

  /**
   * Adds what a call-back brought in: the customer's missing comment (appended to the comment,
   * marked as a supplement) and answers on dimensions the feedback did not score yet. Scores the
   * customer gave are never rewritten: a rating found to be a mistake is marked INVALID instead.
   * The comment is tagged again, the ticket comparison redone (a new mismatch is flagged), and
   * the step is recorded in the history with the note. With `markVerified` (the default) the
   * verification is completed as well, as a call-back that reached the customer does.
   * Intake rules run on the supplemented feedback unless a rule acted on it before, or it is a
   * complaint or an import.
   */
  async supplementFeedback(actor: Actor, id: number, input: FeedbackSupplementInput): Promise<Feedback> {
    const note = requireText(input.note, "input.note", TEXT_LIMITS.shortText);
    const added = optionalText(input.comment, "input.comment", TEXT_LIMITS.longText);
    const scores = input.scores ?? [];
    if (added === null && scores.length === 0) {
      throw badInput("input.comment", "give the customer's comment or at least one score");
    }
    const seen = new Set<string>();
    scores.forEach((score, i) => {
      if (!Number.isInteger(score.score) || score.score < 1 || score.score > 5) {
        throw badInput(`input.scores.${i}.score`, "must be an integer from 1 to 5");
      }
      if (seen.has(score.dimension)) {
        throw badInput(`input.scores.${i}.dimension`, `${score.dimension} is scored twice`);
      }
      seen.add(score.dimension);
    });
    const markVerified = input.markVerified ?? true;
    return inTransaction(this.dataSource, async (tx) => {
      const row = await findVisibleOrFail(tx, actor, Feedback, Resource.FEEDBACK, id, "Feedback");
      const now = clockOf(tx).now();
      const existing = await tx.getRepository(FeedbackScore).findBy({ feedbackId: id });
      const scored = new Set(existing.map((score) => score.dimension));
      const dimensions =
        row.templateId === null ? null : await tx.getRepository(SurveyDimension).findBy({ templateId: row.templateId });
      const allowed = dimensions && new Set(dimensions.map((dimension) => dimension.code));
      scores.forEach((score, i) => {
        if (scored.has(score.dimension)) {
          throw badInput(`input.scores.${i}.dimension`, `${score.dimension} was scored by the customer already`);
        }
        if (allowed && !allowed.has(score.dimension)) {
          throw badInput(`input.scores.${i}.dimension`, `${score.dimension} is not a dimension of the template`);
        }
      });
      const comment = added === null ? row.comment : row.comment ? `${row.comment}\n【回访补充】${added}` : added;
      if (comment !== null && [...comment].length > TEXT_LIMITS.longText) {
        throw badInput(
          "input.comment",
          `the comment with the supplement would exceed ${TEXT_LIMITS.longText} characters`,
        );
      }
      const set: Record<string, unknown> = { comment };
      if (markVerified) {
        set.verificationStatus = VerificationStatus.VERIFIED;
        set.verificationNote = note;
        set.verifiedById = actor.id;
      }
      // The rollups: out with what the feedback counted before (scores, tags), in with what it
      // counts after, once supplemented and retagged — unless it is (still) INVALID.
      const countedBefore = row.verificationStatus !== VerificationStatus.INVALID;
      const countedAfter = (markVerified ? VerificationStatus.VERIFIED : row.verificationStatus) !== VerificationStatus.INVALID;
      if (countedBefore) await addToRollups(tx, [id], -1);
      await updateVersioned(tx, row, input.expectedVersion, set);
      if (scores.length > 0) {
        await tx.getRepository(FeedbackScore).insert(scores.map((score) => ({ feedbackId: id, ...score })));
      }
      if (markVerified) await cancelVerifyDue(tx, row, now);
      await appendHistory(tx, {
        feedbackId: id,
        action: VerificationAction.SUPPLEMENTED,
        fromStatus: row.verificationStatus,
        toStatus: markVerified ? VerificationStatus.VERIFIED : row.verificationStatus,
        actor,
        reason: note,
        supplement: { comment: added, scores: scores.map(({ dimension, score }) => ({ dimension, score })) },
        at: now,
      });
      const feedback = await reload(tx, Feedback, id);
      const allScores = [...existing.map(({ dimension, score }) => ({ dimension, score })), ...scores];
      await afterFeedbackSupplemented(tx, feedback, allScores, now);
      if (countedAfter) await addToRollups(tx, [id], 1);
      return reload(tx, Feedback, id);
    });
  }

  /** Feedback `actor` may see, newest first. */
  list(actor: Actor | null, filter: FeedbackFilter, page: PageArgs): Promise<Connection<Feedback>> {
    const query = this.dataSource.getRepository(Feedback).createQueryBuilder("f");
    restrictToVisible(query, "f", actor, Resource.FEEDBACK);
    if (filter.customerId) query.andWhere("f.customerId = :customerId", { customerId: filter.customerId });
    if (filter.ticketId) query.andWhere("f.ticketId = :ticketId", { ticketId: filter.ticketId });
    if (filter.source) query.andWhere("f.source = :source", { source: filter.source });
    if (filter.verificationStatus) {
      query.andWhere("f.verificationStatus = :status", { status: filter.verificationStatus });
    }
    if (filter.receivedFrom) query.andWhere("f.receivedAt >= :receivedFrom", { receivedFrom: filter.receivedFrom });
    if (filter.receivedTo) query.andWhere("f.receivedAt < :receivedTo", { receivedTo: filter.receivedTo });
    if (filter.flags) {
      if (filter.flags.length === 0) query.andWhere("1 = 0");
      else {
        const flagged = query
          .subQuery()
          .select("1")
          .from(FeedbackFlag, "ff")
          .where("ff.feedbackId = f.id AND ff.reason IN (:...flagReasons)")
          .getQuery();
        query.andWhere(`EXISTS ${flagged}`, { flagReasons: filter.flags });
      }
    }
    if (filter.keywordTags) {
      if (filter.keywordTags.length === 0) query.andWhere("1 = 0");
      else {
        const tagged = query
          .subQuery()
          .select("1")
          .from(FeedbackKeyword, "fk")
          .where("fk.feedbackId = f.id AND fk.tagCode IN (:...tagCodes)")
          .getQuery();
        query.andWhere(`EXISTS ${tagged}`, { tagCodes: filter.keywordTags });
      }
    }
    if (filter.verificationOverdue != null) {
      const overdue =
        "f.verificationStatus = :toVerify AND f.verificationDueAt IS NOT NULL AND f.verificationDueAt < :now";
      query.andWhere(filter.verificationOverdue ? `(${overdue})` : `NOT (${overdue})`, {
        toVerify: VerificationStatus.TO_VERIFY,
        now: clockOf(this.dataSource).now(),
      });
    }
    return paginate(query, "f", page);
  }
}

/** The history action of setting each status by hand. */
type SettableStatus = Exclude<VerificationStatus, VerificationStatus.UNVERIFIED>;
const ACTION_OF_STATUS: Record<SettableStatus, VerificationAction> = {
  [VerificationStatus.TO_VERIFY]: VerificationAction.MARKED_TO_VERIFY,
  [VerificationStatus.VERIFIED]: VerificationAction.VERIFIED,
  [VerificationStatus.INVALID]: VerificationAction.INVALIDATED,
};

/**
 * Writes `set` and bumps the version, conditional on the version read (and `expectedVersion`);
 * throws VERSION_CONFLICT when another change committed first.
 */
async function updateVersioned(
  tx: EntityManager,
  row: Feedback,
  expectedVersion: number | null | undefined,
  set: Record<string, unknown>,
): Promise<void> {
  if (expectedVersion != null && expectedVersion !== row.version) {
    throw versionConflict(row.id, `expected version ${expectedVersion}, but it is at version ${row.version}`);
  }
  const result = await tx
    .createQueryBuilder()
    .update(Feedback)
    .set({ ...set, version: () => "version + 1" })
    .where("id = :id AND version = :version", { id: row.id, version: row.version })
    .execute();
  if (result.affected !== 1) throw versionConflict(row.id, "another change to this feedback committed first");
}

function versionConflict(id: number, detail: string): GraphQLError {
  return new GraphQLError(`Feedback ${id}: ${detail}; reload and retry`, {
    extensions: { code: TransitionErrorCode.VERSION_CONFLICT, entity: "Feedback", id: String(id) },
  });
}

/**
 * insertFeedback names fields relative to the feedback input; a mutation argument called `input`
 * reports them as `input.<field>`, like every other field it validates.
 */
async function withFieldPrefix<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const field = error instanceof GraphQLError ? error.extensions.field : undefined;
    const isBadInput = error instanceof GraphQLError && error.extensions.code === ErrorCodes.BAD_USER_INPUT;
    if (isBadInput && typeof field === "string") {
      throw badInput(`${prefix}${field}`, error.message.replace(`${field}: `, ""));
    }
    throw error;
  }
}
