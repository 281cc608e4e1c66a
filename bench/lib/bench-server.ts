import { DataSource } from "typeorm";
import { parseDatabaseUrl } from "../../src/config";
import { createDataSource } from "../../src/db/data-source";
import { RunningServer, startServer } from "../../src/server";
import { createServices } from "../../src/service";
import { BenchDatabase } from "./mariadb";

/** The real qloop server on a fresh benchmark database, with a user, a token and a statement counter. */
export interface BenchServer {
  dataSource: DataSource;
  server: RunningServer;
  url: string;
  token: string;
  departmentId: number;
  userId: number;
  /** Counts SQL statements while `counting` is true. */
  statements: { counting: boolean; count: number };
  stop(): Promise<void>;
}

export async function startBenchServer(db: BenchDatabase, poolSize?: number): Promise<BenchServer> {
  const migrated = await db.fresh();
  await migrated.destroy();
  const statements = { counting: false, count: 0 };
  const dataSource = createDataSource(parseDatabaseUrl(db.url), {
    onQuery: () => {
      if (statements.counting) statements.count++;
    },
    ...(poolSize ? { poolSize } : {}),
  });
  await dataSource.initialize();
  const services = createServices(dataSource);
  const department = await services.directory.createDepartment("售后服务部");
  const user = await services.directory.createUser({
    name: "Benchmark",
    email: `bench-${Date.now()}@bench.invalid`,
    roles: ["QUALITY_SPECIALIST"],
    departmentId: department.id,
  });
  const token = await services.auth.issueToken(user.id, "benchmark");
  const server = await startServer({ dataSource, port: 0, host: "127.0.0.1" });
  return {
    dataSource,
    server,
    url: `http://127.0.0.1:${server.port}/graphql`,
    token,
    departmentId: department.id,
    userId: user.id,
    statements,
    stop: async () => {
      await server.stop();
      await dataSource.destroy();
    },
  };
}

/** Runs `work` and returns how many SQL statements the server ran meanwhile. */
export async function countStatements(bench: BenchServer, work: () => Promise<unknown>): Promise<number> {
  bench.statements.count = 0;
  bench.statements.counting = true;
  try {
    await work();
    return bench.statements.count;
  } finally {
    bench.statements.counting = false;
  }
}

/** Runs `work` (e.g. starting a server) with QLOOP_JIT set to `on`, then puts the setting back. */
export async function withJit<T>(on: boolean, work: () => Promise<T>): Promise<T> {
  const setting = process.env.QLOOP_JIT;
  process.env.QLOOP_JIT = on ? "on" : "off";
  try {
    return await work();
  } finally {
    if (setting === undefined) delete process.env.QLOOP_JIT;
    else process.env.QLOOP_JIT = setting;
  }
}
