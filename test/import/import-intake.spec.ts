import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { In } from "typeorm";
import { FeedbackFlagReason } from "../../src/common/feedback-enums";
import { inTransaction } from "../../src/db/transaction";
import { Feedback, FeedbackFlag, FeedbackKeyword, FeedbackScore } from "../../src/entity";
import { importCustomers, importFeedback, importTickets, ImportSummary } from "../../src/import";
import { afterFeedbackRecorded } from "../../src/service/intake-hooks";
import { systemActor } from "../../src/service/system-actor";
import { startTestApp, TestApp } from "../support/test-app";
import {
  CUSTOMER_HEADERS,
  FEEDBACK_HEADERS,
  FeedbackExportTally,
  feedbackRows,
  makeCustomers,
  TICKET_HEADERS,
  ticketCode,
  ticketRows,
  writeCsv,
} from "./survey-export";

/**
 * The import hook works on the rows the importer hands it, with settings and taxonomy read once
 * per import. What it stores must be what recording each row on its own would store.
 */

const NOW = new Date("2026-10-01T00:00:00.000Z");
const FROM = new Date("2026-01-01T00:00:00.000Z");
const TO = new Date("2026-09-30T00:00:00.000Z");
const ROWS = 1_200;
const BATCH = 200;

describe("keywords and flags of imported feedback", () => {
  let app: TestApp;
  let dir: string;
  let first: ImportSummary;
  let importStatements: string[];

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(NOW);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-import-intake-"));
    const customers = makeCustomers(300, 4);
    writeCsv(path.join(dir, "customers.csv"), CUSTOMER_HEADERS, customers.map((c) => [c.code, c.name, c.phone, c.region]));
    expect(await importCustomers(app.dataSource, path.join(dir, "customers.csv"))).toMatchObject({ inserted: 300 });
    // Tickets answered within 0–6 hours of opening: some on time, some late, so the ticket check
    // finds mismatches both ways.
    const tickets = Array.from({ length: 150 }, (_, i) => ({ code: ticketCode(i + 1), customer: customers[i * 2] }));
    writeCsv(path.join(dir, "tickets.csv"), TICKET_HEADERS, ticketRows(tickets, FROM, 9));
    expect(await importTickets(app.dataSource, path.join(dir, "tickets.csv"))).toMatchObject({ inserted: 150, rejected: 0 });

    const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
    const spec = { rows: ROWS, customers, knownCustomers: 300, tickets, ticketShare: 0.5, from: FROM, to: TO, seed: 21 };
    writeCsv(path.join(dir, "export.csv"), FEEDBACK_HEADERS, feedbackRows(spec, tally));

    app.statements.length = 0;
    first = await importFeedback(app.dataSource, path.join(dir, "export.csv"), { batchSize: BATCH });
    importStatements = [...app.statements];
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads settings and the taxonomy once per import, and no feedback or score back", () => {
    expect(first).toMatchObject({ inserted: ROWS, rejected: 0 });
    const reads = (table: string) =>
      importStatements.filter((sql) => new RegExp(`^SELECT\\b.*\\bFROM\\W+${table}\\b`, "is").test(sql)).length;
    expect(reads("setting")).toBe(1);
    expect(reads("keyword_tag")).toBe(1);
    expect(reads("feedback_score")).toBe(0);
  });

  it("stores the tags and flags that recording each row on its own would", async () => {
    const feedback = await app.dataSource.getRepository(Feedback).find({ order: { id: "ASC" } });
    const ids = feedback.map((f) => f.id);
    const imported = await storedIntake(ids);
    // Every rule fired somewhere, or the comparison below would prove little.
    expect(new Set(imported.flags.map((line) => line.split("|")[1]))).toEqual(new Set(Object.values(FeedbackFlagReason)));
    expect(imported.keywords.length).toBeGreaterThan(100);

    // Per-row recording of the same rows (scores as stored), in a transaction rolled back after.
    const scores = await app.dataSource.getRepository(FeedbackScore).find({ order: { feedbackId: "ASC", dimension: "ASC" } });
    let perRow: { keywords: string[]; flags: string[] } | null = null;
    const rollback = new Error("rollback");
    await expect(
      inTransaction(app.dataSource, async (tx) => {
        await tx.getRepository(FeedbackKeyword).delete({ feedbackId: In(ids) });
        await tx.getRepository(FeedbackFlag).delete({ feedbackId: In(ids) });
        const actor = await systemActor(tx);
        for (const f of feedback) {
          const own = scores.filter((s) => s.feedbackId === f.id).map(({ dimension, score }) => ({ dimension, score }));
          await afterFeedbackRecorded(tx, { feedback: f, scores: own, actor, applyIntakeRules: false });
        }
        perRow = await storedIntake(ids, tx.getRepository(FeedbackKeyword), tx.getRepository(FeedbackFlag));
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(perRow).toEqual(imported);
  });

  it("adds no tag and no flag when the same file is imported again", async () => {
    const before = await storedIntake();
    const again = await importFeedback(app.dataSource, path.join(dir, "export.csv"), { batchSize: BATCH });
    expect(again).toMatchObject({ inserted: 0, alreadyPresent: ROWS, rejected: 0 });
    expect(await storedIntake()).toEqual(before);
  });

  /** Keyword and flag rows as sorted lines, so two states compare with one toEqual. */
  async function storedIntake(
    ids?: number[],
    keywords = app.dataSource.getRepository(FeedbackKeyword),
    flags = app.dataSource.getRepository(FeedbackFlag),
  ) {
    const where = ids ? { feedbackId: In(ids) } : {};
    return {
      keywords: (await keywords.findBy(where))
        .map((k) => [k.feedbackId, k.tagCode, k.synonym, k.receivedAt.toISOString()].join("|"))
        .sort(),
      flags: (await flags.findBy(where))
        .map((f) => [f.feedbackId, f.reason, f.detail, f.flaggedAt.toISOString()].join("|"))
        .sort(),
    };
  }
});
