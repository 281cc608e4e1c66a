import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Connection, ResultSetHeader } from "mysql2/promise";
import { DataSource } from "typeorm";
import { FeedbackSource, VerificationStatus } from "../../src/common/enums";
import { inTransaction } from "../../src/db/transaction";
import { Feedback, FeedbackScore } from "../../src/entity";
import { DEFAULT_BATCH_SIZE, DEFAULT_MAPPING, DEFAULT_IMPORT_CONCURRENCY, importFeedback } from "../../src/import";
import { compileDateFormat, parseDateCell } from "../../src/import/values";
import { systemActor } from "../../src/service/system-actor";
import {
  FEEDBACK_HEADERS,
  FeedbackExportTally,
  feedbackRows,
  makeCustomers,
  ticketCode,
  writeCsv,
} from "../../test/import/survey-export";
import type { BenchDatabase } from "../lib/mariadb";
import { BenchContext, Workload, WorkloadResult } from "../workload";

/**
 * W5 (issue 6): bulk import of feedback, beside its peers in the same run.
 *
 *  - the limit: plain mysql2 multi-row INSERTs of the same, already-resolved rows, in batches of
 *    1,000 (feedback, then their scores), one transaction per batch;
 *  - qloop's importer on a CSV export of those rows: streaming parse, validation, customer and
 *    ticket lookups, idempotency, multi-row inserts and the import hook (keyword tagging and
 *    verification flags), one transaction per batch;
 *  - the same importer without the hook, so the table shows what the hook costs;
 *  - the importer run again on the same file (everything present: the cost of a re-import);
 *  - TypeORM save() per row on a sample (--orm-sample, default 2,000), extrapolated.
 *
 * Each peer starts from the same freshly migrated database holding the same customers and tickets.
 * Options: --rows (default 1,000,000), --rounds (default 1; peers alternate, best round counts),
 * --batch-size (importer, default 1,000), --concurrency (importer batches written at once, default
 * DEFAULT_IMPORT_CONCURRENCY), --orm-sample, --keep (keep the database).
 * Targets: importer ≥ 0.7× the multi-row INSERTs, ≥ 15× per-row save.
 */

const CUSTOMERS = 20_000;
const TICKETS = 20_000;
const DIMENSIONS = ["responsiveness", "resolution", "attitude", "compliance", "overall"];
const FROM = new Date("2025-01-01T00:00:00Z");
const TO = new Date("2026-06-30T00:00:00Z");

interface ResolvedRow {
  key: string;
  customerId: number;
  ticketId: number | null;
  receivedAt: Date;
  channel: string;
  comment: string | null;
  scores: (number | null)[];
}

export interface W5Data {
  rows: number;
  csv: string;
  csvMiB: number;
  resolved: ResolvedRow[];
  tally: FeedbackExportTally;
  /** A fresh migrated database with the customers and tickets the rows name, and the system actor. */
  seed(db: BenchDatabase): Promise<{ dataSource: DataSource; actorId: number }>;
}

