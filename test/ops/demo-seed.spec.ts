import { GraphQLClient, gql } from "graphql-request";
import { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";
import { ApiToken, Issue } from "../../src/entity";
import { RunningServer, startServer } from "../../src/server";
import { createServices } from "../../src/service";
import { createTestDatabase, TestDatabase } from "../support/test-database";
import { databaseUrl, runQloop } from "./qloop-process";

/**
 * `qloop seed --demo` through the real CLI, then the README's example queries against the seeded
 * database: a newcomer finds every workflow state populated.
 */
describe("qloop seed --demo", () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dataSource: DataSource;
  let server: RunningServer;
  let quality: GraphQLClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: databaseUrl(database.config) };
    const seeded = await runQloop(["seed", "--demo"], env);
    expect(seeded.stderr).toBe("");
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/^demo data: 480 feedback, 11 issues/);

    dataSource = createDataSource(database.config);
    await dataSource.initialize();
    server = await startServer({ dataSource, port: 0, host: "127.0.0.1" });
    const services = createServices(dataSource);
    const user = await services.directory.findUserByEmail("liumin@demo.qloop");
    const token = await services.auth.issueToken(user!.id, "demo test");
    quality = new GraphQLClient(server.url, { headers: { authorization: `Bearer ${token}` } });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await dataSource?.destroy();
    await database?.drop();
  });

  it("answers the README's first query with the demo's issues", async () => {
    const data = await quality.request<any>(
      gql`{ me { name roles } issues(first: 10) { totalCount nodes { id title state nextEvents } } }`,
    );
    expect(data.me).toEqual({ name: "刘敏", roles: ["QUALITY_SPECIALIST"] });
    expect(data.issues.totalCount).toBe(11);
    expect(data.issues.nodes).toHaveLength(10);
    expect(data.issues.nodes.some((issue: { nextEvents: string[] }) => issue.nextEvents.length > 0)).toBe(true);
  });

  const LISTS: Record<string, string> = {
    issue: "issues",
    actionItem: "actionItems",
    adjustmentRequest: "adjustmentRequests",
    verificationCheck: "verificationChecks",
    surveyCampaign: "surveyCampaigns",
    reviewMeeting: "reviewMeetings",
  };

  it.each(Object.keys(LISTS))("has %s objects in every state of its machine", async (machine) => {
    const { workflowDefinitions } = await quality.request<any>(gql`{ workflowDefinitions { name states { name } } }`);
    const states: string[] = workflowDefinitions.find((definition: { name: string }) => definition.name === machine).states.map((state: { name: string }) => state.name);
    const counts: Record<string, number> = {};
    for (const state of states) {
      const data = await quality.request<any>(
        `query ($states: [String!]) { list: ${LISTS[machine]}(first: 1, filter: { states: $states }) { totalCount nodes { state } } }`,
        { states: [state] },
      );
      counts[state] = data.list.totalCount;
      if (data.list.totalCount > 0) expect(data.list.nodes[0].state).toBe(state);
    }
    expect(Object.entries(counts).filter(([, count]) => count === 0)).toEqual([]);
  });

  it("has fishbone causes in every state of the cause machine", async () => {
    const data = await quality.request<any>(gql`{ issues(first: 100) { nodes { causes { state } } } }`);
    const seen = new Set(data.issues.nodes.flatMap((issue: { causes: { state: string }[] }) => issue.causes.map((cause) => cause.state)));
    expect([...seen].sort()).toEqual(["confirmed", "hypothesis", "refuted"]);
  });

  it("refuses to seed a database that has data, saying how to proceed, and changes nothing", async () => {
    const before = await dataSource.getRepository(Issue).count();
    const again = await runQloop(["seed", "--demo"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^qloop: the database is not empty \(.*11 issues\).*--force/);
    expect(await dataSource.getRepository(Issue).count()).toBe(before);
  }, 120_000);

  it("with --force drops everything and seeds afresh", async () => {
    const forced = await runQloop(["seed", "--demo", "--force"], env);
    expect(forced.code).toBe(0);
    expect(await dataSource.getRepository(Issue).count()).toBe(11);
    // Rows that were there before (the token this test issued) are gone with their tables.
    expect(await dataSource.getRepository(ApiToken).count()).toBe(0);
  }, 240_000);

  it("refuses `seed` without --demo, naming the option", async () => {
    const result = await runQloop(["seed"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--demo");
  }, 120_000);
});
