import { gql } from "graphql-request";
import { CauseCategory, IssueKind, MetricDirection, TicketType, WorkflowEntity } from "../../src/common/enums";
import { ActionItem, Cause, Issue, Setting, TransitionLog, VerificationCheck } from "../../src/entity";
import { createWorld, errorCodeOf, startTestApp, TestApp, World } from "../support/test-app";

/**
 * The monthly review of 2026-10, generated on 2026-11-05 10:00 UTC, over a small data set: four
 * feedback records through the API (one then marked INVALID), and issues, action items,
 * verification checks and transition-log rows written straight to the tables. Every expected
 * figure is worked out by hand in the comments.
 */

const MONTHLY = gql`
  query ($month: String!) {
    monthlyReview(month: $month) {
      period { label from to }
      satisfaction { responses index groups { value index responses } }
      trend { endMonth months { month responses } }
      newIssues
      newIssuesByQuadrant { quadrant count }
      newIssuesByCategory { category count }
      closedIssues
      byDepartment { departmentName issues { state count } actions { state count } }
      verifications { verificationCheckId metric baseline result improvement threshold verdict }
      returnedToAnalysis { issueId event reason }
      scorecards {
        departmentName satisfactionIndex responses actionsDue actionsDoneOnTime planCompletionRate
        overdueCount overdueScore score
      }
      caseLibraryProposals { issueId measures verifications { verificationCheckId baseline result } causes { text } }
    }
  }
`;

