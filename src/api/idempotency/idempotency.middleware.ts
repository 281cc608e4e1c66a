import { createHash, randomUUID } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { getOperationAST, parse } from "graphql";
import { DataSource } from "typeorm";
import { bindRequestTransactions, runInRequestScope } from "../../db/request-scope";
import { IdempotencyService, IdempotentOutcome, StoredResponse } from "../../service/idempotency.service";
import type { AuthService } from "../../service/auth.service";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Set on a response that repeats an earlier one instead of running the mutation again. */
export const REPLAYED_HEADER = "Idempotency-Replayed";

export const IdempotencyErrorCodes = {
  /** The key was used by this caller for a different request within the last 24 h. */
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
} as const;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,64}$/;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Wraps the Apollo express handler on /graphql.
 *
 * Every request runs in a request scope carrying its request id (the `x-request-id` header, else a
 * new UUID, also written back to that header so the GraphQL context and the logs use the same
 * id); audit rows written by the request are stamped with it.
 *
 * A mutation sent by an authenticated caller with an `Idempotency-Key` header (1–255 visible
 * ASCII characters) runs at most once per caller and key for 24 hours: see IdempotencyService.
 * A retry with the same request (query, operation name and variables) gets the first response
 * byte for byte, with `Idempotency-Replayed: true`; a different request is refused with
 * IDEMPOTENCY_KEY_REUSED (HTTP 422). A concurrent duplicate waits for the first and replays it.
 * Queries ignore the header (they change nothing); anonymous requests ignore it too — the only
 * anonymous mutation, a survey answer, is single-use by its token already.
 *
 * Apollo answers an idempotent request into a recording response, not the client's: the answer
 * is sent only after the transaction storing it committed. If something in front (the request
 * timeout) answered the client meanwhile, the request still completes and is recorded, and a
 * retry with the key gets its outcome.
 */
export function withIdempotency(dataSource: DataSource, auth: AuthService, graphql: RequestHandler): RequestHandler {
  bindRequestTransactions(dataSource);
  const keys = new IdempotencyService(dataSource);
  return async (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req);
    req.headers["x-request-id"] = requestId;
    const key = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    const plain = () => runInRequestScope({ requestId }, () => graphql(req, res, next));
    if (key === undefined || !isMutation(req.body)) return plain();
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
      return sendError(res, 400, "BAD_USER_INPUT", `${IDEMPOTENCY_HEADER}: use 1–255 visible ASCII characters`);
    }
    const userId = await callerId(req, auth);
    if (userId === null) return plain();

    let outcome: IdempotentOutcome;
    try {
      outcome = await keys.run({ userId, key, requestHash: requestHash(req.body), requestId }, () =>
        recordResponse(graphql, req, res),
      );
    } catch {
      // The transaction did not commit (lost connection, failed commit): nothing of the request
      // is stored, whatever Apollo had answered, and a retry with the same key runs it again.
      return sendError(res, 503, "INTERNAL_SERVER_ERROR", "the request was not saved; retry it with the same key");
    }
    void keys.forgetExpired().catch(() => undefined);
    if (res.headersSent) return;
    if (outcome.kind === "reused") {
      return sendError(
        res,
        422,
        IdempotencyErrorCodes.IDEMPOTENCY_KEY_REUSED,
        `${IDEMPOTENCY_HEADER}: this key was already used for a different request; use a new key`,
      );
    }
    if (outcome.kind === "replayed") res.setHeader(REPLAYED_HEADER, "true");
    res.status(outcome.response.status).type("application/json").send(outcome.response.body);
  };
}

/**
 * Runs the GraphQL handler against a response object that only records what Apollo sets and
 * sends (status, body; Apollo writes nothing else that a replay needs), resolving once Apollo
 * has finished. The client's response stays untouched.
 */
async function recordResponse(graphql: RequestHandler, req: Request, res: Response): Promise<StoredResponse> {
  const recorded: StoredResponse = { status: 200, body: "" };
  const headers = new Map<string, unknown>();
  const recorder = {
    locals: res.locals,
    headersSent: false,
    get statusCode() {
      return recorded.status;
    },
    set statusCode(status: number) {
      recorded.status = status;
    },
    status(status: number) {
      recorded.status = status;
      return recorder;
    },
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), value);
      return recorder;
    },
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    send(body: unknown) {
      recorded.body += typeof body === "string" ? body : Buffer.isBuffer(body) ? body.toString("utf8") : JSON.stringify(body);
      return recorder;
    },
    write(chunk: unknown) {
      recorded.body += String(chunk);
      return true;
    },
    end(chunk?: unknown) {
      if (typeof chunk === "string" || Buffer.isBuffer(chunk)) recorded.body += chunk.toString();
      return recorder;
    },
  };
  let failure: unknown = null;
  await graphql(req, recorder as unknown as Response, (error?: unknown) => {
    failure = error ?? new Error("the GraphQL handler passed the request on");
  });
  if (failure) throw failure;
  return recorded;
}

function isMutation(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== "string") return false;
  try {
    const operation = getOperationAST(parse(query), typeof operationName === "string" ? operationName : undefined);
    return operation?.operation === "mutation";
  } catch {
    return false; // Apollo reports the syntax error
  }
}

/** Same query text, operation name and variables (keys in any order) → same hash. */
function requestHash(body: { query?: unknown; operationName?: unknown; variables?: unknown }): string {
  const canonical = canonicalJson([body.query ?? null, body.operationName ?? null, body.variables ?? null]);
  return createHash("sha256").update(canonical).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

async function callerId(req: Request, auth: AuthService): Promise<number | null> {
  const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
  if (!token) return null;
  // An unknown token is refused by the GraphQL context as UNAUTHENTICATED; nothing to remember.
  return (await auth.userForToken(token))?.id ?? null;
}

function requestIdOf(req: Request): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, field: IDEMPOTENCY_HEADER } }] });
}
