import { DataSource, EntityManager } from "typeorm";
import { clockOf } from "../../common/clock";
import { retryOnLockConflict } from "../../db/lock-conflict";
import { inTransaction } from "../../db/transaction";
import { VerificationStatus } from "../../common/enums";
import {
  Customer,
  Feedback,
  FeedbackKeyword,
  FeedbackScore,
  RollupKeyword,
  RollupPendingFeedback,
  RollupResponse,
  RollupScore,
  ServiceTicket,
} from "../../entity";
import { canReturn, dateParam, insertSkippingDuplicates, isMysql, tableOf } from "../../import/sql";
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
  // Imported feedback whose contribution an import still holds in memory: added now, from its rows
  // as imported, so what follows is a change to a counted feedback (and the import's flush, seeing
  // it settled, adds its group from the database instead).
  await settlePending(tx, ids);
  await addContributionsFromRows(tx, ids, sign);
}

/** `addToRollups` without the pending check: the contribution of the rows as they read now. */
async function addContributionsFromRows(tx: EntityManager, ids: readonly number[], sign: 1 | -1): Promise<void> {
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
export async function rebuildRollups(tx: EntityManager, options: { clearPending?: boolean } = {}): Promise<void> {
  const q = (name: string) => tx.connection.driver.escape(name);
  await snapshotSegments(tx, null);
  for (const table of ROLLUP_TABLES) await tx.query(`DELETE FROM ${q(tableOf(tx, table.entity))}`);
  // Counted by the rebuild like all other feedback; a running import's flush then finds them
  // settled and adds nothing for them.
  if (options.clearPending ?? true) await tx.query(`DELETE FROM ${q(tableOf(tx, RollupPendingFeedback))}`);
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
  // Just inserted, so not pending in any import.
  await addContributionsFromRows(tx, ids, 1);
}

/** The segment snapshot of one feedback, as stored on it (Feedback.receivedDay, segment…). */
export interface SegmentSnapshot {
  /** UTC day received, YYYY-MM-DD. */
  receivedDay: string;
  segmentDepartmentId: number | null;
  segmentRegion: string | null;
  segmentServiceType: string | null;
  segmentCustomerType: CustomerType;
  segmentEngineer: string | null;
}

/** What one new feedback adds to the rollups, from rows its writer already holds. */
export interface FeedbackContribution {
  snapshot: SegmentSnapshot;
  scores: readonly { dimension: string; score: number }[];
  tagCodes: readonly string[];
}

/**
 * The segment snapshot `snapshotSegments` would take, computed from values in hand: the ticket
 * (if any), the customer's region and the opening of the customer's first ticket.
 */
export function segmentSnapshotOf(input: {
  receivedAt: Date;
  ticket: { departmentId: number | null; region: string | null; type: string | null; engineer: string | null; openedAt: Date } | null;
  customerRegion: string | null;
  customerFirstTicketOpenedAt: Date | null;
}): SegmentSnapshot {
  const { receivedAt, ticket, customerRegion, customerFirstTicketOpenedAt } = input;
  const reference = ticket?.openedAt ?? receivedAt;
  const returning = customerFirstTicketOpenedAt !== null && customerFirstTicketOpenedAt.getTime() < reference.getTime();
  return {
    receivedDay: receivedAt.toISOString().slice(0, 10),
    segmentDepartmentId: ticket?.departmentId ?? null,
    segmentRegion: ticket?.region ?? customerRegion,
    segmentServiceType: ticket?.type ?? null,
    segmentCustomerType: returning ? CustomerType.RETURNING : CustomerType.NEW,
    segmentEngineer: ticket?.engineer ?? null,
  };
}

/** The rollup segment value of a snapshot under each kind: what `segmentValueSql` reads. */
function segmentValueOf(snapshot: SegmentSnapshot, kind: SegmentKind): string {
  switch (kind) {
    case SegmentKind.ALL:
      return NO_SEGMENT_VALUE;
    case SegmentKind.DEPARTMENT:
      return snapshot.segmentDepartmentId === null ? NO_SEGMENT_VALUE : String(snapshot.segmentDepartmentId);
    case SegmentKind.REGION:
      return snapshot.segmentRegion ?? NO_SEGMENT_VALUE;
    case SegmentKind.SERVICE_TYPE:
      return snapshot.segmentServiceType ?? NO_SEGMENT_VALUE;
    case SegmentKind.CUSTOMER_TYPE:
      return snapshot.segmentCustomerType;
    case SegmentKind.ENGINEER:
      return snapshot.segmentEngineer ?? NO_SEGMENT_VALUE;
  }
}

/** Rows per upsert statement: 9 parameters a row stays far below SQLite's host-parameter limit. */
const ROWS_PER_UPSERT = 1_000;

type GroupedRow = (string | number)[];

/**
 * Contributions of new feedback grouped in JS, first by segment snapshot (feedback of a day with
 * the same ticket department, region, type, engineer and customer type share a cell: 200,000
 * answers of W5 fall into ~7,600), then, when written, by rollup row. Writing the group costs one
 * upsert per rollup row however many feedback it counts.
 */
export class GroupedContributions {
  /** Counts per segment snapshot: feedback of one day with the same snapshot share a cell. */
  private readonly cells = new Map<string, SnapshotCell>();
  /**
   * Counters held: one per cell, per dimension scored in it and per tag found in it (about 100
   * bytes each). Not the rollup rows they expand to when written: the kinds are only crossed
   * with the cells then, and under most kinds many cells share a row.
   */
  private counters = 0;

  get size(): number {
    return this.counters;
  }

  add(contributions: readonly FeedbackContribution[]): void {
    for (const { snapshot, scores, tagCodes } of contributions) {
      // NUL joins the key: no segment value contains it.
      const key = [
        snapshot.receivedDay,
        snapshot.segmentDepartmentId,
        snapshot.segmentRegion,
        snapshot.segmentServiceType,
        snapshot.segmentCustomerType,
        snapshot.segmentEngineer,
      ].join("\u0000");
      let cell = this.cells.get(key);
      if (!cell) {
        cell = { snapshot, responses: 0, scores: new Map(), tags: new Map() };
        this.cells.set(key, cell);
        this.counters++;
      }
      cell.responses++;
      for (const { dimension, score } of scores) {
        let counts = cell.scores.get(dimension);
        if (!counts) {
          counts = [0, 0, 0, 0, 0];
          cell.scores.set(dimension, counts);
          this.counters++;
        }
        counts[score - 1]++;
      }
      for (const tagCode of tagCodes) {
        if (!cell.tags.has(tagCode)) this.counters++;
        cell.tags.set(tagCode, (cell.tags.get(tagCode) ?? 0) + 1);
      }
    }
  }

  /**
   * Adds the grouped counts to the rollups: each cell under every segment kind, merged by rollup
   * key, then one `INSERT … VALUES … upsert` per table and chunk.
   */
  async write(tx: EntityManager): Promise<void> {
    const scores: GroupedRow[] = [];
    const responses: GroupedRow[] = [];
    const keywords: GroupedRow[] = [];
    for (const kind of ALL_KINDS) {
      // Under one kind, cells with the same segment value on the same day add up to one row.
      const segments = new Map<string, SegmentTotals>();
      for (const cell of this.cells.values()) {
        const value = segmentValueOf(cell.snapshot, kind);
        const day = cell.snapshot.receivedDay;
        const key = `${value}\u0000${day}`;
        let totals = segments.get(key);
        if (!totals) {
          totals = { value, day, responses: 0, scores: new Map(), tags: new Map() };
          segments.set(key, totals);
        }
        totals.responses += cell.responses;
        for (const [dimension, counts] of cell.scores) {
          const sum = totals.scores.get(dimension);
          if (sum) for (let i = 0; i < counts.length; i++) sum[i] += counts[i];
          else totals.scores.set(dimension, [...counts]);
        }
        for (const [tagCode, count] of cell.tags) totals.tags.set(tagCode, (totals.tags.get(tagCode) ?? 0) + count);
      }
      for (const { value, day, responses: answered, scores: sums, tags } of segments.values()) {
        responses.push([kind, value, day, answered]);
        for (const [dimension, counts] of sums) scores.push([kind, value, day, dimension, ...counts]);
        for (const [tagCode, count] of tags) keywords.push([kind, value, day, tagCode, count]);
      }
    }
    const segment = ["segmentKind", "segmentValue", "day"];
    await upsertGrouped(tx, RollupScore, [...segment, "dimension"], ["count1", "count2", "count3", "count4", "count5"], scores);
    await upsertGrouped(tx, RollupResponse, segment, ["responses"], responses);
    await upsertGrouped(tx, RollupKeyword, [...segment, "tagCode"], ["count"], keywords);
  }
}

/** One segment's counts under one kind, summed over the cells that share its value and day. */
interface SegmentTotals {
  value: string;
  day: string;
  responses: number;
  scores: Map<string, number[]>;
  tags: Map<string, number>;
}

interface SnapshotCell {
  snapshot: SegmentSnapshot;
  responses: number;
  /** Per dimension, the counts of scores 1–5. */
  scores: Map<string, number[]>;
  tags: Map<string, number>;
}

async function upsertGrouped(
  tx: EntityManager,
  entity: RollupTable["entity"],
  keyColumns: string[],
  countColumns: string[],
  rows: GroupedRow[],
): Promise<void> {
  const q = (name: string) => quote(tx, name);
  // In key order, so concurrent writers take rollup row locks in the same order on MySQL.
  rows.sort((a, b) => compareKeys(a, b, keyColumns.length));
  const table = q(tableOf(tx, entity));
  const columns = [...keyColumns, ...countColumns];
  const onConflict = isMysql(tx)
    ? ` ON DUPLICATE KEY UPDATE ${countColumns.map((c) => `${q(c)} = ${table}.${q(c)} + VALUES(${q(c)})`).join(", ")}`
    : ` ON CONFLICT (${keyColumns.map(q).join(", ")}) DO UPDATE SET ` +
      countColumns.map((c) => `${q(c)} = ${table}.${q(c)} + excluded.${q(c)}`).join(", ");
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_UPSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_UPSERT);
    await tx.query(
      `INSERT INTO ${table} (${columns.map(q).join(", ")}) VALUES ${chunk.map(() => placeholders).join(", ")}${onConflict}`,
      chunk.flat(),
    );
  }
}

