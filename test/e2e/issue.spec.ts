import { gql } from "graphql-request";
import { ActionItem, Customer, Issue, ServiceTicket, VerificationCheck } from "../../src/entity";
import {
  createWorld,
  errorCodeOf,
  errorsOf,
  Person,
  startTestApp,
  tableCounts,
  TestApp,
  World,
} from "../support/test-app";

/**
 * Issues (problem records) through the GraphQL API: complaint registration, systemic issues,
 * evidence, every lifecycle transition up to closure and reopening, the refusals of the issue
 * machine (each changing nothing), bad input, nextEvents per role and the list filters.
 */

const RESULT = `
  __typename
  ... on Issue { id state version cycle }
  ... on TransitionError { errorCode reason fromState event entity entityId }
`;

/** GraphQL types of the variables the issue mutations take. */
const VARIABLE_TYPES: Record<string, string> = {
  id: "ID!",
  input: "TriageInput!",
  assigneeId: "ID!",
  expectedVersion: "Int",
  comment: "String!",
  reason: "String!",
  summary: "String!",
  approvedBudgetActionItemIds: "[ID!]",
};

const REGISTER = gql`
  mutation ($input: RegisterComplaintInput!) {
    registerComplaint(input: $input) {
      id
      kind
      state
      cycle
      version
      title
      description
      complaintTier
      customer { id }
      createdBy { id }
      evidence { id source comment }
      history { event fromState toState actor { id } }
    }
  }
`;

const ISSUE = gql`
  query ($id: ID!) {
    issue(id: $id) {
      id
      state
      version
      cycle
      closedAt
      history { event }
    }
  }
`;

