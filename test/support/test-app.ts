import { ClientError, GraphQLClient } from "graphql-request";
import { DataSource } from "typeorm";
import type { Role } from "../../workflows/actor";
import { ManualClock, useClock } from "../../src/common/clock";
import { createDataSource } from "../../src/db/data-source";
import { RunningServer, startServer } from "../../src/server";
import type { LimitsConfig } from "../../src/api/limits";
import { createServices, Services } from "../../src/service";
import { createTestDatabase, TestDatabase } from "./test-database";

export interface TestApp {
  url: string;
  dataSource: DataSource;
  services: Services;
  /** Every SQL statement run since the last `statements.length = 0`. */
  statements: string[];
  /** The server's clock: stands still at the start time until a test moves it. */
  clock: ManualClock;
  client(token?: string): GraphQLClient;
  stop(): Promise<void>;
}

/** The real server on a fresh, migrated database, listening on a free port. */
export async function startTestApp(options: { limits?: Partial<LimitsConfig> } = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase();
  const statements: string[] = [];
  const dataSource = createDataSource(database.config, { onQuery: (sql) => statements.push(sql) });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const clock = new ManualClock();
  useClock(dataSource, clock);
  const server: RunningServer = await startServer({ dataSource, port: 0, host: "127.0.0.1", limits: options.limits });
  return {
    url: server.url,
    dataSource,
    services: createServices(dataSource),
    statements,
    clock,
    client: (token) =>
      new GraphQLClient(server.url, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    stop: async () => {
      await server.stop();
      await dataSource.destroy();
      await database.drop();
    },
  };
}

export interface Person {
  id: string;
  token: string;
  client: GraphQLClient;
}

export interface World {
  serviceDept: string;
  techDept: string;
  agent: Person;
  quality: Person;
  manager: Person;
  /** Department lead of the service department (售后服务部). */
  serviceLead: Person;
  /** Department lead of the technical department (技术部). */
  techLead: Person;
  /** Engineer in the service department, owner of action items, no lead role. */
  engineer: Person;
  admin: Person;
}

/** Two departments and one user per role, each with a token and a client. */
export async function createWorld(app: TestApp): Promise<World> {
  const service = await app.services.directory.createDepartment("售后服务部");
  const tech = await app.services.directory.createDepartment("技术部");
  const person = async (name: string, roles: Role[], departmentId: number | null): Promise<Person> => {
    const user = await app.services.directory.createUser({
      name,
      email: `${name.toLowerCase()}@example.test`,
      roles,
      departmentId,
    });
    const token = await app.services.auth.issueToken(user.id, "test");
    return { id: String(user.id), token, client: app.client(token) };
  };
  return {
    serviceDept: String(service.id),
    techDept: String(tech.id),
    agent: await person("Agent", ["AGENT"], service.id),
    quality: await person("Quality", ["QUALITY_SPECIALIST"], null),
    manager: await person("Manager", ["OPERATIONS_MANAGER"], null),
    serviceLead: await person("ServiceLead", ["DEPARTMENT_LEAD"], service.id),
    techLead: await person("TechLead", ["DEPARTMENT_LEAD"], tech.id),
    engineer: await person("Engineer", ["AGENT"], service.id),
    admin: await person("Admin", ["ADMIN"], null),
  };
}

/** The GraphQL errors of a request that is expected to fail. */
export async function errorsOf(request: Promise<unknown>): Promise<{ message: string; extensions?: Record<string, unknown> }[]> {
  try {
    await request;
  } catch (error) {
    if (error instanceof ClientError) return (error.response.errors ?? []) as never;
    throw error;
  }
  throw new Error("expected the request to fail, but it succeeded");
}

/** The first error's extensions.code. */
export async function errorCodeOf(request: Promise<unknown>): Promise<unknown> {
  return (await errorsOf(request))[0]?.extensions?.code;
}

/** Row counts of every table, to assert that a refused request wrote nothing. */
export async function tableCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const meta of dataSource.entityMetadatas) {
    counts[meta.tableName] = await dataSource.getRepository(meta.target).count();
  }
  return counts;
}
