import { EntityManager } from "typeorm";
import { OutboxMessage } from "../entity/outbox/outbox-message.entity";
import { MessageKind, MessageStatus, RecipientType, Transport } from "./message-kind";

export interface MessageRequest {
  kind: MessageKind;
  transport: Transport;
  recipientType: RecipientType;
  recipientId: number;
  address: string;
  subject: string;
  body: string;
  payload?: Record<string, unknown>;
  /** Unique per notification, e.g. `sla:42:RESPOND:1`; enqueueing it again changes nothing. */
  dedupeKey: string;
}

/**
 * Queues a notification in the caller's transaction: it is sent if and only if the change that
 * caused it commits, and at most once per dedupeKey (INSERT IGNORE / INSERT OR IGNORE).
 */
export async function enqueueMessage(tx: EntityManager, request: MessageRequest, now: Date): Promise<void> {
  await tx
    .createQueryBuilder()
    .insert()
    .into(OutboxMessage)
    .values({
      ...request,
      subject: request.subject.slice(0, 200),
      // simple-json columns take any JSON value; TypeORM's deep-partial type cannot express that.
      payload: (request.payload ?? {}) as never,
      status: MessageStatus.PENDING,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      sentAt: null,
    })
    .orIgnore()
    .execute();
}

/**
 * Bearer secrets a message body may carry: survey tokens (qsv_…) in invitation links and API
 * tokens (qlp_…). Staff reading the outbox must not be able to answer a survey as the customer.
 */
const SECRET_TOKEN = /\b(qsv|qlp)_[A-Za-z0-9_-]+/g;

/** The text with every bearer token replaced by its prefix and a mark, for showing to staff. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_TOKEN, "$1_[redacted]");
}
