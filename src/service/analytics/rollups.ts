import { EntityManager } from "typeorm";
import { VerificationStatus } from "../../common/enums";
import {
  Customer,
  Feedback,
  FeedbackKeyword,
  FeedbackScore,
  RollupKeyword,
  RollupResponse,
  RollupScore,
  ServiceTicket,
} from "../../entity";
import { isMysql, tableOf } from "../../import/sql";
import { CustomerType, SegmentKind } from "./types";

/**
 * The analytics rollups (issue 4): counts per UTC day × segment of the valid feedback, kept in the
 * same transaction as the feedback they count.
 *
 * - Each feedback carries a segment snapshot (Feedback.receivedDay, segmentDepartmentId …), taken
 *   once by `snapshotSegments` when it is recorded or imported.
 * - `addToRollups(tx, ids, +1)` adds what the feedback contributes — scores per dimension,
 *   one response, its keyword tags — under every segment kind (ALL, DEPARTMENT, REGION,
 *   SERVICE_TYPE, CUSTOMER_TYPE, ENGINEER); `-1` subtracts exactly the same, read from the same
 *   rows. One `INSERT … SELECT … GROUP BY` upsert per rollup table, whether for one feedback or a
 *   whole import batch, so the work is done by the database and never depends on row counts in JS.
 * - Feedback that becomes INVALID is subtracted, and added back when it leaves INVALID; feedback
 *   whose scores or tags change (a call-back supplement) is subtracted before and added after.
 * - `rebuildRollups` recomputes everything from the raw tables.
 *
 * Feedback without a ticket counts under the empty segment value ("none") for ticket-derived
 * segments; the API shows it as null.
 */

/** The rollup value of "no segment value" (no ticket, no region …). */
export const NO_SEGMENT_VALUE = "";

const ALL_KINDS: readonly SegmentKind[] = Object.values(SegmentKind);

/** Ids per range when snapshotting every feedback that has no snapshot yet. */
const SNAPSHOT_RANGE = 10_000;

/** Chunk of ids per statement: far below SQLite's host-parameter limit. */
const IDS_PER_STATEMENT = 5_000;

/**
 * Takes the segment snapshot of feedback (all of `ids`, or, for `ids` null, every feedback that
 * has none yet): the UTC day received, the ticket's department, region (else the customer's),
 * type and engineer, and NEW/RETURNING — returning when the customer had a ticket opened before
 * this feedback's ticket (before the feedback itself when it names no ticket). One set-based
 * UPDATE per chunk of ids.
 */
export async function snapshotSegments(tx: EntityManager, ids: readonly number[] | null): Promise<void> {
  const q = (name: string) => tx.connection.driver.escape(name);
  const f = q(tableOf(tx, Feedback));
  const ticket = q(tableOf(tx, ServiceTicket));
  const customer = q(tableOf(tx, Customer));
  const ticketField = (column: string) =>
    `(SELECT t.${q(column)} FROM ${ticket} t WHERE t.${q("id")} = ${f}.${q("ticketId")})`;
  const day = isMysql(tx) ? `DATE(${f}.${q("receivedAt")})` : `substr(${f}.${q("receivedAt")}, 1, 10)`;
  const earlierTicket =
    `EXISTS (SELECT 1 FROM ${ticket} e WHERE e.${q("customerId")} = ${f}.${q("customerId")} ` +
    `AND e.${q("openedAt")} < COALESCE(${ticketField("openedAt")}, ${f}.${q("receivedAt")}))`;
  const set = [
    `${q("receivedDay")} = ${day}`,
    `${q("segmentDepartmentId")} = ${ticketField("departmentId")}`,
    `${q("segmentRegion")} = COALESCE(${ticketField("region")}, ` +
      `(SELECT c.${q("region")} FROM ${customer} c WHERE c.${q("id")} = ${f}.${q("customerId")}))`,
    `${q("segmentServiceType")} = ${ticketField("type")}`,
    `${q("segmentEngineer")} = ${ticketField("engineer")}`,
    `${q("segmentCustomerType")} = CASE WHEN ${earlierTicket} ` +
      `THEN '${CustomerType.RETURNING}' ELSE '${CustomerType.NEW}' END`,
  ].join(", ");
  if (ids === null) {
    // In primary-key ranges: one UPDATE over the whole table ran at ~900 rows/s on 3M feedback in
    // MariaDB, while ranges of 10,000 ids run at ~8,000 rows/s (measured on benchmark W4's data).
    const [bounds] = await tx.query(
      `SELECT MIN(${q("id")}) AS ${q("low")}, MAX(${q("id")}) AS ${q("high")} FROM ${f} WHERE ${q("receivedDay")} IS NULL`,
    );
    if (bounds?.low == null) return;
    for (let from = Number(bounds.low); from <= Number(bounds.high); from += SNAPSHOT_RANGE) {
      await tx.query(
        `UPDATE ${f} SET ${set} WHERE ${q("id")} BETWEEN ? AND ? AND ${q("receivedDay")} IS NULL`,
        [from, from + SNAPSHOT_RANGE - 1],
      );
    }
    return;
  }
  for (const chunk of chunks(ids)) {
    await tx.query(`UPDATE ${f} SET ${set} WHERE ${q("id")} IN (${chunk.map(() => "?").join(", ")})`, [...chunk]);
  }
}

