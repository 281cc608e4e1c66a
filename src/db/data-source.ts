import fs from "node:fs";
import path from "node:path";
import { DataSource, DataSourceOptions } from "typeorm";
import { MIGRATIONS } from "../../migrations";
import type { DatabaseConfig } from "../config";
import { ENTITIES } from "../entity";

export interface DataSourceExtras {
  /** Called with every SQL statement; tests use it to count statements. */
  onQuery?: (sql: string) => void;
  /** Pool size for MySQL. */
  poolSize?: number;
}

export function dataSourceOptions(db: DatabaseConfig, extras: DataSourceExtras = {}): DataSourceOptions {
  const logger = extras.onQuery ? new QueryCounterLogger(extras.onQuery) : undefined;
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: "migrations",
    synchronize: false,
    logging: extras.onQuery ? (["query"] as const) : false,
    logger,
  };
  if (db.kind === "sqlite") {
    return {
      ...common,
      type: "better-sqlite3",
      database: db.file,
      // WAL lets readers proceed while a writer commits; the busy timeout makes a second
      // process wait for the write lock instead of failing at once.
      enableWAL: db.file !== ":memory:",
      timeout: 10_000,
    } as DataSourceOptions;
  }
  return {
    ...common,
    type: db.flavour,
    connectorPackage: "mysql2",
    url: db.url,
    charset: "utf8mb4_unicode_ci",
    timezone: "Z",
    supportBigNumbers: true,
    poolSize: extras.poolSize ?? 10,
  } as DataSourceOptions;
}

export function createDataSource(db: DatabaseConfig, extras: DataSourceExtras = {}): DataSource {
  if (db.kind === "sqlite" && db.file !== ":memory:") {
    fs.mkdirSync(path.dirname(path.resolve(db.file)), { recursive: true });
  }
  return new DataSource(dataSourceOptions(db, extras));
}

/** Forwards each statement to a callback; nothing is printed. */
class QueryCounterLogger {
  constructor(private readonly onQuery: (sql: string) => void) {}
  logQuery(query: string) {
    this.onQuery(query);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}
