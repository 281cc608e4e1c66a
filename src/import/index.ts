/** Bulk import of survey-tool exports, service tickets and customers (issue 3, item 9; docs/import.md). */
export { importFeedback } from "./feedback-importer";
export { importTickets } from "./ticket-importer";
export { importCustomers } from "./customer-importer";
export { ImportError } from "./import-error";
export { DEFAULT_MAPPING, IMPORT_FIELDS, loadMapping, parseMapping } from "./mapping";
export type { ImportField, ImportKind, ImportMapping } from "./mapping";
export { DEFAULT_BATCH_SIZE, DEFAULT_IMPORT_CONCURRENCY, MAX_BATCH_SIZE, MAX_CONCURRENCY } from "./pipeline";
export type { ImportOptions, ImportProgress, ImportSummary } from "./pipeline";
export { progressDisplay } from "./progress-bar";
export type { RowError } from "./report";
export type { FileFormat, ImportInput, TextEncoding } from "./row-source";
