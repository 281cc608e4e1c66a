import { gql } from "graphql-request";
import { TicketType } from "../../src/common/enums";
import { RollupKeyword, RollupResponse, RollupScore, Setting } from "../../src/entity";
import { inTransaction } from "../../src/db/transaction";
import { rebuildRollups } from "../../src/service/analytics/rollups";
import { AnalyticsQuery, GROUPING_KINDS, SatisfactionAnalysis, SatisfactionTrend } from "../../src/service/analytics/types";
import { createWorld, errorCodeOf, errorsOf, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Satisfaction analytics over a small data set whose every figure is worked out by hand below.
 * Three dimensions are scored: responsiveness (R), attitude (A), overall (O).
 *
 * Customers and tickets:
 *   C1 华东, ticket T0 opened 2026-01-10 and T1 (REPAIR, 售后服务部, 张工, region 华东) opened 2026-10-02
 *      → feedback on T1 is from a RETURNING customer (T0 came before).
 *   C2 华北, ticket T2 (INSTALLATION, 技术部, 李工, no region) opened 2026-10-05 → NEW, region 华北.
 *   C3 华南, no ticket → department/service type/engineer none, region 华南, NEW.
 *
 * Feedback (R, A, O; comment → keyword tags):
 *   October 2026 (the period):
 *     F1 C1/T1 10-03 09:00Z  2, 4, 3  "响应慢，等了很久" → slow_response
 *     F2 C1/T1 10-10         3, 5, 4
 *     F3 C2/T2 10-12         4, 5, 5
 *     F4 C3    10-31 23:30Z  1, 2, 2  "响应慢，态度差"   → slow_response, bad_attitude   (last hour of the month, UTC)
 *     F5 C2/T2 10-20         5, 3, 4  "态度差"           → bad_attitude   — later marked INVALID
 *   F6 C1/T1 11-01 00:00Z  5, 5, 5  — first instant of November: not in October
 *   September 2026 (previous period): P1 C3 09-15 3, 3, 2;  P2 C2 (no ticket) 09-20 2, 4, 4
 *   October 2025 (a year before):     Y1 C3 2025-10-15 4, 4, 4
 *
 * October without F5 (F1–F4):
 *   R 2,3,4,1 → counts(1..5) 1,1,1,1,0  N 4  Σ 10  mean 2.50  index 10/20 = 50.00 D  low(≤3) 3/4  5s 0
 *   A 4,5,5,2 → 0,1,0,1,2               N 4  Σ 16  mean 4.00  index 80.00 B       low 1/4  5s 2/4
 *   O 3,4,5,2 → 0,1,1,1,1               N 4  Σ 14  mean 3.50  index 70.00 C       low 2/4  5s 1/4
 *   overall index Σ 40 / (5 × 12) = 66.67 C; lowest two of three dimensions: R (2.50), O (3.50)
 *   September: R 3,2 → 2.50; A 3,4 → 3.50; O 2,4 → 3.00; index (8 + 10) / 30 = 60.00
 *   MoM: R 0, A +0.50, O +0.50, index 66.67 − 60.00 = +6.67
 *   October 2025: 4, 4, 4 → every mean 4.00, index 80.00; YoY: R −1.50, A 0, O −0.50, index −13.33
 *   keywords: slow_response 2 (2/4 = 0.5), bad_attitude 1 (0.25)
 * With F5 counted (before it is invalidated):
 *   R 1,1,1,1,1 Σ 15 → 3.00 / 60.00; A Σ 19 → 3.80 / 76.00; O Σ 18 → 3.60 / 72.00;
 *   index 52 / 75 = 69.33 C; responses 5; bad_attitude 2 (0.4), slow_response 2 (0.4)
 */

const FIGURES = `
  responses index grade previousIndex indexMomChange yearAgoIndex indexYoyChange previousResponses yearAgoResponses
  lowestDimensions
  keywords { tagCode labelZh labelEn count share }
  dimensions {
    dimension name answers distribution { score count share } average lowShare verySatisfiedShare index grade
    previousAverage momChange yearAgoAverage yoyChange
  }`;

const ANALYTICS = gql`
  query ($input: SatisfactionAnalyticsInput!) {
    satisfactionAnalytics(input: $input) {
      period { kind label from to days }
      previousPeriod { kind label from to days }
      yearAgoPeriod { kind label from to days }
      filter { kind value }
      groupBy
      source
      gradeThresholds { a b c }
      ${FIGURES}
      groups { kind value label ${FIGURES} }
    }
  }
`;

const TREND = gql`
  query ($input: SatisfactionTrendInput!) {
    satisfactionTrend(input: $input) {
      endMonth
      filter { kind value }
      dimensions { dimension name }
      months { month responses index grade dimensions { dimension name answers average index } }
    }
  }
`;

const RECORD = gql`
  mutation ($input: RecordFeedbackInput!) {
    recordFeedback(input: $input) { id version }
  }
`;

const SET_VERIFICATION = gql`
  mutation ($id: ID!, $status: VerificationStatus!, $note: String!) {
    setFeedbackVerification(id: $id, status: $status, note: $note) { id verificationStatus }
  }
`;

const SUPPLEMENT = gql`
  mutation ($id: ID!, $input: SupplementFeedbackInput!) {
    supplementFeedback(id: $id, input: $input) { id verificationStatus }
  }
`;

type Analytics = SatisfactionAnalysis;

const distribution = (...counts: number[]) => {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((count, i) => ({ score: i + 1, count, share: Math.round((count / n) * 10_000) / 10_000 }));
};

describe("satisfaction analytics", () => {
  let app: TestApp;
  let w: World;
  const ids: Record<string, string> = {};

  const analyse = async (input: Record<string, unknown>, as = () => w.quality.client): Promise<Analytics> =>
    ((await as().request(ANALYTICS, { input })) as { satisfactionAnalytics: Analytics }).satisfactionAnalytics;

  /** The analysis from the rollups and, for the same query, by aggregate SQL over the raw feedback. */
  const bothWays = async (query: AnalyticsQuery) => ({
    rollup: await app.services.analytics.analyse(query),
    direct: await app.services.analytics.directAnalyse(query),
  });

  /** Rollup rows as sorted plain data, to compare the maintained rollups with a rebuild. */
  const rollupRows = async () => {
    // A maintained rollup keeps rows whose counts went back to 0 (feedback invalidated); a rebuild
    // has none. Both mean "nothing counted", so rows of zeros are left out of the comparison.
    const read = async (entity: typeof RollupScore | typeof RollupResponse | typeof RollupKeyword, counts: string[]) =>
      ((await app.dataSource.getRepository(entity).find()) as unknown as Record<string, unknown>[])
        .filter((row) => counts.some((count) => row[count] !== 0))
        .map((row) => JSON.stringify(row))
        .sort();
    return {
      scores: await read(RollupScore, ["count1", "count2", "count3", "count4", "count5"]),
      responses: await read(RollupResponse, ["responses"]),
      keywords: await read(RollupKeyword, ["count"]),
    };
  };

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(new Date("2026-11-20T00:00:00Z"));
    w = await createWorld(app);
    const { reference } = app.services;
    const c1 = await reference.createCustomer({ name: "客户甲", region: "华东" });
    const c2 = await reference.createCustomer({ name: "客户乙", region: "华北" });
    const c3 = await reference.createCustomer({ name: "客户丙", region: "华南" });
    const ticket = (code: string, customerId: number, type: TicketType, openedAt: string, extra: object) =>
      reference.createServiceTicket({ code, customerId, type, openedAt: new Date(openedAt), departmentId: null, ...extra });
    await ticket("T0", c1.id, TicketType.REPAIR, "2026-01-10T02:00:00Z", { region: "华东", engineer: "王工" });
    const t1 = await ticket("T1", c1.id, TicketType.REPAIR, "2026-10-02T02:00:00Z", {
      region: "华东",
      engineer: "张工",
      departmentId: Number(w.serviceDept),
    });
    const t2 = await ticket("T2", c2.id, TicketType.INSTALLATION, "2026-10-05T02:00:00Z", {
      engineer: "李工",
      departmentId: Number(w.techDept),
    });
    /** Records feedback `name` with scores r(esponsiveness), a(ttitude), o(verall) over GraphQL. */
    const record = async (
      name: string,
      customerId: number,
      ticketId: number | null,
      at: string,
      [r, a, o]: [number, number, number],
      comment: string | null = null,
    ) => {
      const input = {
        customerId: String(customerId),
        ticketId: ticketId === null ? null : String(ticketId),
        channel: "PHONE",
        receivedAt: at,
        comment,
        scores: [
          { dimension: "responsiveness", score: r },
          { dimension: "attitude", score: a },
          { dimension: "overall", score: o },
        ],
      };
      const result = (await w.agent.client.request(RECORD, { input })) as { recordFeedback: { id: string } };
      ids[name] = result.recordFeedback.id;
    };
    await record("F1", c1.id, t1.id, "2026-10-03T09:00:00Z", [2, 4, 3], "响应慢，等了很久");
    await record("F2", c1.id, t1.id, "2026-10-10T09:00:00Z", [3, 5, 4]);
    await record("F3", c2.id, t2.id, "2026-10-12T09:00:00Z", [4, 5, 5]);
    await record("F4", c3.id, null, "2026-10-31T23:30:00Z", [1, 2, 2], "响应慢，态度差");
    await record("F5", c2.id, t2.id, "2026-10-20T09:00:00Z", [5, 3, 4], "态度差");
    await record("F6", c1.id, t1.id, "2026-11-01T00:00:00Z", [5, 5, 5]);
    await record("P1", c3.id, null, "2026-09-15T09:00:00Z", [3, 3, 2]);
    await record("P2", c2.id, null, "2026-09-20T09:00:00Z", [2, 4, 4]);
    await record("Y1", c3.id, null, "2025-10-15T09:00:00Z", [4, 4, 4]);
  });

  afterAll(async () => {
    await app?.stop();
  });

  // The tests below run in order: the second marks F5 INVALID, and the rest expect it excluded.

  it("counts feedback in the rollups as it is recorded", async () => {
    const october = await analyse({ period: { month: "2026-10" } });
    expect(october.source).toBe("ROLLUP");
    expect(october.responses).toBe(5);
    expect(october.index).toBe(69.33);
    expect(october.dimensions.map((d) => [d.dimension, d.average, d.index])).toEqual([
      ["responsiveness", 3, 60],
      ["attitude", 3.8, 76],
      ["overall", 3.6, 72],
    ]);
    expect(october.keywords.map((k) => [k.tagCode, k.count, k.share])).toEqual([
      ["bad_attitude", 2, 0.4],
      ["slow_response", 2, 0.4],
    ]);
  });

  it("subtracts feedback marked INVALID from the rollups and adds it back when it is restored", async () => {
    await w.quality.client.request(SET_VERIFICATION, { id: ids.F5, status: "INVALID", note: "客户回访：误操作评分" });
    const without = await analyse({ period: { month: "2026-10" } });
    expect([without.responses, without.index]).toEqual([4, 66.67]);
    expect(without.keywords.map((k) => [k.tagCode, k.count])).toEqual([
      ["slow_response", 2],
      ["bad_attitude", 1],
    ]);

    await w.quality.client.request(SET_VERIFICATION, { id: ids.F5, status: "VERIFIED", note: "复核：评分有效" });
    const restored = await analyse({ period: { month: "2026-10" } });
    expect([restored.responses, restored.index]).toEqual([5, 69.33]);
    expect(restored.keywords.find((k) => k.tagCode === "bad_attitude")?.count).toBe(2);

    // TO_VERIFY and VERIFIED both count: moving between them changes nothing.
    await w.quality.client.request(SET_VERIFICATION, { id: ids.F5, status: "TO_VERIFY", note: "再次核实" });
    expect((await analyse({ period: { month: "2026-10" } })).responses).toBe(5);

    await w.quality.client.request(SET_VERIFICATION, { id: ids.F5, status: "INVALID", note: "确认无效" });
    expect((await analyse({ period: { month: "2026-10" } })).responses).toBe(4);
    // Marking it INVALID a second time must not subtract it twice.
    await w.quality.client.request(SET_VERIFICATION, { id: ids.F5, status: "INVALID", note: "再次确认无效" });
    expect((await analyse({ period: { month: "2026-10" } })).responses).toBe(4);
  });

  it("computes every figure of a month from the hand-computed data, leaving out invalid feedback", async () => {
    const october = await analyse({ period: { month: "2026-10" } });
    expect(october).toEqual({
      period: { kind: "MONTH", label: "2026-10", from: "2026-10-01", to: "2026-10-31", days: 31 },
      previousPeriod: { kind: "MONTH", label: "2026-09", from: "2026-09-01", to: "2026-09-30", days: 30 },
      yearAgoPeriod: { kind: "MONTH", label: "2025-10", from: "2025-10-01", to: "2025-10-31", days: 31 },
      filter: null,
      groupBy: null,
      source: "ROLLUP",
      gradeThresholds: { a: 90, b: 75, c: 60 },
      responses: 4,
      index: 66.67,
      grade: "C",
      previousIndex: 60,
      indexMomChange: 6.67,
      yearAgoIndex: 80,
      indexYoyChange: -13.33,
      previousResponses: 2,
      yearAgoResponses: 1,
      lowestDimensions: ["responsiveness", "overall"],
      keywords: [
        { tagCode: "slow_response", labelZh: "响应慢", labelEn: "Slow response", count: 2, share: 0.5 },
        { tagCode: "bad_attitude", labelZh: "态度差", labelEn: "Bad attitude", count: 1, share: 0.25 },
      ],
      dimensions: [
        {
          dimension: "responsiveness",
          name: "响应及时性",
          answers: 4,
          distribution: distribution(1, 1, 1, 1, 0),
          average: 2.5,
          lowShare: 0.75,
          verySatisfiedShare: 0,
          index: 50,
          grade: "D",
          previousAverage: 2.5,
          momChange: 0,
          yearAgoAverage: 4,
          yoyChange: -1.5,
        },
        {
          dimension: "attitude",
          name: "服务态度",
          answers: 4,
          distribution: distribution(0, 1, 0, 1, 2),
          average: 4,
          lowShare: 0.25,
          verySatisfiedShare: 0.5,
          index: 80,
          grade: "B",
          previousAverage: 3.5,
          momChange: 0.5,
          yearAgoAverage: 4,
          yoyChange: 0,
        },
        {
          dimension: "overall",
          name: "总体满意度",
          answers: 4,
          distribution: distribution(0, 1, 1, 1, 1),
          average: 3.5,
          lowShare: 0.5,
          verySatisfiedShare: 0.25,
          index: 70,
          grade: "C",
          previousAverage: 3,
          momChange: 0.5,
          yearAgoAverage: 4,
          yoyChange: -0.5,
        },
      ],
      groups: [],
    });
  });

  it("groups by region, customer type and department, with each group's own MoM", async () => {
    // 华东 F1, F2: R 2,3 → 2.50; A 4,5 → 4.50; O 3,4 → 3.50; index 21/30 = 70.00 C; no September feedback.
    // 华北 F3 (ticket without region → the customer's): 4,5,5 → 14/15 = 93.33 A; September P2 (2,4,4) → 66.67.
    // 华南 F4: 1,2,2 → 5/15 = 33.33 D; September P1 (3,3,2) → 53.33, MoM −20.00; October 2025 Y1 → 80.00.
    const byRegion = await analyse({ period: { month: "2026-10" }, groupBy: "REGION" });
    expect(byRegion.groupBy).toBe("REGION");
    expect(byRegion.responses).toBe(4);
    expect(byRegion.index).toBe(66.67);
    const summary = (g: Analytics["groups"][number]) =>
      [g.value, g.label, g.responses, g.index, g.grade, g.previousIndex, g.indexMomChange, g.yearAgoIndex];
    expect(byRegion.groups.map(summary)).toEqual([
      ["华东", "华东", 2, 70, "C", null, null, null],
      ["华北", "华北", 1, 93.33, "A", 66.67, 26.66, null],
      ["华南", "华南", 1, 33.33, "D", 53.33, -20, 80],
    ]);
    const east = byRegion.groups[0];
    expect(east.dimensions.map((d) => [d.dimension, d.average, d.momChange])).toEqual([
      ["responsiveness", 2.5, null],
      ["attitude", 4.5, null],
      ["overall", 3.5, null],
    ]);
    expect(east.keywords.map((k) => [k.tagCode, k.count, k.share])).toEqual([["slow_response", 1, 0.5]]);

    // RETURNING: F1, F2 (C1 had T0 before T1) → 70.00; NEW: F3, F4 → (14 + 5)/30 = 63.33.
    const byCustomer = await analyse({ period: { month: "2026-10" }, groupBy: "CUSTOMER_TYPE" });
    expect(byCustomer.groups.map((g) => [g.value, g.label, g.responses, g.index])).toEqual([
      ["NEW", "新客户", 2, 63.33],
      ["RETURNING", "老客户", 2, 70],
    ]);

    // 售后服务部 F1, F2; 技术部 F3; F4 has no ticket: no department (未知).
    const byDepartment = await analyse({ period: { month: "2026-10" }, groupBy: "DEPARTMENT" });
    expect(byDepartment.groups.map((g) => [g.value, g.label, g.responses, g.index])).toEqual([
      [w.serviceDept, "售后服务部", 2, 70],
      [w.techDept, "技术部", 1, 93.33],
      [null, "未知", 1, 33.33],
    ]);

    const byType = await analyse({ period: { month: "2026-10" }, groupBy: "SERVICE_TYPE" });
    expect(byType.groups.map((g) => [g.value, g.label, g.responses])).toEqual([
      ["REPAIR", "维修", 2],
      ["INSTALLATION", "安装", 1],
      [null, "未知", 1],
    ]);
  });

  it("filters to one segment value, and computes a filter with a grouping directly", async () => {
    // Department 售后服务部: F1, F2 only; September's feedback had no ticket, so no MoM.
    const service = await analyse({ period: { month: "2026-10" }, filter: { department: w.serviceDept } });
    expect(service.filter).toEqual({ kind: "DEPARTMENT", value: w.serviceDept });
    expect(service.source).toBe("ROLLUP");
    expect([service.responses, service.index, service.grade, service.previousIndex, service.indexMomChange]).toEqual([
      2, 70, "C", null, null,
    ]);
    expect(service.dimensions[0]).toMatchObject({
      dimension: "responsiveness",
      distribution: distribution(0, 1, 1, 0, 0),
      lowShare: 1,
    });

    // NEW customers by engineer: F3 (李工, 14/15) and F4 (no ticket, 5/15).
    const grouped = await analyse({ period: { month: "2026-10" }, filter: { customerType: "NEW" }, groupBy: "ENGINEER" });
    expect(grouped.source).toBe("DIRECT");
    expect([grouped.responses, grouped.index]).toEqual([2, 63.33]);
    expect(grouped.groups.map((g) => [g.value, g.label, g.responses, g.index])).toEqual([
      ["李工", "李工", 1, 93.33],
      [null, "未知", 1, 33.33],
    ]);
  });

  it("resolves weeks, quarters and custom days with their previous and year-ago periods", async () => {
    // 2026-W44 is Mon 26 Oct – Sun 1 Nov: F4 (31 Oct 23:30Z) and F6 (1 Nov 00:00Z).
    const week = await analyse({ period: { week: "2026-W44" } });
    expect(week.period).toEqual({ kind: "WEEK", label: "2026-W44", from: "2026-10-26", to: "2026-11-01", days: 7 });
    expect(week.previousPeriod).toMatchObject({ label: "2026-W43", from: "2026-10-19", to: "2026-10-25" });
    expect(week.yearAgoPeriod).toMatchObject({ label: "2025-W44", from: "2025-10-27", to: "2025-11-02" });
    // F4 1,2,2 + F6 5,5,5 → Σ 20 / 30 = 66.67; W43 had only F5, which is invalid.
    expect([week.responses, week.index, week.previousResponses, week.previousIndex]).toEqual([2, 66.67, 0, null]);

    // Q4 2026 so far: October's four + F6 → Σ 40 + 15 = 55 / 75 = 73.33; Q3: September's two → 60.00.
    const quarter = await analyse({ period: { quarter: "2026-Q4" } });
    expect(quarter.period).toMatchObject({ label: "2026-Q4", from: "2026-10-01", to: "2026-12-31", days: 92 });
    expect(quarter.previousPeriod).toMatchObject({ label: "2026-Q3", from: "2026-07-01", to: "2026-09-30" });
    expect([quarter.responses, quarter.index, quarter.previousIndex, quarter.indexMomChange]).toEqual([5, 73.33, 60, 13.33]);

    // 10 days 2026-10-01..10-10: F1, F2 → 70.00; the 10 days before (09-21..09-30) have no feedback.
    const custom = await analyse({ period: { from: "2026-10-01", to: "2026-10-10" } });
    expect(custom.period).toEqual({
      kind: "CUSTOM",
      label: "2026-10-01..2026-10-10",
      from: "2026-10-01",
      to: "2026-10-10",
      days: 10,
    });
    expect(custom.previousPeriod).toMatchObject({ from: "2026-09-21", to: "2026-09-30", days: 10 });
    expect(custom.yearAgoPeriod).toMatchObject({ from: "2025-10-01", to: "2025-10-10" });
    expect([custom.responses, custom.index, custom.previousResponses]).toEqual([2, 70, 0]);
  });

  it("gives a 12-month trend per dimension and month", async () => {
    const result = (await w.manager.client.request(TREND, { input: { endMonth: "2026-11" } })) as {
      satisfactionTrend: {
        endMonth: string;
        dimensions: { dimension: string }[];
        months: (Omit<SatisfactionTrend["months"][number], "dimensions"> & {
          dimensions: Omit<SatisfactionTrend["months"][number]["dimensions"][number], "name">[];
        })[];
      };
    };
    const trend = result.satisfactionTrend;
    expect(trend.endMonth).toBe("2026-11");
    expect(trend.dimensions.map((d) => d.dimension)).toEqual(["responsiveness", "attitude", "overall"]);
    expect(trend.months.map((m) => m.month)).toEqual([
      "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
      "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ]);
    const byMonth = new Map(trend.months.map((m) => [m.month, m]));
    expect(byMonth.get("2026-01")).toEqual({
      month: "2026-01",
      responses: 0,
      index: null,
      grade: null,
      dimensions: ["responsiveness", "attitude", "overall"].map((dimension, i) => ({
        dimension,
        name: ["响应及时性", "服务态度", "总体满意度"][i],
        answers: 0,
        average: null,
        index: null,
      })),
    });
    expect(byMonth.get("2026-09")).toMatchObject({ responses: 2, index: 60, grade: "C" });
    expect(byMonth.get("2026-09")!.dimensions.map((d) => d.average)).toEqual([2.5, 3.5, 3]);
    expect(byMonth.get("2026-10")).toMatchObject({ responses: 4, index: 66.67, grade: "C" });
    expect(byMonth.get("2026-10")!.dimensions.map((d) => [d.answers, d.average, d.index])).toEqual([
      [4, 2.5, 50],
      [4, 4, 80],
      [4, 3.5, 70],
    ]);
    // November: F6 5,5,5 → 100.00 A.
    expect(byMonth.get("2026-11")).toMatchObject({ responses: 1, index: 100, grade: "A" });

    // Filtered to 华南: September P1 (3,3,2 → 53.33), October F4 (33.33).
    const southInput = { endMonth: "2026-10", months: 2, filter: { region: "华南" } };
    const south = (await w.quality.client.request(TREND, { input: southInput })) as {
      satisfactionTrend: { filter: unknown; months: { month: string; index: number | null }[] };
    };
    expect(south.satisfactionTrend.filter).toEqual({ kind: "REGION", value: "华南" });
    expect(south.satisfactionTrend.months).toEqual([
      expect.objectContaining({ month: "2026-09", index: 53.33 }),
      expect.objectContaining({ month: "2026-10", index: 33.33 }),
    ]);
  });

  it("grades with the thresholds of the analytics settings", async () => {
    // 66.67 is C with the defaults (A 90, B 75, C 60); with B lowered to 65 it is B.
    await app.dataSource.getRepository(Setting).save({ key: "analytics", value: { gradeB: 65 } } as never);
    try {
      const october = await analyse({ period: { month: "2026-10" } });
      expect(october.gradeThresholds).toEqual({ a: 90, b: 65, c: 60 });
      expect(october.grade).toBe("B");
      expect(october.dimensions.map((d) => d.grade)).toEqual(["D", "B", "B"]);
    } finally {
      await app.dataSource.getRepository(Setting).delete({ key: "analytics" });
    }
  });

  it("counts a call-back supplement's new score and keyword tags", async () => {
    // F3 gets a comment (工程师迟到了 → late_arrival) and a resolution score of 4.
    await w.agent.client.request(SUPPLEMENT, {
      id: ids.F3,
      input: { note: "回访客户补充", comment: "工程师迟到了", scores: [{ dimension: "resolution", score: 4 }] },
    });
    const october = await analyse({ period: { month: "2026-10" } });
    // Σ 40 + 4 = 44 over 13 scores: 44/65 = 67.69; responses unchanged.
    expect([october.responses, october.index]).toEqual([4, 67.69]);
    expect(october.dimensions.find((d) => d.dimension === "resolution")).toMatchObject({ answers: 1, average: 4, index: 80 });
    expect(october.keywords.map((k) => [k.tagCode, k.count])).toEqual([
      ["slow_response", 2],
      ["bad_attitude", 1],
      ["late_arrival", 1],
    ]);
  });

  it("keeps the rollups equal to a rebuild and to the direct computation", async () => {
    const maintained = await rollupRows();
    await inTransaction(app.dataSource, (tx) => rebuildRollups(tx));
    expect(await rollupRows()).toEqual(maintained);

    const queries: AnalyticsQuery[] = [
      { period: { month: "2026-10" } },
      { period: { month: "2026-09" } },
      { period: { quarter: "2026-Q4" } },
      { period: { week: "2026-W44" } },
      { period: { from: "2025-10-01", to: "2026-11-30" } },
      { period: { month: "2026-10" }, filter: { region: "华东" } },
      { period: { month: "2026-10" }, filter: { serviceType: "REPAIR" } },
      ...GROUPING_KINDS.map((groupBy) => ({
        period: { month: "2026-10" },
        groupBy,
      })),
    ];
    for (const query of queries) {
      const { rollup, direct } = await bothWays(query);
      expect({ ...rollup, source: "-" }).toEqual({ ...direct, source: "-" });
    }
  });

  it("refuses bad input naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ period: {} }, "input.period"],
      [{ period: { month: "2026-10", week: "2026-W44" } }, "input.period"],
      [{ period: { month: "2026-13" } }, "input.period.month"],
      [{ period: { month: "October" } }, "input.period.month"],
      [{ period: { week: "2026-W54" } }, "input.period.week"],
      [{ period: { week: "2025-W53" } }, "input.period.week"],
      [{ period: { quarter: "2026-Q5" } }, "input.period.quarter"],
      [{ period: { from: "2026-10-01" } }, "input.period.to"],
      [{ period: { from: "2026-02-30", to: "2026-03-01" } }, "input.period.from"],
      [{ period: { from: "2026-10-02", to: "2026-10-01" } }, "input.period.to"],
      [{ period: { from: "2020-01-01", to: "2026-10-01" } }, "input.period.to"],
      [{ period: { month: "2026-10" }, filter: {} }, "input.filter"],
      [{ period: { month: "2026-10" }, filter: { region: "华东", engineer: "张工" } }, "input.filter"],
      [{ period: { month: "2026-10" }, filter: { department: "abc" } }, "input.filter.department"],
      [{ period: { month: "2026-10" }, filter: { region: "华东" }, groupBy: "REGION" }, "input.groupBy"],
    ];
    for (const [input, field] of cases) {
      const [error] = await errorsOf(analyse(input));
      expect([input, error.extensions?.code, error.extensions?.field]).toEqual([input, "BAD_USER_INPUT", field]);
    }
    const trendErrors = await errorsOf(w.quality.client.request(TREND, { input: { endMonth: "2026-1" } }));
    expect(trendErrors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.endMonth" });
    const tooLong = await errorsOf(w.quality.client.request(TREND, { input: { endMonth: "2026-10", months: 37 } }));
    expect(tooLong[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("lets quality, managers, admins and (for their department) leads read analytics, not agents or anonymous callers", async () => {
    const input = { period: { month: "2026-10" } };
    for (const person of [w.quality, w.manager, w.admin]) {
      expect((await analyse(input, () => person.client)).responses).toBe(4);
    }
    // Issue 5 policy: a department lead reads their own department's figures only.
    const own = await analyse({ ...input, filter: { department: w.serviceDept } });
    expect((await analyse(input, () => w.serviceLead.client)).responses).toBe(own.responses);
    const [other] = await errorsOf(analyse({ ...input, filter: { department: w.techDept } }, () => w.serviceLead.client));
    expect(other.extensions).toMatchObject({ code: "FORBIDDEN", field: "input.filter" });
    expect(await errorCodeOf(analyse(input, () => w.agent.client))).toBe("FORBIDDEN");
    expect(await errorCodeOf(analyse(input, () => app.client()))).toBe("UNAUTHENTICATED");
  });
});