/** Generates the export (a CSV in the temp directory) and the same rows resolved to ids. */
export function prepareW5Data(rows: number): W5Data {
  const customers = makeCustomers(CUSTOMERS, 11);
  const tickets = Array.from({ length: TICKETS }, (_, i) => ({ code: ticketCode(i + 1), customer: customers[i % CUSTOMERS] }));
  const customerId = new Map(customers.map((c, i) => [c.code, i + 1]));
  const ticketId = new Map(tickets.map((t, i) => [t.code, i + 1]));
  const formats = DEFAULT_MAPPING.dateFormats.map(compileDateFormat);
  const resolved: ResolvedRow[] = [];
  const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
  const col = (header: string) => FEEDBACK_HEADERS.indexOf(header);
  const csv = path.join(os.tmpdir(), `qloop-bench-w5-${rows}.csv`);
  function* generate() {
    const spec = { rows, customers, knownCustomers: CUSTOMERS, tickets, from: FROM, to: TO, seed: 5 };
    for (const row of feedbackRows(spec, tally)) {
      resolved.push({
        key: row[col("答卷编号")],
        customerId: customerId.get(row[col("客户编号")])!,
        ticketId: row[col("工单号")] ? ticketId.get(row[col("工单号")])! : null,
        receivedAt: parseDateCell(row[col("提交时间")], formats, 480)!,
        channel: DEFAULT_MAPPING.values.channel[row[col("渠道")]],
        comment: row[col("意见建议")] || null,
        scores: DIMENSIONS.map((_, i) => (row[col("响应及时性") + i] ? Number(row[col("响应及时性") + i]) : null)),
      });
      yield row;
    }
  }
  writeCsv(csv, FEEDBACK_HEADERS, generate());

  const seed = async (db: BenchDatabase) => {
    const dataSource = await db.fresh();
    const conn = await db.connect();
    try {
      for (let i = 0; i < CUSTOMERS; i += 5_000) {
        await conn.query("INSERT INTO customer (id, code, name, phone, region) VALUES ?", [
          customers.slice(i, i + 5_000).map((c, j) => [i + j + 1, c.code, c.name, c.phone, c.region]),
        ]);
      }
      for (let i = 0; i < TICKETS; i += 5_000) {
        await conn.query("INSERT INTO service_ticket (id, code, customerId, type, region, openedAt) VALUES ?", [
          tickets
            .slice(i, i + 5_000)
            .map((t, j) => [i + j + 1, t.code, customerId.get(t.customer.code), "REPAIR", t.customer.region, FROM]),
        ]);
      }
    } finally {
      await conn.end();
    }
    const actor = await inTransaction(dataSource, (tx) => systemActor(tx));
    return { dataSource, actorId: actor.id };
  };
  return { rows, csv, csvMiB: fs.statSync(csv).size / 2 ** 20, resolved, tally, seed };
}

async function counts(dataSource: DataSource) {
  return {
    feedback: await dataSource.getRepository(Feedback).count(),
    scores: await dataSource.getRepository(FeedbackScore).count(),
  };
}

async function expectCounts(peer: string, dataSource: DataSource, data: W5Data) {
  const got = await counts(dataSource);
  if (got.feedback !== data.rows || got.scores !== data.tally.scores) {
    throw new Error(
      `${peer}: expected ${data.rows} feedback / ${data.tally.scores} scores, found ${got.feedback} / ${got.scores}`,
    );
  }
}

/** Seconds for the plain mysql2 peer on a fresh database. */
export async function runPlainPeer(db: BenchDatabase, data: W5Data): Promise<number> {
  const { dataSource, actorId } = await data.seed(db);
  const conn = await db.connect();
  try {
    const started = performance.now();
    await plainInserts(conn, data.resolved, actorId, 1_000);
    const seconds = (performance.now() - started) / 1000;
    await expectCounts("mysql2", dataSource, data);
    return seconds;
  } finally {
    await conn.end();
    await dataSource.destroy();
  }
}

export interface ImporterRun {
  seconds: number;
  reimportSeconds: number;
  hookWrites: string;
}

/** The importer on a fresh database, then again on the same file; optionally without the hook. */
export async function runImporterPeer(
  db: BenchDatabase,
  data: W5Data,
  options: { batchSize: number; concurrency?: number; withHook: boolean; reimport: boolean },
): Promise<ImporterRun> {
  const { dataSource } = await data.seed(db);
  try {
    const before = await tableCounts(dataSource);
    const importOptions = {
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      afterFeedbackImported: options.withHook ? undefined : async () => undefined,
    };
    const first = await importFeedback(dataSource, data.csv, importOptions);
    if (first.inserted !== data.rows || first.rejected !== 0) {
      throw new Error(`importer: unexpected summary ${JSON.stringify(first)}`);
    }
    await expectCounts("importer", dataSource, data);
    const hookWrites = await grownTables(dataSource, before);
    let reimportSeconds = NaN;
    if (options.reimport) {
      const second = await importFeedback(dataSource, data.csv, importOptions);
      if (second.inserted !== 0 || second.alreadyPresent !== data.rows) {
        throw new Error(`re-import: unexpected summary ${JSON.stringify(second)}`);
      }
      reimportSeconds = second.elapsedMs / 1000;
    }
    return { seconds: first.elapsedMs / 1000, reimportSeconds, hookWrites };
  } finally {
    await dataSource.destroy();
  }
}

