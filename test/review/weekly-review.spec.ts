import { gql } from "graphql-request";
import { CauseCategory, IssueKind } from "../../src/common/enums";
import { ActionItem, AdjustmentRequest, Cause, Issue, ProgressUpdate, Setting } from "../../src/entity";
import { ComplaintSla } from "../../src/entity/sla/complaint-sla.entity";
import { isoWeekOf, parseIsoWeek } from "../../src/service/review/review-period";
import { createWorld, errorCodeOf, startTestApp, TestApp, World } from "../support/test-app";

/**
 * The weekly review of 2026-W47 (Mon 2026-11-16 … Sun 2026-11-22) over a small data set written
 * straight to the tables, generated on Thursday 2026-11-19 10:00 UTC: the review day is 11-19.
 * Every expected figure below is worked out by hand in the comments.
 */

const WEEKLY = gql`
  query ($week: String!) {
    weeklyReview(week: $week) {
      period { label from to }
      reviewDay
      atRiskTolerancePercent
      newIssues { id title quadrant priority }
      newIssuesByQuadrant { quadrant count }
      openIssues { id state causes { text category state subCauses { text } } }
      openIssuesByQuadrant { quadrant count }
      openIssuesByCategory { category count }
      dueThisWeek { actionItemId }
      overdue { actionItemId daysOverdue }
      atRisk { actionItemId elapsedShare progress }
      pendingPlanApprovals { id }
      pendingAdjustments { adjustmentRequestId actionItemId state proposedPlannedEnd requesterName departmentName }
      blockers { actionItemId blockers nextStep }
      slaBreaches { issueId stage dueAt reachedAt }
      tracker {
        actionItemId measure departmentName ownerName plannedStart plannedEnd progress
        blockers adjustment nextStep state elapsedShare daysOverdue
      }
    }
  }
`;

