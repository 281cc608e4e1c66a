import { DataSource, EntityManager } from "typeorm";
import type { IsolationLevel } from "typeorm/driver/types/IsolationLevel";
import { requestTransaction } from "./request-scope";

/**
 * Runs `work` in one database transaction.
 *
 * SQLite has one connection per process and no row locks, so concurrent transactions would
 * interleave on that connection; writes are therefore serialised through a queue per DataSource.
 * MySQL transactions run concurrently and rely on conditional updates for correctness.
 *
 * Inside a request that runs in its own transaction (an idempotent mutation, see
 * api/idempotency), `work` runs in a savepoint of that transaction instead: its change then
 * commits together with the request's idempotency record, or not at all.
 *
 * `isolation` sets a MySQL transaction's isolation level (default REPEATABLE READ); SQLite's
 * serialised transactions, and savepoints, ignore it.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation?: IsolationLevel,
): Promise<T> {
  const enclosing = requestTransaction(dataSource);
  if (enclosing) return enclosing.transaction(work);
  if (dataSource.options.type !== "better-sqlite3") {
    return isolation ? dataSource.transaction(isolation, work) : dataSource.transaction(work);
  }
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(() => dataSource.transaction(work));
  sqliteQueues.set(
    dataSource,
    run.then(
      () => undefined,
      () => undefined,
    ),
  );
  return run;
}

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();
