import { performance } from "node:perf_hooks";
import { DataSource, EntityManager } from "typeorm";
import { clockOf } from "../common/clock";
import { retryOnLockConflict } from "../db/lock-conflict";
import { inTransaction } from "../db/transaction";
import type { ImportedFeedback } from "../service/intake-hooks";
import { ImportError } from "./import-error";
import { canReturnFrom } from "./sql";
import { DEFAULT_MAPPING, ImportKind, ImportMapping, resolveColumns } from "./mapping";
import { RejectReport, RowError } from "./report";
import { compilePlan, ImportPlan, RowContext } from "./row-context";
import { ImportInput, openRowSource, TextEncoding } from "./row-source";

export const DEFAULT_BATCH_SIZE = 1000;
export const MAX_BATCH_SIZE = 10_000;
/**
 * Batches written at once on MariaDB: while Node parses and formats one batch, the server works on
 * the others, on as many cores as it has. Three measured best on the two-core benchmark machine
 * (bench/results: W5; one at a time left both Node and MariaDB idle half the time). SQLite
 * serialises transactions, and on MySQL the feedback import cannot tell its rows from a concurrent
 * batch's (no INSERT … RETURNING), so one at a time there.
 */
export const DEFAULT_IMPORT_CONCURRENCY = 3;
export const MAX_CONCURRENCY = 8;
const ERROR_SAMPLE = 100;

export interface ImportOptions {
  /** Default: DEFAULT_MAPPING (the common Chinese export). */
  mapping?: ImportMapping;
  /** Rows per transaction, default 1,000. */
  batchSize?: number;
  /**
   * Batches written at once, each in its own transaction on its own connection (MariaDB; MySQL
   * and SQLite write one at a time whatever this says). Default DEFAULT_IMPORT_CONCURRENCY.
   */
  concurrency?: number;
  /**
   * Where to write the rejected-rows CSV. With `onlyIfRejected` no file is written when every row
   * was accepted (the CLI's default report next to the input); otherwise it is always written.
   */
  report?: { file: string; onlyIfRejected?: boolean } | null;
  /** Create customers the file names but qloop does not know (default true); false rejects those rows. */
  createCustomers?: boolean;
  encoding?: TextEncoding;
  /** Overrides the mapping's keyPrefix (feedback only). */
  keyPrefix?: string;
  /**
   * Replaces the import hook (prepareFeedbackImport: keyword tags and verification flags) for
   * this import: called after each batch instead, and comments are not tagged while parsing. Only
   * the benchmark sets it, to measure what the hook costs; every real import runs the hook.
   */
  afterFeedbackImported?: (tx: EntityManager, feedback: readonly ImportedFeedback[]) => Promise<void>;
  /** Called about ten times a second and after every batch. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportCounts {
  /** Data rows read (blank lines not counted). */
  read: number;
  inserted: number;
  /** Rows whose record exists already: imported before, or earlier in the same file. */
  alreadyPresent: number;
  /** Rows refused, each listed in the report with its reasons. */
  rejected: number;
  /** Customers created from rows naming an unknown customer code. */
  customersCreated: number;
}

export interface ImportProgress extends ImportCounts {
  bytesRead: number;
  totalBytes: number | null;
  elapsedMs: number;
}

export interface ImportSummary extends ImportCounts {
  kind: ImportKind;
  file: string;
  /** Headers nothing read, so a misspelt header does not go unnoticed. */
  ignoredColumns: string[];
  /** The report written, or null when none was. */
  reportFile: string | null;
  /** The first report lines, for callers that do not read the file. */
  errors: RowError[];
  elapsedMs: number;
}

/** What a batch write did; rows it refused (e.g. a ticket of another customer) come back as errors. */
export interface BatchOutcome {
  inserted: number;
  alreadyPresent: number;
  customersCreated: number;
  rejected: RowError[];
  /** Runs once the batch's transaction has committed (not when it rolled back). */
  afterCommit?: () => Promise<void>;
}

/** A batch written (outcome null when it had no row to write), with its rejected rows. */
interface WrittenBatch {
  outcome: BatchOutcome | null;
  errors: RowError[];
}

/** One import kind: how a row is parsed and how a batch of parsed rows is written. */
export interface ImportHandler<T extends { row: number }> {
  /** The parsed row, or null after recording its problems on the context. Must not touch the database. */
  parse(row: RowContext): T | null;
  /**
   * Whether batches may be written concurrently (see `write`). Not for an import whose batches
   * decide from what they read whether a row is new: a row an uncommitted batch is inserting
   * would look new to the next one.
   */
  concurrent?: boolean;
  /**
   * Writes one batch inside its transaction; looks things up per batch, never per row. The
   * transaction is READ COMMITTED on MariaDB: each statement sees what other batches and imports
   * have committed, such as the customer an INSERT that skipped a duplicate code has just waited
   * for. It runs again from the start when it loses a deadlock. When `concurrent`, batches are
   * written at once, so `write` keeps what it finds in its own variables and shares with the next
   * batches (caches) only what its `afterCommit` hands over.
   */
  write(tx: EntityManager, rows: T[]): Promise<BatchOutcome>;
  /** After the last batch, and after a failure too: completes what committed batches left open. */
  finish?(): Promise<void>;
}

export type HandlerFactory<T extends { row: number }> = (
  dataSource: DataSource,
  plan: ImportPlan,
  options: ImportOptions,
) => Promise<ImportHandler<T>>;

