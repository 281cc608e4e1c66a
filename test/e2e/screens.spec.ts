import { print } from "graphql";
import { gql } from "graphql-request";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import {
  ApprovalQueueDocument,
  ComplaintArrivedDocument,
  ComplaintArrivedSubscription,
  ApprovePlanDocument,
  ComplaintInboxDocument,
  DepartmentActionsDocument,
  IssueDetailDocument,
  MyDepartmentDocument,
  PostProgressDocument,
  TriageComplaintDocument,
  WeeklyReviewDocument,
} from "../../client/generated/graphql";
import { liveEventsOf } from "../../src/api/subscriptions/live-events";
import { isoWeekOf } from "../../src/service/review/review-period";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * The example operation of every screen (client/operations/, typed by GraphQL Code Generator into
 * client/generated/) run against the real server through graphql-request with its
 * TypedDocumentNode, so the results are typed: a complaint goes from the inbox through triage,
 * analysis and plan approval to progress on the department's action list, and shows up in the
 * issue detail and the weekly review of its week.
 */

// Rows are stamped with the database's time, so the story happens today, in this ISO week.
const TODAY = new Date().toISOString().slice(0, 10);
const NEXT_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const WEEK = isoWeekOf(TODAY);

describe("the screens' typed operations", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;
  let issueId: string;
  let causeId: string;
  let actionId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    const customer = await w.agent.client.request<{ createCustomer: { id: string } }>(
      gql`mutation { createCustomer(input: { name: "赵先生", region: "华南" }) { id } }`,
    );
    customerId = customer.createCustomer.id;
    issueId = await registerComplaint("投诉：工程师迟到");
  });
  afterAll(() => app?.stop());

  async function registerComplaint(title: string): Promise<string> {
    const complaint = await w.agent.client.request<{ registerComplaint: { id: string } }>(
      gql`mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      { input: { customerId, channel: "PHONE", scores: [{ dimension: "overall", score: 1 }], comment: "上门迟到三小时", title, tier: "TIER_1" } },
    );
    return complaint.registerComplaint.id;
  }

  it("complaint inbox: lists the new complaint with its SLA clock and what the caller may do", async () => {
    const inbox = await w.quality.client.request(ComplaintInboxDocument, { states: ["intake"] });
    expect(inbox.complaints.totalCount).toBe(1);
    const [row] = inbox.complaints.nodes;
    expect(row).toMatchObject({ id: issueId, title: "投诉：工程师迟到", state: "intake", complaintTier: "TIER_1" });
    // The customer is shown (masked or not depending on the caller's privacy rights).
    expect(row.customer?.name).toEqual(expect.stringMatching(/^赵/));
    expect(row.sla?.respondDueAt).toEqual(expect.any(String));
    expect(row.nextEvents).toContain("TRIAGE");
    expect(inbox.complaints.pageInfo.hasNextPage).toBe(false);
  });

  it("complaint inbox: triage is refused for an agent and done by a quality specialist", async () => {
    const input = { urgent: true, important: true, impact: "HIGH" as const, departmentId: w.serviceDept, complaintTier: "TIER_1" as const };
    const refused = await w.agent.client.request(TriageComplaintDocument, { id: issueId, input });
    expect(refused.triageIssue.__typename).toBe("TransitionError");
    if (refused.triageIssue.__typename === "TransitionError") {
      expect([refused.triageIssue.errorCode, refused.triageIssue.fromState]).toEqual(["NOT_PERMITTED", "intake"]);
    }
    const triaged = await w.quality.client.request(TriageComplaintDocument, { id: issueId, expectedVersion: 1, input });
    expect(triaged.triageIssue).toMatchObject({ __typename: "Issue", state: "triaged", quadrant: "URGENT_IMPORTANT" });
    const stillInIntake = await w.quality.client.request(ComplaintInboxDocument, { states: ["intake"] });
    expect(stillInIntake.complaints.totalCount).toBe(0);
  });

  it("approval queue: shows the proposed plan and approves it", async () => {
    await w.quality.client.request(gql`mutation($id: ID!, $a: ID!) { assignIssue(id: $id, assigneeId: $a) { __typename } }`, {
      id: issueId,
      a: w.serviceLead.id,
    });
    await w.serviceLead.client.request(gql`mutation($id: ID!) { startAnalysis(id: $id) { __typename } }`, { id: issueId });
    const cause = await w.serviceLead.client.request<{ addCause: { id: string } }>(
      gql`mutation($input: AddCauseInput!) { addCause(input: $input) { ... on Cause { id } } }`,
      { input: { issueId, category: "METHOD", text: "派单未考虑路程时间" } },
    );
    causeId = cause.addCause.id;
    await w.serviceLead.client.request(
      gql`mutation($input: AddCauseInput!) { addCause(input: $input) { __typename } }`,
      { input: { issueId, category: "MAN", text: "新工程师不熟悉片区", parentId: causeId } },
    );
    await w.quality.client.request(gql`mutation($id: ID!) { confirmCause(id: $id, evidence: "11 月迟到工单 8 单均为跨区派单") { __typename } }`, {
      id: causeId,
    });
    const action = await w.serviceLead.client.request<{ addActionItem: { id: string } }>(
      gql`mutation($input: AddActionItemInput!) { addActionItem(input: $input) { ... on ActionItem { id } } }`,
      {
        input: {
          issueId,
          causeId,
          description: "派单规则加入路程时间",
          metric: "上门准时率（%）",
          target: 95,
          ownerId: w.engineer.id,
          plannedStart: TODAY,
          plannedEnd: TODAY,
        },
      },
    );
    actionId = action.addActionItem.id;
    await w.serviceLead.client.request(gql`mutation($id: ID!) { proposePlan(id: $id) { __typename } }`, { id: issueId });

    const queue = await w.manager.client.request(ApprovalQueueDocument, {});
    expect(queue.plans.totalCount).toBe(1);
    expect(queue.plans.nodes[0]).toMatchObject({ id: issueId, department: { name: "售后服务部" } });
    expect(queue.plans.nodes[0].actionItems.map((item) => item.id)).toEqual([actionId]);
    expect(queue.plans.nodes[0].nextEvents).toEqual(expect.arrayContaining(["APPROVE_PLAN", "REJECT_PLAN"]));
    expect(queue.adjustments.totalCount).toBe(0);

    const approved = await w.manager.client.request(ApprovePlanDocument, { id: issueId, expectedVersion: queue.plans.nodes[0].version, comment: "同意" });
    expect(approved.approvePlan).toMatchObject({ __typename: "Issue", state: "inProgress" });
    expect((await w.manager.client.request(ApprovalQueueDocument, {})).plans.totalCount).toBe(0);
  });

  it("my department's actions: the lead's department lists the action; its owner posts progress", async () => {
    const me = await w.serviceLead.client.request(MyDepartmentDocument, {});
    expect(me.me.department).toEqual({ id: w.serviceDept, name: "售后服务部" });
    const actions = await w.serviceLead.client.request(DepartmentActionsDocument, { departmentId: me.me.department!.id });
    expect(actions.actionItems.totalCount).toBe(1);
    expect(actions.actionItems.nodes[0]).toMatchObject({ id: actionId, owner: { id: w.engineer.id }, issue: { id: issueId, state: "inProgress" } });
    const otherDepartment = await w.techLead.client.request(DepartmentActionsDocument, { departmentId: w.techDept });
    expect(otherDepartment.actionItems.totalCount).toBe(0);

    await w.engineer.client.request(gql`mutation($id: ID!) { startActionItem(id: $id) { __typename } }`, { id: actionId });
    const progressed = await w.engineer.client.request(PostProgressDocument, {
      input: { actionItemId: actionId, progress: 40, nextStep: "规则上线试运行" },
    });
    expect(progressed.postProgress).toMatchObject({ __typename: "ActionItem", progress: 40, state: "inProgress" });
  });

  it("issue detail: the record with its fishbone, actions and checks", async () => {
    const detail = await w.quality.client.request(IssueDetailDocument, { id: issueId });
    const issue = detail.issue!;
    expect(issue).toMatchObject({ kind: "COMPLAINT", state: "inProgress", cycle: 1, assignee: { id: w.serviceLead.id } });
    const fishbone = issue.causes.map((cause) => [cause.category, cause.text, cause.state, cause.parent?.id ?? null]);
    expect(fishbone).toEqual(
      expect.arrayContaining([
        ["METHOD", "派单未考虑路程时间", "confirmed", null],
        ["MAN", "新工程师不熟悉片区", "hypothesis", causeId],
      ]),
    );
    expect(issue.actionItems).toHaveLength(1);
    expect(issue.actionItems[0]).toMatchObject({ id: actionId, progress: 40, cause: { id: causeId }, owner: { id: w.engineer.id } });
    expect(issue.verificationChecks).toEqual([]);
    expect(issue.nextEvents).toContain("PLAN_VERIFICATION");
  });

  it("weekly review: the week's new complaint, its action due this week and the pending adjustment", async () => {
    await w.engineer.client.request(
      gql`mutation($input: SubmitAdjustmentRequestInput!) { submitAdjustmentRequest(input: $input) { __typename } }`,
      { input: { actionItemId: actionId, reason: "规则需与调度系统联调", proposedPlannedEnd: NEXT_WEEK } },
    );
    const queue = await w.manager.client.request(ApprovalQueueDocument, {});
    expect(queue.adjustments.nodes.map((adjustment) => [adjustment.actionItem.id, adjustment.proposedPlannedEnd])).toEqual([
      [actionId, NEXT_WEEK],
    ]);

    const review = await w.manager.client.request(WeeklyReviewDocument, { week: WEEK });
    const pack = review.weeklyReview;
    expect(pack.period.label).toBe(WEEK);
    expect(pack.newIssuesByQuadrant).toEqual(expect.arrayContaining([{ quadrant: "URGENT_IMPORTANT", count: 1 }]));
    expect(pack.openIssues.map((issue) => issue.id)).toEqual([issueId]);
    expect(pack.dueThisWeek.map((row) => [row.actionItemId, row.progress, row.ownerName])).toEqual([[actionId, 40, "Engineer"]]);
    expect(pack.pendingAdjustments.map((row) => row.reason)).toEqual(["规则需与调度系统联调"]);
  });

  it("live inbox: a complaint registered by another client arrives through the typed subscription", async () => {
    const client = createClient({
      url: app.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${w.quality.token}` },
      retryAttempts: 0,
    });
    try {
      const bus = liveEventsOf(app.dataSource);
      const listening = bus.listenerCount("complaint");
      const events = client.iterate<ComplaintArrivedSubscription>({ query: print(ComplaintArrivedDocument) });
      const first = events.next();
      // Only a complaint committed after the server listens is delivered.
      while (bus.listenerCount("complaint") <= listening) await new Promise((resolve) => setTimeout(resolve, 10));
      const id = await registerComplaint("投诉：电话无人接听");
      const step = await first;
      expect(step.done).toBe(false);
      const arrived = step.value?.data?.complaintRegistered;
      expect(arrived).toMatchObject({ id, title: "投诉：电话无人接听", state: "intake", complaintTier: "TIER_1" });
      expect(arrived?.customer?.name).toEqual(expect.stringMatching(/^赵/));
      expect(arrived?.nextEvents).toContain("TRIAGE");
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });
});
