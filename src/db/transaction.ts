import { DataSource, EntityManager } from "typeorm";

/**
 * Runs `work` in one database transaction.
 *
 * SQLite has one connection per process and no row locks, so concurrent transactions would
 * interleave on that connection; writes are therefore serialised through a queue per DataSource.
 * MySQL transactions run concurrently and rely on conditional updates for correctness.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== "better-sqlite3") return dataSource.transaction(work);
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
