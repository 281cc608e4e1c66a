import fs from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { GraphQLError } from "graphql";
import { DataSource } from "typeorm";
import { LANGUAGES } from "../report/i18n";
import { REPORT_FORMATS, REPORT_KINDS, type RenderedReport } from "../report/report.service";
import type { Services } from "../service";

type OpenDatabase = <T>(work: (services: Services, dataSource: DataSource) => Promise<T>) => Promise<T>;

interface ReportCommandOptions {
  period: string;
  format: string;
  lang: string;
  out?: string;
}

/**
 * `qloop report weekly|monthly --period 2026-W47|2026-10 [--format html|md] [--lang zh-CN|en]
 * [--out FILE]`: the report document written to FILE, or to standard output.
 */
export function registerReportCommand(program: Command, withDatabase: OpenDatabase): void {
  program
    .command("report")
    .description("write the weekly meeting pack or the monthly review as self-contained HTML (with SVG charts) or Markdown")
    .addArgument(program.createArgument("<kind>", "which report").choices(REPORT_KINDS))
    .requiredOption("--period <period>", "ISO week for weekly (2026-W47), month for monthly (2026-10)")
    .addOption(new Option("--format <format>", "output format").choices(REPORT_FORMATS).default("html"))
    .addOption(new Option("--lang <lang>", "labels in Chinese or English").choices(LANGUAGES).default("zh-CN"))
    .option("--out <file>", "write to this file instead of standard output")
    .action(async (kind: string, options: ReportCommandOptions) => {
      let report: RenderedReport;
      try {
        report = await withDatabase((services) =>
          services.reports.render({ kind, period: options.period, format: options.format, lang: options.lang }),
        );
      } catch (error) {
        // Bad input names the parameter; say it the way the command line spells it.
        if (error instanceof GraphQLError && error.extensions.code === "BAD_USER_INPUT") {
          throw new InvalidArgumentError(`--${String(error.extensions.field)}: ${error.message.replace(/^[^:]*: /, "")}`);
        }
        throw error;
      }
      if (options.out) {
        fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
        fs.writeFileSync(options.out, report.body);
        console.error(`wrote ${options.out}`);
      } else {
        process.stdout.write(report.body);
      }
    });
}
