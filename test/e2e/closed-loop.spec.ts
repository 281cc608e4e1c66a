import { gql } from "graphql-request";
import {
  ApprovePlanDocument,
  ApprovePlanMutation,
  IssueDetailDocument,
  PostProgressDocument,
  PostProgressInput,
  TriageComplaintDocument,
} from "../../client/generated/graphql";
import { createWorld, errorsOf, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

/**
 * The whole loop of DESIGN.md through the GraphQL API, as the people who use it would drive it:
 * a complaint becomes an issue, gets a fishbone, a plan that is rejected once and then approved,
 * progress, an adjustment, a failed verification that sends it back to analysis, a second cycle
 * that passes, and closure — with every forbidden move along the way refused and changing nothing.
 */

const ISSUE_FIELDS = gql`
  fragment IssueFields on Issue {
    id
    state
    version
    cycle
    nextEvents
  }
`;
const RESULT = `
  __typename
  ... on Issue { id state version cycle nextEvents }
  ... on TransitionError { errorCode reason fromState event entity }
`;
const ACTION_RESULT = `
  __typename
  ... on ActionItem { id state version progress plannedEnd planRevision }
  ... on TransitionError { errorCode reason fromState event entity }
`;

/** Narrows a typed union result to its success type, failing the test with the result otherwise. */
function succeeded<T extends { __typename: string }, N extends T["__typename"]>(result: T, typename: N): Extract<T, { __typename: N }> {
  expect(result).toMatchObject({ __typename: typename });
  return result as Extract<T, { __typename: N }>;
}

interface TransitionErrorShape {
  __typename: "TransitionError";
  errorCode: string;
  reason: string;
  fromState: string;
  event: string;
  entity: string;
}

// Day windows of the story, all in the past. Baseline feedback falls in September, the first
// re-survey in early October, the second in late October.
const SEPT = { from: "2026-09-01T00:00:00.000Z", to: "2026-10-01T00:00:00.000Z" };
const EARLY_OCT = { from: "2026-10-01T00:00:00.000Z", to: "2026-10-15T00:00:00.000Z" };
const LATE_OCT = { from: "2026-10-15T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" };

describe("the closed loop, end to end", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;
  let issueId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  /** Sends an issue mutation and returns its union result. */
  async function issueMutation(person: Person, field: string, args: string, vars: object = {}) {
    const doc = `mutation($id: ID!${args ? ", " + args.split("|")[0] : ""}) { result: ${field}(id: $id${args ? ", " + args.split("|")[1] : ""}) { ${RESULT} } }`;
    const data = await person.client.request(doc, { id: issueId, ...vars });
    return (data as { result: any }).result;
  }
  async function issueState() {
    const data = await w.quality.client.request<{ issue: { state: string; version: number; cycle: number } }>(
      gql`query($id: ID!) { issue(id: $id) { state version cycle } }`,
      { id: issueId },
    );
    return data.issue;
  }
  async function expectRefusedWithoutChange(attempt: () => Promise<any>, errorCode: string, reason?: string) {
    const before = await tableCounts(app.dataSource);
    const issueBefore = await issueState();
    const result = await attempt();
    expect(result.__typename).toBe("TransitionError");
    expect((result as TransitionErrorShape).errorCode).toBe(errorCode);
    if (reason) expect((result as TransitionErrorShape).reason).toBe(reason);
    expect(await tableCounts(app.dataSource)).toEqual(before);
    expect(await issueState()).toEqual(issueBefore);
    return result as TransitionErrorShape;
  }
  async function recordCallback(scores: { dimension: string; score: number }[], receivedAt: string, comment: string | null = null) {
    const data = await w.agent.client.request<{ recordFeedback: { id: string } }>(
      gql`mutation($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`,
      { input: { customerId, channel: "PHONE", source: "CALLBACK", scores, comment, receivedAt } },
    );
    return data.recordFeedback.id;
  }
  async function actionMutation(person: Person, doc: string, vars: object) {
    const data = await person.client.request(doc, vars);
    return (data as { result: any }).result;
  }
  async function addAction(input: object) {
    const result = await actionMutation(
      w.serviceLead,
      `mutation($input: AddActionItemInput!) { result: addActionItem(input: $input) { ${ACTION_RESULT} } }`,
      { input: { issueId, ...input } },
    );
    expect(result.__typename).toBe("ActionItem");
    expect(result.state).toBe("draft");
    return result.id as string;
  }
  async function finishAction(person: Person, actionId: string) {
    expect(
      (await actionMutation(person, `mutation($id: ID!) { result: startActionItem(id: $id) { ${ACTION_RESULT} } }`, { id: actionId })).state,
    ).toBe("inProgress");
    const progressed = await actionMutation(
      person,
      `mutation($input: PostProgressInput!) { result: postProgress(input: $input) { ${ACTION_RESULT} } }`,
      { input: { actionItemId: actionId, progress: 100, nextStep: "验收" } },
    );
    expect(progressed.progress).toBe(100);
    const done = await actionMutation(
      person,
      `mutation($id: ID!, $note: String!) { result: completeActionItem(id: $id, completionNote: $note) { ${ACTION_RESULT} } }`,
      { id: actionId, note: "已上线并验收" },
    );
    expect(done.state).toBe("done");
  }
  async function verify(window: { from: string; to: string }, scores: number[]) {
    const planned = await w.quality.client.request<{ result: any }>(
      gql`mutation($input: PlanVerificationCheckInput!) {
        result: planVerificationCheck(input: $input) {
          __typename
          ... on VerificationCheck { id state baseline baselineSampleSize threshold }
          ... on TransitionError { errorCode reason }
        }
      }`,
      {
        input: {
          issueId,
          metric: "响应及时性 平均分",
          dimension: "responsiveness",
          beforeFrom: SEPT.from,
          beforeTo: SEPT.to,
        },
      },
    );
    expect(planned.result).toMatchObject({ __typename: "VerificationCheck", state: "planned", baseline: 2.5, baselineSampleSize: 2, threshold: 0.5 });
    const checkId = planned.result.id;
    const surveying = await w.quality.client.request<{ result: any }>(
      gql`mutation($id: ID!) { result: startVerificationSurvey(id: $id) { __typename ... on VerificationCheck { state } } }`,
      { id: checkId },
    );
    expect(surveying.result.state).toBe("surveying");
    const day = new Date(window.from).getTime();
    for (const [i, score] of scores.entries()) {
      await recordCallback([{ dimension: "responsiveness", score }], new Date(day + (i + 1) * 86_400_000).toISOString(), "回访");
    }
    const completed = await w.quality.client.request<{ result: any }>(
      gql`mutation($id: ID!, $input: CompleteVerificationInput!) {
        result: completeVerificationCheck(id: $id, input: $input) {
          __typename
          ... on VerificationCheck { state result sampleSize improvement verdict }
          ... on TransitionError { errorCode reason }
        }
      }`,
      { id: checkId, input: { afterFrom: window.from, afterTo: window.to } },
    );
    return completed.result;
  }

  it("runs a complaint through the whole loop, refusing every forbidden move", async () => {
    // --- intake: customer, ticket, and a complaint with low scores ---------------------------
    const customer = await w.agent.client.request<{ createCustomer: { id: string } }>(
      gql`mutation { createCustomer(input: { name: "王女士", phone: "13812345678", region: "华东" }) { id } }`,
    );
    customerId = customer.createCustomer.id;
    const ticket = await w.agent.client.request<{ createServiceTicket: { id: string } }>(
      gql`mutation($input: CreateServiceTicketInput!) { createServiceTicket(input: $input) { id } }`,
      {
        input: {
          code: "WX-2026-0901-001",
          customerId,
          type: "REPAIR",
          region: "华东",
          engineer: "李工",
          departmentId: w.serviceDept,
          openedAt: "2026-09-02T01:00:00.000Z",
          firstResponseAt: "2026-09-02T06:00:00.000Z",
          completedAt: "2026-09-03T09:00:00.000Z",
        },
      },
    );
    const complaint = await w.agent.client.request<{ registerComplaint: any }>(
      gql`mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { ...IssueFields kind evidence { id source scores { dimension score } } } } ${ISSUE_FIELDS}`,
      {
        input: {
          customerId,
          ticketId: ticket.createServiceTicket.id,
          channel: "PHONE",
          scores: [
            { dimension: "responsiveness", score: 2 },
            { dimension: "overall", score: 2 },
          ],
          comment: "报修后等了很久，响应慢😠",
          title: "客户投诉：维修响应慢",
          tier: "TIER_1",
          receivedAt: "2026-09-04T02:00:00.000Z",
        },
      },
    );
    issueId = complaint.registerComplaint.id;
    expect(complaint.registerComplaint).toMatchObject({ kind: "COMPLAINT", state: "intake", cycle: 1 });
    expect(complaint.registerComplaint.evidence[0].source).toBe("COMPLAINT");
    // A call-back in the same month gives the baseline a second data point: (2 + 3) / 2 = 2.5.
    await recordCallback([{ dimension: "responsiveness", score: 3 }], "2026-09-10T03:00:00.000Z");

    // --- triage and assignment ----------------------------------------------------------------
    // The screens' typed operations (client/operations, generated into client/generated).
    const triaged = await w.quality.client.request(TriageComplaintDocument, {
      id: issueId,
      input: { urgent: true, important: true, impact: "HIGH", frequency: 12, departmentId: w.serviceDept, complaintTier: "TIER_1" },
    });
    expect(succeeded(triaged.triageIssue, "Issue").state).toBe("triaged");
    expect((await issueMutation(w.quality, "assignIssue", "$a: ID!|assigneeId: $a", { a: w.serviceLead.id })).state).toBe("assigned");
    expect((await issueMutation(w.serviceLead, "startAnalysis", "")).state).toBe("analyzing");

    // --- fishbone ------------------------------------------------------------------------------
    const addCause = async (input: object) =>
      (
        await w.serviceLead.client.request<{ addCause: any }>(
          gql`mutation($input: AddCauseInput!) { addCause(input: $input) { __typename ... on Cause { id state } } }`,
          { input: { issueId, ...input } },
        )
      ).addCause;
    const method = await addCause({ category: "METHOD", text: "派单需人工审核，平均延误 2 小时" });
    const man = await addCause({ category: "MAN", text: "夜班调度人手不足", parentId: method.id });
    expect([method.state, man.state]).toEqual(["hypothesis", "hypothesis"]);

    const firstAction = await addAction({
      causeId: method.id,
      description: "上线自动派单系统",
      metric: "平均响应时长（小时）",
      baseline: 4,
      target: 1,
      ownerId: w.engineer.id,
      plannedStart: "2026-09-15",
      plannedEnd: "2026-10-10",
      budget: 20000,
    });
    const secondAction = await addAction({
      causeId: method.id,
      description: "夜班增加 1 名调度员",
      metric: "夜间派单延误次数",
      target: 0,
      ownerId: w.serviceLead.id,
      plannedStart: "2026-09-15",
      plannedEnd: "2026-09-30",
    });

    // Forbidden: a plan with no confirmed root cause.
    await expectRefusedWithoutChange(() => issueMutation(w.serviceLead, "proposePlan", ""), "PRECONDITION_FAILED", "hasConfirmedRootCause");

    const confirm = await w.quality.client.request<{ result: any }>(
      gql`mutation($id: ID!, $e: String!) { result: confirmCause(id: $id, evidence: $e) { __typename ... on Cause { state evidence } } }`,
      { id: method.id, e: "9 月工单：人工审核环节平均耗时 2.1 小时" },
    );
    expect(confirm.result).toEqual({ __typename: "Cause", state: "confirmed", evidence: "9 月工单：人工审核环节平均耗时 2.1 小时" });
    const refute = await w.quality.client.request<{ result: any }>(
      gql`mutation($id: ID!, $e: String!) { result: refuteCause(id: $id, evidence: $e) { __typename ... on Cause { state } } }`,
      { id: man.id, e: "夜班工单仅占 4%" },
    );
    expect(refute.result.state).toBe("refuted");

    // --- plan: proposed, rejected once with a comment, proposed again, approved ---------------
    expect((await issueMutation(w.serviceLead, "proposePlan", "")).state).toBe("planApproval");
    const approvePlan = (person: Person, approvedBudgetActionItemIds: string[] = []): Promise<ApprovePlanMutation["approvePlan"]> =>
      person.client.request(ApprovePlanDocument, { id: issueId, approvedBudgetActionItemIds }).then((data) => data.approvePlan);
    // Forbidden: a department lead approving.
    await expectRefusedWithoutChange(() => approvePlan(w.serviceLead, [firstAction]), "NOT_PERMITTED", "actorIsOperationsManager");
    // A rejection without a comment is refused; with one it returns the plan to analysis.
    await expectRefusedWithoutChange(() => issueMutation(w.manager, "rejectPlan", "$c: String!|comment: $c", { c: "  " }), "PRECONDITION_FAILED", "reasonProvided");
    const rejected = await issueMutation(w.manager, "rejectPlan", "$c: String!|comment: $c", { c: "预算需拆分说明" });
    expect(rejected.state).toBe("analyzing");
    expect((await issueMutation(w.serviceLead, "proposePlan", "")).state).toBe("planApproval");
    // The budgeted action must be approved explicitly.
    await expectRefusedWithoutChange(() => approvePlan(w.manager), "PRECONDITION_FAILED", "allBudgetedActionsApproved");
    const approved = succeeded(await approvePlan(w.manager, [firstAction]), "Issue");
    expect(approved.state).toBe("inProgress");
    expect(approved.nextEvents).toEqual(expect.arrayContaining(["CANCEL"]));

    // --- progress, with a lead of another department refused and a stale version refused -----
    const start = (person: Person, id: string) =>
      actionMutation(person, `mutation($id: ID!) { result: startActionItem(id: $id) { ${ACTION_RESULT} } }`, { id });
    expect((await start(w.engineer, firstAction)).state).toBe("inProgress");
    const progress = (person: Person, input: PostProgressInput, expectedVersion?: number) =>
      person.client.request(PostProgressDocument, { input, expectedVersion }).then((data) => data.postProgress);
    const half = succeeded(
      await progress(w.engineer, { actionItemId: firstAction, progress: 50, blockers: "接口联调延迟", nextStep: "联调" }),
      "ActionItem",
    );
    expect(half.progress).toBe(50);
    const countsBefore = await tableCounts(app.dataSource);
    // Issue 5 policy: another department's lead does not see the action at all.
    const [otherDept] = await errorsOf(progress(w.techLead, { actionItemId: firstAction, progress: 90 }));
    expect(otherDept.extensions).toMatchObject({ code: "NOT_FOUND", entity: "ActionItem", id: firstAction });
    const stale = await progress(w.engineer, { actionItemId: firstAction, progress: 60 }, half.version - 1);
    expect(stale).toMatchObject({ __typename: "TransitionError", errorCode: "VERSION_CONFLICT" });
    expect(await tableCounts(app.dataSource)).toEqual(countsBefore);

    // --- adjustment: new deadline requested, reviewed, approved and applied -------------------
    expect((await start(w.serviceLead, secondAction)).state).toBe("inProgress");
    const submitted = await w.serviceLead.client.request<{ result: any }>(
      gql`mutation($input: SubmitAdjustmentRequestInput!) {
        result: submitAdjustmentRequest(input: $input) { __typename ... on AdjustmentRequest { id state } }
      }`,
      { input: { actionItemId: secondAction, reason: "招聘延迟，10 月中旬到岗", proposedPlannedEnd: "2026-10-20", alternativePlan: "白班调度轮值夜班" } },
    );
    expect(submitted.result.state).toBe("submitted");
    const adjustmentId = submitted.result.id;
    const decide = (person: Person, field: string, extra = "") =>
      person.client
        .request<{ result: any }>(
          `mutation($id: ID!) { result: ${field}(id: $id${extra}) { __typename ... on AdjustmentRequest { state previousPlannedEnd appliedRevision } ... on TransitionError { errorCode reason } } }`,
          { id: adjustmentId },
        )
        .then((data) => data.result);
    expect((await decide(w.quality, "reviewAdjustmentRequest", ', comment: "理由充分"')).state).toBe("underReview");
    expect(await decide(w.serviceLead, "approveAdjustmentRequest")).toMatchObject({ errorCode: "NOT_PERMITTED" });
    expect(await decide(w.manager, "approveAdjustmentRequest", ', comment: "同意"')).toMatchObject({
      state: "approved",
      previousPlannedEnd: "2026-09-30",
      appliedRevision: 2,
    });
    const adjusted = await w.serviceLead.client.request<{ actionItem: any }>(
      gql`query($id: ID!) { actionItem(id: $id) { state plannedEnd planRevision } }`,
      { id: secondAction },
    );
    expect(adjusted.actionItem).toEqual({ state: "inProgress", plannedEnd: "2026-10-20", planRevision: 2 });

    // --- all actions done; closing early is refused ---------------------------------------------
    await expectRefusedWithoutChange(() => issueMutation(w.quality, "closeIssue", ""), "INVALID_TRANSITION", "eventNotAcceptedInState");
    await expectRefusedWithoutChange(() => issueMutation(w.quality, "startVerification", ""), "PRECONDITION_FAILED", "noOpenActions");
    const complete = (person: Person, id: string) =>
      actionMutation(person, `mutation($id: ID!) { result: completeActionItem(id: $id, completionNote: "已完成") { ${ACTION_RESULT} } }`, { id });
    await progress(w.engineer, { actionItemId: firstAction, progress: 100 });
    expect((await complete(w.engineer, firstAction)).state).toBe("done");
    await progress(w.serviceLead, { actionItemId: secondAction, progress: 100 });
    expect((await complete(w.serviceLead, secondAction)).state).toBe("done");
    expect((await issueMutation(w.quality, "startVerification", "")).state).toBe("verifying");
    await expectRefusedWithoutChange(() => issueMutation(w.quality, "closeIssue", ""), "PRECONDITION_FAILED", "hasPassedVerification");

    // --- verification fails (2.5 → 2.5): back to analysis, a new cycle ---------------------------
    const failed = await verify(EARLY_OCT, [2, 3]);
    expect(failed).toMatchObject({ __typename: "VerificationCheck", state: "failed", result: 2.5, sampleSize: 2, improvement: 0, verdict: "failed" });
    expect(await issueState()).toMatchObject({ state: "analyzing", cycle: 2 });

    // --- second cycle: a new action, approved, done; verification passes (2.5 → 4) -------------
    const thirdAction = await addAction({
      causeId: method.id,
      description: "派单审核改为抽检 10%",
      metric: "平均响应时长（小时）",
      baseline: 3.5,
      target: 1,
      ownerId: w.engineer.id,
      plannedStart: "2026-10-12",
      plannedEnd: "2026-10-14",
    });
    expect((await issueMutation(w.serviceLead, "proposePlan", "")).state).toBe("planApproval");
    expect(succeeded(await approvePlan(w.manager), "Issue").state).toBe("inProgress");
    await finishAction(w.engineer, thirdAction);
    expect((await issueMutation(w.quality, "startVerification", "")).state).toBe("verifying");
    const passed = await verify(LATE_OCT, [4, 4]);
    expect(passed).toMatchObject({ state: "passed", result: 4, sampleSize: 2, improvement: 1.5, verdict: "passed" });
    const closed = await issueMutation(w.quality, "closeIssue", "$s: String|summary: $s", { s: "自动派单 + 抽检审核，响应及时性 2.5 → 4.0" });
    expect(closed).toMatchObject({ state: "closed", cycle: 2 });

    // --- the transition log holds every step of the issue, with its actor -----------------------
    const log = await w.quality.client.request<{ transitionLog: { nodes: any[] } }>(
      gql`query($id: ID!) {
        transitionLog(filter: { entityType: ISSUE, entityId: $id }, first: 100) {
          nodes { event fromState toState reason actor { name } }
        }
      }`,
      { id: issueId },
    );
    const steps = log.transitionLog.nodes.reverse().map((n) => [n.event, n.fromState, n.toState, n.actor.name]);
    expect(steps).toEqual([
      ["CREATE", "new", "intake", "Agent"],
      ["TRIAGE", "intake", "triaged", "Quality"],
      ["ASSIGN", "triaged", "assigned", "Quality"],
      ["START_ANALYSIS", "assigned", "analyzing", "ServiceLead"],
      ["PROPOSE_PLAN", "analyzing", "planApproval", "ServiceLead"],
      ["REJECT_PLAN", "planApproval", "analyzing", "Manager"],
      ["PROPOSE_PLAN", "analyzing", "planApproval", "ServiceLead"],
      ["APPROVE_PLAN", "planApproval", "inProgress", "Manager"],
      ["START_VERIFICATION", "inProgress", "verifying", "Quality"],
      ["VERIFICATION_FAILED", "verifying", "analyzing", "Quality"],
      ["PROPOSE_PLAN", "analyzing", "planApproval", "ServiceLead"],
      ["APPROVE_PLAN", "planApproval", "inProgress", "Manager"],
      ["START_VERIFICATION", "inProgress", "verifying", "Quality"],
      ["CLOSE", "verifying", "closed", "Quality"],
    ]);
    expect(log.transitionLog.nodes.find((n) => n.event === "REJECT_PLAN").reason).toBe("预算需拆分说明");

    // Every other object's history is logged too: the adjustment, the actions, the checks.
    const adjustmentLog = await w.quality.client.request<{ transitionLog: { nodes: any[] } }>(
      gql`query($id: ID!) { transitionLog(filter: { entityType: ADJUSTMENT_REQUEST, entityId: $id }) { nodes { event actor { name } } } }`,
      { id: adjustmentId },
    );
    expect(adjustmentLog.transitionLog.nodes.reverse().map((n) => [n.event, n.actor.name])).toEqual([
      ["CREATE", "ServiceLead"],
      ["REVIEW", "Quality"],
      ["APPROVE", "Manager"],
    ]);
    const closedIssue = await w.quality.client.request<{ issue: any }>(
      gql`query($id: ID!) {
        issue(id: $id) {
          state nextEvents
          actionItems { state }
          verificationChecks { state cycle }
          history { event }
        }
      }`,
      { id: issueId },
    );
    expect(closedIssue.issue.actionItems.map((a: any) => a.state)).toEqual(["done", "done", "done"]);
    expect(closedIssue.issue.verificationChecks.map((c: any) => [c.state, c.cycle])).toEqual([
      ["failed", 1],
      ["passed", 2],
    ]);
    expect(closedIssue.issue.history).toHaveLength(14);
    // A closed issue can only be reopened (by quality staff), nothing else.
    expect(closedIssue.issue.nextEvents).toEqual(["REOPEN"]);
    // The issue detail screen's typed query shows the same story: the fishbone and the verdicts.
    const detail = (await w.quality.client.request(IssueDetailDocument, { id: issueId })).issue;
    expect(detail?.causes.map((cause) => [cause.text, cause.state, cause.parent?.id ?? null]).sort()).toEqual(
      [
        ["派单需人工审核，平均延误 2 小时", "confirmed", null],
        ["夜班调度人手不足", "refuted", method.id],
      ].sort(),
    );
    expect(detail?.verificationChecks.map((check) => check.verdict)).toEqual(["failed", "passed"]);
  });

  it("lets exactly one of twenty concurrent transitions on one issue win", async () => {
    const complaint = await w.agent.client.request<{ registerComplaint: { id: string; version: number } }>(
      gql`mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id version } }`,
      {
        input: {
          customerId,
          channel: "APP",
          scores: [{ dimension: "attitude", score: 1 }],
          comment: "态度差",
          title: "客户投诉：服务态度",
        },
      },
    );
    const { id, version } = complaint.registerComplaint;
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.quality.client.request(TriageComplaintDocument, {
          id,
          expectedVersion: version,
          input: { urgent: i % 2 === 0, important: true, impact: "MEDIUM", departmentId: w.serviceDept },
        }),
      ),
    );
    const outcomes = attempts.map(({ triageIssue: result }) => (result.__typename === "Issue" ? "won" : result.errorCode));
    expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "VERSION_CONFLICT")).toHaveLength(19);
    const log = await w.quality.client.request<{ transitionLog: { totalCount: number } }>(
      gql`query($id: ID!) { transitionLog(filter: { entityType: ISSUE, entityId: $id }) { totalCount nodes { event } } }`,
      { id },
    );
    // CREATE + exactly one TRIAGE.
    expect(log.transitionLog.totalCount).toBe(2);
  });

  it("refuses malformed input with a coded error naming the field, writing nothing", async () => {
    const before = await tableCounts(app.dataSource);
    const register = (input: object) =>
      w.agent.client.request(gql`mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`, {
        input: { customerId, channel: "PHONE", scores: [{ dimension: "overall", score: 2 }], title: "投诉", ...input },
      });
    const cases: [object, string][] = [
      [{ scores: [{ dimension: "overall", score: 0 }] }, "scores.0.score"],
      [{ scores: [{ dimension: "overall", score: 6 }] }, "scores.0.score"],
      [{ title: "   " }, "title"],
      [{ comment: "慢".repeat(100_000) }, "comment"],
      [{ customerId: "abc" }, "customerId"],
    ];
    for (const [input, field] of cases) {
      const [error] = await errorsOf(register(input));
      expect([field, error.extensions?.code]).toEqual([field, "BAD_USER_INPUT"]);
      expect(String(error.extensions?.field)).toContain(field);
    }
    const [unknownEnum] = await errorsOf(register({ channel: "CARRIER_PIGEON" }));
    expect(unknownEnum.extensions?.code).toBe("BAD_USER_INPUT");
    expect(unknownEnum.message).toContain("channel");
    expect(await tableCounts(app.dataSource)).toEqual(before);
  });
});
