import { createDataSource } from "../../src/db/data-source";
import { checkReadiness, startServer } from "../../src/server";
import { startTestApp, TestApp } from "../support/test-app";
import { createTestDatabase } from "../support/test-database";

/** Liveness and readiness probes for process managers and load balancers. */
describe("health endpoints", () => {
  let app: TestApp;
  const base = () => app.url.replace(/\/graphql$/, "");

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it("answers /healthz while the process runs", async () => {
    const response = await fetch(`${base()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("reports ready on /readyz when the database answers and every migration is applied", async () => {
    const response = await fetch(`${base()}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true, problems: [] });
  });

  it("reports 503 on /readyz while a migration of this build is pending, and ready once it is applied", async () => {
    await app.dataSource.undoLastMigration();
    const pending = await fetch(`${base()}/readyz`);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toEqual({ ready: false, problems: ["migrations pending"] });

    await app.dataSource.runMigrations();
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
  });

  it("stays live but answers 503 on /readyz over HTTP while its database is gone", async () => {
    const database = await createTestDatabase();
    const dataSource = createDataSource(database.config);
    await dataSource.initialize();
    await dataSource.runMigrations();
    const server = await startServer({ dataSource, port: 0, host: "127.0.0.1" });
    const root = server.url.replace(/\/graphql$/, "");
    try {
      await dataSource.destroy();
      // Liveness must not get a process restarted for a database outage; readiness takes it out of rotation.
      expect((await fetch(`${root}/healthz`)).status).toBe(200);
      const ready = await fetch(`${root}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, problems: ["database unreachable"] });
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  it("is not ready when the database cannot be reached", async () => {
    const database = await createTestDatabase();
    const dataSource = createDataSource(database.config);
    await dataSource.initialize();
    await dataSource.destroy();
    try {
      expect(await checkReadiness(dataSource)).toEqual({ ready: false, problems: ["database unreachable"] });
    } finally {
      await database.drop();
    }
  });
});
