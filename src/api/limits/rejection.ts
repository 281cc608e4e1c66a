import type { Response } from "express";

/** The codes of requests refused before any resolver runs. */
export const LimitCodes = {
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  BAD_REQUEST: "BAD_REQUEST",
  BATCHED_REQUESTS_DISABLED: "BATCHED_REQUESTS_DISABLED",
  CSRF_PREVENTED: "CSRF_PREVENTED",
  RATE_LIMITED: "RATE_LIMITED",
  REQUEST_TIMEOUT: "REQUEST_TIMEOUT",
  TOO_MANY_TOKENS: "TOO_MANY_TOKENS",
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  TOO_MANY_DIRECTIVES: "TOO_MANY_DIRECTIVES",
  PAGE_SIZE_OUT_OF_RANGE: "PAGE_SIZE_OUT_OF_RANGE",
  NODE_LIMIT_EXCEEDED: "NODE_LIMIT_EXCEEDED",
  INPUT_ARRAY_TOO_LONG: "INPUT_ARRAY_TOO_LONG",
  INTROSPECTION_DISABLED: "INTROSPECTION_DISABLED",
} as const;

export type LimitCode = (typeof LimitCodes)[keyof typeof LimitCodes];

/** A refusal with its code and the details a client needs (the limit, what was found, where). */
export interface LimitViolation {
  code: LimitCode;
  message: string;
  details?: Record<string, string | number>;
}

/** Answers with a GraphQL-shaped body, so clients read `errors[0].extensions.code` as usual. */
export function sendRejection(res: Response, status: number, violation: LimitViolation): void {
  if (res.headersSent) return;
  res.status(status).json({
    errors: [{ message: violation.message, extensions: { code: violation.code, ...violation.details } }],
  });
}
