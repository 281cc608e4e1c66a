import { Writable } from "node:stream";
import { GraphQLClient, gql } from "graphql-request";
import { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";
import { Customer } from "../../src/entity";
import { createLogger } from "../../src/ops/logger";
import { RunningServer, startServer } from "../../src/server";
import { createServices } from "../../src/service";
import { createTestDatabase, TestDatabase } from "../support/test-database";

/** Structured JSON logs: one record per request and operation, with its request id, no personal data. */
describe("logs", () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let server: RunningServer;
  let lines: string[];
  let token: string;

  const sink = () =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    });

  beforeAll(async () => {
    lines = [];
    database = await createTestDatabase();
    dataSource = createDataSource(database.config);
    await dataSource.initialize();
    await dataSource.runMigrations();
    server = await startServer({ dataSource, port: 0, host: "127.0.0.1", log: createLogger({ level: "info", destination: sink() }) });
    const services = createServices(dataSource);
    const agent = await services.directory.createUser({ name: "周婷", email: "agent@example.test", roles: ["AGENT"], departmentId: null });
    token = await services.auth.issueToken(agent.id, "test");
  });
  afterAll(async () => {
    await server.stop();
    await dataSource.destroy();
    await database.drop();
  });

  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it("logs each request and each GraphQL operation with the request id, and echoes the id", async () => {
    const customer = await dataSource.getRepository(Customer).save({ name: "王秀英", phone: "13912345678" });
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "req-42" },
      body: JSON.stringify({
        query: `mutation Complain($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
        variables: {
          input: {
            customerId: String(customer.id),
            channel: "PHONE",
            scores: [{ dimension: "attitude", score: 1 }],
            comment: "王秀英说工程师态度差，回电 13912345678",
            title: "客户投诉：态度差",
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-42");

    const mine = records().filter((record) => record.requestId === "req-42");
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: "info", operationName: "Complain", operationType: "mutation", errorCodes: [] }),
        expect.objectContaining({ level: "info", method: "POST", path: "/graphql", status: 200 }),
      ]),
    );
    for (const record of mine) expect(typeof record.time).toBe("string");
    const text = lines.join("\n");
    for (const personal of ["王秀英", "13912345678", "态度差", token]) expect([personal, text.includes(personal)]).toEqual([personal, false]);
  });

  it("makes up a request id when the client's is missing or not a plain token", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "call 13912345678; drop" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(records()).toContainEqual(expect.objectContaining({ requestId: id, path: "/graphql", status: 200 }));
    expect(lines.join("\n")).not.toContain("13912345678");
  });

  it("keeps probes and scrapes out of the info log", async () => {
    const before = lines.length;
    await fetch(server.url.replace(/graphql$/, "healthz"));
    await fetch(server.url.replace(/graphql$/, "metrics"));
    expect(lines.slice(before)).toEqual([]);
  });

  it("censors personal fields and masks phone numbers in anything logged by mistake", () => {
    const captured: string[] = [];
    const log = createLogger({
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          captured.push(chunk.toString("utf8"));
          done();
        },
      }),
    });
    log.info(
      { variables: { input: { name: "王秀英" } }, customer: { name: "王秀英", phone: "13912345678" }, headers: { authorization: "Bearer qlp_x" } },
      "call back 13912345678",
    );
    const record = JSON.parse(captured[0]);
    expect(record.variables).toBe("[redacted]");
    expect(record.customer).toEqual({ name: "[redacted]", phone: "[redacted]" });
    expect(captured[0]).not.toContain("13912345678");
    expect(captured[0]).not.toContain("qlp_x");
  });
});
