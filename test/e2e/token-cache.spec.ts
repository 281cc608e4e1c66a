import { ApiToken } from "../../src/entity";
import { createWorld, errorCodeOf, startTestApp, TestApp, World } from "../support/test-app";

/** Bearer tokens are looked up once and then trusted for a few seconds, never after a revoke. */
describe("the token lookup cache", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  const TYPENAME = "{ __typename }";

  async function statementsOf(request: Promise<unknown>): Promise<number> {
    app.statements.length = 0;
    await request;
    return app.statements.length;
  }

  it("asks the database for a token once, then answers from the cache", async () => {
    const token = await app.services.auth.issueToken(Number(w.agent.id), "cached");
    expect(await statementsOf(app.client(token).request(TYPENAME))).toBe(2);
    expect(await statementsOf(app.client(token).request(TYPENAME))).toBe(0);
  });

  it("refuses a cached token as soon as it is revoked through any AuthService on the database", async () => {
    const token = await app.services.auth.issueToken(Number(w.agent.id), "revoked while cached");
    await app.client(token).request(TYPENAME);
    const row = await app.dataSource.getRepository(ApiToken).findOneByOrFail({ label: "revoked while cached" });
    // app.services is not the server's own Services instance: the cache is shared per DataSource.
    expect(await app.services.auth.revokeToken(row.id)).toBe(true);
    expect(await errorCodeOf(app.client(token).request(TYPENAME))).toBe("UNAUTHENTICATED");
  });
});