describe("monthly review", () => {
  let app: TestApp;
  let w: World;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    app.clock.set(new Date("2026-11-05T10:00:00.000Z"));
    const service = Number(w.serviceDept);
    const tech = Number(w.techDept);
    const creator = Number(w.quality.id);

    // Feedback: two records on a service-department ticket, one (then two, one invalid) on a
    // technical-department ticket.
    const { reference } = app.services;
    const customer = await reference.createCustomer({ name: "客户甲", region: "华东" });
    const ticket = (code: string, departmentId: number) =>
      reference.createServiceTicket({ code, customerId: customer.id, type: TicketType.REPAIR, openedAt: new Date("2026-10-01T02:00:00Z"), departmentId });
    const ts = await ticket("TS", service);
    const tt = await ticket("TT", tech);
    const record = async (ticketId: number, at: string, r: number, a: number, o: number) => {
      const input = {
        customerId: String(customer.id), ticketId: String(ticketId), channel: "PHONE", receivedAt: at,
        scores: [{ dimension: "responsiveness", score: r }, { dimension: "attitude", score: a }, { dimension: "overall", score: o }],
      };
      const result = await w.agent.client.request<{ recordFeedback: { id: string } }>(
        gql`mutation ($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`, { input });
      return result.recordFeedback.id;
    };
    await record(ts.id, "2026-10-03T09:00:00Z", 2, 4, 3);
    await record(ts.id, "2026-10-10T09:00:00Z", 3, 5, 4);
    await record(tt.id, "2026-10-12T09:00:00Z", 4, 4, 4);
    const invalid = await record(tt.id, "2026-10-20T09:00:00Z", 1, 1, 1);
    await w.quality.client.request(
      gql`mutation ($id: ID!) { setFeedbackVerification(id: $id, status: INVALID, note: "测试数据") { id } }`, { id: invalid });

    const issues = app.dataSource.getRepository(Issue);
    const issue = async (key: string, row: Partial<Issue>) => {
      ids[key] = (await issues.save(issues.create({ kind: IssueKind.SYSTEMIC, title: key, description: key, createdById: creator, departmentId: service, ...row }))).id;
    };
    // October: P, Q, R opened; O from September; P and R closed in October, Z closed in November.
    await issue("P", { departmentId: tech, urgent: true, important: true, category: "响应慢", state: "closed", cycle: 2, createdAt: new Date("2026-10-02T08:00:00Z"), closedAt: new Date("2026-10-25T08:00:00Z") });
    await issue("Q", { important: true, category: "响应慢", state: "analyzing", createdAt: new Date("2026-10-06T08:00:00Z") });
    await issue("R", { category: "态度差", state: "closed", createdAt: new Date("2026-10-07T08:00:00Z"), closedAt: new Date("2026-10-20T08:00:00Z") });
    await issue("O", { state: "inProgress", createdAt: new Date("2026-09-10T08:00:00Z") });
    await issue("Z", { state: "closed", createdAt: new Date("2026-09-01T08:00:00Z"), closedAt: new Date("2026-11-01T08:00:00Z") });
    const causes = app.dataSource.getRepository(Cause);
    const cause = await causes.save(causes.create({ issueId: ids.P, category: CauseCategory.MACHINE, text: "派单系统延迟", state: "confirmed", createdById: creator }));

    const actions = app.dataSource.getRepository(ActionItem);
    const action = async (key: string, row: Partial<ActionItem>) => {
      ids[key] = (await actions.save(actions.create({
        issueId: ids.O, causeId: cause.id, cycle: 1, description: `${key} 措施`, metric: "m", target: 1, ownerId: Number(w.engineer.id),
        departmentId: service, plannedStart: "2026-09-01", progress: 0, ...row,
      } as Partial<ActionItem>))).id;
    };
    await action("S1", { state: "done", plannedEnd: "2026-10-10", actualEnd: "2026-10-09", progress: 100 });
    await action("S2", { state: "done", plannedEnd: "2026-10-20", actualEnd: "2026-10-25", progress: 100 });
    await action("S3", { state: "inProgress", plannedEnd: "2026-10-28", progress: 50 });
    await action("S4", { state: "done", plannedEnd: "2026-09-30", actualEnd: "2026-11-02", progress: 100 });
    await action("S5", { state: "cancelled", plannedEnd: "2026-10-15" });
    await action("S6", { state: "inProgress", plannedEnd: "2026-11-20", progress: 10 });
    await action("T1", { issueId: ids.P, cycle: 2, departmentId: tech, state: "done", plannedEnd: "2026-10-05", actualEnd: "2026-10-05", progress: 100 });
    await action("T0", { issueId: ids.P, cycle: 1, departmentId: tech, state: "done", plannedEnd: "2026-09-05", actualEnd: "2026-09-05", progress: 100 });

    const checks = app.dataSource.getRepository(VerificationCheck);
    const check = async (key: string, row: Partial<VerificationCheck>) => {
      ids[key] = (await checks.save(checks.create({
        issueId: ids.P, metric: "响应及时性", dimension: null, direction: MetricDirection.HIGHER_IS_BETTER, threshold: 0.5,
        baseline: 3.2, createdById: creator, ...row,
      }))).id;
    };
    await check("V1", { cycle: 1, state: "failed", result: 3.4, sampleSize: 20, completedAt: new Date("2026-10-08T08:00:00Z") });
    await check("V2", { cycle: 2, state: "passed", result: 4.1, sampleSize: 25, completedAt: new Date("2026-10-22T08:00:00Z") });
    await check("V3", { issueId: ids.Z, cycle: 1, state: "passed", result: 4.5, sampleSize: 25, completedAt: new Date("2026-11-01T07:00:00Z") });
    await check("V4", { issueId: ids.Q, cycle: 1, state: "surveying", result: null });

    const log = app.dataSource.getRepository(TransitionLog);
    const logged = (entityId: number, event: string, fromState: string, at: string, reason: string | null) =>
      log.save(log.create({ entityType: WorkflowEntity.ISSUE, entityId, fromState, toState: "analyzing", event, actorId: creator, reason, createdAt: new Date(at) }));
    await logged(ids.P, "VERIFICATION_FAILED", "verifying", "2026-10-08T08:00:00Z", "improvement 0.2 < 0.5");
    await logged(ids.Q, "REJECT_PLAN", "planApproval", "2026-10-15T08:00:00Z", "预算不足");
    await logged(ids.Q, "REJECT_PLAN", "planApproval", "2026-09-30T23:59:59Z", "九月的");
    await logged(ids.Q, "START_ANALYSIS", "assigned", "2026-10-03T08:00:00Z", null);
  });
  afterAll(() => app.stop());

  const review = async () =>
    (await w.manager.client.request<{ monthlyReview: any }>(MONTHLY, { month: "2026-10" })).monthlyReview;

  it("carries the month's satisfaction analytics and a 12-month trend", async () => {
    const r = await review();
    expect(r.period).toEqual({ label: "2026-10", from: "2026-10-01", to: "2026-10-31" });
    // 3 valid responses (the invalid one excluded); all 9 scores 2+4+3+3+5+4+4+4+4 = 33 → 33/45 = 73.33.
    expect(r.satisfaction.responses).toBe(3);
    expect(r.satisfaction.index).toBe(73.33);
    expect(r.trend.endMonth).toBe("2026-10");
    expect(r.trend.months.map((m: any) => m.month)).toEqual([
      "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
    ]);
    expect(r.trend.months[11].responses).toBe(3);
  });

  it("counts the month's issues by quadrant and category", async () => {
    const r = await review();
    expect(r.newIssues).toBe(3); // P, Q, R
    expect(r.newIssuesByQuadrant.map((q: any) => q.count)).toEqual([1, 1, 0, 1]); // P urgent+important, Q important, R neither
    expect(r.newIssuesByCategory).toEqual([{ category: "响应慢", count: 2 }, { category: "态度差", count: 1 }]);
    expect(r.closedIssues).toBe(2); // P, R (Z closed in November)
  });

  it("reports verification results before → after and issues returned to analysis", async () => {
    const r = await review();
    // V1 3.2 → 3.4 (+0.2 < 0.5: failed), V2 3.2 → 4.1 (+0.9: passed); V3 completed in November.
    expect(r.verifications).toEqual([
      { verificationCheckId: String(ids.V1), metric: "响应及时性", baseline: 3.2, result: 3.4, improvement: 0.2, threshold: 0.5, verdict: "failed" },
      { verificationCheckId: String(ids.V2), metric: "响应及时性", baseline: 3.2, result: 4.1, improvement: 0.9, threshold: 0.5, verdict: "passed" },
    ]);
    // The September rejection and START_ANALYSIS are not returns in October.
    expect(r.returnedToAnalysis).toEqual([
      { issueId: String(ids.P), event: "VERIFICATION_FAILED", reason: "improvement 0.2 < 0.5" },
      { issueId: String(ids.Q), event: "REJECT_PLAN", reason: "预算不足" },
    ]);
  });

  it("proposes closed issues with a passed verification of their last cycle for the case library", async () => {
    const r = await review();
    // P: closed 10-25, cycle 2 passed (V2), measure T1 of cycle 2 (T0 belongs to the failed cycle).
    // R closed without a passed check; Z closed in November.
    expect(r.caseLibraryProposals).toEqual([
      { issueId: String(ids.P), measures: ["T1 措施"], verifications: [{ verificationCheckId: String(ids.V2), baseline: 3.2, result: 4.1 }], causes: [{ text: "派单系统延迟" }] },
    ]);
  });

  it("shows issue and action status by department", async () => {
    const r = await review();
    // Issues existing by 10-31 and not closed before 10-01: P (tech, closed), Q, R, O (service),
    // Z (closed in November, so still open during October). Actions: of O (S1–S6) and P (T0, T1).
    expect(r.byDepartment).toEqual([
      {
        departmentName: "售后服务部",
        issues: [{ state: "analyzing", count: 1 }, { state: "closed", count: 2 }, { state: "inProgress", count: 1 }],
        actions: [{ state: "cancelled", count: 1 }, { state: "done", count: 3 }, { state: "inProgress", count: 2 }],
      },
      { departmentName: "技术部", issues: [{ state: "closed", count: 1 }], actions: [{ state: "done", count: 2 }] },
    ]);
  });

  it("scores departments on satisfaction, plan completion and overdue actions", async () => {
    const r = await review();
    // 售后服务部: satisfaction 2+4+3+3+5+4 = 21 of 30 → 70.00 (2 responses);
    //   due in October: S1 (on time), S2 (done late), S3 (open) → 1/3; S5 cancelled, S6 due later;
    //   overdue at month end: S3 (open) and S4 (due 09-30, done 11-02) → 2 → 100 − 2 × 20 = 60;
    //   score = 0.5 × 70 + 0.3 × 33.33… + 0.2 × 60 = 35 + 10 + 12 = 57.
    // 技术部: satisfaction 4+4+4 = 12 of 15 → 80.00 (the invalid record excluded); due T1 on time → 1;
    //   no overdue → 100; score = 40 + 30 + 20 = 90.
    expect(r.scorecards).toEqual([
      { departmentName: "售后服务部", satisfactionIndex: 70, responses: 2, actionsDue: 3, actionsDoneOnTime: 1, planCompletionRate: 1 / 3, overdueCount: 2, overdueScore: 60, score: 57 },
      { departmentName: "技术部", satisfactionIndex: 80, responses: 1, actionsDue: 1, actionsDoneOnTime: 1, planCompletionRate: 1, overdueCount: 0, overdueScore: 100, score: 90 },
    ]);
  });

  it("weights the scorecard as configured in the review settings", async () => {
    const settings = app.dataSource.getRepository(Setting);
    // Only plan completion and overdue count (satisfaction weight 0), penalty 25 per action.
    await settings.save(settings.create({ key: "review", value: { scorecardWeights: { satisfaction: 0, planCompletion: 1 }, overduePenaltyPerAction: 25 }, updatedById: null }));
    try {
      const r = await review();
      // 售后服务部: (1 × 33.33… + 0.2 × (100 − 2 × 25)) / 1.2 = (33.33… + 10) / 1.2 = 36.11.
      // 技术部: (1 × 100 + 0.2 × 100) / 1.2 = 100.
      expect(r.scorecards.map((s: any) => [s.overdueScore, s.score])).toEqual([[50, 36.11], [100, 100]]);
    } finally {
      await settings.delete({ key: "review" });
    }
  });

  it("refuses a malformed month and readers without a review role", async () => {
    expect(await errorCodeOf(w.manager.client.request(MONTHLY, { month: "2026-13" }))).toBe("BAD_USER_INPUT");
    expect(await errorCodeOf(w.agent.client.request(MONTHLY, { month: "2026-10" }))).toBe("FORBIDDEN");
  });
});
