import { DataSource, EntityManager, In } from "typeorm";
import { clockOf } from "../common/clock";
import { inTransaction } from "../db/transaction";
import { OutboxMessage } from "../entity/outbox/outbox-message.entity";
import { PermanentDeliveryError, Transports } from "./delivery-transport";
import { MessageStatus, Transport } from "./message-kind";

export interface DeliveryOptions {
  /** The time due messages are judged against; the DataSource's clock by default. */
  now?: Date;
  /** Messages claimed and sent together (default 20). */
  batchSize?: number;
  /** A message that failed this many attempts goes DEAD (default 8). */
  maxAttempts?: number;
  /** Wait before the first retry, doubled per further failure (default 1 minute). */
  retryBaseMs?: number;
  /** Longest wait between retries (default 6 hours). */
  retryMaxMs?: number;
  /**
   * How long a claimed message is reserved for the sender (default 5 minutes). A process that
   * dies mid-send leaves the message PENDING, to be claimed again once the lease has run out.
   */
  leaseMs?: number;
}

export interface DeliveryResult {
  sent: number;
  /** Failed this time, to be retried later. */
  retried: number;
  /** Failed for the last time (or permanently) and marked DEAD. */
  dead: number;
}

const DEFAULTS = {
  batchSize: 20,
  maxAttempts: 8,
  retryBaseMs: 60_000,
  retryMaxMs: 6 * 3_600_000,
  leaseMs: 5 * 60_000,
};

/**
 * Delivers every outbox message due at `now` whose transport is configured, batch by batch.
 *
 * No transaction stays open during network I/O. Each batch goes through three steps:
 * 1. **claim** (one short transaction): PENDING messages with `nextAttemptAt ≤ now`, read with
 *    `FOR UPDATE SKIP LOCKED` on MySQL (several deliverers take disjoint batches; on SQLite the
 *    transaction takes the write lock first), get `attempts + 1` and `nextAttemptAt = now + lease`
 *    — the lease hides them from other deliverers while this one sends;
 * 2. **send**, outside any transaction;
 * 3. **record** (one short transaction per message): SENT with `sentAt`, or the error with
 *    `nextAttemptAt = now + backoff` (exponential, capped), or DEAD after `maxAttempts` or on a
 *    permanent refusal.
 *
 * A crash between 1 and 3 leaves the message PENDING with its lease: it is retried when the lease
 * ends, never lost. A crash between the receiver accepting and step 3 means it is sent again, so
 * delivery is **at least once**; receivers dedupe on the message id (webhook `Idempotency-Key`,
 * e-mail Message-ID).
 */
export async function deliverDueMessages(
  dataSource: DataSource,
  transports: Transports,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const now = options.now ?? clockOf(dataSource).now();
  const policy = { ...DEFAULTS, ...stripUndefined(options) };
  const result: DeliveryResult = { sent: 0, retried: 0, dead: 0 };
  const configured = (Object.keys(transports) as Transport[]).filter((kind) => transports[kind]);
  if (configured.length === 0) return result;
  for (;;) {
    const batch = await inTransaction(dataSource, (tx) =>
      claimDueMessages(tx, now, policy.batchSize, configured, policy.leaseMs),
    );
    const outcomes = await Promise.all(
      batch.map(async (message) => {
        try {
          await transports[message.transport]!.send(message);
          return { message, error: undefined as unknown };
        } catch (error) {
          return { message, error: error ?? new Error("delivery failed") };
        }
      }),
    );
    for (const { message, error } of outcomes) {
      const outcome = await inTransaction(dataSource, (tx) => recordOutcome(tx, message, error, now, policy));
      result[outcome] += 1;
    }
    if (batch.length < policy.batchSize) return result;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Step 1: reserves due messages for this deliverer (attempts + 1, lease) and returns them. */
async function claimDueMessages(
  tx: EntityManager,
  now: Date,
  limit: number,
  transports: Transport[],
  leaseMs: number,
): Promise<OutboxMessage[]> {
  const sqlite = tx.connection.options.type === "better-sqlite3";
  // SQLite: take the write lock before reading, so two processes cannot claim the same rows.
  if (sqlite) await tx.query("UPDATE outbox_message SET id = id WHERE 1 = 0");
  const query = tx
    .getRepository(OutboxMessage)
    .createQueryBuilder("m")
    .where("m.status = :pending AND m.nextAttemptAt <= :now", { pending: MessageStatus.PENDING, now })
    .andWhere("m.transport IN (:...transports)", { transports })
    .orderBy("m.nextAttemptAt", "ASC")
    .addOrderBy("m.id", "ASC")
    .limit(limit);
  if (!sqlite) query.setLock("pessimistic_write").setOnLocked("skip_locked");
  const messages = await query.getMany();
  if (messages.length === 0) return [];
  const leaseEnd = new Date(now.getTime() + leaseMs);
  await tx
    .createQueryBuilder()
    .update(OutboxMessage)
    .set({ attempts: () => "attempts + 1", nextAttemptAt: leaseEnd })
    .where({ id: In(messages.map((message) => message.id)) })
    .execute();
  for (const message of messages) {
    message.attempts += 1;
    message.nextAttemptAt = leaseEnd;
  }
  return messages;
}

/**
 * Step 3. Success is recorded whatever happened meanwhile (the receiver has the message); a
 * failure only if this claim is still the latest (same attempts, still PENDING) — when the lease
 * ran out and another deliverer claimed the message again, that one's outcome decides.
 */
async function recordOutcome(
  tx: EntityManager,
  message: OutboxMessage,
  error: unknown,
  now: Date,
  policy: typeof DEFAULTS,
): Promise<keyof DeliveryResult> {
  if (error === undefined) {
    await tx
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ status: MessageStatus.SENT, sentAt: now, lastError: null })
      .where("id = :id AND status <> :sent", { id: message.id, sent: MessageStatus.SENT })
      .execute();
    return "sent";
  }
  const permanent = error instanceof PermanentDeliveryError;
  const dead = permanent || message.attempts >= policy.maxAttempts;
  const delay = Math.min(policy.retryBaseMs * 2 ** (message.attempts - 1), policy.retryMaxMs);
  const text = describeError(error);
  await tx
    .createQueryBuilder()
    .update(OutboxMessage)
    .set({
      lastError: text.slice(0, 4000),
      ...(dead ? { status: MessageStatus.DEAD } : { nextAttemptAt: new Date(now.getTime() + delay) }),
    })
    .where("id = :id AND status = :pending AND attempts = :attempts", {
      id: message.id,
      pending: MessageStatus.PENDING,
      attempts: message.attempts,
    })
    .execute();
  return dead ? "dead" : "retried";
}

/** "Name: message (cause)", so that fetch's bare "fetch failed" shows the refused connection. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.name}: ${error.message}${cause}`;
}
