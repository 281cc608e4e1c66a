/**
 * A sweeper process for test/jobs/sweeper-kill.spec.ts: sweeps the database in DATABASE_URL at
 * the time SWEEP_NOW, printing `handled <job id>` after each job's handler ran (inside the still
 * open batch transaction) and then pausing SWEEP_DELAY_MS, so the test can kill it mid-batch.
 * Prints `done <count>` if it ever finishes.
 */
import "reflect-metadata";
import { parseDatabaseUrl } from "../../../src/config";
import { createDataSource } from "../../../src/db/data-source";
import { sweepDueJobs } from "../../../src/jobs/sweeper";

async function main() {
  const dataSource = createDataSource(parseDatabaseUrl(process.env.DATABASE_URL));
  await dataSource.initialize();
  const delay = Number(process.env.SWEEP_DELAY_MS ?? 0);
  const result = await sweepDueJobs(dataSource, {
    now: new Date(process.env.SWEEP_NOW!),
    batchSize: Number(process.env.SWEEP_BATCH_SIZE ?? 10),
    afterJob: async (job) => {
      process.stdout.write(`handled ${job.id}\n`);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    },
  });
  process.stdout.write(`done ${result.done}\n`);
  await dataSource.destroy();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
