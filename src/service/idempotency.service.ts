import { DataSource, EntityManager, LessThanOrEqual } from "typeorm";
import { clockOf, DAY_MS, HOUR_MS } from "../common/clock";
import { inTransaction } from "../db/transaction";
import { runInRequestScope } from "../db/request-scope";
import { IdempotencyKey } from "../entity";

/** How long a key is remembered: a retry later than this runs as a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = DAY_MS;

/** An HTTP response as sent to the client. */
export interface StoredResponse {
  status: number;
  body: string;
}

export type IdempotentOutcome =
  /** The request ran now; `recorded` is false when its failure was not remembered (5xx). */
  | { kind: "ran"; response: StoredResponse; recorded: boolean }
  /** The same key and request ran before: its response, byte for byte. */
  | { kind: "replayed"; response: StoredResponse }
  /** The key was used before for a different request. */
  | { kind: "reused" };

/** A response that must not be remembered: it rolls the request's transaction back. */
class Unrecorded extends Error {
  constructor(readonly response: StoredResponse) {
    super("response not recorded");
  }
}

/**
 * Idempotency keys: runs a mutation request once per (caller, key) and remembers its response.
 *
 * The request runs inside one transaction that first claims the key (a row under a unique index),
 * (the caller's own expired row is deleted first), then runs the mutation (its own transactions become savepoints of this one, see
 * db/transaction.ts) and finally stores the response. The change and its record therefore commit
 * together or not at all: after a crash or a killed connection neither exists and a retry runs
 * the mutation exactly once. A concurrent duplicate blocks on the unique index until the first
 * commits (MySQL), or queues behind it (SQLite serialises write transactions), and then replays
 * the first response; it never runs the mutation a second time.
 */
export class IdempotencyService {
  constructor(private readonly dataSource: DataSource) {}

  async run(
    request: { userId: number; key: string; requestHash: string; requestId: string },
    execute: () => Promise<StoredResponse>,
  ): Promise<IdempotentOutcome> {
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const earlier = await this.claim(manager, request);
        if (earlier) return earlier;
        const response = await runInRequestScope(
          { requestId: request.requestId, transaction: { dataSource: this.dataSource, manager } },
          execute,
        );
        if (!worthRemembering(response)) throw new Unrecorded(response);
        await manager.update(
          IdempotencyKey,
          { userId: request.userId, idempotencyKey: request.key },
          { responseStatus: response.status, responseBody: response.body },
        );
        return { kind: "ran", response, recorded: true } as const;
      });
    } catch (error) {
      if (error instanceof Unrecorded) return { kind: "ran", response: error.response, recorded: false };
      if (!isDuplicateKey(error)) throw error;
      // A concurrent request with the same key committed first: answer as it did.
      const row = await this.dataSource
        .getRepository(IdempotencyKey)
        .findOneBy({ userId: request.userId, idempotencyKey: request.key });
      if (!row) throw error;
      return decide(row, request.requestHash);
    }
  }

  /**
   * Forgets every expired key, at most once per `everyMs` per process (lazy clean-up, in a
   * statement of its own: a range delete inside request transactions would lock the index range
   * other callers insert into). An expired key is ignored by `run` whether or not it was swept.
   */
  async forgetExpired(everyMs = HOUR_MS): Promise<number> {
    const now = clockOf(this.dataSource).now();
    if (this.lastSweep !== null && now.getTime() - this.lastSweep < everyMs) return 0;
    this.lastSweep = now.getTime();
    const result = await this.dataSource.getRepository(IdempotencyKey).delete({ expiresAt: LessThanOrEqual(now) });
    return result.affected ?? 0;
  }

  private lastSweep: number | null = null;

  /**
   * Inside the request's transaction: the earlier outcome of this key if it is still remembered,
   * else null after inserting the claim row (which also forgets the caller's expired keys).
   */
  private async claim(
    manager: EntityManager,
    request: { userId: number; key: string; requestHash: string },
  ): Promise<IdempotentOutcome | null> {
    const now = clockOf(manager).now();
    const keys = manager.getRepository(IdempotencyKey);
    const earlier = await keys.findOneBy({ userId: request.userId, idempotencyKey: request.key });
    if (earlier && earlier.expiresAt > now) return decide(earlier, request.requestHash);
    if (earlier) await keys.delete({ id: earlier.id });
    await keys.insert({
      userId: request.userId,
      idempotencyKey: request.key,
      requestHash: request.requestHash,
      responseStatus: 0,
      responseBody: "",
      createdAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
    });
    return null;
  }
}

function decide(row: IdempotencyKey, requestHash: string): IdempotentOutcome {
  if (row.requestHash !== requestHash) return { kind: "reused" };
  return { kind: "replayed", response: { status: row.responseStatus, body: row.responseBody } };
}

/**
 * Server failures are not remembered, so a retry can succeed: a 5xx, or a GraphQL error the
 * server could not classify (a lost connection, a deadlock). Refusals and bad input are part of
 * the first result and are replayed like a success.
 */
function worthRemembering(response: StoredResponse): boolean {
  if (response.status >= 500) return false;
  try {
    const parsed = JSON.parse(response.body) as { errors?: { extensions?: { code?: unknown } }[] };
    return !(parsed.errors ?? []).some((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR");
  } catch {
    return false;
  }
}

function isDuplicateKey(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; errno?: number } }).driverError;
  const code = driverError?.code ?? (error as { code?: string }).code;
  return code === "ER_DUP_ENTRY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