describe("weekly review", () => {
  let app: TestApp;
  let w: World;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    app.clock.set(new Date("2026-11-19T10:00:00.000Z"));
    const service = Number(w.serviceDept);
    const tech = Number(w.techDept);
    const creator = Number(w.quality.id);
    const issue = async (key: string, row: Partial<Issue>) => {
      const repo = app.dataSource.getRepository(Issue);
      const saved = await repo.save(
        repo.create({ kind: IssueKind.SYSTEMIC, description: key, createdById: creator, departmentId: service, ...row }),
      );
      ids[key] = saved.id;
      return saved.id;
    };
    const at = (iso: string) => new Date(iso);
    // New this week: I1, I2, I4 (Monday 00:00, the first instant), I6. I3 and I7 are older, I5 is
    // one second before the week.
    await issue("I1", { title: "I1 响应慢", urgent: true, important: true, category: "响应慢", state: "analyzing", createdAt: at("2026-11-17T09:00:00Z") });
    await issue("I2", { title: "I2", urgent: false, important: true, category: "响应慢", state: "planApproval", departmentId: tech, createdAt: at("2026-11-18T09:00:00Z") });
    await issue("I3", { title: "I3", category: null, state: "inProgress", createdAt: at("2026-11-10T09:00:00Z") });
    await issue("I4", { title: "I4", urgent: true, important: false, state: "closed", createdAt: at("2026-11-16T00:00:00Z") });
    await issue("I5", { title: "I5", urgent: true, important: true, state: "cancelled", createdAt: at("2026-11-15T23:59:59Z") });
    await issue("I6", { title: "I6 投诉", kind: IssueKind.COMPLAINT, urgent: true, category: "态度差", state: "triaged", createdAt: at("2026-11-18T08:00:00Z") });
    await issue("I7", { title: "I7 旧投诉", kind: IssueKind.COMPLAINT, state: "closed", createdAt: at("2026-11-01T08:00:00Z") });

    const causes = app.dataSource.getRepository(Cause);
    const c1 = await causes.save(causes.create({ issueId: ids.I1, category: CauseCategory.MAN, text: "工程师不足", state: "confirmed", createdById: creator }));
    await causes.save(causes.create({ issueId: ids.I1, parentId: c1.id, category: CauseCategory.MAN, text: "夜班排班少", state: "hypothesis", createdById: creator }));
    await causes.save(causes.create({ issueId: ids.I1, category: CauseCategory.METHOD, text: "派单流程长", state: "hypothesis", createdById: creator }));

    const engineer = Number(w.engineer.id);
    const action = async (key: string, row: Partial<ActionItem>) => {
      const repo = app.dataSource.getRepository(ActionItem);
      const saved = await repo.save(
        repo.create({
          issueId: ids.I3, causeId: c1.id, cycle: 1, description: `${key} 措施`, metric: "响应时长", target: 2,
          ownerId: engineer, departmentId: service, progress: 0, ...row,
        } as Partial<ActionItem>),
      );
      ids[key] = saved.id;
    };
    await action("A1", { state: "inProgress", plannedStart: "2026-11-10", plannedEnd: "2026-11-19", progress: 50 });
    await action("A2", { state: "inProgress", plannedStart: "2026-11-16", plannedEnd: "2026-11-25", progress: 30 });
    await action("A3", { state: "inProgress", plannedStart: "2026-11-16", plannedEnd: "2026-11-25", progress: 29, departmentId: tech, ownerId: Number(w.techLead.id) });
    await action("A4", { state: "blocked", plannedStart: "2026-11-01", plannedEnd: "2026-11-15", progress: 60 });
    await action("A5", { state: "adjustmentPending", plannedStart: "2026-11-20", plannedEnd: "2026-11-22", progress: 0 });
    await action("A6", { state: "done", plannedStart: "2026-11-01", plannedEnd: "2026-11-18", actualEnd: "2026-11-17", progress: 100 });
    await action("A7", { state: "done", plannedStart: "2026-11-01", plannedEnd: "2026-11-18", actualEnd: "2026-11-12", progress: 100 });
    await action("A8", { state: "draft", plannedStart: "2026-11-16", plannedEnd: "2026-11-18" });
    await action("A9", { state: "approved", plannedStart: "2026-12-01", plannedEnd: "2026-12-10" });
    await action("A10", { state: "inProgress", plannedStart: "2026-11-01", plannedEnd: "2026-11-30", progress: 80 });

    const updates = app.dataSource.getRepository(ProgressUpdate);
    const update = (key: string, progress: number, blockers: string | null, nextStep: string | null) =>
      updates.save(updates.create({ actionItemId: ids[key], progress, blockers, nextStep, authorId: engineer }));
    await update("A4", 40, "旧的问题", "旧的下一步");
    await update("A4", 60, "备件缺货", "联系供应商");
    await update("A10", 50, "人手不够", null);
    await update("A10", 80, null, "培训第二批");

    const requests = app.dataSource.getRepository(AdjustmentRequest);
    await requests.save(requests.create({
      actionItemId: ids.A2, departmentId: service, requesterId: engineer, reason: "范围扩大", proposedPlannedEnd: "2026-11-25",
      previousPlannedEnd: "2026-11-20", state: "approved", appliedRevision: 2,
    }));
    const pending = await requests.save(requests.create({
      actionItemId: ids.A5, departmentId: service, requesterId: engineer, reason: "备件到货延迟", proposedPlannedEnd: "2026-12-05", state: "submitted",
    }));
    ids.R1 = pending.id;

    const slas = app.dataSource.getRepository(ComplaintSla);
    // I6: respond due 11-18 09:00, reached 09:30 (late: breached); plan due 11-19 08:00, unmet at
    // 10:00 (breached); close due 11-21 08:00, not yet due (pending, not listed).
    await slas.save(slas.create({
      issueId: ids.I6, departmentId: service, startedAt: at("2026-11-18T08:00:00Z"),
      respondDueAt: at("2026-11-18T09:00:00Z"), respondedAt: at("2026-11-18T09:30:00Z"),
      planDueAt: at("2026-11-19T08:00:00Z"), closeDueAt: at("2026-11-21T08:00:00Z"),
    }));
    // I7: every stage fell due in the week before: not this week's breaches.
    await slas.save(slas.create({
      issueId: ids.I7, departmentId: service, startedAt: at("2026-11-01T08:00:00Z"),
      respondDueAt: at("2026-11-01T09:00:00Z"), planDueAt: at("2026-11-02T08:00:00Z"), closeDueAt: at("2026-11-04T08:00:00Z"),
    }));
  });
  afterAll(() => app.stop());

  const review = async () =>
    (await w.quality.client.request<{ weeklyReview: any }>(WEEKLY, { week: "2026-W47" })).weeklyReview;
  const actionIds = (rows: { actionItemId: string }[]) => rows.map((row) => Number(row.actionItemId));

  it("spans the ISO week and judges on the review day", async () => {
    const r = await review();
    expect(r.period).toEqual({ label: "2026-W47", from: "2026-11-16", to: "2026-11-22" });
    expect(r.reviewDay).toBe("2026-11-19"); // today, the week is not over
    expect(r.atRiskTolerancePercent).toBe(10);
  });

  it("lists the week's new issues by four-quadrant priority", async () => {
    const r = await review();
    // I1 (urgent+important, P1), I2 (important, P2), I4 and I6 (urgent only, P3, by id);
    // I5 was opened one second before Monday, I3/I7 earlier.
    expect(r.newIssues.map((i: any) => Number(i.id))).toEqual([ids.I1, ids.I2, ids.I4, ids.I6]);
    expect(r.newIssues.map((i: any) => i.priority)).toEqual([1, 2, 3, 3]);
    expect(r.newIssuesByQuadrant).toEqual([
      { quadrant: "URGENT_IMPORTANT", count: 1 },
      { quadrant: "IMPORTANT_NOT_URGENT", count: 1 },
      { quadrant: "URGENT_NOT_IMPORTANT", count: 2 },
      { quadrant: "NEITHER", count: 0 },
    ]);
  });

  it("shows open issues with their fishbones, quadrants and categories", async () => {
    const r = await review();
    // Open: I1, I2, I3, I6 (I4, I7 closed; I5 cancelled).
    expect(r.openIssues.map((i: any) => Number(i.id))).toEqual([ids.I1, ids.I2, ids.I6, ids.I3]);
    expect(r.openIssues[0].causes).toEqual([
      { text: "工程师不足", category: "MAN", state: "confirmed", subCauses: [{ text: "夜班排班少" }] },
      { text: "派单流程长", category: "METHOD", state: "hypothesis", subCauses: [] },
    ]);
    expect(r.openIssuesByQuadrant.map((q: any) => q.count)).toEqual([1, 1, 1, 1]);
    // 响应慢: I1, I2; none: I3; 态度差: I6 — ties in code-point order ("none" < "态度差").
    expect(r.openIssuesByCategory).toEqual([
      { category: "响应慢", count: 2 },
      { category: "none", count: 1 },
      { category: "态度差", count: 1 },
    ]);
    expect(r.pendingPlanApprovals.map((i: any) => Number(i.id))).toEqual([ids.I2]);
  });

  it("puts due, overdue and at-risk actions on the agenda", async () => {
    const r = await review();
    // Due in 11-16…11-22 and open: A1 (11-19), A5 (11-22); A6 is done, A8 a draft.
    expect(actionIds(r.dueThisWeek)).toEqual([ids.A1, ids.A5]);
    // A4 ended 11-15: 4 days overdue on 11-19. A1 ends on the review day itself: not overdue.
    expect(r.overdue).toEqual([{ actionItemId: String(ids.A4), daysOverdue: 4 }]);
    // At risk when progress < 100 × elapsed − 10:
    //   A1 10/10 days elapsed → 1.0, 50 < 90 → at risk;
    //   A2 4/10 (11-16…11-19 of 11-16…11-25) → 0.4, 30 < 30 is false → on track (boundary);
    //   A3 same plan, 29 < 30 → at risk;
    //   A5 starts 11-20 → 0 elapsed → never at risk; A9 starts 12-01 → 0;
    //   A10 19/30 → 0.6333, 80 < 53.3 is false; A4 is overdue, reported there instead.
    expect(r.atRisk).toEqual([
      { actionItemId: String(ids.A1), elapsedShare: 1, progress: 50 },
      { actionItemId: String(ids.A3), elapsedShare: 0.4, progress: 29 },
    ]);
  });

  it("reports pending adjustments, latest blockers and SLA breaches", async () => {
    const r = await review();
    expect(r.pendingAdjustments).toEqual([
      {
        adjustmentRequestId: String(ids.R1), actionItemId: String(ids.A5), state: "submitted",
        proposedPlannedEnd: "2026-12-05", requesterName: "Engineer", departmentName: "售后服务部",
      },
    ]);
    // A4's latest update names a blocker; A10's latest update has none (its older one did).
    expect(r.blockers).toEqual([{ actionItemId: String(ids.A4), blockers: "备件缺货", nextStep: "联系供应商" }]);
    expect(r.slaBreaches).toEqual([
      { issueId: String(ids.I6), stage: "RESPOND", dueAt: "2026-11-18T09:00:00.000Z", reachedAt: "2026-11-18T09:30:00.000Z" },
      { issueId: String(ids.I6), stage: "PLAN", dueAt: "2026-11-19T08:00:00.000Z", reachedAt: null },
    ]);
  });

  it("fills the template-3 tracker with open actions and those completed this week", async () => {
    const r = await review();
    // Open A1 A2 A3 A4 A5 A9 A10 plus A6 (done 11-17); not A7 (done 11-12) nor the draft A8.
    // Ordered by planned end: A4 11-15, A6 11-18, A1 11-19, A5 11-22, A2 A3 11-25, A10 11-30, A9 12-10.
    expect(actionIds(r.tracker)).toEqual([ids.A4, ids.A6, ids.A1, ids.A5, ids.A2, ids.A3, ids.A10, ids.A9]);
    const row = (key: string) => r.tracker.find((t: any) => Number(t.actionItemId) === ids[key]);
    expect(row("A4")).toEqual({
      actionItemId: String(ids.A4), measure: "A4 措施", departmentName: "售后服务部", ownerName: "Engineer",
      plannedStart: "2026-11-01", plannedEnd: "2026-11-15", progress: 60, blockers: "备件缺货", adjustment: null,
      nextStep: "联系供应商", state: "blocked", elapsedShare: 1, daysOverdue: 4,
    });
    expect(row("A3")).toMatchObject({ departmentName: "技术部", ownerName: "TechLead" });
    expect(row("A2").adjustment).toBe("2026-11-20 → 2026-11-25 (approved)");
    expect(row("A5").adjustment).toBe("2026-11-22 → 2026-12-05 (submitted)");
    expect(row("A10")).toMatchObject({ blockers: null, nextStep: "培训第二批" });
    expect(row("A10").elapsedShare).toBeCloseTo(19 / 30, 10);
    expect(row("A9")).toMatchObject({ elapsedShare: 0, daysOverdue: 0 });
  });

  it("judges a past week on its Sunday", async () => {
    // W46 = 11-09…11-15: A4 ends on its Sunday, so it is due that week and not yet overdue, but
    // with 15/15 days elapsed its 60 % < 90 puts it at risk. A1's share on 11-15 is 6/10 = 0.6,
    // so 50 < 50 is false: on track; A10 15/30 = 0.5, 80 ≥ 40.
    const r = (await w.manager.client.request<{ weeklyReview: any }>(WEEKLY, { week: "2026-W46" })).weeklyReview;
    expect(r.reviewDay).toBe("2026-11-15");
    expect(actionIds(r.dueThisWeek)).toEqual([ids.A4]);
    expect(r.overdue).toEqual([]);
    expect(actionIds(r.atRisk)).toEqual([ids.A4]);
    expect(actionIds(r.tracker)).toContain(ids.A7); // completed 11-12, inside W46
  });

  it("uses the at-risk tolerance from the review settings", async () => {
    const settings = app.dataSource.getRepository(Setting);
    await settings.save(settings.create({ key: "review", value: { atRiskTolerancePercent: 0 }, updatedById: null }));
    try {
      const r = await review();
      // With no tolerance A2 (30 < 40) joins A1 and A3.
      expect(actionIds(r.atRisk)).toEqual([ids.A1, ids.A2, ids.A3]);
    } finally {
      await settings.delete({ key: "review" });
    }
  });

  it("refuses a malformed week and readers without a review role", async () => {
    expect(await errorCodeOf(w.quality.client.request(WEEKLY, { week: "2025-W53" }))).toBe("BAD_USER_INPUT");
    expect(await errorCodeOf(w.quality.client.request(WEEKLY, { week: "2026-11" }))).toBe("BAD_USER_INPUT");
    expect(await errorCodeOf(w.agent.client.request(WEEKLY, { week: "2026-W47" }))).toBe("FORBIDDEN");
    const lead = await w.serviceLead.client.request<{ weeklyReview: any }>(WEEKLY, { week: "2026-W47" });
    expect(lead.weeklyReview.period.label).toBe("2026-W47");
  });
});

describe("ISO weeks", () => {
  it.each([
    ["2026-W47", "2026-11-16", "2026-11-22"],
    ["2026-W01", "2025-12-29", "2026-01-04"],
    ["2026-W53", "2026-12-28", "2027-01-03"],
    ["2021-W01", "2021-01-04", "2021-01-10"],
  ])("reads %s as %s … %s", (label, from, to) => {
    expect(parseIsoWeek(label, "week")).toEqual({ label, from, to });
  });

  it.each(["2025-W53", "2026-W00", "2026-W54", "2026-47"])("refuses %s", (label) => {
    expect(() => parseIsoWeek(label, "week")).toThrow(/ISO week/);
  });

  it.each([
    ["2026-11-16", "2026-W47"],
    ["2026-11-22", "2026-W47"],
    ["2025-12-29", "2026-W01"],
    ["2027-01-03", "2026-W53"],
    ["2021-01-03", "2020-W53"],
  ])("puts %s in %s", (day, week) => {
    expect(isoWeekOf(day)).toBe(week);
  });
});