describe("issues", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;
  let otherCustomerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    const customers = app.dataSource.getRepository(Customer);
    customerId = String((await customers.save({ name: "华东物流" })).id);
    otherCustomerId = String((await customers.save({ name: "西南制造" })).id);
  });
  afterAll(() => app.stop());

  /** Sends an issue mutation whose result is `IssueResult`, declaring the variables it uses. */
  async function send(person: Person, field: string, vars: Record<string, unknown>) {
    const names = Object.keys(vars);
    const doc = `mutation(${names.map((n) => `$${n}: ${VARIABLE_TYPES[n]}`).join(", ")}) {
      result: ${field}(${names.map((n) => `${n}: $${n}`).join(", ")}) { ${RESULT} }
    }`;
    return (await person.client.request<{ result: any }>(doc, vars)).result;
  }

  async function issueOf(id: string) {
    return (await w.quality.client.request<{ issue: any }>(ISSUE, { id })).issue;
  }

  /** Asserts a refusal with its code (and guard) and that no table and not the issue changed. */
  async function expectRefused(
    issueId: string,
    attempt: () => Promise<any>,
    errorCode: string,
    reason?: string,
  ) {
    const counts = await tableCounts(app.dataSource);
    const before = await issueOf(issueId);
    const result = await attempt();
    expect(result.__typename).toBe("TransitionError");
    expect(result.errorCode).toBe(errorCode);
    if (reason) expect(result.reason).toBe(reason);
    expect(await tableCounts(app.dataSource)).toEqual(counts);
    expect(await issueOf(issueId)).toEqual(before);
    return result;
  }

  /** An issue outside the caller's scope (issue 5 policy) is NOT_FOUND, as if missing, and nothing changes. */
  async function expectHidden(issueId: string, attempt: () => Promise<any>) {
    const counts = await tableCounts(app.dataSource);
    const before = await issueOf(issueId);
    const [error] = await errorsOf(attempt());
    expect(error.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Issue", id: issueId });
    expect(await tableCounts(app.dataSource)).toEqual(counts);
    expect(await issueOf(issueId)).toEqual(before);
  }

  async function register(person: Person = w.agent, input: object = {}) {
    const data = await person.client.request<{ registerComplaint: any }>(REGISTER, {
      input: {
        customerId,
        channel: "PHONE",
        scores: [
          { dimension: "responsiveness", score: 2 },
          { dimension: "overall", score: 3 },
        ],
        comment: "报修后等了两天才有人联系😠",
        title: "客户投诉：维修响应慢",
        ...input,
      },
    });
    return data.registerComplaint;
  }

  /** A complaint taken to `analyzing`, assigned to the service department's lead. */
  async function analyzingIssue(): Promise<{ id: string; version: number }> {
    const { id } = await register();
    const triage = { urgent: true, important: true, impact: "HIGH", departmentId: w.serviceDept };
    expect((await send(w.quality, "triageIssue", { id, input: triage })).state).toBe("triaged");
    expect((await send(w.quality, "assignIssue", { id, assigneeId: w.serviceLead.id })).state).toBe(
      "assigned",
    );
    const started = await send(w.serviceLead, "startAnalysis", { id });
    expect(started.state).toBe("analyzing");
    return { id, version: started.version };
  }

  async function addCause(issueId: string, text: string) {
    const data = await w.serviceLead.client.request<{ addCause: any }>(
      gql`mutation ($input: AddCauseInput!) {
        addCause(input: $input) { __typename ... on Cause { id state } }
      }`,
      { input: { issueId, category: "METHOD", text } },
    );
    expect(data.addCause.__typename).toBe("Cause");
    return data.addCause.id as string;
  }

  async function confirmCause(causeId: string) {
    const data = await w.quality.client.request<{ confirmCause: any }>(
      gql`mutation ($id: ID!) {
        confirmCause(id: $id, evidence: "九月工单数据") { __typename ... on Cause { state } }
      }`,
      { id: causeId },
    );
    expect(data.confirmCause.state).toBe("confirmed");
  }

  /** Action items are another team's API: the plan is drafted straight into the table here. */
  async function insertDraftAction(issueId: string, causeId: string, budget: number | null = null) {
    const repo = app.dataSource.getRepository(ActionItem);
    const item = await repo.save(
      repo.create({
        issueId: Number(issueId),
        causeId: Number(causeId),
        cycle: 1,
        description: "上线自动派单",
        metric: "平均响应时长（小时）",
        baseline: 4,
        target: 1,
        ownerId: Number(w.engineer.id),
        departmentId: Number(w.serviceDept),
        plannedStart: "2026-09-15",
        plannedEnd: "2026-10-10",
        budget,
        progress: 0,
        state: "draft",
      }),
    );
    return String(item.id);
  }

  describe("registerComplaint", () => {
    it("creates the feedback, its scores, the issue, the evidence link and the log in one go", async () => {
      const before = await tableCounts(app.dataSource);
      const issue = await register(w.agent, { tier: undefined, description: "客户第二次来电" });
      const after = await tableCounts(app.dataSource);
      expect(diff(before, after)).toEqual({
        feedback: 1,
        feedback_score: 2,
        issue: 1,
        issue_evidence: 1,
        transition_log: 1,
        // The complaint's SLA clock and its respond, plan and close deadlines.
        complaint_sla: 1,
        scheduled_job: 3,
        // Analytics rollups of the day, under each of the six segment kinds (all, department,
        // region, service type, customer type, engineer): responses, and each of the 2 scores.
        rollup_response: 6,
        rollup_score: 12,
      });
      expect(issue).toMatchObject({
        kind: "COMPLAINT",
        state: "intake",
        cycle: 1,
        version: 1,
        title: "客户投诉：维修响应慢",
        description: "客户第二次来电",
        complaintTier: "TIER_2",
        customer: { id: customerId },
        createdBy: { id: w.agent.id },
        history: [{ event: "CREATE", fromState: "new", toState: "intake", actor: { id: w.agent.id } }],
      });
      expect(issue.evidence).toEqual([
        { id: expect.any(String), source: "COMPLAINT", comment: "报修后等了两天才有人联系😠" },
      ]);
    });

    it("lets a quality specialist register one, with the comment as the default description", async () => {
      const issue = await register(w.quality, { tier: "TIER_1" });
      expect(issue).toMatchObject({ complaintTier: "TIER_1", description: "报修后等了两天才有人联系😠" });
    });

    it("refuses department leads and operations managers with FORBIDDEN, writing nothing", async () => {
      const before = await tableCounts(app.dataSource);
      expect(await errorCodeOf(register(w.serviceLead))).toBe("FORBIDDEN");
      expect(await errorCodeOf(register(w.manager))).toBe("FORBIDDEN");
      const valid = { customerId, channel: "PHONE", scores: [{ dimension: "overall", score: 1 }], title: "投诉" };
      expect(await errorCodeOf(app.client().request(REGISTER, { input: valid }))).toBe("UNAUTHENTICATED");
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });

    it("rolls the whole registration back when the customer or ticket is wrong", async () => {
      const before = await tableCounts(app.dataSource);
      const [missing] = await errorsOf(register(w.agent, { customerId: "999999" }));
      expect(missing.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Customer" });
      const ticket = await app.dataSource.getRepository(ServiceTicket).save({
        code: "T-ISSUE-1",
        customerId: Number(otherCustomerId),
        type: "REPAIR",
        openedAt: new Date("2026-09-01T00:00:00Z"),
      } as Partial<ServiceTicket>);
      const counts = await tableCounts(app.dataSource);
      const [foreign] = await errorsOf(register(w.agent, { ticketId: String(ticket.id) }));
      expect(foreign.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "ticketId" });
      expect(await tableCounts(app.dataSource)).toEqual(counts);
      expect(counts.issue).toBe(before.issue);
    });

    it("refuses bad input with BAD_USER_INPUT naming the field, writing nothing", async () => {
      const before = await tableCounts(app.dataSource);
      const cases: [object, string][] = [
        [{ scores: [{ dimension: "overall", score: 0 }] }, "scores.0.score"],
        [{ scores: [{ dimension: "overall", score: 6 }] }, "scores.0.score"],
        [{ scores: [] }, "scores"],
        [{ scores: Array.from({ length: 21 }, (_, i) => ({ dimension: `d${i}`, score: 3 })) }, "scores"],
        [{ title: "" }, "title"],
        [{ title: "   " }, "title"],
        [{ title: "长".repeat(201) }, "title"],
        [{ comment: "慢".repeat(100_000) }, "comment"],
        [{ customerId: "abc" }, "customerId"],
        [{ ticketId: "-1" }, "ticketId"],
        [{ receivedAt: "2999-01-01T00:00:00.000Z" }, "receivedAt"],
      ];
      for (const [input, field] of cases) {
        const [error] = await errorsOf(register(w.agent, input));
        expect([field, error.extensions?.code]).toEqual([field, "BAD_USER_INPUT"]);
        expect(String(error.extensions?.field)).toContain(field);
      }
      for (const [input, field] of [
        [{ channel: "CARRIER_PIGEON" }, "channel"],
        [{ tier: "TIER_9" }, "tier"],
      ] as const) {
        const [error] = await errorsOf(register(w.agent, input));
        expect(error.extensions?.code).toBe("BAD_USER_INPUT");
        expect(error.message).toContain(field);
      }
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });
  });

  describe("createIssue and linkEvidence", () => {
    const CREATE = gql`
      mutation ($input: CreateIssueInput!) {
        createIssue(input: $input) {
          id kind state frequency impact
          department { id }
          customer { id }
          evidence { id }
          history { event }
        }
      }
    `;
    const LINK = gql`
      mutation ($issueId: ID!, $feedbackIds: [ID!]!) {
        linkEvidence(issueId: $issueId, feedbackIds: $feedbackIds) { id version evidence { id } }
      }
    `;

    it("opens a systemic issue with evidence (quality specialists only)", async () => {
      const a = await register();
      const b = await register();
      const feedbackIds = [a.evidence[0].id, b.evidence[0].id];
      const { createIssue } = await w.quality.client.request<{ createIssue: any }>(CREATE, {
        input: {
          title: "核心客户维修响应 ≥ 4 小时",
          description: "每月 12 次",
          frequency: 12,
          impact: "HIGH",
          departmentId: w.serviceDept,
          evidenceFeedbackIds: [...feedbackIds, feedbackIds[0]],
        },
      });
      expect(createIssue).toMatchObject({
        kind: "SYSTEMIC",
        state: "intake",
        frequency: 12,
        impact: "HIGH",
        department: { id: w.serviceDept },
        customer: null,
        history: [{ event: "CREATE" }],
      });
      expect(createIssue.evidence.map((f: any) => f.id)).toEqual(feedbackIds);

      const before = await tableCounts(app.dataSource);
      const input = { title: "重复问题" };
      expect(await errorCodeOf(w.agent.client.request(CREATE, { input }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(w.manager.client.request(CREATE, { input }))).toBe("FORBIDDEN");
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });

    it("refuses unknown references and bad input naming the field, writing nothing", async () => {
      const before = await tableCounts(app.dataSource);
      const create = (input: object) =>
        errorsOf(w.quality.client.request(CREATE, { input: { title: "问题", ...input } }));
      expect((await create({ departmentId: "999999" }))[0].extensions).toMatchObject({
        code: "NOT_FOUND",
        entity: "Department",
      });
      expect((await create({ customerId: "999999" }))[0].extensions).toMatchObject({
        code: "NOT_FOUND",
        entity: "Customer",
      });
      const cases: [object, string][] = [
        [{ evidenceFeedbackIds: ["999999"] }, "input.evidenceFeedbackIds.0"],
        [{ evidenceFeedbackIds: ["1", "x"] }, "input.evidenceFeedbackIds.1"],
        [{ frequency: -1 }, "frequency"],
        [{ title: " " }, "title"],
        [{ description: "x".repeat(5001) }, "description"],
        [{ departmentId: "1.5" }, "input.departmentId"],
      ];
      // Over 250 items is refused by the request limits before the input is even read.
      expect((await create({ evidenceFeedbackIds: Array.from({ length: 251 }, (_, i) => String(i + 1)) }))[0].extensions).toMatchObject({
        code: "INPUT_ARRAY_TOO_LONG",
        field: "variables.input.evidenceFeedbackIds",
      });
      for (const [input, field] of cases) {
        const [error] = await create(input);
        expect([field, error.extensions?.code]).toEqual([field, "BAD_USER_INPUT"]);
        expect(String(error.extensions?.field)).toContain(field);
      }
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });

    it("adds evidence links idempotently and never removes one", async () => {
      const issue = await register();
      const other = await register();
      const own = issue.evidence[0].id;
      const extra = other.evidence[0].id;
      const link = (feedbackIds: string[], person = w.agent) =>
        person.client.request<{ linkEvidence: any }>(LINK, { issueId: issue.id, feedbackIds });

      const first = (await link([extra, extra])).linkEvidence;
      expect(first.evidence.map((f: any) => f.id)).toEqual([own, extra]);
      const before = await tableCounts(app.dataSource);
      const again = (await link([extra], w.quality)).linkEvidence;
      expect(again.evidence.map((f: any) => f.id)).toEqual([own, extra]);
      // Linking a subset keeps the others: links are only ever added.
      expect((await link([])).linkEvidence.evidence).toHaveLength(2);
      expect(await tableCounts(app.dataSource)).toEqual(before);
      // Linking is not a transition: the issue keeps its version.
      expect(again.version).toBe(issue.version);

      expect(await errorCodeOf(link([extra], w.serviceLead))).toBe("FORBIDDEN");
      const [missing] = await errorsOf(link([extra, "999999"]));
      expect(missing.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "feedbackIds.1" });
      const [bad] = await errorsOf(link(["abc"]));
      expect(bad.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "feedbackIds.0" });
      const [noIssue] = await errorsOf(
        w.agent.client.request(LINK, { issueId: "999999", feedbackIds: [extra] }),
      );
      expect(noIssue.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Issue" });
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });

    it("refuses to link evidence to a cancelled issue", async () => {
      const issue = await register();
      const other = await register();
      expect((await send(w.quality, "cancelIssue", { id: issue.id, reason: "重复登记" })).state).toBe(
        "cancelled",
      );
      const before = await tableCounts(app.dataSource);
      const [error] = await errorsOf(
        w.agent.client.request(LINK, { issueId: issue.id, feedbackIds: [other.evidence[0].id] }),
      );
      expect(error.extensions).toMatchObject({
        code: "INVALID_TRANSITION",
        event: "LINK_EVIDENCE",
        fromState: "cancelled",
      });
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });
  });

  describe("the lifecycle", () => {
    it("walks intake → triaged → assigned → analyzing, refusing every wrong move", async () => {
      const { id, version } = await register();
      const triage = {
        urgent: true,
        important: false,
        impact: "MEDIUM",
        frequency: 3,
        departmentId: w.serviceDept,
        complaintTier: "TIER_1",
      };
      // Wrong state, wrong role, stale version, unknown department: nothing changes.
      await expectRefused(id, () => send(w.quality, "assignIssue", { id, assigneeId: w.serviceLead.id }), "INVALID_TRANSITION", "eventNotAcceptedInState");
      await expectRefused(id, () => send(w.agent, "triageIssue", { id, input: triage }), "NOT_PERMITTED", "actorIsQualitySpecialist");
      await expectRefused(id, () => send(w.manager, "triageIssue", { id, input: triage }), "NOT_PERMITTED", "actorIsQualitySpecialist");
      const stale = await expectRefused(
        id,
        () => send(w.quality, "triageIssue", { id, input: triage, expectedVersion: version + 1 }),
        "VERSION_CONFLICT",
        "versionMismatch",
      );
      expect(stale).toMatchObject({ entity: "ISSUE", entityId: id, fromState: "intake", event: "TRIAGE" });
      const [noDept] = await errorsOf(
        send(w.quality, "triageIssue", { id, input: { ...triage, departmentId: "999999" } }),
      );
      expect(noDept.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Department" });

      const triaged = await send(w.quality, "triageIssue", { id, input: triage, expectedVersion: version });
      expect(triaged).toMatchObject({ __typename: "Issue", state: "triaged", version: version + 1 });
      const row = await app.dataSource.getRepository(Issue).findOneByOrFail({ id: Number(id) });
      expect(row).toMatchObject({
        urgent: true,
        important: false,
        impact: "MEDIUM",
        frequency: 3,
        departmentId: Number(w.serviceDept),
        complaintTier: "TIER_1",
      });

      await expectRefused(id, () => send(w.serviceLead, "assignIssue", { id, assigneeId: w.serviceLead.id }), "NOT_PERMITTED");
      const [noUser] = await errorsOf(send(w.quality, "assignIssue", { id, assigneeId: "999999" }));
      expect(noUser.extensions).toMatchObject({ code: "NOT_FOUND", entity: "User" });
      const assigned = await send(w.manager, "assignIssue", { id, assigneeId: w.engineer.id });
      expect(assigned.state).toBe("assigned");
      // Reassignment is a logged self-transition; the new assignee is who the guards see.
      const reassigned = await send(w.quality, "assignIssue", { id, assigneeId: w.serviceLead.id });
      expect(reassigned).toMatchObject({ state: "assigned", version: assigned.version + 1 });
      // No longer assigned, the agent and the other department's lead do not see the issue.
      await expectHidden(id, () => send(w.engineer, "startAnalysis", { id }));
      await expectHidden(id, () => send(w.techLead, "startAnalysis", { id }));
      expect((await send(w.serviceLead, "startAnalysis", { id })).state).toBe("analyzing");

      const { issue } = await w.quality.client.request<{ issue: any }>(
        gql`query ($id: ID!) { issue(id: $id) {
          quadrant priority assignee { id } department { id }
          history { event fromState toState actor { id } }
        } }`,
        { id },
      );
      expect(issue).toMatchObject({
        quadrant: "URGENT_NOT_IMPORTANT",
        priority: 3,
        assignee: { id: w.serviceLead.id },
        department: { id: w.serviceDept },
      });
      expect(issue.history.map((h: any) => [h.event, h.fromState, h.toState, h.actor.id])).toEqual([
        ["CREATE", "new", "intake", w.agent.id],
        ["TRIAGE", "intake", "triaged", w.quality.id],
        ["ASSIGN", "triaged", "assigned", w.manager.id],
        ["ASSIGN", "assigned", "assigned", w.quality.id],
        ["START_ANALYSIS", "assigned", "analyzing", w.serviceLead.id],
      ]);
    });

    it("proposes, rejects and approves a plan, approving every draft action with it", async () => {
      const { id } = await analyzingIssue();
      const cause = await addCause(id, "派单需人工审核");
      const hypothesis = await addCause(id, "夜班人手不足");

      await expectRefused(id, () => send(w.serviceLead, "proposePlan", { id }), "PRECONDITION_FAILED", "hasConfirmedRootCause");
      await confirmCause(cause);
      await expectRefused(id, () => send(w.serviceLead, "proposePlan", { id }), "PRECONDITION_FAILED", "hasDraftAction");
      const budgeted = await insertDraftAction(id, cause, 20000);
      const untraced = await insertDraftAction(id, hypothesis);
      await expectRefused(id, () => send(w.serviceLead, "proposePlan", { id }), "PRECONDITION_FAILED", "allDraftActionsTraced");
      await app.dataSource.getRepository(ActionItem).update({ id: Number(untraced) }, { causeId: Number(cause) });
      await expectHidden(id, () => send(w.techLead, "proposePlan", { id }));
      await expectRefused(id, () => send(w.serviceLead, "approvePlan", { id }), "INVALID_TRANSITION", "eventNotAcceptedInState");

      const proposed = await send(w.serviceLead, "proposePlan", { id });
      expect(proposed.state).toBe("planApproval");

      // Only the operations manager approves; budgeted actions must be named explicitly.
      await expectRefused(id, () => send(w.serviceLead, "approvePlan", { id, approvedBudgetActionItemIds: [budgeted] }), "NOT_PERMITTED", "actorIsOperationsManager");
      await expectRefused(id, () => send(w.quality, "approvePlan", { id, approvedBudgetActionItemIds: [budgeted] }), "NOT_PERMITTED", "actorIsOperationsManager");
      await expectRefused(id, () => send(w.manager, "approvePlan", { id }), "PRECONDITION_FAILED", "allBudgetedActionsApproved");
      await expectRefused(id, () => send(w.manager, "approvePlan", { id, approvedBudgetActionItemIds: [untraced] }), "PRECONDITION_FAILED", "allBudgetedActionsApproved");
      await expectRefused(
        id,
        () => send(w.manager, "approvePlan", { id, approvedBudgetActionItemIds: [budgeted], expectedVersion: proposed.version - 1 }),
        "VERSION_CONFLICT",
      );
      const counts = await tableCounts(app.dataSource);
      const [stray] = await errorsOf(send(w.manager, "approvePlan", { id, approvedBudgetActionItemIds: [budgeted, "999999"] }));
      expect(stray.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "approvedBudgetActionItemIds.1" });

      // Rejection needs a non-blank comment of reasonable length.
      await expectRefused(id, () => send(w.manager, "rejectPlan", { id, comment: "   " }), "PRECONDITION_FAILED", "reasonProvided");
      await expectRefused(id, () => send(w.quality, "rejectPlan", { id, comment: "不行" }), "NOT_PERMITTED", "actorIsOperationsManager");
      const [long] = await errorsOf(send(w.manager, "rejectPlan", { id, comment: "长".repeat(5001) }));
      expect(long.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "comment" });
      expect(await tableCounts(app.dataSource)).toEqual(counts);

      expect((await send(w.manager, "rejectPlan", { id, comment: "预算需拆分说明" })).state).toBe("analyzing");
      expect((await send(w.serviceLead, "proposePlan", { id })).state).toBe("planApproval");
      const approved = await send(w.manager, "approvePlan", {
        id,
        approvedBudgetActionItemIds: [budgeted],
        comment: "同意",
      });
      expect(approved.state).toBe("inProgress");

      const actions = await app.dataSource.getRepository(ActionItem).find({ where: { issueId: Number(id) }, order: { id: "ASC" } });
      expect(actions.map((a) => [a.state, a.version])).toEqual([["approved", 2], ["approved", 2]]);
      const { transitionLog } = await w.quality.client.request<{ transitionLog: any }>(
        gql`query ($id: ID!) { transitionLog(filter: { entityType: ACTION_ITEM, entityId: $id }) { nodes { event fromState toState reason } } }`,
        { id: budgeted },
      );
      expect(transitionLog.nodes).toEqual([{ event: "APPROVE", fromState: "draft", toState: "approved", reason: "同意" }]);
      const { issue } = await w.quality.client.request<{ issue: any }>(
        gql`query ($id: ID!) { issue(id: $id) { actionItems { id state } history { event reason } } }`,
        { id },
      );
      expect(issue.actionItems).toEqual([{ id: budgeted, state: "approved" }, { id: untraced, state: "approved" }]);
      expect(issue.history.slice(-4)).toEqual([
        { event: "PROPOSE_PLAN", reason: null },
        { event: "REJECT_PLAN", reason: "预算需拆分说明" },
        { event: "PROPOSE_PLAN", reason: null },
        { event: "APPROVE_PLAN", reason: "同意" },
      ]);
    });

    it("verifies, closes, reopens in a new cycle and cancels", async () => {
      const { id } = await analyzingIssue();
      const cause = await addCause(id, "派单需人工审核");
      await confirmCause(cause);
      const action = await insertDraftAction(id, cause);
      await send(w.serviceLead, "proposePlan", { id });
      expect((await send(w.manager, "approvePlan", { id })).state).toBe("inProgress");

      await expectRefused(id, () => send(w.quality, "startVerification", { id }), "PRECONDITION_FAILED", "noOpenActions");
      await expectRefused(id, () => send(w.quality, "closeIssue", { id }), "INVALID_TRANSITION", "eventNotAcceptedInState");
      await app.dataSource.getRepository(ActionItem).update({ id: Number(action) }, { state: "done", progress: 100 });
      await expectHidden(id, () => send(w.techLead, "startVerification", { id }));
      expect((await send(w.serviceLead, "startVerification", { id })).state).toBe("verifying");

      await expectRefused(id, () => send(w.quality, "closeIssue", { id }), "PRECONDITION_FAILED", "hasPassedVerification");
      const checks = app.dataSource.getRepository(VerificationCheck);
      await checks.save(
        checks.create({
          issueId: Number(id),
          cycle: 1,
          metric: "响应及时性",
          direction: "HIGHER_IS_BETTER",
          threshold: 0.5,
          baseline: 2.5,
          result: 4,
          state: "passed",
          createdById: Number(w.quality.id),
        } as Partial<VerificationCheck>),
      );
      await expectRefused(id, () => send(w.serviceLead, "closeIssue", { id }), "NOT_PERMITTED");
      const [long] = await errorsOf(send(w.quality, "closeIssue", { id, summary: "x".repeat(5001) }));
      expect(long.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "summary" });
      const closed = await send(w.quality, "closeIssue", { id, summary: "响应及时性 2.5 → 4.0" });
      expect(closed).toMatchObject({ state: "closed", cycle: 1 });
      expect((await issueOf(id)).closedAt).toEqual(expect.any(String));

      await expectRefused(id, () => send(w.quality, "cancelIssue", { id, reason: "不需要" }), "INVALID_TRANSITION");
      await expectRefused(id, () => send(w.quality, "reopenIssue", { id, reason: " " }), "PRECONDITION_FAILED", "reasonProvided");
      await expectRefused(id, () => send(w.serviceLead, "reopenIssue", { id, reason: "再次投诉" }), "NOT_PERMITTED");
      const reopened = await send(w.manager, "reopenIssue", { id, reason: "同类投诉再次出现" });
      expect(reopened).toMatchObject({ state: "analyzing", cycle: 2 });
      expect((await issueOf(id)).closedAt).toBeNull();

      await expectRefused(id, () => send(w.serviceLead, "cancelIssue", { id, reason: "不做了" }), "NOT_PERMITTED");
      await expectRefused(id, () => send(w.quality, "cancelIssue", { id, reason: "" }), "PRECONDITION_FAILED", "reasonProvided");
      expect((await send(w.quality, "cancelIssue", { id, reason: "并入系统性问题" })).state).toBe("cancelled");
      await expectRefused(id, () => send(w.quality, "cancelIssue", { id, reason: "again" }), "INVALID_TRANSITION");
      await expectRefused(id, () => send(w.manager, "reopenIssue", { id, reason: "again" }), "INVALID_TRANSITION");
      expect((await issueOf(id)).history.map((h: any) => h.event).slice(-6)).toEqual([
        "PROPOSE_PLAN",
        "APPROVE_PLAN",
        "START_VERIFICATION",
        "CLOSE",
        "REOPEN",
        "CANCEL",
      ]);
    });

    it("refuses malformed and unknown ids", async () => {
      const counts = await tableCounts(app.dataSource);
      const [bad] = await errorsOf(send(w.quality, "startAnalysis", { id: "abc" }));
      expect(bad.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
      const [missing] = await errorsOf(send(w.quality, "startAnalysis", { id: "999999" }));
      expect(missing.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Issue" });
      expect(await tableCounts(app.dataSource)).toEqual(counts);
      expect((await w.quality.client.request<{ issue: unknown }>(ISSUE, { id: "999999" })).issue).toBeNull();
      const [query] = await errorsOf(w.quality.client.request(ISSUE, { id: "abc" }));
      expect(query.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
      expect(await errorCodeOf(app.client().request(ISSUE, { id: "1" }))).toBe("UNAUTHENTICATED");
    });
  });

  describe("nextEvents", () => {
    const NEXT = gql`query ($id: ID!) { issue(id: $id) { nextEvents } }`;
    const nextFor = async (person: Person, id: string) =>
      (await person.client.request<{ issue: { nextEvents: string[] } | null }>(NEXT, { id })).issue?.nextEvents ?? null;

    it("differs per role and follows the facts", async () => {
      const { id } = await register();
      expect(await nextFor(w.quality, id)).toEqual(["TRIAGE", "CANCEL"]);
      expect(await nextFor(w.manager, id)).toEqual(["CANCEL"]);
      expect(await nextFor(w.agent, id)).toEqual([]);

      await send(w.quality, "triageIssue", {
        id,
        input: { urgent: false, important: true, impact: "LOW", departmentId: w.serviceDept },
      });
      await send(w.quality, "assignIssue", { id, assigneeId: w.serviceLead.id });
      expect(await nextFor(w.serviceLead, id)).toEqual(["START_ANALYSIS"]);
      expect(await nextFor(w.techLead, id)).toBeNull(); // another department's issue is hidden
      expect(await nextFor(w.quality, id)).toEqual(["ASSIGN", "START_ANALYSIS", "CANCEL"]);

      await send(w.serviceLead, "startAnalysis", { id });
      expect(await nextFor(w.serviceLead, id)).toEqual(["EDIT_ANALYSIS"]);
      expect(await nextFor(w.techLead, id)).toBeNull(); // another department's issue is hidden
      const cause = await addCause(id, "派单需人工审核");
      await confirmCause(cause);
      await insertDraftAction(id, cause);
      expect(await nextFor(w.serviceLead, id)).toEqual(["EDIT_ANALYSIS", "PROPOSE_PLAN"]);
      expect(await nextFor(w.quality, id)).toEqual(["EDIT_ANALYSIS", "PROPOSE_PLAN", "CANCEL"]);

      await send(w.serviceLead, "proposePlan", { id });
      expect(await nextFor(w.manager, id)).toEqual(["APPROVE_PLAN", "REJECT_PLAN", "CANCEL"]);
      expect(await nextFor(w.serviceLead, id)).toEqual([]);
    });

    it("is computed for a whole page in the same number of statements as for two issues", async () => {
      const selectsFor = async (first: number) => {
        app.statements.length = 0;
        const { issues } = await w.quality.client.request<{ issues: { nodes: any[] } }>(
          gql`query ($first: Int) { issues(first: $first) { nodes { id nextEvents } } }`,
          { first },
        );
        expect(issues.nodes).toHaveLength(first);
        return app.statements.filter((sql) => /^\s*SELECT/i.test(sql)).length;
      };
      expect(await selectsFor(10)).toBe(await selectsFor(2));
    });
  });

  describe("issues()", () => {
    const LIST = gql`
      query ($filter: IssueFilter, $first: Int, $after: String) {
        issues(filter: $filter, first: $first, after: $after) {
          totalCount
          nodes { id }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    const ids = async (filter: object) =>
      (await w.quality.client.request<{ issues: any }>(LIST, { filter })).issues.nodes.map((n: any) => n.id);
    let a: string;
    let b: string;
    let c: string;
    let startedAt: string;

    beforeAll(async () => {
      // SQLite's column default stores creation times to the second ("… 12:00:01"): start
      // the issues below on a fresh second and filter from 1 ms before it, so that they are
      // inside the window and every issue created earlier is strictly before it.
      const next = Math.ceil((Date.now() + 2) / 1000) * 1000;
      await new Promise((resolve) => setTimeout(resolve, next - Date.now() + 5));
      startedAt = new Date(next - 1).toISOString();
      a = (await register(w.agent, { customerId: otherCustomerId })).id;
      b = (await register(w.agent, { customerId: otherCustomerId })).id;
      await send(w.quality, "triageIssue", {
        id: b,
        input: { urgent: true, important: true, impact: "HIGH", departmentId: w.techDept },
      });
      await send(w.quality, "assignIssue", { id: b, assigneeId: w.techLead.id });
      const { createIssue } = await w.quality.client.request<{ createIssue: { id: string } }>(
        gql`mutation { createIssue(input: { title: "系统性：备件缺货" }) { id } }`,
      );
      c = createIssue.id;
    });

    it("filters by state, kind, department, assignee, customer, quadrant and creation time", async () => {
      expect(await ids({ customerId: otherCustomerId })).toEqual([b, a]);
      expect(await ids({ customerId: otherCustomerId, states: ["intake"] })).toEqual([a]);
      expect(await ids({ customerId: otherCustomerId, states: ["intake", "assigned"] })).toEqual([b, a]);
      expect(await ids({ departmentId: w.techDept })).toEqual([b]);
      expect(await ids({ assigneeId: w.techLead.id })).toEqual([b]);
      expect(await ids({ quadrant: "URGENT_IMPORTANT", customerId: otherCustomerId })).toEqual([b]);
      expect(await ids({ quadrant: "NEITHER", customerId: otherCustomerId })).toEqual([a]);
      expect(await ids({ kind: "SYSTEMIC", createdFrom: startedAt })).toEqual([c]);
      expect(await ids({ createdFrom: startedAt })).toEqual([c, b, a]);
      expect(await ids({ createdTo: startedAt, customerId: otherCustomerId })).toEqual([]);
    });

    it("pages newest first with cursors", async () => {
      const first = (await w.quality.client.request<{ issues: any }>(LIST, { filter: { createdFrom: startedAt }, first: 2 })).issues;
      expect(first).toMatchObject({ totalCount: 3, nodes: [{ id: c }, { id: b }], pageInfo: { hasNextPage: true } });
      const second = (
        await w.quality.client.request<{ issues: any }>(LIST, {
          filter: { createdFrom: startedAt },
          first: 2,
          after: first.pageInfo.endCursor,
        })
      ).issues;
      expect(second).toMatchObject({ nodes: [{ id: a }], pageInfo: { hasNextPage: false } });
    });

    it("refuses bad filters naming the field", async () => {
      const [state] = await errorsOf(w.quality.client.request(LIST, { filter: { states: ["done"] } }));
      expect(state.extensions?.code).toBe("BAD_USER_INPUT");
      expect(String(state.extensions?.field)).toContain("states");
      const [dept] = await errorsOf(w.quality.client.request(LIST, { filter: { departmentId: "abc" } }));
      expect(dept.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.departmentId" });
      const [quadrant] = await errorsOf(w.quality.client.request(LIST, { filter: { quadrant: "SOMEDAY" } }));
      expect(quadrant.extensions?.code).toBe("BAD_USER_INPUT");
      const [size] = await errorsOf(w.quality.client.request(LIST, { first: 101 }));
      expect(size.extensions?.code).toBe("PAGE_SIZE_OUT_OF_RANGE");
    });
  });
});

/** Per-table row-count differences, leaving out unchanged tables. */
function diff(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((table) => after[table] !== before[table])
      .map((table) => [table, after[table] - before[table]]),
  );
}