/**
 * When a bulk import writes its grouped contributions: after this long (the longest imported
 * feedback waits to count in analytics), or once the group holds this many counters (memory:
 * about 100 bytes each, see GroupedContributions.size), and when the import ends. The longer the
 * wait, the more batches share each rollup row write: a year of survey answers touches ~100,000
 * rollup rows however many answers it holds, and each flush writes most of them again.
 */
export const DEFAULT_FLUSH_POLICY = { afterMs: 30_000, maxCounters: 300_000 };

/** How long a pending contribution may wait before another process takes its import for dead. */
export const PENDING_ROLLUP_GRACE_MS = 10 * 60_000;

/**
 * Rollups for a bulk import: each batch's contribution is grouped in memory and written with
 * those of the next batches, once per rollup row, instead of once per batch (a batch of 1,000
 * feedback touches ~16,000 rollup rows, most of which the next batches touch again).
 *
 * - In the batch's own transaction, `journal` records its feedback as pending
 *   (RollupPendingFeedback); after the batch commits, `committed` adds its contribution to the
 *   group; `flush` writes the group and deletes those pending rows in one transaction.
 * - Imported feedback therefore counts in analytics from the flush that follows its batch (see
 *   DEFAULT_FLUSH_POLICY: within 30 s, and when the import ends), not from its batch's commit.
 * - Nothing is lost or counted twice in between. A crash leaves the pending rows for
 *   `applyPendingRollups`, and a verification change to pending feedback first settles it
 *   (`addToRollups`). When the flush finds that some of its pending rows went that way, it
 *   cannot split the group, and adds the rest from the database instead.
 */