/**
 * Adds (+1) or subtracts (−1) what the feedback `ids` contribute to the rollups, as their rows
 * read now (scores, keyword tags, segment snapshot). The caller decides whether they count: it
 * adds feedback that is or becomes valid and subtracts feedback that is or becomes INVALID.
 */
export async function addToRollups(tx: EntityManager, ids: readonly number[], sign: 1 | -1): Promise<void> {
  if (ids.length === 0) return;
  const q = (name: string) => tx.connection.driver.escape(name);
  for (const chunk of chunks(ids)) {
    const where = `f.${q("id")} IN (${chunk.map(() => "?").join(", ")})`;
    for (const table of ROLLUP_TABLES) {
      await tx.query(contributionSql(tx, table, ALL_KINDS, where, sign), [...chunk]);
    }
  }
}

/**
 * Recomputes every rollup from the raw feedback tables, leaving out INVALID feedback: takes the
 * segment snapshot of feedback recorded before it existed, empties the rollups, then fills them
 * with one `INSERT … SELECT … GROUP BY` per table and segment kind. Run by `qloop rollup rebuild`
 * and by benchmark seeding; in one transaction, so readers see the old or the new rollups.
 */
export async function rebuildRollups(tx: EntityManager): Promise<void> {
  const q = (name: string) => tx.connection.driver.escape(name);
  await snapshotSegments(tx, null);
  for (const table of ROLLUP_TABLES) await tx.query(`DELETE FROM ${q(tableOf(tx, table.entity))}`);
  const where = `f.${q("verificationStatus")} <> '${VerificationStatus.INVALID}'`;
  for (const kind of ALL_KINDS) {
    for (const table of ROLLUP_TABLES) await tx.query(contributionSql(tx, table, [kind], where, 1));
  }
}

/** Moves feedback in or out of the rollups when its verification status crosses INVALID. */
export async function onVerificationStatusChanged(
  tx: EntityManager,
  feedbackId: number,
  from: VerificationStatus,
  to: VerificationStatus,
): Promise<void> {
  const counted = (status: VerificationStatus) => status !== VerificationStatus.INVALID;
  if (counted(from) === counted(to)) return;
  await addToRollups(tx, [feedbackId], counted(to) ? 1 : -1);
}

/**
 * Feedback just inserted (recorded or imported, never INVALID then): its segment snapshot, then its
 * contribution to the rollups. Call after its scores and keyword tags are stored.
 */
export async function countNewFeedback(tx: EntityManager, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await snapshotSegments(tx, ids);
  await addToRollups(tx, ids, 1);
}

// ---------------------------------------------------------------------------------------------
// The SQL of one contribution.
// ---------------------------------------------------------------------------------------------

interface RollupTable {
  entity: typeof RollupScore | typeof RollupResponse | typeof RollupKeyword;
  /** What the table adds beyond the segment and the day: extra key columns and counted columns. */
  keys: { column: string; from: string }[];
  counts: { column: string; expression: string }[];
  /** The raw rows counted, joined to feedback f. */
  join: (tx: EntityManager) => string;
}

const scoreCount = (score: number) => ({
  column: `count${score}`,
  expression: `SUM(CASE WHEN s.score = ${score} THEN 1 ELSE 0 END)`,
});

const ROLLUP_TABLES: readonly RollupTable[] = [
  {
    entity: RollupScore,
    keys: [{ column: "dimension", from: "s.dimension" }],
    counts: [1, 2, 3, 4, 5].map(scoreCount),
    join: (tx) =>
      `INNER JOIN ${quote(tx, tableOf(tx, FeedbackScore))} s ON s.${quote(tx, "feedbackId")} = f.${quote(tx, "id")}`,
  },
  {
    entity: RollupResponse,
    keys: [],
    counts: [{ column: "responses", expression: "COUNT(*)" }],
    join: () => "",
  },
  {
    entity: RollupKeyword,
    keys: [{ column: "tagCode", from: "k.tagCode" }],
    counts: [{ column: "count", expression: "COUNT(*)" }],
    join: (tx) =>
      `INNER JOIN ${quote(tx, tableOf(tx, FeedbackKeyword))} k ON k.${quote(tx, "feedbackId")} = f.${quote(tx, "id")}`,
  },
];

