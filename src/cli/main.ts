import "reflect-metadata";
import fs from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { DataSource } from "typeorm";
import { ROLES, Role } from "../../workflows/actor";
import { ConfigError, loadConfig } from "../config";
import { createDataSource } from "../db/data-source";
import { printSchemaSdl, schemaFile } from "../api/schema";
import { startServer } from "../server";
import { sweepDueJobs, startSweeper } from "../jobs/sweeper";
import { deliverDueMessages } from "../notify/delivery";
import { createTransports, parseDeliveryConfig, parseSweepInterval } from "../notify/delivery-config";
import { createServices } from "../service";
import { ImportError } from "../import";
import { registerImportCommands } from "./import-command";
import { registerRollupCommand } from "./rollup-command";
import { registerReportCommand } from "./report-command";
import { registerSeedCommand } from "./seed-command";
import { createLogger } from "../ops/logger";
import { parseServerMode } from "../api/limits/limits.config";

/** Opens the configured database, runs `work`, and always closes it. */
async function withDatabase<T>(
  work: (services: ReturnType<typeof createServices>, dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = createDataSource(loadConfig().database);
  await dataSource.initialize();
  try {
    return await work(createServices(dataSource), dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** The background worker's settings from the environment (QLOOP_SWEEP_INTERVAL_MS, delivery). */
function backgroundOptions() {
  return {
    intervalMs: parseSweepInterval(process.env.QLOOP_SWEEP_INTERVAL_MS),
    transports: createTransports(parseDeliveryConfig()),
  };
}

function parseRoles(value: string): Role[] {
  const roles = value.split(",").map((role) => role.trim().toUpperCase());
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown role ${unknown.join(", ")}; roles are ${ROLES.join(", ")}`);
  return roles as Role[];
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

/**
 * Why the configured database could not be opened — unreachable server, refused login, missing
 * database or file — as "CODE: message"; null for any other error. The message names host and
 * user at most, never the password.
 */
function databaseUnavailable(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  const unavailable = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ER_ACCESS_DENIED_ERROR",
    "ER_BAD_DB_ERROR",
    "ER_DBACCESS_DENIED_ERROR",
    "SQLITE_CANTOPEN",
  ];
  if (typeof code !== "string" || !unavailable.includes(code)) return null;
  return `${code}: ${(error as Error).message}`;
}

export function buildCli(): Command {
  const program = new Command("qloop")
    .description("Closed-loop improvement tracking for after-sales service quality")
    .showHelpAfterError();

  program
    .command("serve")
    .description("migrate the database, then serve GraphQL (PORT, default 4000; DATABASE_URL, default ./data/qloop.sqlite)")
    .action(async () => {
      // Every variable is checked before anything starts: a typo fails here, naming the variable.
      const config = loadConfig();
      parseServerMode();
      const background = backgroundOptions();
      const log = createLogger({ level: config.logLevel });
      const dataSource = createDataSource(config.database);
      await dataSource.initialize();
      const applied = await dataSource.runMigrations({ transaction: "each" });
      const server = await startServer({ dataSource, port: config.port, log, shutdownTimeoutMs: config.shutdownTimeoutMs });
      const where = config.database.kind === "sqlite" ? `SQLite ${config.database.file}` : `MySQL ${config.database.database}`;
      log.info({ event: "started", migrationsApplied: applied.length, database: where, url: server.url }, `GraphQL ready at ${server.url}`);
      // Deadlines and outbox delivery run in every serving process; they are safe side by side.
      const worker = startSweeper(dataSource, {
        ...background,
        onError: (error) => log.error({ event: "background-round-failed", err: error }, "background round failed"),
      });
      let stopping = false;
      const shutdown = async (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        log.info({ event: "stopping", signal }, "refusing new connections; finishing requests in flight");
        // A request that never ends must not keep the process alive forever.
        setTimeout(() => {
          log.error({ event: "stop-timeout" }, "shutdown took too long; exiting");
          process.exit(1);
        }, config.shutdownTimeoutMs + 5_000).unref();
        try {
          await server.stop();
          await worker.stop();
          await dataSource.destroy();
          log.info({ event: "stopped" }, "stopped");
          process.exit(0);
        } catch (error) {
          log.error({ event: "stop-failed", err: error }, "shutdown failed");
          process.exit(1);
        }
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });

  program
    .command("sweep")
    .description(
      "run due deadlines (SLA, reminders, overdue actions) and deliver the outbox, " +
        "every QLOOP_SWEEP_INTERVAL_MS until stopped (or once with --once)",
    )
    .option("--once", "one round (catching up everything due), then exit")
    .action(async (options: { once?: boolean }) => {
      const background = backgroundOptions();
      if (options.once) {
        const result = await withDatabase(async (_services, dataSource) => {
          const jobs = await sweepDueJobs(dataSource);
          const delivery = await deliverDueMessages(dataSource, background.transports);
          for (const transport of Object.values(background.transports)) await transport?.close?.();
          return { jobs, delivery };
        });
        console.log(
          `jobs: ${result.jobs.done} done, ${result.jobs.retried} to retry, ${result.jobs.failed} failed; ` +
            `messages: ${result.delivery.sent} sent, ${result.delivery.retried} to retry, ${result.delivery.dead} dead`,
        );
        return;
      }
      const config = loadConfig();
      const log = createLogger({ level: config.logLevel });
      const dataSource = createDataSource(config.database);
      await dataSource.initialize();
      const worker = startSweeper(dataSource, {
        ...background,
        onError: (error) => log.error({ event: "background-round-failed", err: error }, "background round failed"),
      });
      log.info({ event: "sweeping", intervalMs: background.intervalMs }, `sweeping every ${background.intervalMs} ms`);
      const shutdown = async () => {
        await worker.stop();
        await dataSource.destroy();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });

  program
    .command("migrate")
    .description("apply pending migrations and exit")
    .action(async () => {
      const applied = await withDatabase((_services, dataSource) => dataSource.runMigrations({ transaction: "each" }));
      console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join("\n") : "database is up to date");
    });

  const department = program.command("department").description("manage departments");
  department
    .command("create")
    .description("create a department")
    .requiredOption("--name <name>", "department name, e.g. 售后服务部")
    .action(async (options: { name: string }) => {
      const created = await withDatabase((services) => services.directory.createDepartment(options.name));
      console.log(`department ${created.id} ${created.name}`);
    });

  const user = program.command("user").description("manage users");
  user
    .command("create")
    .description("create a user")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--email <email>", "login e-mail, unique")
    .requiredOption("--roles <roles>", `comma-separated: ${ROLES.join(",")}`, parseRoles)
    .option("--department <id>", "department id", parsePositiveInt)
    .action(async (options: { name: string; email: string; roles: Role[]; department?: number }) => {
      const created = await withDatabase((services) =>
        services.directory.createUser({
          name: options.name,
          email: options.email,
          roles: options.roles,
          departmentId: options.department ?? null,
        }),
      );
      console.log(`user ${created.id} ${created.email} [${created.roles.join(",")}]`);
    });

  const token = program.command("token").description("manage bearer tokens");
  token
    .command("create")
    .description("issue a bearer token for a user; it is printed once and stored hashed")
    .requiredOption("--email <email>", "the user's e-mail")
    .addOption(new Option("--label <label>", "what the token is for").default("cli"))
    .action(async (options: { email: string; label: string }) => {
      const issued = await withDatabase(async (services) => {
        const found = await services.directory.findUserByEmail(options.email);
        if (!found) throw new InvalidArgumentError(`no user with e-mail ${options.email}`);
        return services.auth.issueToken(found.id, options.label);
      });
      console.log(issued);
    });
  token
    .command("revoke")
    .description("revoke a token by its id")
    .argument("<id>", "token id", parsePositiveInt)
    .action(async (id: number) => {
      const revoked = await withDatabase((services) => services.auth.revokeToken(id));
      if (!revoked) throw new InvalidArgumentError(`token ${id} does not exist or is already revoked`);
      console.log(`token ${id} revoked`);
    });

  program
    .command("schema")
    .description("print the GraphQL schema emitted from the code")
    .option("--write", "write schema/schema.graphql")
    .option("--check", "fail if schema/schema.graphql differs from the code")
    .action(async (options: { write?: boolean; check?: boolean }) => {
      const sdl = await printSchemaSdl();
      const file = schemaFile();
      if (options.write) {
        fs.writeFileSync(file, sdl);
        console.log(`wrote ${file}`);
      } else if (options.check) {
        const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (committed !== sdl) {
          console.error("schema/schema.graphql is stale: run `npm run schema:emit` and commit the result");
          process.exitCode = 1;
        } else {
          console.log("schema/schema.graphql matches the code");
        }
      } else {
        process.stdout.write(sdl);
      }
    });

  registerImportCommands(program, withDatabase);
  registerRollupCommand(program, withDatabase);
  registerReportCommand(program, withDatabase);
  registerSeedCommand(program);

  return program;
}

if (require.main === module || process.argv[1]?.endsWith("qloop.js")) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      if (error instanceof ConfigError || error instanceof InvalidArgumentError || error instanceof ImportError) {
        console.error(`qloop: ${error.message}`);
      } else if (error instanceof Error && "extensions" in error) {
        console.error(`qloop: ${error.message}`);
      } else if (databaseUnavailable(error)) {
        console.error(`qloop: DATABASE_URL: cannot open the database (${databaseUnavailable(error)})`);
      } else {
        console.error(error);
      }
      process.exit(1);
    });
}
