import { DataSource, EntityManager } from "typeorm";
import { clockOf } from "../common/clock";
import { inTransaction } from "../db/transaction";
import { isLockConflict, lockConflictBackoff } from "../db/lock-conflict";
import { ScheduledJob } from "../entity/job/scheduled-job.entity";
import { JOB_HANDLERS } from "./handlers";
import { JobStatus } from "./job-kind";
import { deliverDueMessages, DeliveryResult } from "../notify/delivery";
import type { Transports } from "../notify/delivery-transport";

export interface SweepOptions {
  /** The time jobs are judged against; the DataSource's clock by default (tests inject it). */
  now?: Date;
  /** Jobs claimed and handled per transaction (default 50). */
  batchSize?: number;
  /** A job whose handler failed this many times is marked FAILED (default 8). */
  maxAttempts?: number;
  /** Delay before the first retry; doubled after each further failure (default 1 minute). */
  retryBaseMs?: number;
  /** Longest delay between retries (default 1 hour). */
  retryMaxMs?: number;
  /**
   * Called after each job's handler succeeded, still inside the batch's open transaction (its
   * work is not committed yet). For observation only: the kill test uses it to report progress
   * and slow the sweeper down so that it can be killed mid-batch.
   */
  afterJob?: (job: ScheduledJob) => Promise<void> | void;
}

export interface SweepResult {
  /** Jobs handled and marked DONE. */
  done: number;
  /** Jobs whose handler failed and that were pushed back for a retry. */
  retried: number;
  /** Jobs whose handler failed for the last allowed time and were marked FAILED. */
  failed: number;
}

const DEFAULTS = { batchSize: 50, maxAttempts: 8, retryBaseMs: 60_000, retryMaxMs: 3_600_000 };

type Policy = Required<Pick<SweepOptions, "batchSize" | "maxAttempts" | "retryBaseMs" | "retryMaxMs">> &
  Pick<SweepOptions, "afterJob">;

/**
 * Handles every job due at `now` (the clock of the DataSource by default), batch by batch, until
 * none is left — so a sweeper that starts after downtime catches up in one call.
 *
 * **Claiming.** Each batch is read with `SELECT … FOR UPDATE SKIP LOCKED` on MySQL/MariaDB, so
 * sweepers in several processes take disjoint batches and never wait for each other; on SQLite
 * the claiming transaction first takes the database's write lock (see {@link claimDueJobs}), so
 * it is serialised with every other writer, in this process or another.
 *
 * **Exactly once.** A job is handled in the transaction that claimed it: its outbox rows and
 * follow-up jobs commit together with DONE or, if the process dies, not at all and the job stays
 * PENDING for the next sweeper. Handlers write outbox rows and jobs with dedupe keys, so even a
 * job handled twice (it cannot be, but a handler may be re-run after a failure) writes once.
 *
 * **Failures.** Each job runs under a savepoint. A handler that throws is rolled back to it, and
 * the job gets `attempts + 1`, `lastError` and a due time pushed back exponentially
 * (`retryBaseMs · 2^(attempts-1)`, at most `retryMaxMs`), or FAILED after `maxAttempts`; the rest
 * of the batch commits. The new due time lies after `now`, so the failing job is not retried
 * within this call (no hot loop). If the batch's transaction itself breaks (a deadlock aborts the
 * whole transaction on MySQL), nothing of it committed and the same jobs are handled again one
 * per transaction, the failure of a job then being recorded in a transaction of its own.
 */
export async function sweepDueJobs(dataSource: DataSource, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? clockOf(dataSource).now();
  const policy: Policy = {
    batchSize: options.batchSize ?? DEFAULTS.batchSize,
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    retryBaseMs: options.retryBaseMs ?? DEFAULTS.retryBaseMs,
    retryMaxMs: options.retryMaxMs ?? DEFAULTS.retryMaxMs,
    afterJob: options.afterJob,
  };
  if (!Number.isInteger(policy.batchSize) || policy.batchSize < 1) {
    throw new RangeError("batchSize must be a positive integer");
  }
  const total: SweepResult = { done: 0, retried: 0, failed: 0 };
  for (;;) {
    const batch = await sweepBatch(dataSource, now, policy.batchSize, policy);
    total.done += batch.done;
    total.retried += batch.retried;
    total.failed += batch.failed;
    // Nothing claimable: nothing due is left, or the rest is locked by other sweepers (which
    // handle it); a short batch proves neither. Jobs that failed now are due later than `now`, so
    // they end the loop too.
    if (batch.claimed === 0) return total;
  }
}

