import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TextDecoder } from "node:util";
import ExcelJS from "exceljs";
import { gql } from "graphql-request";
import { Customer, Feedback, FeedbackScore, ServiceTicket } from "../../src/entity";
import { CUSTOMER_COLUMNS } from "../../src/import/customers";
import { FEEDBACK_COLUMNS } from "../../src/import/feedback-importer";
import { TICKET_COLUMNS } from "../../src/import/ticket-importer";
import {
  DEFAULT_MAPPING,
  importCustomers,
  importFeedback,
  importTickets,
  loadMapping,
  RowError,
} from "../../src/import";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";
import { writeCsv } from "./survey-export";

const NOW = new Date("2026-10-01T00:00:00.000Z");

describe("importing exports", () => {
  let app: TestApp;
  let world: World;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const reasons = (errors: RowError[]) => errors.map((e) => [e.row, e.field]);

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(NOW);
    world = await createWorld(app);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-import-files-"));
    writeCsv(file("customers.csv"), ["客户编号", "客户名称", "电话", "区域"], [
      ["K001", "张三", "13800000001", "华东"],
      ["K002", "李四", "13800000002", "华南"],
      ["K003", "王五", "13800000003", "华北"],
    ]);
    expect(await importCustomers(app.dataSource, file("customers.csv"))).toMatchObject({ inserted: 3 });
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("customers", () => {
    it("inserts new codes, counts known ones as present, and rejects rows without a name or with a bad e-mail", async () => {
      writeCsv(file("crm.csv"), ["客户编号", "客户名称", "电话", "邮箱", "区域"], [
        ["M001", "赵六", "13900000001", "zhao@example.com", "西南"],
        ["M002", "", "13900000002", "", "西南"],
        ["M003", "钱七", "", "not-an-e-mail", ""],
        ["K001", "张三", "", "", ""],
        ["m001", "赵六", "", "", ""],
      ]);
      const first = await importCustomers(app.dataSource, file("crm.csv"));
      expect(first).toMatchObject({ read: 5, inserted: 1, alreadyPresent: 2, rejected: 2 });
      expect(reasons(first.errors)).toEqual([
        [3, "customerName"],
        [4, "email"],
      ]);
      expect(await app.dataSource.getRepository(Customer).findOneByOrFail({ code: "M001" })).toMatchObject({
        name: "赵六",
        phone: "13900000001",
        email: "zhao@example.com",
        region: "西南",
      });
      expect(await importCustomers(app.dataSource, file("crm.csv"))).toMatchObject({ inserted: 0, alreadyPresent: 3, rejected: 2 });
    });
  });

  describe("service tickets", () => {
    it("imports tickets once, creating named customers, and rejects what does not hold", async () => {
      await app.services.directory.createDepartment("售后服务部-工单");
      const headers = ["工单号", "客户编号", "客户名称", "服务类型", "区域", "工程师", "部门", "受理时间", "首次响应时间", "完成时间"];
      writeCsv(file("tickets.csv"), headers, [
        ["GD-1", "K001", "", "维修", "华东", "刘工", "售后服务部-工单", "2026-03-01 09:00", "2026-03-01 10:30", "2026-03-02 18:00"],
        ["GD-2", "N001", "新客户", "安装", "华南", "", "", "2026/3/2 9:00", "", ""],
        ["GD-3", "N002", "", "维修", "", "", "", "2026-03-02 09:00", "", ""],
        ["GD-4", "K001", "", "保养", "", "", "", "2026-03-02 09:00", "", ""],
        ["GD-5", "K001", "", "维修", "", "", "财务部", "2026-03-02 09:00", "", ""],
        ["GD-6", "K001", "", "咨询", "", "", "", "2026-03-05 10:00", "2026-03-05 09:00", ""],
        ["GD-1", "K002", "", "维修", "", "", "", "2026-03-01 09:00", "", ""],
      ]);
      const first = await importTickets(app.dataSource, file("tickets.csv"));
      expect(first).toMatchObject({ read: 7, inserted: 2, alreadyPresent: 0, rejected: 5, customersCreated: 1 });
      expect(reasons(first.errors)).toEqual([
        [4, "customerCode"],
        [5, "ticketType"],
        [6, "department"],
        [7, "firstResponseAt"],
        [8, "ticketCode"],
      ]);
      const ticket = await app.dataSource.getRepository(ServiceTicket).findOneByOrFail({ code: "GD-1" });
      const k001 = await app.dataSource.getRepository(Customer).findOneByOrFail({ code: "K001" });
      expect(ticket).toMatchObject({
        customerId: k001.id,
        type: "REPAIR",
        region: "华东",
        engineer: "刘工",
        openedAt: new Date("2026-03-01T01:00:00Z"),
        firstResponseAt: new Date("2026-03-01T02:30:00Z"),
        completedAt: new Date("2026-03-02T10:00:00Z"),
      });
      expect(ticket.departmentId).not.toBeNull();
      expect(await app.dataSource.getRepository(Customer).findOneByOrFail({ code: "N001" })).toMatchObject({
        name: "新客户",
        region: "华南",
      });

      const second = await importTickets(app.dataSource, file("tickets.csv"));
      expect(second).toMatchObject({ inserted: 0, alreadyPresent: 2, rejected: 5, customersCreated: 0 });
    });
  });

  describe("survey answers", () => {
    /** The same three answers, as the survey tool exports them to .xlsx (no answer id column). */
    const headers = ["客户编号", "客户名称", "提交时间", "渠道", "响应及时性", "服务态度", "总体满意度", "意见建议"];
    const answers: [string, string, Date, string, number | string, number | string, number | string, string][] = [
      ["K002", "李四", new Date(Date.UTC(2026, 2, 5, 14, 23, 0)), "短信", 5, 4, 5, "师傅很专业"],
      ["K003", "王五", new Date(Date.UTC(2026, 2, 6, 9, 5, 0)), "微信", 2, "不满意", 2, "响应慢，\n等了很久"],
      ["X001", "新客户甲", new Date(Date.UTC(2026, 2, 7, 20, 0, 0)), "电话", 4, "", 4, ""],
      ["K002", "李四", new Date(Date.UTC(2026, 2, 8, 8, 0, 0)), "短信", 6, 4, 5, ""],
    ];

    it("streams an .xlsx export, reading Excel dates and numbers, and reports by sheet row", async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("答卷数据");
      sheet.addRow(headers);
      for (const answer of answers) sheet.addRow(answer);
      sheet.getColumn(3).numFmt = "yyyy-mm-dd hh:mm:ss";
      await workbook.xlsx.writeFile(file("answers.xlsx"));

      const summary = await importFeedback(app.dataSource, file("answers.xlsx"));
      expect(summary).toMatchObject({ read: 4, inserted: 3, rejected: 1, customersCreated: 1 });
      expect(reasons(summary.errors)).toEqual([[5, "scores.responsiveness"]]);
      const k003 = await app.dataSource.getRepository(Customer).findOneByOrFail({ code: "K003" });
      const feedback = await app.dataSource.getRepository(Feedback).findOneByOrFail({ customerId: k003.id });
      expect(feedback).toMatchObject({ receivedAt: new Date("2026-03-06T01:05:00Z"), channel: "APP", comment: "响应慢，\n等了很久" });
      expect(feedback.importKey).toMatch(/^[0-9a-f]{64}$/);
      const scores = await app.dataSource.getRepository(FeedbackScore).findBy({ feedbackId: feedback.id });
      expect(Object.fromEntries(scores.map((s) => [s.dimension, s.score]))).toEqual({ responsiveness: 2, attitude: 2, overall: 2 });
    });

    it("recognises the same answers exported as CSV (no answer id) as already imported", async () => {
      const text = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);
      writeCsv(
        file("answers.csv"),
        headers,
        answers.map((a) => [a[0], a[1], text(a[2]), a[3], String(a[4]), String(a[5]), String(a[6]), a[7].replace("\n", "\r\n")]),
      );
      const summary = await importFeedback(app.dataSource, file("answers.csv"));
      expect(summary).toMatchObject({ read: 4, inserted: 0, alreadyPresent: 3, rejected: 1 });
    });

    it("reads a CSV that Excel saved in GB18030", async () => {
      const csv = "客户编号,提交时间,渠道,总体满意度,意见建议\r\nK001,2026-04-01 10:00,短信,3,价格不透明\r\n";
      fs.writeFileSync(file("gbk.csv"), encodeGb18030(csv));
      expect(await importFeedback(app.dataSource, file("gbk.csv"))).toMatchObject({ inserted: 1, rejected: 0 });
      expect(await app.dataSource.getRepository(Feedback).findOneByOrFail({ comment: "价格不透明" })).toBeTruthy();
    });

    it("reads an export with its own headers, words, date format and time zone through a mapping file", async () => {
      fs.writeFileSync(
        file("mapping.json"),
        JSON.stringify({
          columns: {
            Response: "responseId",
            "Customer No": "customerCode",
            Submitted: "receivedAt",
            Via: "channel",
            Remarks: "comment",
          },
          scores: { Speed: "responsiveness", Fix: "resolution", Overall: "overall" },
          values: { channel: { "Text message": "SMS", "Web form": "WEB" }, score: { Excellent: 5, Poor: 1 } },
          dateFormats: ["DD/MM/YYYY HH:mm"],
          timeZone: "+01:00",
          keyPrefix: "nps-2026q1:",
        }),
      );
      writeCsv(file("english.csv"), ["Response", "Customer No", "Submitted", "Via", "Speed", "Fix", "Overall", "Remarks", "Extra"], [
        ["R-1", "K001", "05/03/2026 14:00", "Text message", "Excellent", "4", "Poor", "ok", "x"],
        ["R-2", "K002", "2026-03-05 14:00", "Web form", "3", "3", "3", "", "y"],
      ]);
      const summary = await importFeedback(app.dataSource, file("english.csv"), { mapping: loadMapping(file("mapping.json")) });
      expect(summary).toMatchObject({ inserted: 1, rejected: 1, ignoredColumns: ["Extra"] });
      expect(reasons(summary.errors)).toEqual([[3, "receivedAt"]]);
      const feedback = await app.dataSource.getRepository(Feedback).findOneByOrFail({ importKey: "nps-2026q1:R-1" });
      expect(feedback).toMatchObject({ receivedAt: new Date("2026-03-05T13:00:00Z"), channel: "SMS", comment: "ok" });
      const scores = await app.dataSource.getRepository(FeedbackScore).findBy({ feedbackId: feedback.id });
      expect(Object.fromEntries(scores.map((s) => [s.dimension, s.score]))).toEqual({ responsiveness: 5, resolution: 4, overall: 1 });
    });

    it("rejects rows of unknown customers when creating customers is turned off", async () => {
      writeCsv(file("unknown.csv"), ["客户编号", "客户名称", "提交时间", "渠道", "总体满意度"], [["Z404", "不认识", "2026-04-02 10:00", "短信", "4"]]);
      const summary = await importFeedback(app.dataSource, file("unknown.csv"), { createCustomers: false });
      expect(summary).toMatchObject({ inserted: 0, rejected: 1, customersCreated: 0 });
      expect(reasons(summary.errors)).toEqual([[2, "customerCode"]]);
      expect(await app.dataSource.getRepository(Customer).countBy({ code: "Z404" })).toBe(0);
    });

    it("looks customers and tickets up once per batch, not once per row", async () => {
      // 2,500 answers from 2,500 different customers, each about a ticket of theirs.
      const codes = Array.from({ length: 2_500 }, (_, i) => `BULK-${i}`);
      writeCsv(file("bulk-customers.csv"), ["客户编号", "客户名称"], codes.map((code) => [code, `客户${code}`]));
      writeCsv(file("bulk-tickets.csv"), ["工单号", "客户编号", "服务类型", "受理时间"], codes.map((code) => [`GD-${code}`, code, "维修", "2026-04-01 09:00"]));
      await importCustomers(app.dataSource, file("bulk-customers.csv"));
      await importTickets(app.dataSource, file("bulk-tickets.csv"));
      writeCsv(
        file("lookups.csv"),
        ["答卷编号", "客户编号", "工单号", "提交时间", "渠道", "总体满意度"],
        codes.map((code) => [`LOOKUP-${code}`, code, `GD-${code}`, "2026-04-03 10:00", "短信", "4"]),
      );
      app.statements.length = 0;
      const summary = await importFeedback(app.dataSource, file("lookups.csv"), { batchSize: 1000 });
      expect(summary).toMatchObject({ inserted: 2_500, rejected: 0 });
      const selectsFrom = (table: string) =>
        app.statements.filter((sql) => new RegExp(`^SELECT .* FROM [\`"]${table}[\`"] WHERE`).test(sql)).length;
      expect(selectsFrom("customer")).toBe(3);
      expect(selectsFrom("service_ticket")).toBe(3);
      // Whatever the import hook does, it works per batch too: far fewer statements than rows.
      expect(app.statements.length).toBeLessThan(100);
    });

    it("writes every column the imported tables require (a bulk insert must never lean on defaults)", () => {
      for (const [entity, columns] of [
        [Feedback, FEEDBACK_COLUMNS],
        [Customer, CUSTOMER_COLUMNS],
        [ServiceTicket, TICKET_COLUMNS],
      ] as const) {
        const required = app.dataSource
          .getMetadata(entity)
          .columns.filter((c) => !c.isNullable && !c.isGenerated && c.default === undefined && !c.isCreateDate)
          .map((c) => c.propertyName);
        expect(required.length).toBeGreaterThan(0);
        expect(required.filter((name) => !(columns as readonly string[]).includes(name))).toEqual([]);
      }
    });

    it("shows imported feedback through the API like any other", async () => {
      const data = await world.quality.client.request<{
        feedbacks: { totalCount: number; nodes: { source: string; customer: { code: string }; scores: { dimension: string }[] }[] };
      }>(gql`
        query {
          feedbacks(first: 100, filter: { source: IMPORT }) {
            totalCount
            nodes {
              source
              customer {
                code
              }
              scores {
                dimension
              }
            }
          }
        }
      `);
      expect(data.feedbacks.totalCount).toBe(await app.dataSource.getRepository(Feedback).count());
      expect(data.feedbacks.nodes.every((f) => f.source === "IMPORT" && f.customer.code && f.scores.length > 0)).toBe(true);
    });
  });

  it("ships an example mapping that is the default one", () => {
    expect(loadMapping(path.join(__dirname, "../../examples/import/mapping.zh-CN.json"))).toEqual(DEFAULT_MAPPING);
  });
});

/** GB18030 bytes of Chinese text, by inverting Node's decoder over the two-byte range. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder("gb18030");
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(hi, lo));
      if (!table.has(char)) table.set(char, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else bytes.push(...table.get(char)!);
  }
  return Buffer.from(bytes);
}
