import { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";
import { MIGRATIONS } from "../../migrations";
import { createTestDatabase, TestDatabase, usingMysql } from "../support/test-database";

describe("migrations", () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource(database.config);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it("apply every migration on a fresh database", async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
  });

  it("leave nothing for the entities to add: migrations and entities agree", async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("revert cleanly and apply again", async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    const tables = await dataSource.createQueryRunner().getTables(dataSource.entityMetadatas.map((m) => m.tablePath));
    expect(tables).toEqual([]);
    await dataSource.runMigrations();
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it("count feedback recorded before the analytics rollups existed", async () => {
    // Back to the schema before the Reports migration, with one piece of feedback in it.
    const reportsAt = MIGRATIONS.findIndex((M) => new M().name?.startsWith("Reports"));
    for (let i = reportsAt; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    const q = (name: string) => dataSource.driver.escape(name);
    await dataSource.query(`INSERT INTO ${q("customer")} (${q("name")}) VALUES ('老客户')`);
    await dataSource.query(
      `INSERT INTO ${q("feedback")} (${q("source")}, ${q("channel")}, ${q("customerId")}, ${q("verificationStatus")}, ` +
        `${q("receivedAt")}, ${q("recordedById")}) VALUES ('SURVEY', 'SMS', 1, 'UNVERIFIED', '2026-10-05 08:00:00', 1)`,
    );
    const [{ id }] = await dataSource.query(`SELECT MAX(${q("id")}) AS id FROM ${q("feedback")}`);
    await dataSource.query(
      `INSERT INTO ${q("feedback_score")} (${q("feedbackId")}, ${q("dimension")}, ${q("score")}) VALUES (?, 'overall', 4), (?, 'attitude', 2)`,
      [id, id],
    );

    await dataSource.runMigrations();
    const scores = await dataSource.query(
      `SELECT ${q("dimension")} AS dimension, ${q("count2")} AS n2, ${q("count4")} AS n4 FROM ${q("rollup_score")} ` +
        `WHERE ${q("segmentKind")} = 'ALL' AND ${q("day")} = '2026-10-05' ORDER BY ${q("dimension")}`,
    );
    expect(scores.map((row: Record<string, unknown>) => [row.dimension, Number(row.n2), Number(row.n4)])).toEqual([
      ["attitude", 1, 0],
      ["overall", 0, 1],
    ]);
  });

  // MySQL only: SQLite stores all text as UTF-8 and has no table collations to check.
  const onMysql = usingMysql() ? it : () => undefined;
  onMysql("create every MySQL table in utf8mb4", async () => {
    const rows: { TABLE_NAME: string; TABLE_COLLATION: string }[] = await dataSource.query(
      "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect([row.TABLE_NAME, row.TABLE_COLLATION.startsWith("utf8mb4")]).toEqual([row.TABLE_NAME, true]);
  });
});