interface BatchOutcome extends SweepResult {
  claimed: number;
}

async function sweepBatch(
  dataSource: DataSource,
  now: Date,
  limit: number,
  policy: Policy,
  lockConflicts = 0,
): Promise<BatchOutcome> {
  let current: ScheduledJob | null = null;
  try {
    return await inTransaction(dataSource, async (tx) => {
      const outcome: BatchOutcome = { claimed: 0, done: 0, retried: 0, failed: 0 };
      const jobs = await claimDueJobs(tx, now, limit);
      outcome.claimed = jobs.length;
      for (const job of jobs) {
        current = job;
        const error = await runUnderSavepoint(tx, job.id, () => JOB_HANDLERS[job.kind]({ tx, now }, job));
        if (error === undefined) {
          await tx
            .createQueryBuilder()
            .update(ScheduledJob)
            .set({ status: JobStatus.DONE, completedAt: now, attempts: job.attempts + 1, lastError: null })
            .where("id = :id", { id: job.id })
            .execute();
          outcome.done += 1;
          await policy.afterJob?.(job);
        } else if (await recordFailure(tx, job, error, now, policy)) {
          outcome.failed += 1;
        } else {
          outcome.retried += 1;
        }
      }
      current = null;
      return outcome;
    });
  } catch (error) {
    // Nothing of the batch committed. Claiming itself failing means the database is unusable:
    // let the caller see it. Otherwise isolate the job that broke the transaction.
    const broken = current as ScheduledJob | null;
    if (broken === null) throw error;
    if (limit > 1) return sweepOneByOne(dataSource, now, limit, policy);
    // A deadlock with another sweeper says nothing about the job: nothing of it committed, so
    // its transaction is simply run again (two sweepers on MariaDB otherwise pushed such jobs
    // back as failed attempts, about one run in five of test/jobs/sweeper.spec.ts).
    if (isLockConflict(error) && lockConflicts < MAX_LOCK_CONFLICT_RETRIES) {
      await lockConflictBackoff(lockConflicts);
      return sweepBatch(dataSource, now, 1, policy, lockConflicts + 1);
    }
    const failed = await inTransaction(dataSource, (tx) => recordFailure(tx, broken, error, now, policy));
    return { claimed: 1, done: 0, retried: failed ? 0 : 1, failed: failed ? 1 : 0 };
  }
}

/** How often one job's transaction is run again after a deadlock before it counts as failed. */
const MAX_LOCK_CONFLICT_RETRIES = 5;

/** After a batch transaction broke: the same number of due jobs, one transaction each. */
async function sweepOneByOne(
  dataSource: DataSource,
  now: Date,
  limit: number,
  policy: Policy,
): Promise<BatchOutcome> {
  const total: BatchOutcome = { claimed: 0, done: 0, retried: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const one = await sweepBatch(dataSource, now, 1, policy);
    total.claimed += one.claimed;
    total.done += one.done;
    total.retried += one.retried;
    total.failed += one.failed;
    if (one.claimed === 0) break;
  }
  // Report a full batch when all `limit` slots were used, so the caller keeps sweeping.
  return total;
}

/**
 * Runs `work` under a savepoint of `tx`, returning the error it threw (after rolling back to the
 * savepoint) or undefined. Releasing or rolling back the savepoint fails when the server has
 * already aborted the whole transaction (a deadlock on MySQL), even if `work` swallowed that
 * error; the error is then rethrown so the transaction is abandoned, never continued in
 * autocommit mode (the job is only marked DONE after this check).
 */
async function runUnderSavepoint(tx: EntityManager, jobId: number, work: () => Promise<void>): Promise<unknown> {
  const savepoint = `job_${jobId}`;
  await tx.query(`SAVEPOINT ${savepoint}`);
  try {
    await work();
    await tx.query(`RELEASE SAVEPOINT ${savepoint}`);
    return undefined;
  } catch (error) {
    // A deadlock or lock wait timeout is the database's, not the job's: the server has rolled
    // back (or must roll back) the whole transaction, so it is abandoned and run again.
    if (isLockConflict(error)) throw error;
    try {
      await tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      await tx.query(`RELEASE SAVEPOINT ${savepoint}`);
    } catch {
      throw error;
    }
    return error ?? new Error("handler threw without an error");
  }
}

