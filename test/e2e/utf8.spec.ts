import { gql } from "graphql-request";
import { Customer, Feedback } from "../../src/entity";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Text is utf8mb4 end to end: Chinese, emoji (4-byte UTF-8) and CJK Extension B characters
 * (outside the Basic Multilingual Plane) survive the API and both databases unchanged.
 */
describe("UTF-8 text round trip", () => {
  let app: TestApp;
  let world: World;

  const NAME = "王女士😀𠀀";
  const REGION = "华东·𠀀区";
  const COMMENT = "师傅态度很好😀，但响应慢😠。生僻字：𠀀𠀁𪚥。";

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
  });
  afterAll(() => app.stop());

  it("stores the characters themselves, not replacements", () => {
    expect([...NAME]).toHaveLength(5);
    expect(NAME.codePointAt(3)).toBe(0x1f600);
    expect(NAME.codePointAt(5)).toBe(0x20000);
  });

  it("round-trips Chinese, emoji and U+20000 through createCustomer and recordFeedback", async () => {
    const { createCustomer } = await world.agent.client.request<{ createCustomer: any }>(
      gql`
        mutation ($input: CreateCustomerInput!) {
          createCustomer(input: $input) {
            id
            name
            region
          }
        }
      `,
      { input: { name: NAME, region: REGION } },
    );
    expect(createCustomer).toMatchObject({ name: NAME, region: REGION });

    const { recordFeedback } = await world.agent.client.request<{ recordFeedback: any }>(
      gql`
        mutation ($input: RecordFeedbackInput!) {
          recordFeedback(input: $input) {
            id
            comment
          }
        }
      `,
      {
        input: {
          customerId: createCustomer.id,
          channel: "APP",
          scores: [{ dimension: "attitude", score: 5 }],
          comment: COMMENT,
        },
      },
    );
    expect(recordFeedback.comment).toBe(COMMENT);

    // Read back through a fresh query (new request, new loaders) and straight from the database.
    const read = await world.quality.client.request<{ customer: any; feedback: any }>(
      gql`
        query ($customerId: ID!, $feedbackId: ID!) {
          customer(id: $customerId) {
            name
            region
          }
          feedback(id: $feedbackId) {
            comment
            customer {
              name
            }
          }
        }
      `,
      { customerId: createCustomer.id, feedbackId: recordFeedback.id },
    );
    expect(read).toEqual({
      customer: { name: NAME, region: REGION },
      feedback: { comment: COMMENT, customer: { name: NAME } },
    });
    const customer = await app.dataSource.getRepository(Customer).findOneByOrFail({ id: Number(createCustomer.id) });
    const feedback = await app.dataSource.getRepository(Feedback).findOneByOrFail({ id: Number(recordFeedback.id) });
    expect([customer.name, customer.region, feedback.comment]).toEqual([NAME, REGION, COMMENT]);
  });

  it("finds a customer by an emoji or U+20000 in the name", async () => {
    for (const part of ["😀", "𠀀"]) {
      const { customers } = await world.quality.client.request<{ customers: any }>(
        gql`
          query ($part: String!) {
            customers(filter: { nameContains: $part }) {
              nodes {
                name
              }
            }
          }
        `,
        { part },
      );
      expect(customers.nodes).toEqual([{ name: NAME }]);
    }
  });

  it("uses utf8mb4 collations for every table on MySQL/MariaDB (UTF-8 on SQLite)", async () => {
    if (app.dataSource.options.type === "better-sqlite3") {
      // SQLite stores TEXT as UTF-8 with no per-table character set; the round trip above covers it.
      expect(await app.dataSource.query("PRAGMA encoding")).toEqual([{ encoding: "UTF-8" }]);
      return;
    }
    const tables: { name: string; collation: string }[] = await app.dataSource.query(
      "SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES " +
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    );
    const entityTables = app.dataSource.entityMetadatas.map((meta) => meta.tableName);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(entityTables));
    // Compared as a whole so that a failure names the offending table.
    expect(tables.filter((table) => !table.collation.startsWith("utf8mb4"))).toEqual([]);
  });
});