/** Seconds for `sample` rows saved one by one through TypeORM repositories, a transaction each. */
export async function runOrmPeer(db: BenchDatabase, data: W5Data, sample: number): Promise<number> {
  const { dataSource, actorId } = await data.seed(db);
  try {
    const started = performance.now();
    for (const row of data.resolved.slice(0, sample)) {
      await dataSource.transaction(async (tx) => {
        const feedback = await tx.getRepository(Feedback).save(
          tx.getRepository(Feedback).create({
            source: FeedbackSource.IMPORT,
            channel: row.channel as Feedback["channel"],
            customerId: row.customerId,
            ticketId: row.ticketId,
            templateId: null,
            comment: row.comment,
            verificationStatus: VerificationStatus.UNVERIFIED,
            verificationNote: null,
            receivedAt: row.receivedAt,
            recordedById: actorId,
            importKey: row.key,
          }),
        );
        await tx.getRepository(FeedbackScore).save(
          DIMENSIONS.flatMap((dimension, i) =>
            row.scores[i] === null ? [] : [{ feedbackId: feedback.id, dimension, score: row.scores[i]! }],
          ),
        );
      });
    }
    return (performance.now() - started) / 1000;
  } finally {
    await dataSource.destroy();
  }
}

export const w5: Workload = {
  id: "W5",
  title: "bulk import of feedback",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const rows = ctx.int("rows", 1_000_000);
    const ormSample = Math.min(ctx.int("orm-sample", 2_000), rows);
    const batchSize = ctx.int("batch-size", DEFAULT_BATCH_SIZE);
    const concurrency = ctx.int("concurrency", DEFAULT_IMPORT_CONCURRENCY);
    const rounds = ctx.int("rounds", 1);
    const db = ctx.database;
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

    ctx.log(`W5: generating ${fmt(rows)} survey answers`);
    const data = prepareW5Data(rows);
    // Peers alternate within each round, so drift on a shared machine hits them alike; the best
    // round of each counts.
    const plain: number[] = [];
    const importer: ImporterRun[] = [];
    const bare: ImporterRun[] = [];
    for (let round = 1; round <= rounds; round++) {
      ctx.log(`W5 round ${round}/${rounds}: mysql2 multi-row INSERT`);
      plain.push(await runPlainPeer(db, data));
      ctx.log(`W5 round ${round}/${rounds}: qloop importer (and the same file again)`);
      importer.push(await runImporterPeer(db, data, { batchSize, concurrency, withHook: true, reimport: round === 1 }));
      ctx.log(`W5 round ${round}/${rounds}: qloop importer without the import hook`);
      bare.push(await runImporterPeer(db, data, { batchSize, concurrency, withHook: false, reimport: false }));
    }
    ctx.log(`W5: TypeORM save() per row, ${fmt(ormSample)} rows`);
    const ormSeconds = await runOrmPeer(db, data, ormSample);
    if (!ctx.flag("keep")) {
      const admin = await db.server();
      await admin.query(`DROP DATABASE IF EXISTS \`${db.name}\``);
      await admin.end();
    }
    fs.rmSync(data.csv, { force: true });

    const best = (seconds: number[]) => Math.min(...seconds);
    const plainRate = rows / best(plain);
    const importerRate = rows / best(importer.map((r) => r.seconds));
    const bareRate = rows / best(bare.map((r) => r.seconds));
    const reimportRate = rows / importer[0].reimportSeconds;
    const ormRate = ormSample / ormSeconds;
    const ratio = importerRate / plainRate;
    const row = (peer: string, seconds: string, rate: number) =>
      `| ${peer} | ${fmt(rows)} | ${seconds} | ${fmt(rate)} | ${(rate / plainRate).toFixed(rate / plainRate < 0.1 ? 3 : 2)} |`;
    const lines = [
      `${fmt(rows)} survey answers (${fmt(data.tally.scores)} scores, ${fmt(data.tally.comments)} comments; ` +
        `CSV ${data.csvMiB.toFixed(1)} MiB); ${fmt(CUSTOMERS)} customers and ${fmt(TICKETS)} tickets known; ` +
        `batches of ${fmt(batchSize)} rows, one transaction each (the importer writes ${concurrency} at once); ` +
        `best of ${rounds} round(s), peers alternating.`,
      "",
      "| peer | rows | seconds | rows/s | × multi-row INSERT |",
      "| --- | ---: | ---: | ---: | ---: |",
      row(
        "mysql2 multi-row INSERT, batches of 1,000 (feedback + scores, rows already resolved)",
        best(plain).toFixed(1),
        plainRate,
      ),
      row(
        "**qloop importer**: CSV parse, validation, lookups, idempotency, import hook (keywords, flags)",
        (rows / importerRate).toFixed(1),
        importerRate,
      ),
      row("qloop importer without the import hook", (rows / bareRate).toFixed(1), bareRate),
      row("qloop importer, same file again (all already present)", importer[0].reimportSeconds.toFixed(1), reimportRate),
      row(
        `TypeORM save() per row, a transaction each (sample of ${fmt(ormSample)}, extrapolated)`,
        `${(rows / ormRate).toFixed(0)} (est.)`,
        ormRate,
      ),
      "",
      "| target | figure | met |",
      "| --- | ---: | --- |",
      `| importer ≥ 0.7× multi-row INSERT | ${ratio.toFixed(2)}× | ${ratio >= 0.7 ? "yes" : "**no**"} |`,
      `| importer ≥ 15× per-row save | ${(importerRate / ormRate).toFixed(1)}× | ` +
        `${importerRate / ormRate >= 15 ? "yes" : "**no**"} |`,
      "",
      `Rounds (importer ÷ multi-row INSERT): ${importer.map((r, i) => (plain[i] / r.seconds).toFixed(2)).join(", ")}; ` +
        `without the hook: ${bare.map((r, i) => (plain[i] / r.seconds).toFixed(2)).join(", ")}.`,
      `Rows the import hook wrote: ${importer[0].hookWrites || "none"}.`,
      `The import hook (afterFeedbackImported) took ${(rows / importerRate - rows / bareRate).toFixed(1)} s ` +
        `of the importer's ` +
        `${(rows / importerRate).toFixed(1)} s (${Math.round((1 - importerRate / bareRate) * 100)}%); ` +
        `without it the importer runs at ${(bareRate / plainRate).toFixed(2)}× the multi-row INSERTs.`,
    ];
    return { markdown: lines.join("\n"), met: ratio >= 0.7 && importerRate / ormRate >= 15 };
  },
};

