import { gql } from "graphql-request";
import { createWorld, errorCodeOf, startTestApp, TestApp, World } from "../support/test-app";

describe("who is calling", () => {
  let app: TestApp;
  let world: World;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
  });
  afterAll(() => app.stop());

  const ME = gql`
    query {
      me {
        id
        name
        roles
        department {
          name
        }
      }
    }
  `;

  it("resolves a bearer token to its user, roles and department", async () => {
    const { me } = await world.serviceLead.client.request<{ me: any }>(ME);
    expect(me).toEqual({ id: world.serviceLead.id, name: "ServiceLead", roles: ["DEPARTMENT_LEAD"], department: { name: "售后服务部" } });
  });

  it("refuses a call without a token with UNAUTHENTICATED", async () => {
    expect(await errorCodeOf(app.client().request(ME))).toBe("UNAUTHENTICATED");
  });

  it("refuses an unknown token with UNAUTHENTICATED", async () => {
    expect(await errorCodeOf(app.client("qlp_forged").request(ME))).toBe("UNAUTHENTICATED");
  });

  it("refuses a revoked token", async () => {
    const user = await app.services.directory.findUserByEmail("agent@example.test");
    const token = await app.services.auth.issueToken(user!.id, "short-lived");
    await app.client(token).request(ME);
    const { ApiToken } = await import("../../src/entity");
    const row = await app.dataSource.getRepository(ApiToken).findOneByOrFail({ label: "short-lived" });
    expect(await app.services.auth.revokeToken(row.id)).toBe(true);
    expect(await errorCodeOf(app.client(token).request(ME))).toBe("UNAUTHENTICATED");
  });

  it("lets only admins create departments, with FORBIDDEN for others", async () => {
    const mutation = gql`
      mutation ($name: String!) {
        createDepartment(name: $name) {
          id
          name
        }
      }
    `;
    expect(await errorCodeOf(world.quality.client.request(mutation, { name: "质量部" }))).toBe("FORBIDDEN");
    const created = await world.admin.client.request<{ createDepartment: { name: string } }>(mutation, { name: "质量部" });
    expect(created.createDepartment.name).toBe("质量部");
  });
});
