import { ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { DatabaseConfig } from "../../src/config";

const ROOT = path.join(__dirname, "..", "..");

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** DATABASE_URL for a test database config (the form `qloop` reads). */
export function databaseUrl(config: DatabaseConfig): string {
  if (config.kind === "sqlite") return `sqlite:${config.file}`;
  const url = new URL(config.url);
  if (config.flavour === "mariadb") url.protocol = "mariadb:";
  return url.toString();
}

/** Starts the real CLI (TypeScript through SWC, as the other CLI tests do) with `env` added. */
export function startQloop(args: string[], env: Record<string, string | undefined> = {}): ChildProcess & { output: Promise<Finished> } {
  const child = spawn(process.execPath, ["-r", "@swc-node/register", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const output = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return Object.assign(child, { output });
}

/** Runs `qloop …args` to the end. */
export function runQloop(args: string[], env: Record<string, string | undefined> = {}): Promise<Finished> {
  return startQloop(args, env).output;
}
