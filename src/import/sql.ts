import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from "typeorm";

/**
 * The few SQL shapes bulk import needs, written once for MySQL/MariaDB and SQLite. They go
 * straight to the transaction's query runner as multi-row statements: entity hydration and
 * per-row persistence would cost more than the database work itself (see bench/).
 */

const SQLITE_MAX_PARAMS = 30_000; // below SQLite's 32,766 host parameters per statement
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024; // far below max_allowed_packet (16 MB on MariaDB by default)
const IN_LIST_MAX = 5_000;

export function isMysql(tx: EntityManager): boolean {
  const type = tx.connection.options.type;
  return type === "mysql" || type === "mariadb";
}

export function tableOf(tx: EntityManager, entity: EntityTarget<ObjectLiteral>): string {
  return tx.connection.getMetadata(entity).tableName;
}

/** A Date as the driver stores datetime columns (mysql2 formats Date itself; SQLite wants UTC text). */
export function dateParam(tx: EntityManager, entity: EntityTarget<ObjectLiteral>, property: string) {
  const column = tx.connection.getMetadata(entity).findColumnWithPropertyName(property);
  if (!column) throw new Error(`no column ${property}`);
  const driver = tx.connection.driver;
  return (value: Date | null): unknown => (value === null ? null : driver.preparePersistentValue(value, column));
}

/** A datetime column as raw SQL returns it (mysql2: a Date; SQLite: UTC text) turned into a Date. */
export function dateValue(tx: EntityManager, entity: EntityTarget<ObjectLiteral>, property: string) {
  const column = tx.connection.getMetadata(entity).findColumnWithPropertyName(property);
  if (!column) throw new Error(`no column ${property}`);
  const driver = tx.connection.driver;
  return (value: unknown): Date | null =>
    value === null || value === undefined ? null : (driver.prepareHydratedValue(value, column) as Date);
}

/** `SELECT columns FROM table WHERE key IN (…)`, one statement per 5,000 keys. */
export async function selectWhereIn<R>(
  tx: EntityManager,
  table: string,
  columns: string[],
  keyColumn: string,
  keys: readonly (string | number)[],
): Promise<R[]> {
  const q = (name: string) => tx.connection.driver.escape(name);
  const rows: R[] = [];
  for (let start = 0; start < keys.length; start += IN_LIST_MAX) {
    const chunk = keys.slice(start, start + IN_LIST_MAX);
    const sql =
      `SELECT ${columns.map(q).join(", ")} FROM ${q(table)} ` +
      `WHERE ${q(keyColumn)} IN (${chunk.map(() => "?").join(", ")})`;
    rows.push(...((await tx.query(sql, chunk)) as R[]));
  }
  return rows;
}

/**
 * Whether INSERT … RETURNING exists: MariaDB ≥ 10.5 and SQLite ≥ 3.35 have it, MySQL does not.
 * (TypeORM's type says which server a DataSource talks to: mariadb:// URLs select "mariadb".)
 */
export function canReturn(tx: EntityManager): boolean {
  return canReturnFrom(tx.connection);
}

export function canReturnFrom(dataSource: DataSource): boolean {
  const type = dataSource.options.type;
  return type === "mariadb" || type === "better-sqlite3";
}

/**
 * A plain multi-row INSERT, for rows that cannot collide with a unique key (children of rows the
 * same transaction has just inserted): any collision or invalid value fails the statement.
 */
export async function insertRows(tx: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  await insertChunked(tx, "INSERT", table, columns, rows, "");
}

/**
 * A multi-row INSERT that skips rows colliding with a unique key and fails on anything else.
 * Not `INSERT IGNORE`: MySQL's IGNORE also turns truncation and NOT NULL violations into warnings
 * and writes mangled rows, and SQLite's `OR IGNORE` skips NOT NULL violations too. A duplicate
 * update of the key column to itself, and SQLite's `ON CONFLICT DO NOTHING`, skip duplicates only.
 */
export async function insertSkippingDuplicates(
  tx: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  keyColumn: string,
): Promise<void> {
  const q = (name: string) => tx.connection.driver.escape(name);
  const tail = isMysql(tx) ? ` ON DUPLICATE KEY UPDATE ${q(keyColumn)} = ${q(keyColumn)}` : " ON CONFLICT DO NOTHING";
  await insertChunked(tx, "INSERT", table, columns, rows, tail);
}

/**
 * Inserts rows, skipping those whose unique key exists, and returns `returning` of exactly the rows
 * it inserted, in one statement per chunk (only where canReturn). That tells new rows from old
 * without a SELECT before or after. On MariaDB it takes `INSERT IGNORE` (`ON DUPLICATE KEY UPDATE`
 * would return the existing rows too), so callers must validate every value first and give every
 * NOT NULL column (test/import checks the importer's column list against the entity): IGNORE would
 * otherwise store a truncated or defaulted value instead of failing.
 */
export async function insertReturningNew<R>(
  tx: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  returning: string[],
): Promise<R[]> {
  if (!canReturn(tx)) throw new Error("INSERT … RETURNING needs MariaDB or SQLite");
  const q = (name: string) => tx.connection.driver.escape(name);
  const mysql = isMysql(tx);
  return insertChunked<R>(
    tx,
    mysql ? "INSERT IGNORE" : "INSERT",
    table,
    columns,
    rows,
    `${mysql ? "" : " ON CONFLICT DO NOTHING"} RETURNING ${returning.map(q).join(", ")}`,
  );
}

/** One multi-row statement per chunk that fits the database's limits; returns any rows returned. */
async function insertChunked<R = unknown>(
  tx: EntityManager,
  verb: string,
  table: string,
  columns: string[],
  rows: unknown[][],
  tail: string,
): Promise<R[]> {
  if (rows.length === 0) return [];
  const q = (name: string) => tx.connection.driver.escape(name);
  const mysql = isMysql(tx);
  const head = `${verb} INTO ${q(table)} (${columns.map(q).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const maxRows = mysql ? Number.MAX_SAFE_INTEGER : Math.floor(SQLITE_MAX_PARAMS / columns.length);

  const returned: R[] = [];
  let chunk: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    // mysql2 expands one `?` bound to an array of rows into the tuples itself (cheaper than
    // thousands of placeholders); better-sqlite3 binds one value per placeholder.
    const result = mysql
      ? await tx.query(`${head}?${tail}`, [chunk])
      : await tx.query(head + new Array(chunk.length).fill(tuple).join(", ") + tail, flatten(chunk));
    if (Array.isArray(result)) returned.push(...(result as R[]));
    chunk = [];
    bytes = 0;
  };
  for (const row of rows) {
    const rowBytes = estimateBytes(row);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + rowBytes > MAX_STATEMENT_BYTES)) await flush();
    chunk.push(row);
    bytes += rowBytes;
  }
  await flush();
  return returned;
}

function flatten(rows: unknown[][]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const value of row) values.push(value);
  return values;
}

function estimateBytes(row: unknown[]): number {
  let bytes = 4;
  for (const value of row) bytes += typeof value === "string" ? value.length * 3 + 4 : 12;
  return bytes;
}
