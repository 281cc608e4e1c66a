import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildCli } from "../../src/cli/main";
import { CauseCategory, Channel, IssueKind } from "../../src/common/enums";
import { ActionItem, Cause, Issue } from "../../src/entity";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";
import { parseMarkup, select, textOf, texts, within } from "./markup";

/**
 * The report documents over HTTP (and once through the CLI) on a small data set whose figures are
 * worked out by hand, generated on Monday 2026-11-02 01:00 UTC.
 *
 * Feedback in October 2026 (responsiveness R, attitude A, overall O; comment → keyword tags):
 *   F1 10-03  2, 4, 3  "响应慢，等了很久" → slow_response
 *   F2 10-10  3, 5, 4
 *   F3 10-12  4, 5, 5
 *   F4 10-31  1, 2, 2  "响应慢，态度差"   → slow_response, bad_attitude
 *   R 2,3,4,1: counts of 1..5 = 1,1,1,1,0; Σ 10 / (5 × 4) → index 50.00, mean 2.50, grade D
 *   A 4,5,5,2: Σ 16 → 80.00, mean 4.00, B;   O 3,4,5,2: Σ 14 → 70.00, mean 3.50, C
 *   overall index Σ 40 / (5 × 12) = 66.67 (C); 4 responses; no September data → MoM "—"
 *   keywords: slow_response 2, bad_attitude 1 → Pareto cumulative 2/3 = 66.7 %, 3/3 = 100.0 %
 *
 * Issue I1 (analysing, urgent + important, opened 10-20), title with markup to prove escaping,
 * its fishbone: 法 "夜间派单需等次日早会" (confirmed) ← "派单规则未覆盖夜间" (hypothesis); 人 "夜班工程师不足"
 * (refuted). Action A1 on I1: in progress, planned 10-20 … 11-10 (22 days), progress 20 %.
 * The monthly review judges it at the month's end: 12 of 22 planned days elapsed by 10-31 =
 * 54.5 % → at risk, since 20 < 54.5 − 10 (tolerance); the expected-progress marker is at 55 %.
 */

const HOSTILE_TITLE = `<script>alert("x")</script> 响应慢 & "夜间"`;

