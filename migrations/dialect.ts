import { QueryRunner } from "typeorm";

/** The SQL of one migration step for each supported database. */
export interface DialectStatements {
  mysql: readonly string[];
  sqlite: readonly string[];
}

/**
 * Runs the statements written for the connected database. Migrations are generated from the
 * entities for both databases at once (`npm run migration:generate -- Name`), so one migration
 * class serves MySQL/MariaDB and SQLite and cannot drift from the entities.
 */
export async function runForDialect(queryRunner: QueryRunner, statements: DialectStatements) {
  const type = queryRunner.connection.options.type;
  const chosen = type === "mysql" || type === "mariadb" ? statements.mysql : type === "better-sqlite3" ? statements.sqlite : null;
  if (!chosen) throw new Error(`no migration statements for database type ${type}`);
  for (const sql of chosen) await queryRunner.query(sql);
}
