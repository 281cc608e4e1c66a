import path from "node:path";

/** A configuration problem, reported with the name of the variable at fault. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export type DatabaseConfig =
  | { kind: "sqlite"; file: string }
  | { kind: "mysql"; url: string; database: string; flavour: "mysql" | "mariadb" };

export interface Config {
  port: number;
  database: DatabaseConfig;
  /** pino level for the JSON logs (LOG_LEVEL). */
  logLevel: LogLevel;
  /** How long a stopping server waits for in-flight requests (QLOOP_SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_SQLITE_FILE = path.join("data", "qloop.sqlite");

/**
 * Reads DATABASE_URL: unset means the embedded SQLite file under ./data/;
 * `sqlite:<file>` (or `sqlite::memory:`) picks another SQLite file; `mysql://` or `mariadb://`
 * selects MySQL or MariaDB through mysql2.
 */
export function parseDatabaseUrl(raw: string | undefined): DatabaseConfig {
  if (raw === undefined || raw.trim() === "") return { kind: "sqlite", file: DEFAULT_SQLITE_FILE };
  if (raw.startsWith("sqlite:")) {
    const file = raw.slice("sqlite:".length).replace(/^\/\//, "");
    if (file === "") throw new ConfigError("DATABASE_URL", "sqlite: needs a file path, e.g. sqlite:./data/qloop.sqlite");
    return { kind: "sqlite", file };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("DATABASE_URL", "is not a URL; expected mysql://user:password@host:3306/database or sqlite:<file>");
  }
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:") {
    throw new ConfigError("DATABASE_URL", `unsupported scheme "${url.protocol}"; use mysql://, mariadb:// or sqlite:`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_$-]+$/.test(database)) {
    throw new ConfigError("DATABASE_URL", "must name a database, e.g. mysql://root@127.0.0.1:3306/qloop");
  }
  // TypeORM reads MariaDB's information_schema differently (e.g. nullable defaults), so the
  // scheme says which server it is: mariadb:// for MariaDB, mysql:// for MySQL.
  const flavour = url.protocol === "mariadb:" ? "mariadb" : "mysql";
  url.protocol = "mysql:";
  return { kind: "mysql", url: url.toString(), database, flavour };
}

export function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 4000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError("PORT", `"${raw}" is not a port number (0–65535)`);
  }
  return port;
}

export function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw.trim() === "") return "info";
  const level = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError("LOG_LEVEL", `"${raw}" is not a level; use one of ${LOG_LEVELS.join(", ")}`);
  }
  return level as LogLevel;
}

export function parseShutdownTimeout(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 10_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) {
    throw new ConfigError("QLOOP_SHUTDOWN_TIMEOUT_MS", `"${raw}" is not a whole number of milliseconds`);
  }
  return ms;
}

/** Every variable is read and checked here, at start, so a typo stops the process at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: parsePort(env.PORT),
    database: parseDatabaseUrl(env.DATABASE_URL),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    shutdownTimeoutMs: parseShutdownTimeout(env.QLOOP_SHUTDOWN_TIMEOUT_MS),
  };
}
