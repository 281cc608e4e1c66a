import { DataSource, EntityManager } from "typeorm";
import { Channel, FeedbackSource, VerificationStatus } from "../common/enums";
import { badInput } from "../common/errors";
import { optionalText, TEXT_LIMITS } from "../common/validation";
import { Customer, Feedback, FeedbackScore, ServiceTicket, SurveyTemplate } from "../entity";
import { findOrFail } from "./common";

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

export class FeedbackService {
  constructor(private readonly dataSource: DataSource) {}
}