/**
 * Records a failed attempt: attempts + 1 and lastError, and either a later due time (exponential
 * backoff from `now`) or FAILED after the last allowed attempt. Conditional on the job still being
 * PENDING with the attempts we saw, so two sweepers recording the same failure count it once.
 *
 * @returns whether the job is now FAILED.
 */
async function recordFailure(
  tx: EntityManager,
  job: ScheduledJob,
  error: unknown,
  now: Date,
  policy: Policy,
): Promise<boolean> {
  const attempts = job.attempts + 1;
  const failed = attempts >= policy.maxAttempts;
  const delay = Math.min(policy.retryBaseMs * 2 ** (attempts - 1), policy.retryMaxMs);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await tx
    .createQueryBuilder()
    .update(ScheduledJob)
    .set({
      attempts,
      lastError: message.slice(0, 4000),
      ...(failed
        ? { status: JobStatus.FAILED, completedAt: now }
        : { dueAt: new Date(now.getTime() + delay) }),
    })
    .where("id = :id AND status = :pending AND attempts = :seen", {
      id: job.id,
      pending: JobStatus.PENDING,
      seen: job.attempts,
    })
    .execute();
  return failed;
}

/**
 * Reads up to `limit` due PENDING jobs, oldest due first, locking them for this transaction.
 *
 * MySQL/MariaDB: TypeORM renders `setLock("pessimistic_write").setOnLocked("skip_locked")` as
 * `… ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED` for both drivers (checked by
 * test/jobs/sweeper.spec.ts; MariaDB ≥ 10.6, MySQL ≥ 8.0.1), so concurrent sweepers skip each
 * other's rows instead of queueing behind them.
 *
 * SQLite has no row locks. TypeORM opens a deferred transaction, so two processes could both read
 * the same jobs before either writes; a no-op write first takes the database's write lock (waiting
 * up to the busy timeout), which makes the read-and-handle atomic across processes too.
 */
export async function claimDueJobs(tx: EntityManager, now: Date, limit: number): Promise<ScheduledJob[]> {
  const sqlite = tx.connection.options.type === "better-sqlite3";
  if (sqlite) await tx.query("UPDATE scheduled_job SET id = id WHERE 1 = 0");
  const query = tx
    .getRepository(ScheduledJob)
    .createQueryBuilder("job")
    .where("job.status = :pending AND job.dueAt <= :now", { pending: JobStatus.PENDING, now })
    .orderBy("job.dueAt", "ASC")
    .addOrderBy("job.id", "ASC")
    .limit(limit);
  if (!sqlite) query.setLock("pessimistic_write").setOnLocked("skip_locked");
  return query.getMany();
}

// ---------------------------------------------------------------------------------------------

export interface BackgroundWorkerOptions {
  /** Pause between rounds (QLOOP_SWEEP_INTERVAL_MS). */
  intervalMs: number;
  /** Outbox transports; without any, only deadlines are swept and messages wait. */
  transports?: Transports;
  /** Where round failures are reported (default console.error). */
  onError?: (error: unknown) => void;
  /** Called after each round (tests, metrics). */
  onRound?: (round: { jobs: SweepResult; delivery: DeliveryResult }) => void;
}

export interface BackgroundWorker {
  /** Stops after the current round (if any) has finished, and closes the transports. */
  stop(): Promise<void>;
}

/**
 * The background loop of a qloop process: every `intervalMs`, sweep due jobs, then deliver due
 * outbox messages. Rounds never overlap (the next is scheduled when one ends) and a failing round
 * is reported and followed by the next one, so a database hiccup does not end the loop. Several
 * processes may run it against one MySQL database at once (SKIP LOCKED claims, leases).
 */
export function startSweeper(dataSource: DataSource, options: BackgroundWorkerOptions): BackgroundWorker {
  const transports = options.transports ?? {};
  const onError = options.onError ?? ((error: unknown) => console.error("qloop: background round failed:", error));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();

  const round = async () => {
    try {
      const jobs = await sweepDueJobs(dataSource);
      const delivery = await deliverDueMessages(dataSource, transports);
      options.onRound?.({ jobs, delivery });
    } catch (error) {
      onError(error);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      current = round().then(schedule);
    }, options.intervalMs);
  };
  // The first round runs at once: a process starting after downtime catches up immediately.
  current = round().then(schedule);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
      for (const transport of Object.values(transports)) await transport?.close?.();
    },
  };
}
