import { DataSource, EntityManager, In } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { clockOf } from "../common/clock";
import { Channel } from "../common/enums";
import { badInput } from "../common/errors";
import { inTransaction } from "../db/transaction";
import { ContactConsent, Customer } from "../entity";
import { ContactConsentDecision, contactAllowed } from "../privacy/consent";
import { findOrFail } from "./common";

/** A decision as intake forms carry it: what, how, and (default now) when. */
export interface ConsentDecisionInput {
  decision: ContactConsentDecision;
  channel: Channel;
  givenAt?: Date | null;
}

export interface ConsentRecord extends ConsentDecisionInput {
  customerId: number;
  recordedById: number | null;
  feedbackId?: number | null;
}

/**
 * Appends a consent decision in the caller's transaction. A decision dated in the future is
 * refused: "when" is evidence, and it must be something that has happened.
 */
export async function recordConsent(tx: EntityManager, record: ConsentRecord, field = "input.contactConsent"): Promise<ContactConsent> {
  const now = clockOf(tx).now();
  const givenAt = record.givenAt ?? now;
  if (givenAt.getTime() > now.getTime()) throw badInput(`${field}.givenAt`, "must not be in the future");
  return tx.getRepository(ContactConsent).save(
    tx.create(ContactConsent, {
      customerId: record.customerId,
      decision: record.decision,
      channel: record.channel,
      givenAt,
      recordedById: record.recordedById,
      feedbackId: record.feedbackId ?? null,
    }),
  );
}

/**
 * Records the decision a customer gave together with feedback (survey, call-back or complaint
 * intake): dated when the feedback was received unless said otherwise, linked to that feedback.
 */
export async function recordConsentWithFeedback(
  tx: EntityManager,
  recordedById: number,
  consent: ConsentDecisionInput | null | undefined,
  feedback: { id: number; customerId: number; receivedAt: Date },
): Promise<void> {
  if (!consent) return;
  await recordConsent(tx, {
    ...consent,
    givenAt: consent.givenAt ?? feedback.receivedAt,
    customerId: feedback.customerId,
    recordedById,
    feedbackId: feedback.id,
  });
}

/** Each customer's decision in force (their latest record), for the customers that have one. */
export async function latestConsents(manager: EntityManager, customerIds: readonly number[]): Promise<Map<number, ContactConsent>> {
  const latest = new Map<number, ContactConsent>();
  if (customerIds.length === 0) return latest;
  const rows = await manager
    .getRepository(ContactConsent)
    .find({ where: { customerId: In([...new Set(customerIds)]) }, order: { id: "ASC" } });
  for (const row of rows) latest.set(row.customerId, row);
  return latest;
}

/** Whether the customer may be contacted (surveys, call-backs, change notices) right now. */
export async function mayContact(manager: EntityManager, customerId: number): Promise<boolean> {
  return contactAllowed((await latestConsents(manager, [customerId])).get(customerId));
}

/** Contact consent: recorded at intake or later, append-only, respected by every outbound contact. */
export class ContactConsentService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a decision the customer gave later (e.g. "please stop calling me"). */
  record(actor: Actor, customerId: number, input: ConsentDecisionInput): Promise<ContactConsent> {
    return inTransaction(this.dataSource, async (tx) => {
      await findOrFail(tx, Customer, customerId, "Customer");
      return recordConsent(tx, { ...input, customerId, recordedById: actor.id }, "input");
    });
  }

  /** Every decision of a customer, oldest first. */
  history(customerId: number): Promise<ContactConsent[]> {
    return this.dataSource.getRepository(ContactConsent).find({ where: { customerId }, order: { id: "ASC" } });
  }
}
