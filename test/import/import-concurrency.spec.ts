import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { Customer, Feedback, FeedbackScore } from "../../src/entity";
import { importFeedback } from "../../src/import";
import { ImportError } from "../../src/import/import-error";
import { startTestApp, TestApp } from "../support/test-app";
import { importReferenceData } from "./reference-data";
import {
  chinaTime,
  FEEDBACK_HEADERS,
  FeedbackExportTally,
  feedbackRows,
  makeCustomers,
  ticketCode,
  writeCsv,
} from "./survey-export";

/**
 * Feedback batches are written several at a time on MariaDB (ImportOptions.concurrency), each in
 * its own transaction: what one batch creates or inserts, the next may be creating or inserting at
 * the same moment. These files are cut into many small batches so that happens all the time, and
 * the outcome must be what one batch after the other gives (on SQLite it is one after the other).
 */

const NOW = new Date("2026-10-01T00:00:00.000Z");
const FROM = new Date("2026-01-01T00:00:00.000Z");
const TO = new Date("2026-09-30T00:00:00.000Z");
const KNOWN_CUSTOMERS = 100;

describe("feedback batches written at the same time", () => {
  let app: TestApp;
  let dir: string;
  const customers = makeCustomers(400, 3);
  const tickets = Array.from({ length: 100 }, (_, i) => ({ code: ticketCode(i + 1), customer: customers[i] }));

  const count = (entity: typeof Customer | typeof Feedback | typeof FeedbackScore) =>
    app.dataSource.getRepository(entity).count();
  const whole = () => app.services.analytics.analyse({ period: { from: "2026-01-01", to: "2026-09-30" } });
  const direct = () => app.services.analytics.directAnalyse({ period: { from: "2026-01-01", to: "2026-09-30" } });

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(NOW);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-import-concurrency-"));
    await importReferenceData(app.dataSource, dir, customers.slice(0, KNOWN_CUSTOMERS), tickets, FROM);
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates each new customer once, inserts each answer once and reports rejected rows in file order", async () => {
    const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
    const good = [...feedbackRows({ rows: 3_000, customers, knownCustomers: KNOWN_CUSTOMERS, tickets, from: FROM, to: TO, seed: 21, firstResponseId: 1_000_000 }, tally)];
    // A broken row (an unknown ticket) after every 100 good ones, so many batches reject one; then
    // every 40th answer again, in batches written beside each other.
    const rows: string[][] = [];
    good.forEach((row, i) => {
      rows.push(row);
      if (i % 100 === 50) {
        const c = customers[i % KNOWN_CUSTOMERS];
        rows.push([`X${i}`, c.code, c.name, c.phone, c.region, "T9999999", "维修", chinaTime(new Date("2026-05-01T02:00:00Z")), "短信", "4", "4", "4", "4", "4", ""]);
      }
    });
    const repeats = good.filter((_, i) => i % 40 === 0);
    const file = path.join(dir, "first.csv");
    const starts = writeCsv(file, FEEDBACK_HEADERS, [...rows, ...repeats]);
    const brokenLines = rows.flatMap((row, i) => (row[0].startsWith("X") ? [starts[i]] : []));
    expect(brokenLines).toHaveLength(30);
    const report = path.join(dir, "first.rejected.csv");

    const summary = await importFeedback(app.dataSource, file, { batchSize: 25, concurrency: 4, report: { file: report } });

    expect(summary).toMatchObject({
      read: 3_000 + 30 + repeats.length,
      inserted: 3_000,
      alreadyPresent: repeats.length,
      rejected: 30,
      customersCreated: tally.newCustomers,
    });
    expect(tally.newCustomers).toBeGreaterThan(250);
    expect(await count(Customer)).toBe(KNOWN_CUSTOMERS + tally.newCustomers);
    expect(await count(Feedback)).toBe(3_000);
    expect(await count(FeedbackScore)).toBe(tally.scores);
    // In file order, whichever batch committed first.
    const reported = parse(fs.readFileSync(report, "utf8").replace(/^\uFEFF/, ""), { columns: true }) as { row: string }[];
    expect(reported.map((r) => Number(r.row))).toEqual(brokenLines);
    expect(summary.errors.map((e) => e.row)).toEqual(brokenLines);
    // Each batch's contribution counted once in the rollups.
    const rollup = await whole();
    expect(rollup.responses).toBe(3_000);
    expect({ ...rollup, source: "-" }).toEqual({ ...(await direct()), source: "-" });
  });

  it("lets two imports naming the same new customers run at once, each finding the customers the other created", async () => {
    const customersBefore = await count(Customer);
    const feedbackBefore = await count(Feedback);
    // Customers 400–599: new to qloop, named by both files.
    const more = makeCustomers(600, 3).slice(400);
    const fileOf = (name: string, seed: number, firstResponseId: number) => {
      const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
      const file = path.join(dir, name);
      writeCsv(file, FEEDBACK_HEADERS, feedbackRows({ rows: 1_500, customers: more, knownCustomers: 0, tickets: [], from: FROM, to: TO, seed, firstResponseId }, tally));
      return file;
    };
    const [a, b] = await Promise.all([
      importFeedback(app.dataSource, fileOf("a.csv", 31, 2_000_000), { batchSize: 30, concurrency: 3 }),
      importFeedback(app.dataSource, fileOf("b.csv", 32, 3_000_000), { batchSize: 30, concurrency: 3 }),
    ]);
    expect([a.inserted, b.inserted, a.rejected, b.rejected]).toEqual([1_500, 1_500, 0, 0]);
    const created = (await count(Customer)) - customersBefore;
    expect(created).toBe(200);
    // Counted by the import that inserted each customer, never by both.
    expect(a.customersCreated + b.customersCreated).toBe(200);
    expect((await count(Feedback)) - feedbackBefore).toBe(3_000);
    expect({ ...(await whole()), source: "-" }).toEqual({ ...(await direct()), source: "-" });
  });

  it("refuses a concurrency outside 1 to 8 before reading the file", async () => {
    const file = path.join(dir, "few.csv");
    const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
    writeCsv(file, FEEDBACK_HEADERS, feedbackRows({ rows: 10, customers, knownCustomers: KNOWN_CUSTOMERS, tickets, from: FROM, to: TO, seed: 41, firstResponseId: 4_000_000 }, tally));
    for (const concurrency of [0, 9, 1.5]) {
      await expect(importFeedback(app.dataSource, file, { concurrency })).rejects.toThrow(ImportError);
    }
  });
});
