import { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";

/**
 * INSERT IGNORE / INSERT OR IGNORE of one row, telling whether this statement inserted it (false:
 * a row with the same unique key exists). Unlike a read-then-insert check this holds under
 * concurrent transactions on MySQL, whose consistent reads may not see a row another transaction
 * has just committed while the unique index does. TypeORM drops SQLite's change count, so there
 * `changes()` is asked on the same connection right after (SQLite writes are serialised anyway).
 * Checked on SQLite and on MariaDB through both the mariadb and the mysql driver types.
 */
export async function insertOnce<T extends ObjectLiteral>(
  tx: EntityManager,
  target: EntityTarget<T>,
  values: Partial<T>,
): Promise<boolean> {
  const result = await tx
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(values as never)
    .orIgnore()
    .execute();
  if (tx.connection.options.type === "better-sqlite3") {
    const [row] = (await tx.query("SELECT changes() AS n")) as { n: number }[];
    return Number(row.n) === 1;
  }
  // MariaDB ≥ 10.5: TypeORM adds RETURNING, so raw holds the inserted rows (none if ignored);
  // MySQL: raw is the result header with affectedRows.
  if (Array.isArray(result.raw)) return result.raw.length === 1;
  return Number((result.raw as { affectedRows?: number }).affectedRows) === 1;
}