/** The plain peer: each batch is one transaction of two multi-row INSERTs, ids from insertId. */
async function plainInserts(conn: Connection, rows: ResolvedRow[], actorId: number, batch: number) {
  const createdAt = new Date();
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    await conn.beginTransaction();
    const [result] = await conn.query<ResultSetHeader>(
      "INSERT INTO feedback (source, channel, customerId, ticketId, templateId, comment, verificationStatus, " +
        "receivedAt, recordedById, importKey, createdAt, version) VALUES ?",
      [
        slice.map((r) => [
          FeedbackSource.IMPORT,
          r.channel,
          r.customerId,
          r.ticketId,
          null,
          r.comment,
          VerificationStatus.UNVERIFIED,
          r.receivedAt,
          actorId,
          r.key,
          createdAt,
          1,
        ]),
      ],
    );
    // One statement, one session: InnoDB hands out consecutive ids (innodb_autoinc_lock_mode ≤ 1).
    if (result.affectedRows !== slice.length) throw new Error("mysql2 peer: a row was not inserted");
    const scores: (string | number)[][] = [];
    slice.forEach((r, i) => {
      r.scores.forEach((score, d) => {
        if (score !== null) scores.push([result.insertId + i, DIMENSIONS[d], score]);
      });
    });
    await conn.query("INSERT INTO feedback_score (feedbackId, dimension, score) VALUES ?", [scores]);
    await conn.commit();
  }
}

async function tableCounts(dataSource: DataSource): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const meta of dataSource.entityMetadatas) {
    counts.set(meta.tableName, await dataSource.getRepository(meta.target).count());
  }
  return counts;
}

/** Rows the import added to tables other than feedback and its scores: the import hook's work. */
async function grownTables(dataSource: DataSource, before: Map<string, number>): Promise<string> {
  const after = await tableCounts(dataSource);
  const grown: string[] = [];
  for (const [table, count] of after) {
    const added = count - (before.get(table) ?? 0);
    if (added > 0 && table !== "feedback" && table !== "feedback_score") {
      grown.push(`${table} +${added.toLocaleString("en-US")}`);
    }
  }
  return grown.join(", ");
}
