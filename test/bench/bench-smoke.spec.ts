import { gql } from "graphql-request";
import { inTransaction } from "../../src/db/transaction";
import { rebuildRollups } from "../../src/service/analytics/rollups";
import type { AnalyticsQuery, SatisfactionAnalysis } from "../../src/service/analytics/types";
import { NESTED_QUERY, seedNested, W2_SHAPE } from "../../bench/lib/nested-seed";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * bench:smoke — the functional half of the benchmark suite (issue 6) on tiny data, never timings:
 * W2's nested list costs the same SQL statements whatever its length, and W4's report figures
 * equal the direct computation over the raw feedback.
 */
describe("bench:smoke", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(new Date("2026-11-20T00:00:00Z"));
    w = await createWorld(app);
  });
  afterAll(() => app?.stop());

  interface NestedIssue {
    causes: { actionItems: unknown[] }[];
    verificationChecks: unknown[];
    evidence: unknown[];
  }

  /** W2's query for the newest `first` issues: its result and the SQL statements it ran. */
  async function nestedList(first: number) {
    app.statements.length = 0;
    const data = (await w.quality.client.request(NESTED_QUERY, { first })) as { issues: { nodes: NestedIssue[] } };
    return { nodes: data.issues.nodes, statements: [...app.statements] };
  }

  it("runs W2's nested list in the same number of SQL statements for 2 and for 10 issues", async () => {
    const refs = { departmentId: Number(w.serviceDept), userId: Number(w.serviceLead.id) };
    await seedNested(app.dataSource, { ...W2_SHAPE, issues: 2 }, refs, "small");
    // The bearer token is looked up once, then cached for a few seconds: warm it up first.
    await nestedList(1);
    const small = await nestedList(2);
    await seedNested(app.dataSource, { ...W2_SHAPE, issues: 8 }, refs, "large");
    const large = await nestedList(10);

    expect(small.nodes).toHaveLength(2);
    expect(large.nodes).toHaveLength(10);
    for (const issue of large.nodes) {
      expect(issue.causes).toHaveLength(W2_SHAPE.causesPerIssue);
      for (const cause of issue.causes) expect(cause.actionItems).toHaveLength(W2_SHAPE.actionsPerCause);
      expect(issue.verificationChecks).toHaveLength(W2_SHAPE.checksPerIssue);
      expect(issue.evidence).toHaveLength(W2_SHAPE.feedbackPerIssue);
    }
    // 10 issues hold 30 causes, 90 action items, 20 checks and 20 feedback: one statement per
    // level (and the page's count) whatever the list sizes.
    expect(large.statements.length).toBe(small.statements.length);
    expect(large.statements.length).toBeLessThanOrEqual(12);
  });

  it("computes W4's monthly report from the rollups with the same figures as the direct computation", async () => {
    const { reference } = app.services;
    const customers = [
      await reference.createCustomer({ name: "客户甲", region: "华东" }),
      await reference.createCustomer({ name: "客户乙", region: "华北" }),
    ];
    const comments = [null, "响应慢，等了很久", "态度差", "响应慢，态度差", null];
    const months = ["2026-10", "2026-09", "2025-10"];
    // 36 feedback over the month, the month before and the same month a year before, with scores
    // cycling through 1–5 so no two dimensions have the same distribution.
    for (let i = 0; i < 36; i++) {
      const input = {
        customerId: String(customers[i % 2].id),
        channel: "PHONE",
        receivedAt: `${months[i % 3]}-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00Z`,
        comment: comments[i % comments.length],
        scores: [
          { dimension: "responsiveness", score: 1 + (i % 5) },
          { dimension: "attitude", score: 1 + ((i * 2) % 5) },
          { dimension: "overall", score: 1 + ((i * 3 + 1) % 5) },
        ],
      };
      await w.agent.client.request(gql`mutation ($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`, {
        input,
      });
    }
    const query: AnalyticsQuery = { period: { month: "2026-10" } };
    const figuresOf = ({ source: _source, ...figures }: SatisfactionAnalysis) => figures;

    const maintained = await app.services.analytics.analyse(query);
    const direct = await app.services.analytics.directAnalyse(query);
    expect(maintained.source).toBe("ROLLUP");
    expect(maintained.responses).toBe(12);
    expect(maintained.previousResponses).toBe(12);
    expect(maintained.yearAgoResponses).toBe(12);
    expect(figuresOf(maintained)).toEqual(figuresOf(direct));

    await inTransaction(app.dataSource, (tx) => rebuildRollups(tx));
    expect(figuresOf(await app.services.analytics.analyse(query))).toEqual(figuresOf(direct));

    const shown = (await w.quality.client.request(
      gql`query ($input: SatisfactionAnalyticsInput!) {
        satisfactionAnalytics(input: $input) { responses index previousIndex yearAgoIndex dimensions { dimension average index } }
      }`,
      { input: { period: { month: "2026-10" } } },
    )) as { satisfactionAnalytics: Pick<SatisfactionAnalysis, "responses" | "index" | "previousIndex" | "yearAgoIndex"> };
    expect(shown.satisfactionAnalytics).toEqual({
      responses: direct.responses,
      index: direct.index,
      previousIndex: direct.previousIndex,
      yearAgoIndex: direct.yearAgoIndex,
      dimensions: direct.dimensions.map(({ dimension, average, index }) => ({ dimension, average, index })),
    });
  });
});
