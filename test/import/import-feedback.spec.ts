import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { FeedbackSource } from "../../src/common/enums";
import { Customer, Feedback, FeedbackScore } from "../../src/entity";
import { importCustomers, importFeedback, importTickets, ImportSummary } from "../../src/import";
import { startTestApp, TestApp } from "../support/test-app";
import {
  chinaTime,
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
 * The acceptance test of bulk import: a 100,000-row survey export with a handful of deliberately
 * broken rows, imported twice.
 */

const GOOD_ROWS = 100_000;
const NOW = new Date("2026-10-01T00:00:00.000Z");
const FROM = new Date("2026-01-01T00:00:00.000Z");
const TO = new Date("2026-09-30T00:00:00.000Z");
const KNOWN_CUSTOMERS = 4_000;

const column = (header: string) => FEEDBACK_HEADERS.indexOf(header);

describe("importing a 100,000-row survey export twice", () => {
  let app: TestApp;
  let dir: string;
  const customers = makeCustomers(5_000);
  const tickets = Array.from({ length: 2_000 }, (_, i) => ({ code: ticketCode(i + 1), customer: customers[(i * 7) % KNOWN_CUSTOMERS] }));
  const tally: FeedbackExportTally = { rows: 0, scores: 0, newCustomers: 0, comments: 0 };
  /** The broken rows: where they go among the good ones, and what the report must say of them. */
  const broken: { after: number; cells: string[]; errors: { field: string; column: string }[] }[] = [];
  let expectedReport: { row: number; field: string; column: string }[];
  let first: ImportSummary;
  let second: ImportSummary;
  let report1: string;
  let report2: string;

  /** A good row of a known customer, to break one field of. */
  const base = (): string[] => {
    const c = customers[0];
    return ["", c.code, c.name, c.phone, c.region, "", "维修", chinaTime(new Date("2026-05-01T02:00:00Z")), "短信", "4", "4", "4", "4", "4", ""];
  };
  const breakRow = (after: number, id: string, change: Record<string, string>, errors: [string, string][]) => {
    const cells = base();
    cells[0] = id;
    for (const [header, value] of Object.entries(change)) cells[column(header)] = value;
    broken.push({ after, cells, errors: errors.map(([field, header]) => ({ field, column: header })) });
  };

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(NOW);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-import-"));

    breakRow(1_000, "B1", { 服务态度: "7" }, [["scores.attitude", "服务态度"]]);
    breakRow(9_999, "B2", { 提交时间: "2026-02-30 10:00:00" }, [["receivedAt", "提交时间"]]);
    breakRow(20_000, "B3", { 渠道: "传真" }, [["channel", "渠道"]]);
    breakRow(33_333, "B4", { 客户编号: "" }, [["customerCode", "客户编号"]]);
    breakRow(45_000, "B5", { 提交时间: "" }, [["receivedAt", "提交时间"]]);
    breakRow(50_001, "B6", { 提交时间: "2026-12-01 09:00:00" }, [["receivedAt", "提交时间"]]);
    breakRow(61_000, "B7", { 意见建议: "慢".repeat(5_001) }, [["comment", "意见建议"]]);
    // tickets[1] belongs to customers[7]; this row names customers[1].
    breakRow(70_000, "B8", { 客户编号: customers[1].code, 工单号: tickets[1].code }, [["ticketCode", "工单号"]]);
    breakRow(80_000, "B9", { 客户编号: "C999999", 客户名称: "" }, [["customerCode", "客户编号"]]);
    breakRow(90_000, "B10", { 工单号: "T9999999" }, [["ticketCode", "工单号"]]);
    breakRow(99_999, "B11", { 解决能力: "4.5", 渠道: "传真" }, [
      ["channel", "渠道"],
      ["scores.resolution", "解决能力"],
    ]);

    // qloop knows 4,000 of the 5,000 customers and the 2,000 tickets before the survey export.
    const customersFile = path.join(dir, "customers.csv");
    writeCsv(customersFile, CUSTOMER_HEADERS, customers.slice(0, KNOWN_CUSTOMERS).map((c) => [c.code, c.name, c.phone, c.region]));
    const ticketsFile = path.join(dir, "tickets.csv");
    writeCsv(ticketsFile, TICKET_HEADERS, ticketRows(tickets, FROM));
    expect(await importCustomers(app.dataSource, customersFile)).toMatchObject({ inserted: KNOWN_CUSTOMERS, rejected: 0 });
    expect(await importTickets(app.dataSource, ticketsFile)).toMatchObject({ inserted: 2_000, rejected: 0 });

    const file = path.join(dir, "export.csv");
    const brokenIndexes: number[] = [];
    let duplicate: string[] = [];
    let index = 0; // records yielded so far, i.e. the index of the next one in `starts`
    function* rows() {
      let good = 0;
      let next = 0;
      for (const row of feedbackRows({ rows: GOOD_ROWS, customers, knownCustomers: KNOWN_CUSTOMERS, tickets, from: FROM, to: TO }, tally)) {
        yield row;
        index++;
        good++;
        if (good === 12_345) duplicate = row;
        // The same answer exported twice: present, not inserted again.
        if (good === 55_555) {
          yield duplicate;
          index++;
        }
        while (next < broken.length && broken[next].after === good) {
          brokenIndexes.push(index);
          yield broken[next++].cells;
          index++;
        }
      }
    }
    const starts = writeCsv(file, FEEDBACK_HEADERS, rows());
    expect(brokenIndexes).toHaveLength(broken.length);
    expectedReport = broken.flatMap((b, i) => b.errors.map((e) => ({ row: starts[brokenIndexes[i]], ...e })));

    first = await importFeedback(app.dataSource, file, { report: { file: path.join(dir, "rejected-1.csv") } });
    report1 = fs.readFileSync(path.join(dir, "rejected-1.csv"), "utf8");
    second = await importFeedback(app.dataSource, file, { report: { file: path.join(dir, "rejected-2.csv") } });
    report2 = fs.readFileSync(path.join(dir, "rejected-2.csv"), "utf8");
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("inserts exactly the good rows the first time, creating the customers it did not know", async () => {
    expect(first).toMatchObject({
      read: GOOD_ROWS + 1 + broken.length,
      inserted: GOOD_ROWS,
      alreadyPresent: 1,
      rejected: broken.length,
      customersCreated: tally.newCustomers,
      ignoredColumns: ["服务类型"],
    });
    expect(tally.newCustomers).toBeGreaterThan(900);
    expect(await app.dataSource.getRepository(Customer).count()).toBe(KNOWN_CUSTOMERS + tally.newCustomers);
  });

  it("inserts nothing the second time and leaves exactly 100,000 feedback rows with their scores", async () => {
    expect(second).toMatchObject({
      read: GOOD_ROWS + 1 + broken.length,
      inserted: 0,
      alreadyPresent: GOOD_ROWS + 1,
      rejected: broken.length,
      customersCreated: 0,
    });
    expect(await app.dataSource.getRepository(Feedback).count()).toBe(GOOD_ROWS);
    expect(await app.dataSource.getRepository(Feedback).countBy({ source: FeedbackSource.IMPORT })).toBe(GOOD_ROWS);
    expect(await app.dataSource.getRepository(FeedbackScore).count()).toBe(tally.scores);
    expect(await app.dataSource.getRepository(Customer).count()).toBe(KNOWN_CUSTOMERS + tally.newCustomers);
  });

  it("reports exactly the broken rows, with their row number in the file, column and field", () => {
    const lines = parse(report1, { bom: true, columns: true }) as Record<string, string>[];
    expect(lines.map((l) => ({ row: Number(l.row), field: l.field, column: l.column }))).toEqual(expectedReport);
    expect(lines.every((l) => l.reason.length > 0)).toBe(true);
    expect(report2).toBe(report1);
  });

  it("stores what the export says: the answer id as key, China time as UTC, channel, ticket and comment", async () => {
    const sample = [
      ...feedbackRows(
        { rows: 200, customers, knownCustomers: KNOWN_CUSTOMERS, tickets, from: FROM, to: TO },
        { rows: 0, scores: 0, newCustomers: 0, comments: 0 },
      ),
    ];
    const row = sample.find((r) => r[column("工单号")] !== "" && r[column("意见建议")] !== "" && !r[column("提交时间")].includes("/"))!;
    const feedback = await app.dataSource.getRepository(Feedback).findOneByOrFail({ importKey: row[column("答卷编号")] });
    const scores = await app.dataSource.getRepository(FeedbackScore).findBy({ feedbackId: feedback.id });
    const ticket = tickets.find((t) => t.code === row[column("工单号")])!;
    const customer = await app.dataSource.getRepository(Customer).findOneByOrFail({ code: ticket.customer.code });

    expect(chinaTime(feedback.receivedAt)).toBe(row[column("提交时间")]);
    expect(feedback.customerId).toBe(customer.id);
    expect(feedback.ticketId).not.toBeNull();
    expect(feedback.comment).toBe(row[column("意见建议")]);
    const channels: Record<string, string> = { 短信: "SMS", 微信: "APP", 电话: "PHONE", 邮件: "EMAIL", 上门: "VISIT", 网页: "WEB" };
    expect(feedback.channel).toBe(channels[row[column("渠道")]]);
    const dimensions = ["responsiveness", "resolution", "attitude", "compliance", "overall"];
    expect(Object.fromEntries(scores.map((s) => [s.dimension, s.score]))).toEqual(
      Object.fromEntries(
        dimensions.flatMap((d, i) => (row[column("响应及时性") + i] === "" ? [] : [[d, Number(row[column("响应及时性") + i])]])),
      ),
    );
  });
});
