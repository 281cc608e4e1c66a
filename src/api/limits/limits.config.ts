import { ConfigError } from "../../config";

/**
 * `production` turns off introspection and field suggestions and turns on the rate limit by
 * default; `development` (the default) keeps the API explorable.
 */
export type ServerMode = "production" | "development";

/** Every abuse limit of the GraphQL endpoint, in one place. */
export interface LimitsConfig {
  mode: ServerMode;
  /** Largest accepted request body (express.json `limit`), in bytes. */
  maxBodyBytes: number;
  /** A request not answered within this many milliseconds gets REQUEST_TIMEOUT. */
  requestTimeoutMs: number;
  /** Lexical tokens in one document. */
  maxTokens: number;
  /** Nesting of selection sets in one operation (fragments counted where spread). */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Bounds of every `first` argument. */
  pageSize: { min: number; max: number };
  /**
   * Upper bound of the nodes an operation may return, GitHub's way: each connection counts its
   * `first` times the page sizes of the connections around it.
   */
  maxNodes: number;
  /** What a plain (unpaginated) list field is assumed to hold when computing the node count. */
  assumedListSize: number;
  /** Items of any list in the variables or in a literal argument. */
  maxInputArrayItems: number;
  /**
   * Requests per window per bearer token (else per IP address); null: no rate limit. With it
   * come `failedAuthLimit` refusals of an unknown token per window and IP address (default 20),
   * so inventing tokens does not buy a fresh allowance each time.
   */
  rateLimit: { windowMs: number; limit: number; failedAuthLimit?: number } | null;
}

const PRODUCTION_RATE_LIMIT = { windowMs: 60_000, limit: 600 };

/** The defaults; `mode` decides introspection, suggestions and whether the rate limit is on. */
export function defaultLimits(mode: ServerMode = "development"): LimitsConfig {
  return {
    mode,
    maxBodyBytes: 1024 * 1024,
    requestTimeoutMs: 30_000,
    maxTokens: 5_000,
    maxDepth: 12,
    maxAliases: 30,
    maxDirectives: 20,
    pageSize: { min: 1, max: 100 },
    maxNodes: 50_000,
    assumedListSize: 10,
    maxInputArrayItems: 250,
    // Off by default outside production: the test suite and the benchmarks run thousands of
    // requests a minute from one token, which a limit tuned for people would throttle.
    rateLimit: mode === "production" ? PRODUCTION_RATE_LIMIT : null,
  };
}

/**
 * The mode from QLOOP_MODE (production | development), else NODE_ENV=production, else development.
 * A QLOOP_MODE that is neither is a configuration error rather than a silent development server.
 */
export function parseServerMode(env: NodeJS.ProcessEnv = process.env): ServerMode {
  const raw = env.QLOOP_MODE?.trim();
  if (raw !== undefined && raw !== "") {
    if (raw === "production" || raw === "development") return raw;
    throw new ConfigError("QLOOP_MODE", `"${raw}" is not a mode; use production or development`);
  }
  return env.NODE_ENV === "production" ? "production" : "development";
}

function positiveInteger(env: NodeJS.ProcessEnv, variable: string): number | undefined {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(variable, `"${raw}" is not a whole number ≥ 0`);
  }
  return value;
}

/**
 * The limits from the environment: QLOOP_MODE/NODE_ENV, QLOOP_RATE_LIMIT_PER_MINUTE (0 turns it
 * off, any other number turns it on in either mode), QLOOP_REQUEST_TIMEOUT_MS and
 * QLOOP_MAX_BODY_BYTES; everything else keeps its default.
 */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  const limits = defaultLimits(parseServerMode(env));
  const perMinute = positiveInteger(env, "QLOOP_RATE_LIMIT_PER_MINUTE");
  if (perMinute !== undefined) limits.rateLimit = perMinute === 0 ? null : { windowMs: 60_000, limit: perMinute };
  const timeout = positiveInteger(env, "QLOOP_REQUEST_TIMEOUT_MS");
  if (timeout !== undefined && timeout > 0) limits.requestTimeoutMs = timeout;
  const body = positiveInteger(env, "QLOOP_MAX_BODY_BYTES");
  if (body !== undefined && body > 0) limits.maxBodyBytes = body;
  return limits;
}

/** Limits from the environment with a test's or an embedder's overrides on top. */
export function resolveLimits(overrides: Partial<LimitsConfig> = {}, env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  const fromEnv = limitsFromEnv(env);
  const modeDefaults = overrides.mode ? { rateLimit: defaultLimits(overrides.mode).rateLimit } : {};
  return { ...fromEnv, ...modeDefaults, ...overrides };
}
