import { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import { ErrorCodes } from "../common/errors";

/** The first failing property of a class-validator tree, as a dotted path ("input.scores.0.score"). */
function firstFailure(errors: ValidationError[], prefix: string[] = []): { field: string; message: string } | null {
  for (const error of errors) {
    const pathHere = [...prefix, error.property];
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      return { field: pathHere.join("."), message: Object.values(error.constraints)[0] };
    }
    const nested = firstFailure(error.children ?? [], pathHere);
    if (nested) return nested;
  }
  return null;
}

/**
 * Shapes every error the client sees: class-validator failures become BAD_USER_INPUT naming the
 * field, graphql-js input coercion errors keep Apollo's BAD_USER_INPUT/GRAPHQL_VALIDATION_FAILED
 * codes, and unexpected errors are reported as INTERNAL_SERVER_ERROR without their internals.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const failure = firstFailure(original.extensions.validationErrors as unknown as ValidationError[]);
    return {
      message: failure ? `${failure.field}: ${failure.message}` : "invalid input",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCodes.BAD_USER_INPUT, field: failure?.field ?? null },
    };
  }
  const code = formatted.extensions?.code;
  if (code === "INTERNAL_SERVER_ERROR" || code === undefined) {
    if (process.env.NODE_ENV !== "test") console.error(original);
    return {
      message: "internal error",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}