export class DeferredRollups {
  private group = new GroupedContributions();
  private feedbackIds: number[] = [];
  private groupStartedAt = performance.now();

  constructor(
    private readonly dataSource: DataSource,
    private readonly policy = DEFAULT_FLUSH_POLICY,
  ) {}

  /** In the batch's transaction: records its feedback as pending. */
  async journal(tx: EntityManager, feedbackIds: readonly number[]): Promise<void> {
    const createdAt = dateParam(tx, RollupPendingFeedback, "createdAt")(clockOf(tx.connection).now());
    await insertSkippingDuplicates(
      tx,
      tableOf(tx, RollupPendingFeedback),
      ["feedbackId", "createdAt"],
      feedbackIds.map((id) => [id, createdAt]),
      "feedbackId",
    );
  }

  /** After the batch's transaction committed: its contribution joins the group. */
  async committed(contributions: readonly (FeedbackContribution & { feedbackId: number })[]): Promise<void> {
    if (contributions.length === 0) return;
    this.group.add(contributions);
    for (const { feedbackId } of contributions) this.feedbackIds.push(feedbackId);
    const waited = performance.now() - this.groupStartedAt;
    if (waited >= this.policy.afterMs || this.group.size >= this.policy.maxCounters) await this.flush();
  }

  /**
   * Writes the group and deletes its pending rows, in one transaction, run again if it loses a
   * deadlock (it runs beside the import's batch transactions).
   */
  async flush(): Promise<void> {
    const group = this.group;
    const ids = this.feedbackIds;
    this.group = new GroupedContributions();
    this.feedbackIds = [];
    this.groupStartedAt = performance.now();
    if (ids.length === 0) return;
    await retryOnLockConflict(() =>
      inTransaction(this.dataSource, async (tx) => {
        const pending = await takePending(tx, ids);
        if (pending.length === ids.length) await group.write(tx);
        // Some were settled meanwhile (see addToRollups): the rest are added from their rows.
        else await addContributionsFromRows(tx, pending, 1);
      }),
    );
  }
}

