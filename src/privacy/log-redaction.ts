import { scrubText } from "./masking";

/**
 * Log-record paths that may hold customers' personal data, for pino's `redact` option
 * (`redact: { paths: PERSONAL_DATA_LOG_PATHS }`). Logs are read by operators who have no access to
 * personal data, so these are censored whoever the request came from. GraphQL variables are
 * censored whole: inputs such as createCustomer's carry names and phones under any key.
 */
export const PERSONAL_DATA_LOG_PATHS: readonly string[] = [
  "name",
  "*.name",
  "customerName",
  "*.customerName",
  "phone",
  "*.phone",
  "email",
  "*.email",
  "address",
  "*.address",
  "comment",
  "*.comment",
  "body",
  "*.body",
  "variables",
  "*.variables",
];

/** A log message or error text with every mobile number in it masked (the last line of defence). */
export function scrubLogText(text: string): string {
  return scrubText(text);
}
