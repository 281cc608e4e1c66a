import { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import { ErrorCodes } from "../common/errors";
import { scrubText } from "../privacy/masking";

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
 * Error messages travel further than responses (logs, screenshots, tickets): graphql-js quotes a
 * whole invalid variable value ("got invalid value { name: …, phone: … }"), so that echo is cut,
 * and any mobile number left in a message is masked.
 */
function withoutPersonalData(message: string): string {
  return scrubText(message.replace(/ got invalid value .*?(?=( at "[^"]*")?; )/s, " got an invalid value"));
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
    // The stack goes to the JSON log with the request id (ops/request-log, the subscription server).
    return {
      message: "internal error",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, message: withoutPersonalData(formatted.message), extensions };
}
