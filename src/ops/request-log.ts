import { randomUUID } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { ArgumentValidationError } from "type-graphql";
import type { Logger } from "./logger";

/** A client's own request id is kept only when it is short and plain (it is logged and echoed). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Gives every HTTP request an id — the client's `X-Request-Id` when it is a plain token, else a
 * new UUID — echoes it in the response header and logs one line when the response is finished:
 * method, path (without the query string, which may carry a survey token), status and duration.
 * The GraphQL context reads the id from the same header.
 */
export function requestLogMiddleware(log: Logger): RequestHandler {
  return (req, res, next) => {
    const offered = req.headers["x-request-id"];
    const requestId = typeof offered === "string" && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    const started = process.hrtime.bigint();
    // originalUrl: routers rewrite req.path to their mount point; the query string is dropped.
    const path = req.originalUrl.split("?")[0];
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      // Probes and scrapes come every few seconds: at info they would drown the requests.
      const level = PROBES.has(path) && res.statusCode < 400 ? "debug" : "info";
      log[level](
        { requestId, method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 },
        "request completed",
      );
    });
    next();
  };
}

/**
 * One line per GraphQL operation: its name and type, the user id and the error codes — never the
 * variables or the result, which carry customers' personal data.
 */
export function graphqlLogPlugin<C extends { requestId: string; user: { id: number } | null }>(log: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const body = requestContext.response.body;
          // The errors as the client got them (formatted, so with their final codes).
          const errors = (body.kind === "single" ? body.singleResult.errors : undefined) ?? requestContext.errors ?? [];
          const codes = [...new Set(errors.map((error) => String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR")))];
          const record = {
            requestId: requestContext.contextValue?.requestId ?? null,
            operationName: requestContext.operationName ?? requestContext.request.operationName ?? null,
            operationType: requestContext.operation?.operation ?? null,
            userId: requestContext.contextValue?.user?.id ?? null,
            errorCodes: codes,
            durationMs: Math.round((Number(process.hrtime.bigint() - started) / 1e6) * 10) / 10,
          };
          if (codes.includes("INTERNAL_SERVER_ERROR")) log.error(record, "graphql operation failed");
          else log.info(record, "graphql operation");
        },
        async didEncounterErrors(requestContext) {
          for (const error of requestContext.errors) {
            const original = error.originalError;
            const coded = error.extensions?.code && error.extensions.code !== "INTERNAL_SERVER_ERROR";
            if (coded || !original || original instanceof ArgumentValidationError) continue;
            // Unexpected failures: the stack for the operator, tied to the request by its id.
            log.error(
              { requestId: requestContext.contextValue?.requestId ?? null, err: { type: original.name, stack: original.stack } },
              original.message,
            );
          }
        },
      };
    },
  };
}
