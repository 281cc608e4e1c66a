import { GraphQLError } from "graphql";

/**
 * Exceptional failures, thrown as GraphQL errors with a machine-readable `extensions.code`.
 * Expected workflow refusals are not thrown: they are typed results (see api/types/errors.ts).
 */
export const ErrorCodes = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHENTICATED",
} as const;

/** Bad input, naming the offending field so a form can highlight it. */
export function badInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, {
    extensions: { code: ErrorCodes.BAD_USER_INPUT, field },
  });
}

export function notFound(entity: string, id: number | string): GraphQLError {
  return new GraphQLError(`${entity} ${id} was not found`, {
    extensions: { code: ErrorCodes.NOT_FOUND, entity, id: String(id) },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCodes.FORBIDDEN } });
}

/**
 * `httpStatus` is for refusals of the whole request (a bad token while building the context),
 * which Apollo would otherwise answer with HTTP 500.
 */
export function unauthenticated(message = "a valid bearer token is required", httpStatus?: 401): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCodes.UNAUTHENTICATED, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

const ID_PATTERN = /^[1-9][0-9]{0,9}$/;

/** Ids are positive integers on the wire as strings; anything else is bad input for `field`. */
export function parseId(value: string | number, field: string): number {
  const text = String(value);
  const id = Number(text);
  if (!ID_PATTERN.test(text) || id > 2_147_483_647) {
    throw badInput(field, `"${text.slice(0, 40)}" is not a valid id`);
  }
  return id;
}

export function parseOptionalId(value: string | number | null | undefined, field: string): number | null {
  return value === null || value === undefined ? null : parseId(value, field);
}
