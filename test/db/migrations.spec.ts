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