/**
 * Adds the contribution of feedback left pending by an import that died before flushing (pending
 * since before `before`; all when omitted), from the feedback rows as they are now — unchanged
 * since their import, since any change settles pending feedback first — and deletes the pending
 * rows, in the caller's transaction. Returns how many it added. Run when a feedback import starts
 * and by `qloop rollup rebuild`.
 */
export async function applyPendingRollups(tx: EntityManager, before?: Date): Promise<number> {
  const q = (name: string) => quote(tx, name);
  const table = q(tableOf(tx, RollupPendingFeedback));
  const rows: { feedbackId: number }[] = before
    ? await tx.query(`SELECT ${q("feedbackId")} FROM ${table} WHERE ${q("createdAt")} < ?`, [dateParam(tx, RollupPendingFeedback, "createdAt")(before)])
    : await tx.query(`SELECT ${q("feedbackId")} FROM ${table}`);
  return settlePending(
    tx,
    rows.map((row) => Number(row.feedbackId)),
  );
}

/** Those of `ids` still pending, locked until the transaction ends. */
async function lockPending(tx: EntityManager, ids: readonly number[]): Promise<number[]> {
  const q = (name: string) => quote(tx, name);
  const found: number[] = [];
  for (const chunk of chunks(ids)) {
    const rows: { feedbackId: number }[] = await tx.query(
      `SELECT ${q("feedbackId")} FROM ${q(tableOf(tx, RollupPendingFeedback))} ` +
        `WHERE ${q("feedbackId")} IN (${chunk.map(() => "?").join(", ")})${isMysql(tx) ? " FOR UPDATE" : ""}`,
      [...chunk],
    );
    for (const row of rows) found.push(Number(row.feedbackId));
  }
  return found;
}

/**
 * Those of `ids` still pending, their pending rows deleted (so locked until the transaction ends):
 * one `DELETE … RETURNING` per chunk where the database has it, else a locking SELECT and a DELETE.
 */
async function takePending(tx: EntityManager, ids: readonly number[]): Promise<number[]> {
  if (!canReturn(tx)) {
    const pending = await lockPending(tx, ids);
    await deletePending(tx, pending);
    return pending;
  }
  const q = (name: string) => quote(tx, name);
  const taken: number[] = [];
  for (const chunk of chunks(ids)) {
    const rows: { feedbackId: number }[] = await tx.query(
      `DELETE FROM ${q(tableOf(tx, RollupPendingFeedback))} ` +
        `WHERE ${q("feedbackId")} IN (${chunk.map(() => "?").join(", ")}) RETURNING ${q("feedbackId")}`,
      [...chunk],
    );
    for (const row of rows) taken.push(Number(row.feedbackId));
  }
  return taken;
}

async function deletePending(tx: EntityManager, ids: readonly number[]): Promise<void> {
  const q = (name: string) => quote(tx, name);
  for (const chunk of chunks(ids)) {
    await tx.query(
      `DELETE FROM ${q(tableOf(tx, RollupPendingFeedback))} WHERE ${q("feedbackId")} IN (${chunk.map(() => "?").join(", ")})`,
      [...chunk],
    );
  }
}

/**
 * Takes those of `ids` still pending (takePending) and adds them from the database; returns how
 * many. Added whatever its verification status: pending feedback is settled before any change to
 * it, so its rows read as imported, and the change that invalidates it subtracts after this adds.
 */
async function settlePending(tx: EntityManager, ids: readonly number[]): Promise<number> {
  const pending = await takePending(tx, ids);
  await addContributionsFromRows(tx, pending, 1);
  return pending.length;
}

function compareKeys(a: (string | number)[], b: (string | number)[], length: number): number {
  for (let i = 0; i < length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
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
