import { createHash } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express, { ErrorRequestHandler, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { GraphQLSchema } from "graphql";
import { DocumentLimits, Variables } from "./document-limits";
import type { LimitsConfig } from "./limits.config";
import { LimitCodes, sendRejection } from "./rejection";

const BEARER = /^Bearer\s+(\S+)$/i;

/** Content types a browser may send cross-site without a preflight (Apollo's list). */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];
/** Headers that force a preflight; Apollo's CSRF prevention accepts the same ones. */
const PREFLIGHT_HEADERS = ["apollo-require-preflight", "x-apollo-operation-name"];

/**
 * The middleware chain in front of the GraphQL server, in order: request timeout, rate limit,
 * CSRF check, JSON body (size-limited), no batches, document limits. Everything here runs before
 * the GraphQL context is built, so a refused request never reaches the token lookup, a resolver
 * or the database. Each refusal is a GraphQL-shaped JSON body with `errors[0].extensions.code`.
 */
export function requestLimits(limits: LimitsConfig, schema: GraphQLSchema): (RequestHandler | ErrorRequestHandler)[] {
  const documents = new DocumentLimits(schema, limits);
  return [
    requestTimeout(limits.requestTimeoutMs),
    ...(limits.rateLimit ? [failedAuthenticationLimit(limits.rateLimit), rateLimitPerToken(limits.rateLimit)] : []),
    csrfPrevention,
    express.json({ limit: limits.maxBodyBytes }),
    bodyErrors,
    noBatches,
    documentLimits(documents),
  ];
}

/**
 * Apollo plugins for production mode: graphql-armor's field-suggestion blocker, so "Did you
 * mean …" does not reveal the schema that introspection hides.
 */
export function limitPlugins(limits: LimitsConfig): ApolloServerPlugin[] {
  if (limits.mode !== "production") return [];
  return new ApolloArmor({
    blockFieldSuggestion: { enabled: true },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    maxAliases: { enabled: false },
    maxDepth: { enabled: false },
    maxDirectives: { enabled: false },
  }).protect().plugins;
}

/** Turns body-parser failures (too large, not JSON) into coded GraphQL-shaped answers. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const type = (error as { type?: string }).type;
  if (type === "entity.too.large") {
    const limit = (error as { limit?: number }).limit ?? 0;
    return sendRejection(res, 413, {
      code: LimitCodes.PAYLOAD_TOO_LARGE,
      message: `the request body exceeds ${limit} bytes`,
      details: { limit },
    });
  }
  if (type === "entity.parse.failed" || type === "encoding.unsupported" || type === "charset.unsupported") {
    return sendRejection(res, 400, { code: LimitCodes.BAD_REQUEST, message: "the request body is not valid JSON" });
  }
  next(error);
};

function requestTimeout(ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      // 408 while the client is still sending the body (slow upload), 503 when the server is slow.
      const receiving = !req.complete;
      res.setHeader("connection", "close");
      sendRejection(res, receiving ? 408 : 503, {
        code: LimitCodes.REQUEST_TIMEOUT,
        message: receiving ? `the request was not received within ${ms} ms` : `the request was not answered within ${ms} ms`,
        details: { limit: ms },
      });
      if (receiving) res.on("finish", () => req.destroy());
    }, ms);
    timer.unref();
    res.on("close", () => clearTimeout(timer));
    next();
  };
}

function rateLimitPerToken(config: { windowMs: number; limit: number }): RequestHandler {
  return rateLimit({
    windowMs: config.windowMs,
    limit: config.limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    // Per caller: the bearer token (hashed, so the store never holds one), else the address.
    keyGenerator: (req) => {
      const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
      return token ? `token:${createHash("sha256").update(token).digest("hex")}` : `ip:${ipKeyGenerator(req.ip ?? "")}`;
    },
    handler: (_req, res) =>
      sendRejection(res, 429, {
        code: LimitCodes.RATE_LIMITED,
        message: `more than ${config.limit} requests in ${config.windowMs / 1000} s; retry after the Retry-After seconds`,
        details: { limit: config.limit, windowSeconds: config.windowMs / 1000 },
      }),
  });
}

/** Counts only answers that refused the token (401), per address. */
function failedAuthenticationLimit(config: { windowMs: number; failedAuthLimit?: number }): RequestHandler {
  const limit = config.failedAuthLimit ?? 20;
  return rateLimit({
    windowMs: config.windowMs,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    identifier: "failed-authentication",
    keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? "")}`,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: (_req, res) =>
      sendRejection(res, 429, {
        code: LimitCodes.RATE_LIMITED,
        message: `more than ${limit} requests with an unknown token from this address; retry after the Retry-After seconds`,
        details: { limit, windowSeconds: config.windowMs / 1000 },
      }),
  });
}

const csrfPrevention: RequestHandler = (req, res, next) => {
  const essence = req.headers["content-type"]?.split(";")[0].trim().toLowerCase();
  const simple = essence === undefined || SIMPLE_CONTENT_TYPES.includes(essence);
  const preflighted = PREFLIGHT_HEADERS.some((header) => (req.headers[header] as string | undefined)?.length);
  // A GET without a query is the explorer page, not an operation.
  const operation = req.method !== "GET" || typeof req.query.query === "string";
  if (operation && simple && !preflighted) {
    return sendRejection(res, 400, {
      code: LimitCodes.CSRF_PREVENTED,
      message:
        "refused as a possible cross-site request forgery: send content-type application/json, or a non-empty apollo-require-preflight header",
    });
  }
  next();
};

const noBatches: RequestHandler = (req, res, next) => {
  if (Array.isArray(req.body)) {
    return sendRejection(res, 400, {
      code: LimitCodes.BATCHED_REQUESTS_DISABLED,
      message: "batched requests are not accepted; send one operation per request",
    });
  }
  next();
};

function documentLimits(documents: DocumentLimits): RequestHandler {
  return (req, res, next) => {
    const { query, variables } = operationOf(req);
    if (typeof query !== "string") return next();
    const violation = documents.check(query, variables);
    if (violation) return sendRejection(res, 400, violation);
    next();
  };
}

/** The query and variables of a POST body or a GET query string. */
function operationOf(req: express.Request): { query: unknown; variables: Variables } {
  if (req.method === "GET") {
    const raw = req.query.variables;
    let variables: Variables = null;
    if (typeof raw === "string") {
      try {
        variables = JSON.parse(raw) as Variables;
      } catch {
        variables = null;
      }
    }
    return { query: req.query.query, variables };
  }
  const body = (req.body ?? {}) as { query?: unknown; variables?: unknown };
  const variables = body.variables && typeof body.variables === "object" ? (body.variables as Variables) : null;
  return { query: body.query, variables };
}
