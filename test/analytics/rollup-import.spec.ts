import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { VerificationStatus } from "../../src/common/enums";
import { inTransaction } from "../../src/db/transaction";
import { Feedback, RollupResponse } from "../../src/entity";
import { importCustomers, importFeedback, importTickets } from "../../src/import";
import { rebuildRollups } from "../../src/service/analytics/rollups";
import { AnalyticsQuery, CustomerType, GROUPING_KINDS } from "../../src/service/analytics/types";
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
} from "../import/survey-export";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Bulk import keeps the rollups current: after importing survey exports (segments from tickets and
 * customers, keyword tags from comments), the analytics read from the rollups equal the same
 * figures computed by aggregate SQL over the raw feedback, and the maintained rollups equal a
 * rebuild from scratch.
 */

const NOW = new Date("2026-10-01T00:00:00.000Z");
const FROM = new Date("2026-01-01T00:00:00.000Z");
const TO = new Date("2026-09-30T00:00:00.000Z");

describe("rollups kept by bulk import", () => {
  let app: TestApp;
  let w: World;
  let dir: string;
  const customers = makeCustomers(400);
  const tickets = Array.from({ length: 300 }, (_, i) => ({ code: ticketCode(i + 1), customer: customers[(i * 7) % 300] }));

  const queries = (): AnalyticsQuery[] => [
    { period: { from: "2026-01-01", to: "2026-09-30" } },
    { period: { month: "2026-05" } },
    { period: { quarter: "2026-Q2" } },
    { period: { week: "2026-W20" } },
    ...GROUPING_KINDS.map((groupBy) => ({ period: { month: "2026-06" }, groupBy })),
    { period: { month: "2026-06" }, filter: { region: "华东" } },
    { period: { month: "2026-06" }, filter: { customerType: CustomerType.RETURNING } },
  ];

  const expectRollupsEqualDirect = async () => {
    for (const query of queries()) {
      const rollup = await app.services.analytics.analyse(query);
      const direct = await app.services.analytics.directAnalyse(query);
      expect({ query, ...rollup, source: "-" }).toEqual({ query, ...direct, source: "-" });
    }
  };

  const exportFile = (name: string, rows: number, seed: number, firstResponseId: number, tally: FeedbackExportTally) => {
    const file = path.join(dir, name);
    writeCsv(
      file,
      FEEDBACK_HEADERS,
      feedbackRows(
        { rows, customers, knownCustomers: 300, tickets, ticketShare: 0.5, from: FROM, to: TO, seed, firstResponseId },
        tally,
      ),
    );
    return file;
  };

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(NOW);
    w = await createWorld(app);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-rollup-import-"));
    const customersFile = path.join(dir, "customers.csv");
    writeCsv(customersFile, CUSTOMER_HEADERS, customers.slice(0, 300).map((c) => [c.code, c.name, c.phone, c.region]));
    const ticketsFile = path.join(dir, "tickets.csv");
    writeCsv(ticketsFile, TICKET_HEADERS, ticketRows(tickets, FROM));
    await importCustomers(app.dataSource, customersFile);
    await importTickets(app.dataSource, ticketsFile);
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("counts every imported row, in every segment, as the raw feedback does", async () => {
    const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
    const file = exportFile("first.csv", 2_500, 11, 500_000, tally);
    const summary = await importFeedback(app.dataSource, file, { batchSize: 400 });
    expect(summary).toMatchObject({ inserted: 2_500, rejected: 0 });

    const whole = await app.services.analytics.analyse({ period: { from: "2026-01-01", to: "2026-09-30" } });
    expect(whole.responses).toBe(2_500);
    expect(whole.dimensions.reduce((sum, d) => sum + d.answers, 0)).toBe(tally.scores);
    expect(whole.keywords.length).toBeGreaterThan(3);
    await expectRollupsEqualDirect();

    // The same export again inserts nothing and counts nothing twice.
    expect(await importFeedback(app.dataSource, file)).toMatchObject({ inserted: 0 });
    expect((await app.services.analytics.analyse({ period: { from: "2026-01-01", to: "2026-09-30" } })).responses).toBe(2_500);
  });

  it("adds a second import to the rollups and matches a rebuild from scratch", async () => {
    const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
    const file = exportFile("second.csv", 1_000, 12, 800_000, tally);
    expect(await importFeedback(app.dataSource, file)).toMatchObject({ inserted: 1_000 });
    const before = await app.services.analytics.analyse({ period: { from: "2026-01-01", to: "2026-09-30" } });
    expect(before.responses).toBe(3_500);
    await expectRollupsEqualDirect();

    const responses = async () =>
      (await app.dataSource.getRepository(RollupResponse).find())
        .map((row) => `${row.segmentKind}|${row.segmentValue}|${row.day}|${row.responses}`)
        .sort();
    const maintained = await responses();
    await inTransaction(app.dataSource, (tx) => rebuildRollups(tx));
    expect(await responses()).toEqual(maintained);
    expect(await app.services.analytics.analyse({ period: { from: "2026-01-01", to: "2026-09-30" } })).toEqual(before);
  });

  it("corrects the rollups when imported feedback is invalidated", async () => {
    const feedback = await app.dataSource.getRepository(Feedback).findOneOrFail({ where: {}, order: { id: "ASC" } });
    const month = feedback.receivedDay!.slice(0, 7);
    const before = await app.services.analytics.analyse({ period: { month } });
    await app.services.feedback.setVerification(
      { id: Number(w.quality.id), roles: ["QUALITY_SPECIALIST"], departmentId: null },
      feedback.id,
      VerificationStatus.INVALID,
      "重复答卷",
    );
    const after = await app.services.analytics.analyse({ period: { month } });
    expect(after.responses).toBe(before.responses - 1);
    expect(after).toEqual({ ...(await app.services.analytics.directAnalyse({ period: { month } })), source: "ROLLUP" });
  });
});
