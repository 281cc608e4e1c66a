import { ApolloServer } from "@apollo/server";
import { parse } from "graphql";
import { apolloSchemaOptions, jitCanRun, jitEnabled } from "../../src/api/jit/jit-gateway";
import { getSchema } from "../../src/api/schema";
import { RunningServer, startServer } from "../../src/server";
import { W1_EXPECTED, W1_QUERY, w1Schema } from "../../bench/lib/w1-schema";
import { NESTED_QUERY, seedNested, W2_SHAPE } from "../../bench/lib/nested-seed";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/** QLOOP_JIT=on: graphql-jit behind Apollo through its gateway interface gives the same answers. */
describe("graphql-jit behind Apollo (QLOOP_JIT)", () => {
  let app: TestApp;
  let w: World;
  let jitServer: RunningServer;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    const setting = process.env.QLOOP_JIT;
    process.env.QLOOP_JIT = "on";
    try {
      jitServer = await startServer({ dataSource: app.dataSource, port: 0, host: "127.0.0.1" });
    } finally {
      if (setting === undefined) delete process.env.QLOOP_JIT;
      else process.env.QLOOP_JIT = setting;
    }
  });
  afterAll(async () => {
    await jitServer?.stop();
    await app?.stop();
  });

  async function post(url: string, query: string, variables: object = {}) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${w.quality.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
  }

  it("answers a nested list exactly as graphql-js does", async () => {
    await seedNested(app.dataSource, { ...W2_SHAPE, issues: 3 }, { departmentId: Number(w.serviceDept), userId: Number(w.serviceLead.id) }, "jit");
    const plain = await post(app.url, NESTED_QUERY, { first: 3 });
    const jitted = await post(jitServer.url, NESTED_QUERY, { first: 3 });
    expect(plain.body.data.issues.nodes).toHaveLength(3);
    expect(jitted).toEqual(plain);
  });

  it("leaves mutations and union results to graphql-js, refusals included", async () => {
    const [cause] = await app.dataSource.query("SELECT id FROM cause ORDER BY id LIMIT 1");
    // The seeded issue is in progress, so the cause machine refuses: a TransitionError in the union.
    const reopen = `mutation ($id: ID!) { reopenCause(id: $id, reason: "再查") { __typename ... on ErrorResult { errorCode } } }`;
    const jitted = await post(jitServer.url, reopen, { id: String(cause.id) });
    const plain = await post(app.url, reopen, { id: String(cause.id) });
    expect(jitted.body.data.reopenCause.__typename).toBe("TransitionError");
    expect(jitted).toEqual(plain);
  });

  it("keeps coded errors for bad input and unknown ids", async () => {
    const issue = `query ($id: ID!) { issue(id: $id) { id title } }`;
    for (const id of ["x", "999999"]) {
      expect(await post(jitServer.url, issue, { id })).toEqual(await post(app.url, issue, { id }));
    }
  });

  it("compiles plain queries only: no mutations, input objects or unions", async () => {
    const schema = await getSchema();
    const can = (source: string) => {
      const document = parse(source);
      return jitCanRun(schema, document, document.definitions[0] as never);
    };
    expect(can("query ($first: Int!) { issues(first: $first) { nodes { id causes { id } } } }")).toBe(true);
    expect(can(`mutation { reopenCause(id: "1", reason: "x") { __typename } }`)).toBe(false);
    expect(can("query ($filter: IssueFilter) { issues(filter: $filter) { nodes { id } } }")).toBe(false);
    expect(can(`query { issues(filter: { state: "open" }) { nodes { id } } }`)).toBe(false);
  });

  it("still runs Apollo's per-field plugin hooks", async () => {
    let fieldHooks = 0;
    const counting = {
      async requestDidStart() {
        return {
          async executionDidStart() {
            return { willResolveField: () => void fieldHooks++ };
          },
        };
      },
    };
    const apollo = new ApolloServer({ ...apolloSchemaOptions(await w1Schema(), true), plugins: [counting] });
    await apollo.start();
    const response = await apollo.executeOperation({ query: W1_QUERY });
    await apollo.stop();
    expect(response.body.kind === "single" && JSON.stringify(response.body.singleResult)).toBe(W1_EXPECTED);
    expect(fieldHooks).toBe(1 + 20 * 5 + 20 * 3 * 4);
  });

  it("reads QLOOP_JIT as on or off, off when unset, and refuses anything else", () => {
    // Given an environment, so the test means the same whatever QLOOP_JIT the suite runs under.
    expect(jitEnabled({})).toBe(false);
    expect(jitEnabled({ QLOOP_JIT: "off" })).toBe(false);
    expect(jitEnabled({ QLOOP_JIT: "on" })).toBe(true);
    expect(() => jitEnabled({ QLOOP_JIT: "yes" })).toThrow(/QLOOP_JIT/);
  });
});
