import pino, { DestinationStream, Logger } from "pino";
import type { LogLevel } from "../config";
import { PERSONAL_DATA_LOG_PATHS, scrubLogText } from "../privacy/log-redaction";

export type { Logger } from "pino";

/**
 * Paths censored wherever they turn up in a log record. The request logs below only ever write
 * ids, operation names, statuses and timings; this list is the safety net for an object logged by
 * mistake: credentials, plus the personal-data paths the privacy module names.
 */
export const LOG_REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  "token",
  "*.token",
  "password",
  "*.password",
  ...PERSONAL_DATA_LOG_PATHS,
];

/**
 * The process's JSON logger: one line per record on stdout (or `destination`, which tests pass to
 * read the lines back), ISO timestamps, and `service: "qloop"` on every line for log shippers.
 */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "qloop", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Customers' personal data (src/privacy) is censored: LOG_REDACT_PATHS includes its paths.
      redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
      // Messages are free text (error messages may quote input): mobile numbers are masked.
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? scrubLogText(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that drops everything: the default for in-process test servers. */
export const silentLogger: Logger = pino({ level: "silent" });
