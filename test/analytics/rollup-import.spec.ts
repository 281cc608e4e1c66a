import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { VerificationStatus } from "../../src/common/enums";
import { inTransaction } from "../../src/db/transaction";
import { Feedback, RollupPendingFeedback, RollupResponse } from "../../src/entity";
import { importFeedback } from "../../src/import";
import { applyPendingRollups, DeferredRollups, rebuildRollups, snapshotSegments } from "../../src/service/analytics/rollups";
import { AnalyticsQuery, CustomerType, GROUPING_KINDS } from "../../src/service/analytics/types";
import {
  FEEDBACK_HEADERS,
  FeedbackExportTally,
  feedbackRows,
  makeCustomers,
  ticketCode,
  writeCsv,
} from "../import/survey-export";
import { importReferenceData } from "../import/reference-data";
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

  /** A quality specialist marks the feedback INVALID (a duplicate answer). */
  const invalidate = (feedbackId: number) =>
    app.services.feedback.setVerification(
      { id: Number(w.quality.id), roles: ["QUALITY_SPECIALIST"], departmentId: null },
      feedbackId,
      VerificationStatus.INVALID,
      "重复答卷",
    );

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
    await importReferenceData(app.dataSource, dir, customers.slice(0, 300), tickets, FROM);
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

  it("takes the segment snapshot the set-based SQL takes from the raw tables", async () => {
    // The importer computes each row's snapshot from the ticket and customer it holds; this
    // recomputes them all from the raw tables and expects no value to move.
    const snapshot = async () =>
      (await app.dataSource.getRepository(Feedback).find({ order: { id: "ASC" } })).map((f) =>
        [f.id, f.receivedDay, f.segmentDepartmentId, f.segmentRegion, f.segmentServiceType, f.segmentCustomerType, f.segmentEngineer].join("|"),
      );
    const imported = await snapshot();
    expect(imported).toHaveLength(3_500);
    const types = new Set(imported.map((row) => row.split("|")[5]));
    expect(types).toEqual(new Set([CustomerType.NEW, CustomerType.RETURNING]));
    await app.dataSource
      .createQueryBuilder()
      .update(Feedback)
      .set({
        receivedDay: null,
        segmentDepartmentId: null,
        segmentRegion: null,
        segmentServiceType: null,
        segmentCustomerType: null,
        segmentEngineer: null,
      })
      .execute();
    await inTransaction(app.dataSource, (tx) => snapshotSegments(tx, null));
    expect(await snapshot()).toEqual(imported);
  });

  it("corrects the rollups when imported feedback is invalidated", async () => {
    const feedback = await app.dataSource.getRepository(Feedback).findOneOrFail({ where: {}, order: { id: "ASC" } });
    const month = feedback.receivedDay!.slice(0, 7);
    const before = await app.services.analytics.analyse({ period: { month } });
    await invalidate(feedback.id);
    const after = await app.services.analytics.analyse({ period: { month } });
    expect(after.responses).toBe(before.responses - 1);
    expect(after).toEqual({ ...(await app.services.analytics.directAnalyse({ period: { month } })), source: "ROLLUP" });
  });

  describe("when an import dies before its rollups are written", () => {
    const whole = { period: { from: "2026-01-01", to: "2026-09-30" } };
    const pending = () => app.dataSource.getRepository(RollupPendingFeedback).count();

    it("leaves its feedback pending, and the next import adds it once the grace period is over", async () => {
      // The process dying between its batches' commits and the flush that writes their rollups:
      // the flush never happens.
      const flush = jest.spyOn(DeferredRollups.prototype, "flush").mockResolvedValueOnce(undefined);
      const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
      const counted = (await app.services.analytics.analyse(whole)).responses;
      expect(await importFeedback(app.dataSource, exportFile("died.csv", 600, 13, 900_000, tally), { batchSize: 200 })).toMatchObject({
        inserted: 600,
      });
      flush.mockRestore();
      expect(await pending()).toBe(600);
      expect((await app.services.analytics.analyse(whole)).responses).toBe(counted);

      // Another import within the grace period leaves them (their import may still be running) …
      app.clock.set(new Date(NOW.getTime() + 5 * 60_000));
      await importFeedback(app.dataSource, exportFile("empty-1.csv", 0, 14, 950_000, tally));
      expect(await pending()).toBe(600);

      // … and one after it adds them, exactly once.
      app.clock.set(new Date(NOW.getTime() + 11 * 60_000));
      await importFeedback(app.dataSource, exportFile("empty-2.csv", 0, 15, 960_000, tally));
      expect(await pending()).toBe(0);
      expect((await app.services.analytics.analyse(whole)).responses).toBe(counted + 600);
      await expectRollupsEqualDirect();
    });

    it("settles pending feedback before a verification change counts against it", async () => {
      const flush = jest.spyOn(DeferredRollups.prototype, "flush").mockResolvedValueOnce(undefined);
      const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
      await importFeedback(app.dataSource, exportFile("died-again.csv", 300, 16, 970_000, tally));
      flush.mockRestore();
      expect(await pending()).toBe(300);
      const feedback = await app.dataSource.getRepository(Feedback).findOneOrFail({ where: {}, order: { id: "DESC" } });
      await invalidate(feedback.id);
      // Added from its rows, then subtracted: the invalid answer counts nowhere, the others wait.
      expect(await pending()).toBe(299);
      expect(await inTransaction(app.dataSource, (tx) => applyPendingRollups(tx))).toBe(299);
      await expectRollupsEqualDirect();
    });
  });

  it("adds from the database what its flush finds settled meanwhile, once, and the rest too", async () => {
    // The import's last flush is held back until one of its answers has been invalidated, which
    // settles that answer first (addToRollups): the flush then cannot write its group as grouped.
    const whole = { period: { from: "2026-01-01", to: "2026-09-30" } };
    const flushNow = DeferredRollups.prototype.flush;
    let heldFlush: (() => Promise<void>) | null = null;
    const flush = jest.spyOn(DeferredRollups.prototype, "flush").mockImplementationOnce(function (this: DeferredRollups) {
      heldFlush = () => flushNow.call(this);
      return Promise.resolve();
    });
    const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
    const counted = (await app.services.analytics.analyse(whole)).responses;
    await importFeedback(app.dataSource, exportFile("held.csv", 400, 17, 990_000, tally), { batchSize: 100 });
    flush.mockRestore();
    expect(await app.dataSource.getRepository(RollupPendingFeedback).count()).toBe(400);
    const feedback = await app.dataSource.getRepository(Feedback).findOneOrFail({ where: {}, order: { id: "DESC" } });
    await invalidate(feedback.id);
    expect(await app.dataSource.getRepository(RollupPendingFeedback).count()).toBe(399);

    await heldFlush!();
    expect(await app.dataSource.getRepository(RollupPendingFeedback).count()).toBe(0);
    expect((await app.services.analytics.analyse(whole)).responses).toBe(counted + 399);
    await expectRollupsEqualDirect();
  });
});
