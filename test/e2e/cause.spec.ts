import { gql } from "graphql-request";
import { ActionItem, Customer } from "../../src/entity";
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
 * Fishbone causes through the GraphQL API: adding hypotheses (gated by the issue machine's
 * EDIT_ANALYSIS), why-chains, judging them on evidence with the cause machine, and the refusals,
 * each of which changes nothing.
 */

const CAUSE_RESULT = `
  __typename
  ... on Cause { id state version text category evidence }
  ... on TransitionError { errorCode reason fromState event entity entityId }
`;

const ADD = `mutation ($input: AddCauseInput!) { result: addCause(input: $input) { ${CAUSE_RESULT} } }`;

const CAUSE_QUERY = gql`
  query ($id: ID!) {
    issue(id: $id) {
      state
      version
      history { event }
      causes { id state version evidence }
    }
  }
`;

describe("fishbone causes", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    customerId = String((await app.dataSource.getRepository(Customer).save({ name: "华东物流" })).id);
  });
  afterAll(() => app.stop());

  async function issueMutation(person: Person, field: string, id: string, extra = "") {
    const data = await person.client.request<{ result: any }>(
      `mutation ($id: ID!) { result: ${field}(id: $id${extra}) { __typename ... on Issue { state } } }`,
      { id },
    );
    expect(data.result.__typename).toBe("Issue");
    return data.result;
  }

  /** A complaint triaged to the service department and assigned to the engineer. */
  async function assignedIssue(): Promise<string> {
    const { registerComplaint } = await w.agent.client.request<{ registerComplaint: { id: string } }>(
      gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId,
          channel: "PHONE",
          scores: [{ dimension: "responsiveness", score: 2 }],
          title: "客户投诉：维修响应慢",
        },
      },
    );
    const id = registerComplaint.id;
    await w.quality.client.request(
      gql`mutation ($id: ID!, $dept: ID!) {
        triageIssue(id: $id, input: { urgent: true, important: true, impact: HIGH, departmentId: $dept }) {
          __typename
        }
      }`,
      { id, dept: w.serviceDept },
    );
    await w.quality.client.request(
      gql`mutation ($id: ID!, $a: ID!) { assignIssue(id: $id, assigneeId: $a) { __typename } }`,
      { id, a: w.engineer.id },
    );
    return id;
  }

  async function analyzingIssue(): Promise<string> {
    const id = await assignedIssue();
    await issueMutation(w.engineer, "startAnalysis", id);
    return id;
  }

  async function add(person: Person, input: object) {
    return (await person.client.request<{ result: any }>(ADD, { input })).result;
  }

  async function judge(person: Person, field: string, id: string, text: string, expectedVersion?: number) {
    const arg = field === "reopenCause" ? "reason" : "evidence";
    const doc = `mutation ($id: ID!, $t: String!, $v: Int) {
      result: ${field}(id: $id, ${arg}: $t, expectedVersion: $v) { ${CAUSE_RESULT} }
    }`;
    return (await person.client.request<{ result: any }>(doc, { id, t: text, v: expectedVersion })).result;
  }

  async function snapshot(issueId: string) {
    return {
      counts: await tableCounts(app.dataSource),
      issue: (await w.quality.client.request<{ issue: any }>(CAUSE_QUERY, { id: issueId })).issue,
    };
  }

  /** Asserts a refusal with its code (and guard) and that nothing at all changed. */
  async function expectRefused(issueId: string, attempt: () => Promise<any>, errorCode: string, reason?: string) {
    const before = await snapshot(issueId);
    const result = await attempt();
    expect(result.__typename).toBe("TransitionError");
    expect(result.errorCode).toBe(errorCode);
    if (reason) expect(result.reason).toBe(reason);
    expect(await snapshot(issueId)).toEqual(before);
    return result;
  }

  describe("addCause", () => {
    it("adds hypotheses and why-chains without touching the issue's version or history", async () => {
      const issueId = await analyzingIssue();
      const before = await snapshot(issueId);
      const method = await add(w.engineer, { issueId, category: "METHOD", text: "派单需人工审核，平均延误 2 小时" });
      expect(method).toMatchObject({ __typename: "Cause", state: "hypothesis", version: 1, evidence: null });
      // The quality specialist and the lead of the issue's department may add causes too.
      const man = await add(w.quality, { issueId, category: "MAN", text: "夜班调度人手不足", parentId: method.id });
      const env = await add(w.serviceLead, { issueId, category: "ENVIRONMENT", text: "雨季路况差𠀀", parentId: man.id });
      expect(env.text).toBe("雨季路况差𠀀");

      const after = await snapshot(issueId);
      expect(after.issue.version).toBe(before.issue.version);
      expect(after.issue.history).toEqual(before.issue.history);
      expect(after.counts.cause - before.counts.cause).toBe(3);
      expect(after.counts.transition_log - before.counts.transition_log).toBe(3);

      const { issue } = await w.quality.client.request<{ issue: any }>(
        gql`query ($id: ID!) {
          issue(id: $id) {
            causes {
              id category
              parent { id }
              children { id }
              issue { id }
              history { event fromState toState actor { id } }
            }
          }
        }`,
        { id: issueId },
      );
      expect(issue.causes).toEqual([
        {
          id: method.id,
          category: "METHOD",
          parent: null,
          children: [{ id: man.id }],
          issue: { id: issueId },
          history: [{ event: "CREATE", fromState: "new", toState: "hypothesis", actor: { id: w.engineer.id } }],
        },
        expect.objectContaining({ id: man.id, parent: { id: method.id }, children: [{ id: env.id }] }),
        expect.objectContaining({ id: env.id, parent: { id: man.id }, children: [] }),
      ]);
    });

    it("refuses people who may not edit the analysis, and issues not in analysis", async () => {
      const issueId = await analyzingIssue();
      const input = { issueId, category: "METHOD", text: "流程复杂" };
      // Issue 5 policy: the other department's lead does not see the issue at all.
      for (const person of [w.techLead]) {
        const counts = await tableCounts(app.dataSource);
        const [hidden] = await errorsOf(add(person, input));
        expect(hidden.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Issue", id: issueId });
        expect(await tableCounts(app.dataSource)).toEqual(counts);
      }
      for (const person of [w.agent, w.manager]) {
        const refused = await expectRefused(issueId, () => add(person, input), "NOT_PERMITTED", "actorMayEditAnalysis");
        expect(refused).toMatchObject({ entity: "ISSUE", entityId: issueId, event: "EDIT_ANALYSIS", fromState: "analyzing" });
      }
      const assigned = await assignedIssue();
      await expectRefused(
        assigned,
        () => add(w.quality, { ...input, issueId: assigned }),
        "INVALID_TRANSITION",
        "eventNotAcceptedInState",
      );
    });

    it("refuses bad input naming the field, writing nothing", async () => {
      const issueId = await analyzingIssue();
      const otherIssue = await analyzingIssue();
      const foreign = await add(w.quality, { issueId: otherIssue, category: "MAN", text: "别的问题的原因" });
      const before = await tableCounts(app.dataSource);
      const cases: [object, string][] = [
        [{ text: "" }, "text"],
        [{ text: "   " }, "text"],
        [{ text: "因".repeat(501) }, "text"],
        [{ issueId: "abc" }, "input.issueId"],
        [{ parentId: "0" }, "input.parentId"],
        [{ parentId: foreign.id }, "input.parentId"],
        [{ parentId: "999999" }, "input.parentId"],
      ];
      for (const [override, field] of cases) {
        const [error] = await errorsOf(add(w.quality, { issueId, category: "METHOD", text: "原因", ...override }));
        expect([field, error.extensions?.code]).toEqual([field, "BAD_USER_INPUT"]);
        expect(String(error.extensions?.field)).toContain(field);
      }
      const [category] = await errorsOf(add(w.quality, { issueId, category: "MONEY", text: "原因" }));
      expect(category.extensions?.code).toBe("BAD_USER_INPUT");
      expect(category.message).toContain("category");
      const [missing] = await errorsOf(add(w.quality, { issueId: "999999", category: "MAN", text: "原因" }));
      expect(missing.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Issue" });
      expect(await errorCodeOf(app.client().request(ADD, { input: { issueId, category: "MAN", text: "x" } }))).toBe(
        "UNAUTHENTICATED",
      );
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });
  });

  describe("judging causes", () => {
    it("confirms, refutes and reopens on evidence, storing and logging it", async () => {
      const issueId = await analyzingIssue();
      const a = await add(w.engineer, { issueId, category: "METHOD", text: "派单需人工审核" });
      const b = await add(w.engineer, { issueId, category: "MAN", text: "夜班人手不足" });

      const confirmed = await judge(w.engineer, "confirmCause", a.id, "  9 月工单：人工审核平均 2.1 小时  ");
      expect(confirmed).toMatchObject({ state: "confirmed", version: 2, evidence: "9 月工单：人工审核平均 2.1 小时" });
      expect((await judge(w.quality, "refuteCause", b.id, "夜班工单仅占 4%")).state).toBe("refuted");
      const reopened = await judge(w.quality, "reopenCause", b.id, "新数据：夜班延误上升", 2);
      expect(reopened).toMatchObject({ state: "hypothesis", version: 3, evidence: "新数据：夜班延误上升" });

      const { issue } = await w.quality.client.request<{ issue: any }>(
        gql`query ($id: ID!) { issue(id: $id) { version causes { id history { event fromState toState reason } } } }`,
        { id: issueId },
      );
      expect(issue.causes[1].history).toEqual([
        { event: "CREATE", fromState: "new", toState: "hypothesis", reason: null },
        { event: "REFUTE", fromState: "hypothesis", toState: "refuted", reason: "夜班工单仅占 4%" },
        { event: "REOPEN", fromState: "refuted", toState: "hypothesis", reason: "新数据：夜班延误上升" },
      ]);
    });

    it("refuses wrong people, blank evidence, stale versions and wrong states, changing nothing", async () => {
      const issueId = await analyzingIssue();
      const cause = await add(w.engineer, { issueId, category: "METHOD", text: "派单需人工审核" });
      // The lead of the department may add causes, but judging is for the assignee and quality.
      // Issue 5 policy: the other department's lead does not see the cause at all.
      for (const person of [w.techLead]) {
        const counts = await tableCounts(app.dataSource);
        const [hidden] = await errorsOf(judge(person, "confirmCause", cause.id, "证据"));
        expect(hidden.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Cause", id: cause.id });
        expect(await tableCounts(app.dataSource)).toEqual(counts);
      }
      for (const person of [w.serviceLead, w.agent, w.manager]) {
        const refused = await expectRefused(
          issueId,
          () => judge(person, "confirmCause", cause.id, "证据"),
          "NOT_PERMITTED",
          "actorIsQualitySpecialistOrIssueAssignee",
        );
        expect(refused).toMatchObject({ entity: "CAUSE", entityId: cause.id, event: "CONFIRM", fromState: "hypothesis" });
      }
      await expectRefused(issueId, () => judge(w.quality, "confirmCause", cause.id, "   "), "PRECONDITION_FAILED", "reasonProvided");
      await expectRefused(issueId, () => judge(w.quality, "confirmCause", cause.id, "证据", 2), "VERSION_CONFLICT", "versionMismatch");
      await expectRefused(issueId, () => judge(w.quality, "reopenCause", cause.id, "重新判断"), "INVALID_TRANSITION", "eventNotAcceptedInState");

      const counts = await tableCounts(app.dataSource);
      const [long] = await errorsOf(judge(w.quality, "confirmCause", cause.id, "证".repeat(5001)));
      expect(long.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "evidence" });
      const [bad] = await errorsOf(judge(w.quality, "confirmCause", "abc", "证据"));
      expect(bad.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
      const [missing] = await errorsOf(judge(w.quality, "confirmCause", "999999", "证据"));
      expect(missing.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Cause" });
      expect(await tableCounts(app.dataSource)).toEqual(counts);

      expect((await judge(w.quality, "confirmCause", cause.id, "证据", 1)).state).toBe("confirmed");
      await expectRefused(issueId, () => judge(w.quality, "refuteCause", cause.id, "反证"), "INVALID_TRANSITION");
    });

    it("judges causes only while the issue is analyzing", async () => {
      const issueId = await analyzingIssue();
      const root = await add(w.engineer, { issueId, category: "METHOD", text: "派单需人工审核" });
      const other = await add(w.engineer, { issueId, category: "MACHINE", text: "派单系统宕机" });
      await judge(w.engineer, "confirmCause", root.id, "工单数据");
      await app.dataSource.getRepository(ActionItem).save({
        issueId: Number(issueId),
        causeId: Number(root.id),
        cycle: 1,
        description: "自动派单",
        metric: "响应时长",
        target: 1,
        ownerId: Number(w.engineer.id),
        departmentId: Number(w.serviceDept),
        plannedStart: "2026-09-15",
        plannedEnd: "2026-10-10",
        state: "draft",
      } as Partial<ActionItem>);
      await issueMutation(w.engineer, "proposePlan", issueId);

      await expectRefused(issueId, () => judge(w.engineer, "refuteCause", other.id, "证据"), "PRECONDITION_FAILED", "issueIsAnalyzing");
      await expectRefused(issueId, () => judge(w.quality, "reopenCause", root.id, "证据"), "PRECONDITION_FAILED", "issueIsAnalyzing");
      await expectRefused(
        issueId,
        () => add(w.engineer, { issueId, category: "MAN", text: "迟到的原因" }),
        "INVALID_TRANSITION",
        "eventNotAcceptedInState",
      );

      const { issue } = await w.quality.client.request<{ issue: any }>(
        gql`query ($id: ID!) { issue(id: $id) { causes { id nextEvents actionItems { state } } } }`,
        { id: issueId },
      );
      expect(issue.causes).toEqual([
        { id: root.id, nextEvents: [], actionItems: [{ state: "draft" }] },
        { id: other.id, nextEvents: [], actionItems: [] },
      ]);
    });
  });

  describe("nextEvents", () => {
    it("differs per role and follows the cause's state", async () => {
      const issueId = await analyzingIssue();
      const cause = await add(w.engineer, { issueId, category: "METHOD", text: "派单需人工审核" });
      const NEXT = gql`query ($id: ID!) { issue(id: $id) { causes { nextEvents } } }`;
      const nextFor = async (person: Person) =>
        (await person.client.request<{ issue: any }>(NEXT, { id: issueId })).issue.causes[0].nextEvents;

      expect(await nextFor(w.engineer)).toEqual(["CONFIRM", "REFUTE"]);
      expect(await nextFor(w.quality)).toEqual(["CONFIRM", "REFUTE"]);
      expect(await nextFor(w.serviceLead)).toEqual([]);
      expect(await nextFor(w.manager)).toEqual([]);
      await judge(w.quality, "refuteCause", cause.id, "反证");
      expect(await nextFor(w.engineer)).toEqual(["REOPEN"]);
      expect(await nextFor(w.agent)).toEqual([]);
    });
  });
});
