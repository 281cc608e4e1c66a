import { createHash } from "node:crypto";
import { DataSource, EntityManager } from "typeorm";
import { clockOf } from "../common/clock";
import { Channel, FeedbackSource, VerificationStatus } from "../common/enums";
import { TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import { Customer, Feedback, FeedbackKeyword, FeedbackScore, ServiceTicket } from "../entity";
import {
  applyPendingRollups,
  DeferredRollups,
  FeedbackContribution,
  PENDING_ROLLUP_GRACE_MS,
  SegmentSnapshot,
  segmentSnapshotOf,
} from "../service/analytics/rollups";
import { FeedbackImportHook, ImportedFeedback, ImportedTicket, prepareFeedbackImport } from "../service/intake-hooks";
import type { TagMatch } from "../service/keywords/tagger";
import { REFERENCE_LIMITS } from "../service/reference.service";
import { systemActor } from "../service/system-actor";
import { cannotCreate, CustomerDraft, fold, insertCustomers, lookupCustomers, parseCustomer } from "./customers";
import { HandlerFactory, ImportOptions, ImportSummary, runImport } from "./pipeline";
import { RowError } from "./report";
import { RowContext } from "./row-context";
import { ImportInput } from "./row-source";
import {
  canReturn,
  dateParam,
  dateValue,
  insertReturningNew,
  insertSkippingDuplicates,
  selectWhereIn,
  tableOf,
} from "./sql";

/** Feedback.importKey is a varchar(64): a sha256 in hex fills it exactly. */
const IMPORT_KEY_LIMIT = 64;
const RESPONSE_ID_LIMIT = 200;

export interface FeedbackRow {
  row: number;
  /** The response id (with the key prefix), or a hash of the normalised row. */
  key: string;
  customer: CustomerDraft;
  ticketCode: string | null;
  receivedAt: Date;
  channel: Channel;
  comment: string | null;
  scores: { dimension: string; score: number }[];
  /** The comment's keyword tags (FeedbackImportHook.tagComment). */
  keywords: TagMatch[];
}

/**
 * Imports survey answers from a CSV or XLSX export (see docs/import.md).
 *
 * Each row becomes one Feedback (source IMPORT, recorded by the system actor) with a score per
 * answered dimension. Rows are identified by an import key, the survey tool's response id when the
 * export has one, otherwise a sha256 of the normalised row, so importing a file again inserts
 * nothing new. Customers and tickets are found by code, one query per batch; an unknown customer
 * is created from the row's name, phone and region (or the row rejected when the row has no name,
 * or `createCustomers` is false); an unknown ticket, or one of another customer, rejects the row.
 * The import hook (prepareFeedbackImport) tags each comment as its row is parsed, and after each
 * batch receives the feedback the batch inserted, with its tags, to store them and raise flags.
 *
 * Rejected rows are written to the report with row number, column, field and reason; they never
 * stop the import and never write anything.
 */
export function importFeedback(
  dataSource: DataSource,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return runImport(dataSource, input, "feedback", options, feedbackHandler);
}

const feedbackHandler: HandlerFactory<FeedbackRow> = async (dataSource, plan, options) => {
  const actor = await inTransaction(dataSource, (tx) => systemActor(tx));
  const keyPrefix = options.keyPrefix ?? plan.mapping.keyPrefix;
  const createCustomers = options.createCustomers ?? true;
  const now = clockOf(dataSource).now();
  // Prepared once per import; the benchmark may replace it (and then nothing is tagged).
  const hook: FeedbackImportHook = options.afterFeedbackImported
    ? { tagComment: () => [], afterBatch: options.afterFeedbackImported }
    : await inTransaction(dataSource, (tx) => prepareFeedbackImport(tx));
  // Customers and tickets found so far, by folded code. An export names the same customers over
  // and over, so after the first batches most rows need no lookup at all. Only found (or created)
  // records are kept: neither is ever deleted or moved to another customer, and what the hook's
  // ticket check reads (code, opening, first response) is written once, when the ticket is
  // recorded, so an entry cannot go stale; a failed batch ends the import, so nothing from a
  // rolled-back batch is used again.
  const customerCache = new BoundedCache<number>();
  const ticketCache = new BoundedCache<SegmentedTicket>();
  // What the segment snapshot needs of each customer, by id: the region and when the customer's
  // first ticket was opened (new or returning). Tickets are not imported by a feedback import, so
  // an entry stays what a fresh lookup would return for the import's duration.
  const customerSegmentCache = new BoundedCache<CustomerSegment>();
  // Rollups are written every few dozen batches (see DeferredRollups); first, what an import that
  // died left pending is added.
  const rollups = new DeferredRollups(dataSource);
  await inTransaction(dataSource, (tx) => applyPendingRollups(tx, new Date(now.getTime() - PENDING_ROLLUP_GRACE_MS)));

  return {
    parse(row: RowContext): FeedbackRow | null {
      const responseId = row.text("responseId", RESPONSE_ID_LIMIT);
      const customer = parseCustomer(row, false);
      const ticketCode = row.text("ticketCode", REFERENCE_LIMITS.ticketCode);
      const receivedAt = row.date("receivedAt", true);
      const channel = row.enumValue<Channel>("channel", true);
      const comment = row.text("comment", TEXT_LIMITS.longText);
      const scores = row.scores();
      if (row.errors.length > 0 || !customer || !receivedAt || !channel) return null;
      if (scores.length === 0 && comment === null) {
        return row.reject("scores", "", "", "the row has no score and no comment");
      }
      const keywords = hook.tagComment(comment);
      const parsed = { row: row.row, key: "", customer, ticketCode, receivedAt, channel, comment, scores, keywords };
      parsed.key = responseId !== null ? responseKey(keyPrefix, responseId) : contentKey(parsed);
      return parsed;
    },

    async write(tx, rows) {
      const feedbackTable = tableOf(tx, Feedback);
      const rejected: RowError[] = [];
      const reject = (row: FeedbackRow, field: "customerCode" | "ticketCode", value: string, reason: string) =>
        rejected.push({ row: row.row, column: plan.layout.fields[field]?.header ?? "", field, value, reason });

      // 1. Which rows are in qloop already (imported before, or twice in this file)? Where the
      //    INSERT can return what it inserted, it answers that itself (step 4); otherwise ask now.
      const returns = canReturn(tx);
      const seen = new Set<string>();
      if (!returns) {
        const existing = await selectWhereIn<{ importKey: string }>(
          tx,
          feedbackTable,
          ["importKey"],
          "importKey",
          [...new Set(rows.map((r) => r.key))],
        );
        for (const e of existing) seen.add(fold(e.importKey));
      }
      const fresh = rows.filter((row) => !seen.has(fold(row.key)));
      if (fresh.length === 0) return { inserted: 0, alreadyPresent: rows.length, customersCreated: 0, rejected };

      // 2. Customers and tickets by code: at most one query each for the whole batch.
      customerCache.startBatch();
      ticketCache.startBatch();
      const unknownCustomers = fresh.filter((r) => !customerCache.has(fold(r.customer.code))).map((r) => r.customer.code);
      if (unknownCustomers.length > 0) {
        for (const [code, id] of await lookupCustomers(tx, unknownCustomers)) customerCache.set(code, id);
      }
      const unknownTickets = [
        ...new Set(
          fresh.flatMap((r) => (r.ticketCode !== null && !ticketCache.has(fold(r.ticketCode)) ? [r.ticketCode] : [])),
        ),
      ];
      if (unknownTickets.length > 0) {
        const openedAt = dateValue(tx, ServiceTicket, "openedAt");
        const firstResponseAt = dateValue(tx, ServiceTicket, "firstResponseAt");
        const tickets = await selectWhereIn<{
          id: number;
          code: string;
          customerId: number;
          openedAt: unknown;
          firstResponseAt: unknown;
          departmentId: number | null;
          region: string | null;
          type: string | null;
          engineer: string | null;
        }>(
          tx,
          tableOf(tx, ServiceTicket),
          ["id", "code", "customerId", "openedAt", "firstResponseAt", "departmentId", "region", "type", "engineer"],
          "code",
          unknownTickets,
        );
        for (const t of tickets) {
          ticketCache.set(fold(t.code), {
            id: Number(t.id),
            customerId: Number(t.customerId),
            code: t.code,
            openedAt: openedAt(t.openedAt)!,
            firstResponseAt: firstResponseAt(t.firstResponseAt),
            departmentId: t.departmentId === null ? null : Number(t.departmentId),
            region: t.region,
            type: t.type,
            engineer: t.engineer,
          });
        }
      }

      // 3. Refuse rows whose references do not hold, before creating any customer for them.
      const accepted: { row: FeedbackRow; ticket: SegmentedTicket | null }[] = [];
      const toCreate = new Map<string, CustomerDraft>();
      for (const row of fresh) {
        const customerId = customerCache.get(fold(row.customer.code));
        let ticket: SegmentedTicket | null = null;
        if (row.ticketCode !== null) {
          const found = ticketCache.get(fold(row.ticketCode));
          if (!found) {
            const reason = "no ticket has this code; import the tickets first (qloop import tickets)";
            reject(row, "ticketCode", row.ticketCode, reason);
            continue;
          }
          if (found.customerId !== customerId) {
            reject(row, "ticketCode", row.ticketCode, `the ticket belongs to another customer than ${row.customer.code}`);
            continue;
          }
          ticket = found;
        }
        const reason = customerId === undefined ? cannotCreate(row.customer, createCustomers) : null;
        if (reason !== null) {
          reject(row, "customerCode", row.customer.code, reason);
          continue;
        }
        // The same answer twice in the file: checked like any row, inserted (and its customer
        // created) once.
        if (seen.has(fold(row.key))) continue;
        seen.add(fold(row.key));
        if (customerId === undefined && !toCreate.has(fold(row.customer.code))) {
          toCreate.set(fold(row.customer.code), row.customer);
        }
        accepted.push({ row, ticket });
      }
      const created = await insertCustomers(tx, [...toCreate.values()], now);
      for (const [code, id] of created) customerCache.set(code, id);
      // Rows not inserted and not rejected were there already.
      const present = (inserted: number) => rows.length - inserted - new Set(rejected.map((r) => r.row)).size;
      if (accepted.length === 0) {
        return { inserted: 0, alreadyPresent: present(0), customersCreated: created.size, rejected };
      }

      // 4. Each row's segment snapshot (analytics), from the ticket and customer in hand plus one
      //    lookup of the customers not seen before.
      customerSegmentCache.startBatch();
      const customerIdOf = (row: FeedbackRow) => customerCache.get(fold(row.customer.code))!;
      const unsegmented = [...new Set(accepted.map(({ row }) => customerIdOf(row)))].filter(
        (id) => !customerSegmentCache.has(String(id)),
      );
      for (const [id, segment] of await lookupCustomerSegments(tx, unsegmented)) customerSegmentCache.set(String(id), segment);
      const snapshots = accepted.map(({ row, ticket }) => {
        const customer = customerSegmentCache.get(String(customerIdOf(row)))!;
        return segmentSnapshotOf({
          receivedAt: row.receivedAt,
          ticket,
          customerRegion: customer.region,
          customerFirstTicketOpenedAt: customer.firstTicketOpenedAt,
        });
      });

      // 5. The feedback rows and the ids of those inserted (returned by the INSERT where the
      //    database can, else selected by import key), then the scores of exactly those.
      const received = dateParam(tx, Feedback, "receivedAt");
      const createdAt = dateParam(tx, Feedback, "createdAt")(now);
      const values = accepted.map(({ row, ticket }, i) => [
        FeedbackSource.IMPORT,
        row.channel,
        customerIdOf(row),
        ticket?.id ?? null,
        null,
        row.comment,
        VerificationStatus.UNVERIFIED,
        received(row.receivedAt),
        actor.id,
        row.key,
        createdAt,
        1,
        snapshots[i].receivedDay,
        snapshots[i].segmentDepartmentId,
        snapshots[i].segmentRegion,
        snapshots[i].segmentServiceType,
        snapshots[i].segmentCustomerType,
        snapshots[i].segmentEngineer,
      ]);
      let inserted: { id: number; importKey: string }[];
      if (returns) {
        inserted = await insertReturningNew(tx, feedbackTable, FEEDBACK_COLUMNS, values, ["id", "importKey"]);
      } else {
        await insertSkippingDuplicates(tx, feedbackTable, FEEDBACK_COLUMNS, values, "importKey");
        inserted = await selectWhereIn(
          tx,
          feedbackTable,
          ["id", "importKey"],
          "importKey",
          accepted.map(({ row }) => row.key),
        );
      }
      const idByKey = new Map(inserted.map((f) => [fold(f.importKey), Number(f.id)]));
      // What was inserted, as the hook needs it: the rows are in hand, so it reads nothing back.
      const imported: ImportedFeedback[] = [];
      const snapshotById = new Map<number, SegmentSnapshot>();
      accepted.forEach(({ row, ticket }, i) => {
        const id = idByKey.get(fold(row.key));
        if (id === undefined) return;
        const { comment, receivedAt, scores, keywords } = row;
        imported.push({ id, source: FeedbackSource.IMPORT, comment, receivedAt, ticket, scores, keywords });
        snapshotById.set(id, snapshots[i]);
      });
      await insertSkippingDuplicates(
        tx,
        tableOf(tx, FeedbackScore),
        ["feedbackId", "dimension", "score"],
        imported.flatMap(({ id, scores }) => scores.map((s) => [id, s.dimension, s.score])),
        "feedbackId",
      );
      await hook.afterBatch(tx, imported);
      // 6. The batch's rollup contribution, after the hook stored the tags (the rollups count the
      //    tags stored, whatever hook the benchmark installs, so they are read back in one
      //    statement): journaled as pending now, grouped with other batches once this one commits.
      const tagsById = new Map<number, string[]>();
      const tags = await selectWhereIn<{ feedbackId: number; tagCode: string }>(
        tx,
        tableOf(tx, FeedbackKeyword),
        ["feedbackId", "tagCode"],
        "feedbackId",
        imported.map(({ id }) => id),
      );
      for (const { feedbackId, tagCode } of tags) {
        const list = tagsById.get(Number(feedbackId)) ?? [];
        list.push(tagCode);
        tagsById.set(Number(feedbackId), list);
      }
      const contributions: (FeedbackContribution & { feedbackId: number })[] = imported.map(({ id, scores }) => ({
        feedbackId: id,
        snapshot: snapshotById.get(id)!,
        scores,
        tagCodes: tagsById.get(id) ?? [],
      }));
      await rollups.journal(tx, imported.map(({ id }) => id));
      return {
        inserted: imported.length,
        alreadyPresent: present(imported.length),
        customersCreated: created.size,
        rejected,
        afterCommit: () => rollups.committed(contributions),
      };
    },

    finish: () => rollups.flush(),
  };
};

/** Every column the importer writes; test/import checks it covers each NOT NULL column without a default. */
export const FEEDBACK_COLUMNS = [
  "source",
  "channel",
  "customerId",
  "ticketId",
  "templateId",
  "comment",
  "verificationStatus",
  "receivedAt",
  "recordedById",
  "importKey",
  "createdAt",
  "version",
  // The segment snapshot (analytics rollups), computed by the importer.
  "receivedDay",
  "segmentDepartmentId",
  "segmentRegion",
  "segmentServiceType",
  "segmentCustomerType",
  "segmentEngineer",
];

/** A ticket as the importer caches it: what the hook checks, plus what the segment snapshot reads. */
type SegmentedTicket = ImportedTicket & {
  customerId: number;
  departmentId: number | null;
  region: string | null;
  type: string | null;
  engineer: string | null;
};

interface CustomerSegment {
  region: string | null;
  firstTicketOpenedAt: Date | null;
}

/** Region and first ticket opening of customers by id: one statement per 5,000 customers. */
async function lookupCustomerSegments(tx: EntityManager, ids: readonly number[]): Promise<Map<number, CustomerSegment>> {
  const found = new Map<number, CustomerSegment>();
  if (ids.length === 0) return found;
  const q = (name: string) => tx.connection.driver.escape(name);
  const ticket = q(tableOf(tx, ServiceTicket));
  const customer = q(tableOf(tx, Customer));
  const openedAt = dateValue(tx, ServiceTicket, "openedAt");
  for (let start = 0; start < ids.length; start += 5_000) {
    const chunk = ids.slice(start, start + 5_000);
    const rows: { id: number; region: string | null; firstTicketOpenedAt: unknown }[] = await tx.query(
      `SELECT c.${q("id")} AS ${q("id")}, c.${q("region")} AS ${q("region")}, ` +
        `(SELECT MIN(t.${q("openedAt")}) FROM ${ticket} t WHERE t.${q("customerId")} = c.${q("id")}) AS ${q("firstTicketOpenedAt")} ` +
        `FROM ${customer} c WHERE c.${q("id")} IN (${chunk.map(() => "?").join(", ")})`,
      [...chunk],
    );
    for (const row of rows) {
      found.set(Number(row.id), { region: row.region, firstTicketOpenedAt: openedAt(row.firstTicketOpenedAt) });
    }
  }
  return found;
}

/**
 * A Map that starts over between batches once it has grown past `limit`, so an import of millions
 * of distinct customers keeps flat memory. Never during a batch, which relies on what it looked up.
 */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit = 500_000) {}
  startBatch(): void {
    if (this.map.size > this.limit) this.map.clear();
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.set(key, value);
  }
}

/** The response id as the key; ids too long for the column are hashed, deterministically. */
function responseKey(prefix: string, responseId: string): string {
  const key = `${prefix}${responseId}`;
  return key.length <= IMPORT_KEY_LIMIT ? key : sha256(`response\u0000${key}`);
}

/**
 * A hash of what the row says, not of how the file wrote it: dates as instants, scores sorted,
 * whitespace collapsed, so the same answers exported as CSV or as XLSX get the same key.
 */
function contentKey(row: Omit<FeedbackRow, "row" | "key" | "keywords">): string {
  const scores = [...row.scores]
    .sort((a, b) => (a.dimension < b.dimension ? -1 : 1))
    .map((s) => `${s.dimension}=${s.score}`);
  const normalise = (text: string | null) => (text === null ? null : text.normalize("NFC").replace(/\s+/g, " ").trim());
  return sha256(
    JSON.stringify([
      fold(row.customer.code),
      row.ticketCode === null ? null : fold(row.ticketCode),
      row.receivedAt.toISOString(),
      row.channel,
      scores,
      normalise(row.comment),
    ]),
  );
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
