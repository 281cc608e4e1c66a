import { Command, InvalidArgumentError } from "commander";
import { DataSource, Not } from "typeorm";
import { loadConfig } from "../config";
import { createDataSource } from "../db/data-source";
import { seedDemo } from "../demo/demo-data";
import { seedWorkflowTour } from "../demo/every-state";
import { Customer, Department, Feedback, Issue, User } from "../entity";
import { SYSTEM_USER_EMAIL } from "../service/system-actor";

/** What makes a database "in use": anything a person or an import put there. */
async function existingData(dataSource: DataSource): Promise<string[]> {
  const counts: [string, number][] = [
    ["departments", await dataSource.getRepository(Department).count()],
    ["users", await dataSource.getRepository(User).count({ where: { email: Not(SYSTEM_USER_EMAIL) } })],
    ["customers", await dataSource.getRepository(Customer).count()],
    ["feedback", await dataSource.getRepository(Feedback).count()],
    ["issues", await dataSource.getRepository(Issue).count()],
  ];
  return counts.filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
}

/**
 * `qloop seed --demo`: the demo year (src/demo/demo-data.ts) into a migrated, empty database.
 * A database with data in it is refused, so a mistyped DATABASE_URL cannot mix demo rows into
 * production data; --force drops every table first and starts from a fresh schema.
 */
export function registerSeedCommand(program: Command): void {
  program
    .command("seed")
    .description("fill the database with data (migrating it first)")
    .option("--demo", "a realistic after-sales year in Chinese: feedback, complaints, issues in every state")
    .option("--force", "DROP EVERY TABLE of the configured database first, then migrate and seed")
    .action(async (options: { demo?: boolean; force?: boolean }) => {
      if (!options.demo) throw new InvalidArgumentError("nothing to seed: pass --demo (the only data set so far)");
      const config = loadConfig();
      const dataSource = createDataSource(config.database);
      await dataSource.initialize();
      try {
        if (options.force) {
          await dataSource.dropDatabase();
        }
        await dataSource.runMigrations({ transaction: "each" });
        const found = await existingData(dataSource);
        if (found.length > 0) {
          throw new InvalidArgumentError(
            `the database is not empty (${found.join(", ")}); the demo goes into an empty database only. ` +
              "Point DATABASE_URL at a new database, or pass --force to DROP EVERY TABLE and start over.",
          );
        }
        const started = Date.now();
        const made = await seedDemo(dataSource);
        const tour = await seedWorkflowTour(dataSource);
        console.log(
          `demo data: ${made.feedback} feedback, ${made.issues + tour.issues} issues in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
            "Sign in as the quality specialist with `qloop token create --email liumin@demo.qloop`.",
        );
      } finally {
        await dataSource.destroy();
      }
    });
}
