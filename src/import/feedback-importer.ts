import { createHash } from "node:crypto";
import { DataSource, EntityManager } from "typeorm";
import { clockOf } from "../common/clock";
import { Channel, FeedbackSource, VerificationStatus } from "../common/enums";
import { TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import { Customer, Feedback, FeedbackScore, ServiceTicket } from "../entity";
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
  canReturnFrom,
  dateParam,
  dateValue,
  insertReturningNew,
  insertRows,
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
  /** The key, customer code and ticket code folded (see `fold`), as the batch compares them. */
  folded: { key: string; customer: string; ticket: string | null };
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
  // and over, so after the first batches most rows need no lookup at all. Only committed records
  // are kept (a batch hands over what it found and created once it has committed): neither is ever
  // deleted or moved to another customer, and what the hook's ticket check reads (code, opening,
  // first response) is written once, when the ticket is recorded, so an entry cannot go stale.
  // Batches run concurrently, so each copies what it uses into its own maps first.
  const customerCache = new BoundedCache<string, number>();
  const ticketCache = new BoundedCache<string, SegmentedTicket>();
  // What the segment snapshot needs of each customer, by id: the region and when the customer's
  // first ticket was opened (new or returning). Tickets are not imported by a feedback import, so
  // an entry stays what a fresh lookup would return for the import's duration.
  const customerSegmentCache = new BoundedCache<number, CustomerSegment>();
  // Rollups are written every few dozen batches (see DeferredRollups); first, what an import that
  // died left pending is added.
  const rollups = new DeferredRollups(dataSource);
  await inTransaction(dataSource, (tx) => applyPendingRollups(tx, new Date(now.getTime() - PENDING_ROLLUP_GRACE_MS)));

  return {
    // Safe where the INSERT returns what it inserted: a row another batch is inserting at the
    // same moment waits for that batch and comes back as not inserted (see step 5).
    concurrent: canReturnFrom(dataSource),

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
      const folded = { key: "", customer: fold(customer.code), ticket: ticketCode === null ? null : fold(ticketCode) };
      const parsed = { row: row.row, key: "", customer, ticketCode, folded, receivedAt, channel, comment, scores, keywords };
      parsed.key = responseId !== null ? responseKey(keyPrefix, responseId) : contentKey(parsed);
      parsed.folded.key = fold(parsed.key);
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
      const fresh = rows.filter((row) => !seen.has(row.folded.key));
      if (fresh.length === 0) return { inserted: 0, alreadyPresent: rows.length, customersCreated: 0, rejected };

      // 2. Customers and tickets by code: at most one query each for the whole batch.
      const customerIds = customerCache.batchView();
      const tickets = ticketCache.batchView();
      const customerSegments = customerSegmentCache.batchView();
      const unknownCustomers = fresh.filter((r) => !customerIds.has(r.folded.customer)).map((r) => r.customer.code);
      if (unknownCustomers.length > 0) {
        for (const [code, id] of await lookupCustomers(tx, unknownCustomers)) customerIds.set(code, id);
      }
      const unknownTickets = new Set<string>();
      for (const { ticketCode, folded } of fresh) {
        if (folded.ticket !== null && !tickets.has(folded.ticket)) unknownTickets.add(ticketCode!);
      }
      if (unknownTickets.size > 0) {
        const openedAt = dateValue(tx, ServiceTicket, "openedAt");
        const firstResponseAt = dateValue(tx, ServiceTicket, "firstResponseAt");
        const found = await selectWhereIn<{
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
          [...unknownTickets],
        );
        for (const t of found) {
          tickets.set(fold(t.code), {
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
      // customerId: 0 until a customer this batch creates has its id.
      const accepted: { row: FeedbackRow; ticket: SegmentedTicket | null; customerId: number }[] = [];
      const toCreate = new Map<string, CustomerDraft>();
      for (const row of fresh) {
        const customerId = customerIds.get(row.folded.customer);
        let ticket: SegmentedTicket | null = null;
        if (row.folded.ticket !== null) {
          const found = tickets.get(row.folded.ticket);
          if (!found) {
            const reason = "no ticket has this code; import the tickets first (qloop import tickets)";
            reject(row, "ticketCode", row.ticketCode!, reason);
            continue;
          }
          if (found.customerId !== customerId) {
            reject(row, "ticketCode", row.ticketCode!, `the ticket belongs to another customer than ${row.customer.code}`);
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
        if (seen.has(row.folded.key)) continue;
        seen.add(row.folded.key);
        if (customerId === undefined && !toCreate.has(row.folded.customer)) toCreate.set(row.folded.customer, row.customer);
        accepted.push({ row, ticket, customerId: customerId ?? 0 });
      }
      const created = await insertCustomers(tx, [...toCreate.values()], now);
      for (const [code, id] of created.ids) customerIds.set(code, id);
      for (const entry of accepted) if (entry.customerId === 0) entry.customerId = customerIds.get(entry.row.folded.customer)!;
      // What the next batches may take from the caches once this one has committed.
      const handOver = () => {
        customerIds.handOver();
        tickets.handOver();
        customerSegments.handOver();
      };
      // Rows not inserted and not rejected were there already.
      const present = (inserted: number) => rows.length - inserted - new Set(rejected.map((r) => r.row)).size;
      if (accepted.length === 0) {
        return { inserted: 0, alreadyPresent: present(0), customersCreated: created.created, rejected, afterCommit: async () => handOver() };
      }

      // 4. Each row's segment snapshot (analytics), from the ticket and customer in hand plus one
      //    lookup of the customers not seen before.
      const unsegmented = [...new Set(accepted.map(({ customerId }) => customerId))].filter((id) => !customerSegments.has(id));
      for (const [id, segment] of await lookupCustomerSegments(tx, unsegmented)) customerSegments.set(id, segment);
      const snapshots = accepted.map(({ row, ticket, customerId }) => {
        const customer = customerSegments.get(customerId)!;
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
      const values = accepted.map(({ row, ticket, customerId }, i) => [
        FeedbackSource.IMPORT,
        row.channel,
        customerId,
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
        const id = idByKey.get(row.folded.key);
        if (id === undefined) return;
        const { comment, receivedAt, scores, keywords } = row;
        imported.push({ id, source: FeedbackSource.IMPORT, comment, receivedAt, ticket, scores, keywords });
        snapshotById.set(id, snapshots[i]);
      });
      // Returned by the INSERT, the ids are new, so none has a score yet: a plain INSERT. Selected
      // afterwards, they may include feedback another import inserted meanwhile, with its scores.
      const scoreRows = imported.flatMap(({ id, scores }) => scores.map((s) => [id, s.dimension, s.score]));
      const scoreColumns = ["feedbackId", "dimension", "score"];
      if (returns) await insertRows(tx, tableOf(tx, FeedbackScore), scoreColumns, scoreRows);
      else await insertSkippingDuplicates(tx, tableOf(tx, FeedbackScore), scoreColumns, scoreRows, "feedbackId");
      await hook.afterBatch(tx, imported);
      // 6. The batch's rollup contribution: journaled as pending now, grouped with other batches
      //    once this one commits. Its tags are those the hook stored: the ones tagComment found
      //    (none when the benchmark replaces the hook, which then stores none).
      const contributions: (FeedbackContribution & { feedbackId: number })[] = imported.map(({ id, scores, keywords }) => ({
        feedbackId: id,
        snapshot: snapshotById.get(id)!,
        scores,
        tagCodes: keywords.map((match) => match.code),
      }));
      await rollups.journal(tx, imported.map(({ id }) => id));
      return {
        inserted: imported.length,
        alreadyPresent: present(imported.length),
        customersCreated: created.created,
        rejected,
        afterCommit: () => {
          handOver();
          return rollups.committed(contributions);
        },
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
 * A Map shared by an import's batches, which starts over once it has grown past `limit`, so an
 * import of millions of distinct customers keeps flat memory. Batches run concurrently and may
 * roll back, so each works on a `batchView` and hands what it found over after it committed.
 */
class BoundedCache<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly limit = 500_000) {}
  batchView(): BatchView<K, V> {
    return new BatchView(this.map, (found) => this.accept(found));
  }
  private accept(found: Map<K, V>): void {
    // A new Map, not clear(): batches still running keep reading the one they started with.
    if (this.map.size > this.limit) this.map = new Map();
    for (const [key, value] of found) this.map.set(key, value);
  }
}

/** One batch's view of a BoundedCache: the cache as it started, and what the batch found itself. */
class BatchView<K, V> {
  private readonly found = new Map<K, V>();
  constructor(
    private readonly cached: ReadonlyMap<K, V>,
    private readonly accept: (found: Map<K, V>) => void,
  ) {}
  has(key: K): boolean {
    return this.found.has(key) || this.cached.has(key);
  }
  get(key: K): V | undefined {
    return this.found.get(key) ?? this.cached.get(key);
  }
  set(key: K, value: V): void {
    this.found.set(key, value);
  }
  /** After the batch committed: what it found becomes the next batches'. */
  handOver(): void {
    this.accept(this.found);
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
function contentKey(row: Omit<FeedbackRow, "row" | "key" | "keywords" | "folded">): string {
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