/**
 * Streams a file through a handler: rows are parsed as they are read, written in batches of
 * `batchSize` (one transaction each, up to `concurrency` at once), and the next batch is parsed
 * while the previous ones are being written. Outcomes are counted and rejected rows reported in
 * file order, whichever batch commits first. A rejected row never aborts the import and never
 * writes anything; a broken file (malformed CSV) or a database error stops it, keeping the batches
 * already committed, which a rerun skips as already present.
 */
export async function runImport<T extends { row: number }>(
  dataSource: DataSource,
  input: ImportInput,
  kind: ImportKind,
  options: ImportOptions,
  makeHandler: HandlerFactory<T>,
): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ImportError(`batch size must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  const requested = options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_CONCURRENCY) {
    throw new ImportError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}`);
  }
  const mapping = options.mapping ?? DEFAULT_MAPPING;
  const source = await openRowSource(input, options.encoding);
  const counts: ImportCounts = { read: 0, inserted: 0, alreadyPresent: 0, rejected: 0, customersCreated: 0 };
  const sample: RowError[] = [];
  const progress = () =>
    options.onProgress?.({
      ...counts,
      bytesRead: source.bytesRead(),
      totalBytes: source.totalBytes,
      elapsedMs: performance.now() - started,
    });
  let layout;
  let report: RejectReport | null = null;
  // Batches being written, oldest first.
  const inFlight: Promise<WrittenBatch>[] = [];
  let handler: ImportHandler<T> | null = null;
  try {
    // The whole file is refused before anything is written when its headers do not fit.
    layout = resolveColumns(source.headers, mapping, kind);
    const plan = compilePlan(mapping, layout, clockOf(dataSource).now());
    handler = await makeHandler(dataSource, plan, options);
    const batchHandler = handler;
    const concurrency = handler.concurrent && dataSource.options.type !== "better-sqlite3" ? requested : 1;
    // READ COMMITTED where INSERT … RETURNING tells a batch's own rows from others' (MariaDB): each
    // statement then sees what other batches and imports committed. MySQL's importers find the
    // rows they inserted by reading them back, which needs REPEATABLE READ's snapshot, so that a
    // row another import committed meanwhile does not read as theirs.
    const isolation = canReturnFrom(dataSource) ? "READ COMMITTED" : undefined;
    const rejects = new RejectReport(options.report?.file ?? null, !options.report?.onlyIfRejected);
    report = rejects;

    const writeBatch = async (rows: T[], errors: RowError[]): Promise<WrittenBatch> => {
      if (rows.length === 0) return { outcome: null, errors };
      const outcome = await retryOnLockConflict(() =>
        inTransaction(dataSource, (tx) => batchHandler.write(tx, rows), isolation),
      );
      await outcome.afterCommit?.();
      return { outcome, errors: [...errors, ...outcome.rejected] };
    };
    // Counted and reported in file order: the oldest batch is awaited first.
    const settleOldest = async () => {
      const { outcome, errors } = await inFlight.shift()!;
      if (outcome) {
        counts.inserted += outcome.inserted;
        counts.alreadyPresent += outcome.alreadyPresent;
        counts.customersCreated += outcome.customersCreated;
      }
      if (errors.length > 0) {
        errors.sort((a, b) => a.row - b.row);
        rejects.write(errors);
        sample.push(...errors.slice(0, ERROR_SAMPLE - sample.length));
        counts.rejected += new Set(errors.map((e) => e.row)).size;
      }
      progress();
    };
    const startBatch = (rows: T[], errors: RowError[]) => {
      const written = writeBatch(rows, errors);
      // Marked handled at once; a failure still surfaces when the batch is settled.
      written.catch(() => undefined);
      inFlight.push(written);
    };

    let rows: T[] = [];
    let errors: RowError[] = [];
    let consumed = 0;
    let lastProgress = 0;
    for await (const chunk of source.rows) {
      for (const sourceRow of chunk) {
        const context = new RowContext(sourceRow, plan);
        if (context.isBlank()) continue;
        counts.read++;
        consumed++;
        // Parsing is synchronous CPU work: let the batches' database replies through now and
        // then, or their round trips would wait for a whole chunk of the file to be parsed.
        if (inFlight.length > 0 && (counts.read & 15) === 0) await new Promise((resolve) => setImmediate(resolve));
        const parsed = handler.parse(context);
        if (parsed !== null && context.errors.length === 0) rows.push(parsed);
        else errors.push(...context.errors);
        if (consumed >= batchSize) {
          while (inFlight.length >= concurrency) await settleOldest();
          startBatch(rows, errors);
          rows = [];
          errors = [];
          consumed = 0;
        }
        if ((counts.read & 255) === 0 && performance.now() - lastProgress > 100) {
          lastProgress = performance.now();
          progress();
        }
      }
    }
    startBatch(rows, errors);
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // A read error or a failed batch must not leave other batches' transactions running behind
    // the caller's back.
    await Promise.allSettled(inFlight);
    await handler?.finish?.();
    source.close();
    await report?.close();
  }
  return {
    kind,
    file: source.name,
    ...counts,
    ignoredColumns: layout.ignored,
    reportFile: report?.written ? report.file : null,
    errors: sample,
    elapsedMs: Math.round(performance.now() - started),
  };
}
