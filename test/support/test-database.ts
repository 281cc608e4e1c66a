import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";
import { DatabaseConfig, parseDatabaseUrl } from "../../src/config";

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** Whether this run targets MySQL/MariaDB (DATABASE_URL=mysql://…) rather than SQLite. */
export const usingMysql = () => parseDatabaseUrl(process.env.DATABASE_URL).kind === "mysql";

/**
 * A throwaway database for one test file: a new schema on the MySQL server DATABASE_URL points
 * at, or a new SQLite file. Test files run in parallel, so each gets its own.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = parseDatabaseUrl(process.env.DATABASE_URL);
  const suffix = `${process.pid}_${randomBytes(4).toString("hex")}`;
  if (base.kind === "mysql") {
    const name = `qloop_t_${suffix}`;
    const serverUrl = new URL(base.url);
    serverUrl.pathname = "/";
    const admin = await createConnection(serverUrl.toString());
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const url = new URL(base.url);
    url.pathname = `/${name}`;
    return {
      config: { ...base, url: url.toString(), database: name },
      drop: async () => {
        const conn = await createConnection(serverUrl.toString());
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await conn.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-test-"));
  return {
    config: { kind: "sqlite", file: path.join(dir, `qloop-${suffix}.sqlite`) },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
