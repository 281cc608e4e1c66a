import { Connection, createConnection } from "mysql2/promise";
import { DataSource } from "typeorm";
import { parseDatabaseUrl } from "../../src/config";
import { createDataSource } from "../../src/db/data-source";

export const DEFAULT_BENCH_URL = "mariadb://root@127.0.0.1:3306/qloop_bench";

export interface BenchDatabase {
  /** DATABASE_URL-style URL of the benchmark database. */
  url: string;
  name: string;
  /** A plain mysql2 connection to the server (no database selected). */
  server(): Promise<Connection>;
  /** Drops and recreates the database, migrated, and opens a DataSource on it. */
  fresh(): Promise<DataSource>;
  /** A plain mysql2 connection to the benchmark database (for the "limit" peers). */
  connect(): Promise<Connection>;
  version(): Promise<string>;
}

/** The benchmark database on DATABASE_URL (a MySQL/MariaDB URL) or the default local MariaDB. */
export function benchDatabase(raw = process.env.DATABASE_URL || DEFAULT_BENCH_URL): BenchDatabase {
  const config = parseDatabaseUrl(raw);
  if (config.kind !== "mysql") throw new Error("the benchmark runs on MySQL/MariaDB: set DATABASE_URL=mariadb://…");
  const serverUrl = new URL(config.url);
  serverUrl.pathname = "/";
  const options = { charset: "utf8mb4_unicode_ci", timezone: "Z", supportBigNumbers: true } as const;
  const server = () => createConnection({ uri: serverUrl.toString(), ...options });
  return {
    url: raw,
    name: config.database,
    server,
    async fresh() {
      const admin = await server();
      await admin.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
      await admin.query(`CREATE DATABASE \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.end();
      const dataSource = createDataSource(config);
      await dataSource.initialize();
      await dataSource.runMigrations();
      return dataSource;
    },
    connect: () => createConnection({ uri: config.url, ...options }),
    async version() {
      const admin = await server();
      const [rows] = await admin.query("SELECT VERSION() AS v");
      await admin.end();
      return `MariaDB/MySQL ${(rows as { v: string }[])[0].v}`;
    },
  };
}
