import { GraphQLError } from "graphql";
import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { Channel, FeedbackSource, VerificationStatus } from "../common/enums";
import { badInput, ErrorCodes } from "../common/errors";
import { TransitionErrorCode } from "../common/error-results";
import { optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import {
  Customer,
  Feedback,
  FeedbackScore,
  ServiceTicket,
  SurveyDimension,
  SurveyTemplate,
} from "../entity";
import { findOrFail, reload } from "./common";

export interface NewFeedback {
  customerId: number;
  ticketId: number | null;
  templateId: number | null;
  source: FeedbackSource;
  channel: Channel;
  scores: { dimension: string; score: number }[];
  comment: string | null;
  receivedAt: Date;
}

/**
 * Validates and inserts one piece of feedback with its scores, inside the caller's transaction
 * (complaint registration reuses it). Field names in errors are relative to the feedback input.
 */
export async function insertFeedback(manager: EntityManager, recordedById: number, input: NewFeedback): Promise<Feedback> {
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
  if (input.receivedAt.getTime() > Date.now() + 60_000) throw badInput("receivedAt", "is in the future");

  const feedback = await manager.getRepository(Feedback).save(
    manager.getRepository(Feedback).create({
      ...input,
      comment,
      recordedById,
      verificationStatus: VerificationStatus.UNVERIFIED,
      verificationNote: null,
    }),
  );
  await manager.getRepository(FeedbackScore).insert(
    input.scores.map((score) => ({ feedbackId: feedback.id, dimension: score.dimension, score: score.score })),
  );
  return feedback;
}

/** What recordFeedback accepts: a NewFeedback whose source and receipt time may be defaulted. */
export interface RecordedFeedback extends Omit<NewFeedback, "source" | "receivedAt" | "comment"> {
  source?: FeedbackSource | null;
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
      return withFieldPrefix("input.", () =>
        insertFeedback(tx, actor.id, {
          customerId: input.customerId,
          ticketId: input.ticketId,
          templateId: input.templateId,
          source,
          channel: input.channel,
          scores: input.scores.map(({ dimension, score }) => ({ dimension, score })),
          comment: input.comment ?? null,
          receivedAt: input.receivedAt ?? new Date(),
        }),
      );
    });
  }

  /**
   * Sets the verification status of feedback with the note that justifies it. The write is
   * conditional on the version read (and on `expectedVersion` when given), so two people verifying
   * the same feedback at once cannot silently overwrite each other's conclusion.
   */
  async setVerification(
    id: number,
    status: VerificationStatus,
    note: string,
    expectedVersion?: number | null,
  ): Promise<Feedback> {
    const verificationNote = requireText(note, "note", TEXT_LIMITS.shortText);
    return inTransaction(this.dataSource, async (tx) => {
      const row = await findOrFail(tx, Feedback, id, "Feedback");
      if (expectedVersion != null && expectedVersion !== row.version) {
        throw versionConflict(id, `expected version ${expectedVersion}, but it is at version ${row.version}`);
      }
      const result = await tx
        .createQueryBuilder()
        .update(Feedback)
        .set({ verificationStatus: status, verificationNote, version: () => "version + 1" })
        .where("id = :id AND version = :version", { id, version: row.version })
        .execute();
      if (result.affected !== 1) throw versionConflict(id, "another change to this feedback committed first");
      return reload(tx, Feedback, id);
    });
  }

  list(filter: FeedbackFilter, page: PageArgs): Promise<Connection<Feedback>> {
    const query = this.dataSource.getRepository(Feedback).createQueryBuilder("f");
    if (filter.customerId) query.andWhere("f.customerId = :customerId", { customerId: filter.customerId });
    if (filter.ticketId) query.andWhere("f.ticketId = :ticketId", { ticketId: filter.ticketId });
    if (filter.source) query.andWhere("f.source = :source", { source: filter.source });
    if (filter.verificationStatus) {
      query.andWhere("f.verificationStatus = :status", { status: filter.verificationStatus });
    }
    if (filter.receivedFrom) query.andWhere("f.receivedAt >= :receivedFrom", { receivedFrom: filter.receivedFrom });
    if (filter.receivedTo) query.andWhere("f.receivedAt < :receivedTo", { receivedTo: filter.receivedTo });
    return paginate(query, "f", page);
  }
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
