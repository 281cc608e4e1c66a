import { AsyncLocalStorage } from "node:async_hooks";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";

/**
 * What the database layer knows about the HTTP request it works for, carried through every await
 * by AsyncLocalStorage so services need not pass it along: the request id (stamped on audit rows)
 * and, while an idempotent mutation runs, the one transaction the whole request joins.
 */
export interface RequestScope {
  requestId: string;
  /** The request's own transaction: its mutation, its reads and its idempotency record commit together. */
  transaction?: { dataSource: DataSource; manager: EntityManager };
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The request id of the request this code runs for; null in background jobs and the CLI. */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/** The transaction of the current request on `dataSource`, if the request runs in one. */
export function requestTransaction(dataSource: DataSource): EntityManager | null {
  const transaction = storage.getStore()?.transaction;
  return transaction && transaction.dataSource === dataSource ? transaction.manager : null;
}

const bound = new WeakSet<DataSource>();

/**
 * Makes every query on `dataSource` made inside a request transaction run on that transaction's
 * connection: repository reads, query builders and nested `dataSource.transaction` calls (which
 * become savepoints). Without it, on MySQL a field resolver reading through the pool would see
 * the state before the request's own uncommitted change, so the response would differ from the
 * same mutation run without a transaction around it. SQLite has a single connection anyway.
 * Outside a request transaction nothing changes.
 */
export function bindRequestTransactions(dataSource: DataSource): void {
  if (bound.has(dataSource) || dataSource.options.type === "better-sqlite3") return;
  bound.add(dataSource);
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => {
    const manager = requestTransaction(dataSource);
    if (!manager?.queryRunner || manager.queryRunner.isReleased) return createQueryRunner(mode);
    return borrowed(manager.queryRunner);
  };
}

/** The transaction's query runner, lent out: the borrower's `release()` must not end it. */
function borrowed(queryRunner: QueryRunner): QueryRunner {
  return new Proxy(queryRunner, {
    get(target, property, receiver) {
      if (property === "release") return async () => undefined;
      return Reflect.get(target, property, receiver);
    },
  });
}
