import type { Person } from "../../support/test-app";

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The body exactly as received. */
  text: string;
  json: any;
}

/**
 * POSTs a GraphQL request with extra headers and returns the raw response, for tests that compare
 * bodies byte for byte or read HTTP headers (graphql-request hides both).
 */
export async function postGraphql(
  url: string,
  person: Person | null,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(person ? { authorization: `Bearer ${person.token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Sends a request with an `Idempotency-Key`. */
export function postIdempotent(
  url: string,
  person: Person,
  key: string,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
): Promise<RawResponse> {
  return postGraphql(url, person, body, { "idempotency-key": key });
}