describe("report documents", () => {
  let app: TestApp;
  let w: World;
  let base: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    base = app.url.replace(/\/graphql$/, "");
    const agent = { id: Number(w.agent.id), roles: ["AGENT" as const], departmentId: Number(w.serviceDept) };
    const customer = await app.services.reference.createCustomer({ name: "客户甲（不应出现在报告中）", region: "华东" });
    const record = async (at: string, r: number, a: number, o: number, comment: string | null) => {
      app.clock.set(new Date(at));
      await app.services.feedback.recordFeedback(agent, {
        customerId: customer.id,
        ticketId: null,
        templateId: null,
        channel: Channel.PHONE,
        comment,
        receivedAt: new Date(at),
        scores: [
          { dimension: "responsiveness", score: r },
          { dimension: "attitude", score: a },
          { dimension: "overall", score: o },
        ],
      });
    };
    await record("2026-10-03T09:00:00Z", 2, 4, 3, "响应慢，等了很久");
    await record("2026-10-10T09:00:00Z", 3, 5, 4, null);
    await record("2026-10-12T09:00:00Z", 4, 5, 5, null);
    await record("2026-10-31T23:30:00Z", 1, 2, 2, "响应慢，态度差");

    const issues = app.dataSource.getRepository(Issue);
    const issue = await issues.save(
      issues.create({
        kind: IssueKind.SYSTEMIC,
        title: HOSTILE_TITLE,
        description: "",
        urgent: true,
        important: true,
        state: "analyzing",
        departmentId: Number(w.serviceDept),
        createdById: Number(w.quality.id),
        createdAt: new Date("2026-10-20T02:00:00Z"),
      }),
    );
    const causes = app.dataSource.getRepository(Cause);
    const cause = (category: CauseCategory, text: string, state: string, parentId: number | null = null) =>
      causes.save(causes.create({ issueId: issue.id, category, text, state, parentId, createdById: Number(w.quality.id) }));
    const dispatch = await cause(CauseCategory.METHOD, "夜间派单需等次日早会", "confirmed");
    await cause(CauseCategory.METHOD, "派单规则未覆盖夜间", "hypothesis", dispatch.id);
    await cause(CauseCategory.MAN, "夜班工程师不足", "refuted");
    const actions = app.dataSource.getRepository(ActionItem);
    await actions.save(
      actions.create({
        issueId: issue.id,
        causeId: dispatch.id,
        cycle: 1,
        description: "建立夜间值班派单机制",
        metric: "夜间响应时长",
        target: 2,
        ownerId: Number(w.serviceLead.id),
        departmentId: Number(w.serviceDept),
        state: "inProgress",
        plannedStart: "2026-10-20",
        plannedEnd: "2026-11-10",
        progress: 20,
      } as Partial<ActionItem>),
    );
    app.clock.set(new Date("2026-11-02T01:00:00Z"));
  });
  afterAll(() => app.stop());

  const get = (pathAndQuery: string, token?: string) =>
    fetch(`${base}${pathAndQuery}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("refuses without a valid token, without a reading role, and with bad parameters", async () => {
    const cases: [string, string | undefined, number, string, string?][] = [
      ["/reports/monthly?period=2026-10", undefined, 401, "UNAUTHENTICATED"],
      ["/reports/monthly?period=2026-10", "not-a-token", 401, "UNAUTHENTICATED"],
      ["/reports/monthly?period=2026-10", w.agent.token, 403, "FORBIDDEN"],
      ["/reports/yearly?period=2026", w.quality.token, 404, "NOT_FOUND"],
      ["/reports/monthly?period=2026-13", w.quality.token, 400, "BAD_USER_INPUT", "period"],
      ["/reports/weekly?period=2026-10", w.quality.token, 400, "BAD_USER_INPUT", "period"],
      ["/reports/weekly", w.quality.token, 400, "BAD_USER_INPUT", "period"],
      ["/reports/monthly?period=2026-10&format=pdf", w.quality.token, 400, "BAD_USER_INPUT", "format"],
      ["/reports/monthly?period=2026-10&lang=fr", w.quality.token, 400, "BAD_USER_INPUT", "lang"],
      ["/reports/monthly?period=2026-10&period=2026-11", w.quality.token, 400, "BAD_USER_INPUT", "period"],
    ];
    for (const [url, token, status, code, field] of cases) {
      const response = await get(url, token);
      expect([url, response.status]).toEqual([url, status]);
      const body = (await response.json()) as { error: { code: string; field?: string } };
      expect([url, body.error.code, body.error.field]).toEqual([url, code, field]);
    }
  });

  it("lets every reading role fetch a report", async () => {
    for (const person of [w.quality, w.manager, w.admin, w.serviceLead]) {
      expect((await get("/reports/weekly?period=2026-W45", person.token)).status).toBe(200);
    }
  });

  describe("the monthly HTML report", () => {
    let html: string;
    let elements: ReturnType<typeof parseMarkup>;

    beforeAll(async () => {
      const response = await get("/reports/monthly?period=2026-10", w.manager.token);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      html = await response.text();
      elements = parseMarkup(html);
    });

    it("is one self-contained, well-formed page in Chinese", () => {
      expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(select(elements, "html")[0].attributes.lang).toBe("zh-CN");
      expect(textOf(select(elements, "h1")[0])).toBe("月度评审报告 2026-10");
      // Nothing is fetched: no script, no external stylesheet, image or link target.
      expect(select(elements, "script")).toHaveLength(0);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(select(elements, "link").map((link) => link.attributes.href)).toEqual(["data:,"]);
    });

    it("shows the month's figures in the summary and the dimension table", () => {
      const cards = select(elements, "div", { class: "card tone-neutral" })
        .concat(select(elements, "div", { class: "card tone-warn" }))
        .concat(select(elements, "div", { class: "card tone-good" }))
        .concat(select(elements, "div", { class: "card tone-bad" }))
        .map((card) => textOf(card));
      expect(cards).toContain("有效评价数4环比 +4");
      expect(cards.find((card) => card.startsWith("满意度指数"))).toBe("满意度指数66.67等级 C · 环比 — · 同比 —");
      const table = select(elements, "table")[0];
      const rows = select(within(elements, table), "tr").slice(1).map((row) => select(within(elements, row), "td").map(textOf));
      expect(rows).toEqual([
        ["响应及时性", "4", "2.50", "50.00", "D", "75.0%", "0.0%", "—", "—"],
        ["服务态度", "4", "4.00", "80.00", "B", "25.0%", "50.0%", "—", "—"],
        ["总体满意度", "4", "3.50", "70.00", "C", "50.0%", "25.0%", "—", "—"],
      ]);
    });

    it("draws the distribution, trend and keyword Pareto from the same figures", () => {
      const bars = select(elements, "g", { class: "bar", "data-series": "响应及时性" });
      expect(bars.map((bar) => bar.attributes["data-count"])).toEqual(["1", "1", "1", "1", "0"]);
      expect(bars.map((bar) => bar.attributes["data-share"])).toEqual(["25.0", "25.0", "25.0", "25.0", "0.0"]);
      const october = select(elements, "circle", { class: "point", "data-period": "2026-10" });
      expect(october.map((point) => [point.attributes["data-series"], point.attributes["data-value"]])).toEqual([
        ["响应及时性", "2.50"],
        ["服务态度", "4.00"],
        ["总体满意度", "3.50"],
        ["满意度指数", "66.67"],
      ]);
      // 12 months on the x axis, only October has data.
      expect(select(elements, "text", { class: "x-label" }).map(textOf).slice(0, 12)).toEqual([
        "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
      ]);
      const keywordChart = select(elements, "svg", { "aria-label": "问题关键词帕累托图" })[0];
      expect(
        select(within(elements, keywordChart), "circle", { class: "cumulative-point" }).map((point) => [
          point.attributes["data-label"],
          point.attributes["data-cumulative"],
        ]),
      ).toEqual([
        ["响应慢", "66.7"],
        ["态度差", "100.0"],
      ]);
    });

    it("places the open issue in its quadrant and draws its fishbone, escaped", () => {
      expect(html).not.toContain("<script>alert");
      const cell = select(elements, "g", { class: "quadrant", "data-quadrant": "URGENT_IMPORTANT" })[0];
      expect(cell.attributes["data-count"]).toBe("1");
      const fishbone = select(elements, "svg", { "data-chart": "fishbone" });
      expect(fishbone).toHaveLength(1);
      const inside = within(elements, fishbone[0]);
      expect(textOf(select(inside, "g", { class: "effect" })[0])).toContain('<script>alert("x")</script>');
      expect(select(inside, "g", { class: "cause" }).map((cause) => [cause.attributes["data-category"], cause.attributes["data-depth"], cause.attributes["data-state"]])).toEqual([
        ["MAN", "0", "refuted"],
        ["METHOD", "0", "confirmed"],
        ["METHOD", "1", "hypothesis"],
      ]);
    });

    it("shows the action behind plan as at risk, with the expected progress marker", () => {
      const row = select(elements, "g", { class: "progress-row" })[0];
      expect([row.attributes["data-progress"], row.attributes["data-expected"], row.attributes["data-status"]]).toEqual(["20", "55", "atRisk"]);
      expect(texts(within(elements, row))).toContain("滞后");
    });

    it("never shows the customer's name", () => {
      expect(html).not.toContain("客户甲");
    });
  });

  it("writes the monthly report as Markdown in English", async () => {
    const response = await get("/reports/monthly?period=2026-10&format=md&lang=en", w.quality.token);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const md = await response.text();
    expect(md.startsWith("# Monthly review 2026-10\n")).toBe(true);
    expect(md).toContain("| Responsiveness | 4 | 2.50 | 50.00 | D | 75.0% | 0.0% | — | — |");
    expect(md).toContain("| Slow response | 2 | 66.7% |");
    // The title's markup is escaped, not interpreted.
    expect(md).toContain('\\<script\\>alert("x")\\</script\\> 响应慢 \\& "夜间"');
    expect(md).toContain("- Method 法");
    expect(md).toContain("  - 夜间派单需等次日早会 (Confirmed)");
    expect(md).toContain("    - 派单规则未覆盖夜间 (Hypothesis)");
    expect(md).not.toContain("<svg");
  });

  it("writes the weekly meeting pack with the action tracker of template 3", async () => {
    const response = await get("/reports/weekly?period=2026-W45&lang=en", w.quality.token);
    const html = await response.text();
    const elements = parseMarkup(html);
    expect(textOf(select(elements, "h1")[0])).toBe("Weekly progress review 2026-W45");
    const tracker = select(elements, "section", { id: "tracker" })[0];
    const table = select(within(elements, tracker), "table")[0];
    expect(select(within(elements, table), "th").map(textOf)).toEqual([
      "Issue", "Measure", "Department", "Owner", "Planned start", "Planned end", "Progress %", "Blockers reported", "Adjustment", "Next step", "State",
    ]);
    const cells = select(within(elements, select(within(elements, table), "tr")[1]), "td").map(textOf);
    expect(cells.slice(1, 7)).toEqual(["建立夜间值班派单机制", "售后服务部", "ServiceLead", "2026-10-20", "2026-11-10", "20"]);
    expect(select(elements, "svg", { "data-chart": "quadrant" })).toHaveLength(1);
  });

  it("writes a report file from the command line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-report-"));
    const file = path.join(dir, "monthly.md");
    const options = app.dataSource.options as { type: string; database?: string; url?: string };
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = options.type === "better-sqlite3" ? `sqlite:${options.database}` : options.url;
    try {
      await buildCli()
        .exitOverride()
        .parseAsync(["node", "qloop", "report", "monthly", "--period", "2026-10", "--format", "md", "--out", file]);
    } finally {
      process.env.DATABASE_URL = previous;
    }
    const md = fs.readFileSync(file, "utf8");
    expect(md).toContain("# 月度评审报告 2026-10");
    expect(md).toContain("| 响应及时性 | 4 | 2.50 | 50.00 | D | 75.0% | 0.0% |");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
