import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { DataSource } from "typeorm";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_IMPORT_CONCURRENCY,
  MAX_BATCH_SIZE,
  MAX_CONCURRENCY,
  ImportError,
  importCustomers,
  importFeedback,
  ImportKind,
  ImportOptions,
  ImportSummary,
  importTickets,
  loadMapping,
  progressDisplay,
} from "../import";

type OpenDatabase = <T>(work: (services: unknown, dataSource: DataSource) => Promise<T>) => Promise<T>;

interface ImportCommandOptions {
  mapping?: string;
  report?: string;
  batchSize: number;
  encoding: "auto" | "utf-8" | "gb18030";
  createCustomers: boolean;
  keyPrefix?: string;
  concurrency?: number;
  failOnReject?: boolean;
  quiet?: boolean;
}

const IMPORTERS: Record<ImportKind, { run: typeof importFeedback; what: string }> = {
  feedback: { run: importFeedback, what: "survey answers (feedback with scores) from a survey-tool export" },
  tickets: { run: importTickets, what: "service tickets (工单) from the service system" },
  customers: { run: importCustomers, what: "customers from a CRM export" },
};

/**
 * `qloop import feedback|tickets|customers FILE`: streams a CSV or XLSX export into the configured
 * database (see docs/import.md). Exit status 0 when the file was imported, even with rejected rows
 * (they are in the report), unless --fail-on-reject; 1 when the import could not run.
 */
export function registerImportCommands(program: Command, withDatabase: OpenDatabase): void {
  const group = program
    .command("import")
    .description(
      "bulk-import CSV/XLSX exports: feedback from survey tools, service tickets, customers (see docs/import.md)",
    );
  for (const kind of Object.keys(IMPORTERS) as ImportKind[]) {
    const command = group
      .command(kind)
      .description(`import ${IMPORTERS[kind].what}; importing the same file again inserts nothing new`)
      .argument("<file>", "the export, .csv (UTF-8 or GB18030) or .xlsx (first worksheet)")
      .option("--mapping <file>", "JSON mapping of the file's headers to qloop fields (default: the common Chinese export)")
      .option(
        "--report <file>",
        "write rejected rows (row, column, field, value, reason) here; default <file>.rejected.csv when any",
      )
      .option("--batch-size <n>", "rows per transaction", integerUpTo(MAX_BATCH_SIZE), DEFAULT_BATCH_SIZE)
      .addOption(
        new Option("--encoding <encoding>", "text encoding of a CSV").choices(["auto", "utf-8", "gb18030"]).default("auto"),
      )
      .option("--fail-on-reject", "exit with status 2 when any row was rejected")
      .option("--quiet", "no progress bar");
    if (kind !== "customers") {
      command.option(
        "--no-create-customers",
        "reject rows naming an unknown customer code instead of creating the customer",
      );
    }
    if (kind === "feedback") {
      command.option(
        "--key-prefix <text>",
        "prefix of response ids in the import key, when the tool numbers answers per survey",
      );
      command.option(
        "--concurrency <n>",
        `batches written at once on MariaDB (default ${DEFAULT_IMPORT_CONCURRENCY}; MySQL and SQLite write one at a time)`,
        integerUpTo(MAX_CONCURRENCY),
      );
    }
    command.action(async (file: string, options: ImportCommandOptions) => {
      // Everything about the input is checked before the database is opened.
      const mapping = options.mapping ? loadMapping(options.mapping) : undefined;
      const report = options.report
        ? { file: options.report }
        : { file: defaultReportFile(file), onlyIfRejected: true };
      const display = progressDisplay({ quiet: options.quiet });
      const importOptions: ImportOptions = {
        mapping,
        report,
        batchSize: options.batchSize,
        encoding: options.encoding,
        createCustomers: options.createCustomers ?? true,
        keyPrefix: options.keyPrefix,
        concurrency: options.concurrency,
        onProgress: (progress) => display.update(progress),
      };
      const summary = await withDatabase(async (_services, dataSource) => {
        if (await dataSource.showMigrations()) {
          throw new ImportError("the database has pending migrations; run `qloop migrate` first");
        }
        try {
          return await IMPORTERS[kind].run(dataSource, file, importOptions);
        } finally {
          display.stop();
        }
      });
      console.log(formatSummary(summary));
      if (options.failOnReject && summary.rejected > 0) process.exitCode = 2;
    });
  }
}

/** A commander parser of an integer option from 1 to `max`, as the importer takes it. */
function integerUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`must be an integer from 1 to ${max}`);
    return n;
  };
}

function defaultReportFile(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.rejected.csv`);
}

export function formatSummary(s: ImportSummary): string {
  const n = (value: number) => value.toLocaleString("en-US").padStart(12);
  const seconds = s.elapsedMs / 1000;
  const lines = [
    `qloop: imported ${s.kind} from ${s.file} in ${seconds.toFixed(1)} s ` +
      `(${Math.round(s.read / Math.max(seconds, 0.001)).toLocaleString("en-US")} rows/s)`,
    `  read              ${n(s.read)}`,
    `  inserted          ${n(s.inserted)}`,
    `  already present   ${n(s.alreadyPresent)}`,
    `  rejected          ${n(s.rejected)}${s.reportFile ? `   see ${s.reportFile}` : ""}`,
  ];
  if (s.customersCreated > 0) lines.push(`  customers created ${n(s.customersCreated)}`);
  if (s.ignoredColumns.length > 0) lines.push(`  columns not imported: ${s.ignoredColumns.join(", ")}`);
  return lines.join("\n");
}