function quote(tx: EntityManager, name: string): string {
  return tx.connection.driver.escape(name);
}

/** The rollup segment value of feedback `f` under each kind ("" for ALL and for none). */
export function segmentValueSql(tx: EntityManager, kind: SegmentKind): string {
  const q = (name: string) => quote(tx, name);
  const text = isMysql(tx) ? "CHAR" : "TEXT";
  switch (kind) {
    case SegmentKind.ALL:
      return `'${NO_SEGMENT_VALUE}'`;
    case SegmentKind.DEPARTMENT:
      return `COALESCE(CAST(f.${q("segmentDepartmentId")} AS ${text}), '${NO_SEGMENT_VALUE}')`;
    case SegmentKind.REGION:
      return `COALESCE(f.${q("segmentRegion")}, '${NO_SEGMENT_VALUE}')`;
    case SegmentKind.SERVICE_TYPE:
      return `COALESCE(f.${q("segmentServiceType")}, '${NO_SEGMENT_VALUE}')`;
    case SegmentKind.CUSTOMER_TYPE:
      return `COALESCE(f.${q("segmentCustomerType")}, '${NO_SEGMENT_VALUE}')`;
    case SegmentKind.ENGINEER:
      return `COALESCE(f.${q("segmentEngineer")}, '${NO_SEGMENT_VALUE}')`;
  }
}

/**
 * `INSERT INTO rollup … SELECT kind, value, day, keys…, counts… FROM feedback f JOIN … CROSS JOIN
 * (the kinds) … WHERE … GROUP BY … ` as an upsert that adds `sign` × the counts to existing rows.
 * Rows are grouped and ordered by the rollup key, so concurrent transactions lock rollup rows in
 * the same order on MySQL.
 */
function contributionSql(
  tx: EntityManager,
  table: RollupTable,
  kinds: readonly SegmentKind[],
  where: string,
  sign: 1 | -1,
): string {
  const q = (name: string) => quote(tx, name);
  const kindTable = kinds.map((kind) => `SELECT '${kind}' AS ${q("kind")}`).join(" UNION ALL ");
  const value =
    kinds.length === 1
      ? segmentValueSql(tx, kinds[0])
      : `CASE k_.${q("kind")} ${kinds.map((kind) => `WHEN '${kind}' THEN ${segmentValueSql(tx, kind)}`).join(" ")} END`;
  const keyColumns = ["segmentKind", "segmentValue", "day", ...table.keys.map((key) => key.column)];
  const keyExpressions = [`k_.${q("kind")}`, value, `f.${q("receivedDay")}`, ...table.keys.map((key) => key.from)];
  const countColumns = table.counts.map((count) => count.column);
  const factor = sign === 1 ? "" : " * -1";
  const select =
    `SELECT ${[...keyExpressions, ...table.counts.map((count) => `${count.expression}${factor}`)].join(", ")} ` +
    `FROM ${q(tableOf(tx, Feedback))} f ${table.join(tx)} CROSS JOIN (${kindTable}) k_ ` +
    `WHERE ${where} AND f.${q("receivedDay")} IS NOT NULL ` +
    `GROUP BY ${keyColumns.map((_, i) => i + 1).join(", ")} ORDER BY ${keyColumns.map((_, i) => i + 1).join(", ")}`;
  const rollup = q(tableOf(tx, table.entity));
  const insert = `INSERT INTO ${rollup} (${[...keyColumns, ...countColumns].map(q).join(", ")}) ${select}`;
  const upsert = isMysql(tx)
    ? ` ON DUPLICATE KEY UPDATE ${countColumns.map((c) => `${q(c)} = ${rollup}.${q(c)} + VALUES(${q(c)})`).join(", ")}`
    : ` ON CONFLICT (${keyColumns.map(q).join(", ")}) DO UPDATE SET ` +
      countColumns.map((c) => `${q(c)} = ${rollup}.${q(c)} + excluded.${q(c)}`).join(", ");
  return insert + upsert;
}

function* chunks(ids: readonly number[]): Generator<readonly number[]> {
  for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) yield ids.slice(start, start + IDS_PER_STATEMENT);
}
