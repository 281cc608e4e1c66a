import { Command } from "commander";
import { DataSource } from "typeorm";
import type { Services } from "../service";

type OpenDatabase = <T>(work: (services: Services, dataSource: DataSource) => Promise<T>) => Promise<T>;

/**
 * `qloop rollup rebuild`: recomputes the analytics rollups from the raw feedback, e.g. after the
 * migration that introduced them (feedback recorded before gets its segment snapshot here) or
 * after data was loaded behind qloop's back (benchmark seeding).
 */
export function registerRollupCommand(program: Command, withDatabase: OpenDatabase): void {
  const rollup = program.command("rollup").description("maintain the satisfaction-analytics rollups");
  rollup
    .command("rebuild")
    .description("recompute every rollup from the raw feedback tables, in one transaction")
    .action(async () => {
      const started = Date.now();
      const result = await withDatabase((services) => services.analytics.rebuildRollups());
      console.log(
        `rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
          `${result.feedback} valid feedback counted; ` +
          `rows: ${result.scoreRows} score, ${result.responseRows} response, ${result.keywordRows} keyword`,
      );
    });
}
