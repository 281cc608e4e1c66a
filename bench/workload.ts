import type { BenchDatabase } from "./lib/mariadb";

/** What a workload gets: the benchmark database, its options, and a log line on stderr. */
export interface BenchContext {
  database: BenchDatabase;
  /** An integer option (`--rows 200000`), or the default. */
  int(name: string, fallback: number): number;
  /** A switch (`--keep`). */
  flag(name: string): boolean;
  log(message: string): void;
}

export interface WorkloadResult {
  /** The workload's figures: a markdown table with its peers, ratios and targets. */
  markdown: string;
  /** Whether every target was met. */
  met: boolean;
  /** Nothing was measured (e.g. W4 --seed-only): no result file is written, `markdown` is logged. */
  nothingMeasured?: boolean;
}

/** One row of issue 6's benchmark table, run beside its peers in the same run. */
export interface Workload {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<WorkloadResult>;
}
