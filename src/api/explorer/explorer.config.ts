import { ConfigError } from "../../config";
import type { ServerMode } from "../limits/limits.config";

/**
 * Whether GET /graphql from a browser serves the API explorer. QLOOP_EXPLORER=on|off decides;
 * unset, the explorer is on except in production mode, where the schema is not advertised.
 */
export function explorerEnabled(mode: ServerMode, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.QLOOP_EXPLORER?.trim().toLowerCase();
  if (raw === undefined || raw === "") return mode !== "production";
  if (raw === "on") return true;
  if (raw === "off") return false;
  throw new ConfigError("QLOOP_EXPLORER", `"${env.QLOOP_EXPLORER}" is neither on nor off`);
}
