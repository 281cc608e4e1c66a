import { gql } from "graphql-request";
import { IssueKind } from "../../src/common/enums";
import { Issue, IssueEvidence } from "../../src/entity";
import { createWorld, errorsOf, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const CHECK_FIELDS = `
  __typename
  ... on VerificationCheck {
    id state version cycle metric dimension direction threshold
    baseline baselineSampleSize result sampleSize improvement verdict
    nextEvents
    issue { id }
  }
  ... on TransitionError { errorCode reason entity entityId fromState event }
`;

const PLAN = gql`
  mutation ($input: PlanVerificationCheckInput!) {
    result: planVerificationCheck(input: $input) { ${CHECK_FIELDS} }
  }
`;
const START = gql`
  mutation ($id: ID!, $expectedVersion: Int) {
    result: startVerificationSurvey(id: $id, expectedVersion: $expectedVersion) { ${CHECK_FIELDS} }
  }
`;
const COMPLETE = gql`
  mutation ($id: ID!, $input: CompleteVerificationInput!, $expectedVersion: Int) {
    result: completeVerificationCheck(id: $id, input: $input, expectedVersion: $expectedVersion) { ${CHECK_FIELDS} }
  }
`;
const CANCEL = gql`
  mutation ($id: ID!, $reason: String!) {
    result: cancelVerificationCheck(id: $id, reason: $reason) { ${CHECK_FIELDS} }
  }
`;
const CHECK = gql`
  query ($id: ID!) {
    verificationCheck(id: $id) {
      state version result sampleSize completedAt
      history { event fromState toState reason actor { name } }
    }
  }
`;

// The survey windows of the story, in the past: baseline in August, re-survey in October.
const BEFORE = { beforeFrom: "2026-08-01T00:00:00.000Z", beforeTo: "2026-09-01T00:00:00.000Z" };
const AFTER = { afterFrom: "2026-10-01T00:00:00.000Z", afterTo: "2026-11-01T00:00:00.000Z" };

describe("verification checks: proving an improvement worked", () => {
  let app: TestApp;
  let world: World;
  /** Three affected customers (evidence) and one bystander. */
  let customers: string[];
  let bystander: string;
  let verifyingIssue: number;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    const create = async (name: string) =>
      (
        await world.agent.client.request<{ createCustomer: { id: string } }>(
          gql`
            mutation ($name: String!) {
              createCustomer(input: { name: $name }) {
                id
              }
            }
          `,
          { name },
        )
      ).createCustomer.id;
    customers = [await create("客户甲"), await create("客户乙"), await create("客户丙")];
    bystander = await create("无关客户");

    // Baseline feedback in August: 3, 3 and 4 on responsiveness from the affected customers.
    const evidence = [
      await record(customers[0], { responsiveness: 3, attitude: 1 }, "2026-08-05T02:00:00.000Z"),
      await record(customers[1], { responsiveness: 3 }, "2026-08-06T02:00:00.000Z"),
      await record(customers[2], { responsiveness: 4 }, "2026-08-31T23:59:59.999Z"),
    ];
    // None of these may count: a bystander, an invalid rating, and one at the exclusive end.
    await record(bystander, { responsiveness: 1 }, "2026-08-10T02:00:00.000Z");
    const invalid = await record(customers[0], { responsiveness: 1 }, "2026-08-11T02:00:00.000Z");
    await markInvalid(invalid);
    await record(customers[1], { responsiveness: 1 }, BEFORE.beforeTo);
    await record(customers[1], { responsiveness: 1 }, "2026-07-31T23:59:59.999Z");

    // The third customer is the issue's own customer too; counting them once is the point.
    verifyingIssue = await issueRow("verifying", customers[2], evidence);
  });
  afterAll(() => app.stop());

  async function record(customerId: string, scores: Record<string, number>, receivedAt: string): Promise<string> {
    const data = await world.agent.client.request<{ recordFeedback: { id: string } }>(
      gql`
        mutation ($input: RecordFeedbackInput!) {
          recordFeedback(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          customerId,
          channel: "PHONE",
          scores: Object.entries(scores).map(([dimension, score]) => ({ dimension, score })),
          receivedAt,
        },
      },
    );
    return data.recordFeedback.id;
  }

  async function markInvalid(feedbackId: string) {
    await world.quality.client.request(
      gql`
        mutation ($id: ID!) {
          setFeedbackVerification(id: $id, status: INVALID, note: "工单记录与评价不符") {
            id
          }
        }
      `,
      { id: feedbackId },
    );
  }

  /** An issue row in `state`, written directly: the issue workflow is tested elsewhere. */
  async function issueRow(state: string, customerId: string | null, evidence: string[]): Promise<number> {
    const issue = await app.dataSource.getRepository(Issue).save(
      app.dataSource.getRepository(Issue).create({
        kind: IssueKind.SYSTEMIC,
        title: "维修响应慢",
        description: "核心客户报修响应超过 4 小时",
        state,
        departmentId: Number(world.serviceDept),
        assigneeId: Number(world.serviceLead.id),
        customerId: customerId === null ? null : Number(customerId),
        createdById: Number(world.quality.id),
      }),
    );
    if (evidence.length > 0) {
      await app.dataSource.getRepository(IssueEvidence).insert(
        evidence.map((feedbackId) => ({
          issueId: issue.id,
          feedbackId: Number(feedbackId),
          linkedById: Number(world.quality.id),
        })),
      );
    }
    return issue.id;
  }

  async function issueNow(id: number) {
    const { state, cycle, version } = await app.dataSource.getRepository(Issue).findOneByOrFail({ id });
    return { state, cycle, version };
  }

  async function send(person: World[keyof World], doc: string, vars: object) {
    const data = await (person as World["quality"]).client.request<{ result: any }>(doc, vars);
    return data.result;
  }

  /** Sends a mutation that must be refused with a TransitionError and change nothing. */
  async function refused(person: World[keyof World], doc: string, vars: object) {
    const before = await tableCounts(app.dataSource);
    const result = await send(person, doc, vars);
    expect(result.__typename).toBe("TransitionError");
    expect(await tableCounts(app.dataSource)).toEqual(before);
    return result;
  }

  /** Sends a mutation that must fail with BAD_USER_INPUT and change nothing; returns the field. */
  async function badInput(person: World[keyof World], doc: string, vars: object) {
    const before = await tableCounts(app.dataSource);
    const [error] = await errorsOf((person as World["quality"]).client.request(doc, vars));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await tableCounts(app.dataSource)).toEqual(before);
    return error.extensions?.field;
  }

  const dimensionCheck = (issueId: number, overrides: object = {}) => ({
    input: { issueId: String(issueId), metric: "响应及时性 平均分", dimension: "responsiveness", ...BEFORE, ...overrides },
  });
  const enteredCheck = (issueId: number, baseline: number, overrides: object = {}) => ({
    input: { issueId: String(issueId), metric: "响应及时性 平均分（回访统计）", baseline, sourceNote: "9 月回访统计表", ...overrides },
  });

  describe("a dimension check", () => {
    let checkId: string;

    it("computes the baseline from the affected customers' valid scores in the window: (3 + 3 + 4) / 3", async () => {
      const planned = await send(world.quality, PLAN, dimensionCheck(verifyingIssue));
      expect(planned).toMatchObject({
        __typename: "VerificationCheck",
        state: "planned",
        version: 1,
        cycle: 1,
        dimension: "responsiveness",
        direction: "HIGHER_IS_BETTER",
        threshold: 0.5,
        baseline: 3.3333,
        baselineSampleSize: 3,
        result: null,
        improvement: null,
        verdict: null,
        nextEvents: ["START_SURVEY", "CANCEL"],
        issue: { id: String(verifyingIssue) },
      });
      checkId = planned.id;
      // Issue 5 policy: checks are read where their issue is; the agent here registered none of them.
      const { verificationCheck } = await world.quality.client.request<{ verificationCheck: any }>(CHECK, { id: checkId });
      expect(verificationCheck.history).toEqual([
        { event: "CREATE", fromState: "new", toState: "planned", reason: null, actor: { name: "Quality" } },
      ]);
      // Planning a check is allowed by the issue machine but does not move or version the issue.
      expect(await issueNow(verifyingIssue)).toEqual({ state: "verifying", cycle: 1, version: 1 });
    });

    it("offers the check's events only to quality specialists", async () => {
      const { verificationCheck } = await world.serviceLead.client.request<{ verificationCheck: any }>(
        gql`
          query ($id: ID!) {
            verificationCheck(id: $id) {
              nextEvents
            }
          }
        `,
        { id: checkId },
      );
      expect(verificationCheck.nextEvents).toEqual([]);
    });

    it("refuses a department lead's START_SURVEY as NOT_PERMITTED", async () => {
      const result = await refused(world.serviceLead, START, { id: checkId });
      expect(result).toMatchObject({
        errorCode: "NOT_PERMITTED",
        reason: "actorIsQualitySpecialist",
        entity: "VERIFICATION_CHECK",
        entityId: checkId,
        fromState: "planned",
        event: "START_SURVEY",
      });
    });

    it("refuses a stale expectedVersion with VERSION_CONFLICT", async () => {
      const result = await refused(world.quality, START, { id: checkId, expectedVersion: 7 });
      expect(result).toMatchObject({ errorCode: "VERSION_CONFLICT", reason: "versionMismatch" });
    });

    it("starts the re-survey while the issue is verifying", async () => {
      const surveying = await send(world.quality, START, { id: checkId, expectedVersion: 1 });
      expect(surveying).toMatchObject({ state: "surveying", version: 2, nextEvents: ["COMPLETE", "CANCEL"] });
    });

    it("refuses a typed-in result or sample size: a dimension's result is computed", async () => {
      expect(await badInput(world.quality, COMPLETE, { id: checkId, input: { ...AFTER, result: 4.5 } })).toBe("input.result");
      expect(await badInput(world.quality, COMPLETE, { id: checkId, input: { ...AFTER, sampleSize: 30 } })).toBe(
        "input.sampleSize",
      );
      expect(await badInput(world.quality, COMPLETE, { id: checkId, input: { afterFrom: AFTER.afterFrom } })).toBe(
        "input.afterTo",
      );
      expect(
        await badInput(world.quality, COMPLETE, { id: checkId, input: { afterFrom: AFTER.afterTo, afterTo: AFTER.afterFrom } }),
      ).toBe("input.afterTo");
      const { verificationCheck } = await world.quality.client.request<{ verificationCheck: any }>(CHECK, { id: checkId });
      expect(verificationCheck).toMatchObject({ state: "surveying", version: 2, result: null });
    });

    it("computes the result the same way and passes: (4 + 4 + 5) / 3 is 1 point better", async () => {
      await record(customers[0], { responsiveness: 4 }, "2026-10-03T02:00:00.000Z");
      await record(customers[1], { responsiveness: 4 }, "2026-10-04T02:00:00.000Z");
      await record(customers[2], { responsiveness: 5 }, "2026-10-05T02:00:00.000Z");
      await record(bystander, { responsiveness: 1 }, "2026-10-05T02:00:00.000Z");
      await markInvalid(await record(customers[2], { responsiveness: 1 }, "2026-10-06T02:00:00.000Z"));
      const completed = await send(world.quality, COMPLETE, { id: checkId, input: AFTER });
      expect(completed).toMatchObject({
        state: "passed",
        result: 4.3333,
        sampleSize: 3,
        improvement: 1,
        verdict: "passed",
        nextEvents: [],
      });
      const { verificationCheck } = await world.quality.client.request<{ verificationCheck: any }>(CHECK, { id: checkId });
      expect(verificationCheck.completedAt).not.toBeNull();
      expect(verificationCheck.history.map((h: any) => [h.event, h.fromState, h.toState])).toEqual([
        ["CREATE", "new", "planned"],
        ["START_SURVEY", "planned", "surveying"],
        ["COMPLETE", "surveying", "passed"],
      ]);
      // A pass leaves the issue verifying (closing is the issue's own event).
      expect(await issueNow(verifyingIssue)).toMatchObject({ state: "verifying", cycle: 1 });
    });

    it("refuses a typed-in baseline, a missing window and an empty window", async () => {
      expect(await badInput(world.quality, PLAN, dimensionCheck(verifyingIssue, { baseline: 2 }))).toBe("input.baseline");
      expect(await badInput(world.quality, PLAN, dimensionCheck(verifyingIssue, { beforeFrom: null }))).toBe(
        "input.beforeFrom",
      );
      const empty = { beforeFrom: "2025-01-01T00:00:00.000Z", beforeTo: "2025-02-01T00:00:00.000Z" };
      expect(await badInput(world.quality, PLAN, dimensionCheck(verifyingIssue, empty))).toBe("input.beforeFrom");
      // An issue without evidence or customer affects nobody, so there is nothing to measure.
      const orphan = await issueRow("verifying", null, []);
      expect(await badInput(world.quality, PLAN, dimensionCheck(orphan))).toBe("input.beforeFrom");
    });
  });

  describe("an entered metric", () => {
    async function surveyingCheck(baseline: number, overrides: object = {}) {
      const planned = await send(world.quality, PLAN, enteredCheck(verifyingIssue, baseline, overrides));
      expect(planned).toMatchObject({ state: "planned", baseline, baselineSampleSize: null });
      expect((await send(world.quality, START, { id: planned.id })).state).toBe("surveying");
      return planned.id as string;
    }

    it("requires the baseline's source", async () => {
      expect(await badInput(world.quality, PLAN, enteredCheck(verifyingIssue, 3.6, { sourceNote: " " }))).toBe(
        "input.sourceNote",
      );
      expect(await badInput(world.quality, PLAN, enteredCheck(verifyingIssue, 3.6, { baseline: null }))).toBe(
        "input.baseline",
      );
      expect(await badInput(world.quality, PLAN, enteredCheck(verifyingIssue, 3.6, { threshold: 0 }))).toMatch(
        /(^|\.)threshold$/,
      );
    });

    it("passes at exactly the threshold: 3.6 → 4.1 is +0.5", async () => {
      const id = await surveyingCheck(3.6);
      expect(await badInput(world.quality, COMPLETE, { id, input: { result: 4.1, sampleSize: 40 } })).toBe("input.sourceNote");
      const completed = await send(world.quality, COMPLETE, {
        id,
        input: { result: 4.1, sampleSize: 40, sourceNote: "10 月回访 40 户" },
      });
      expect(completed).toMatchObject({ state: "passed", improvement: 0.5, verdict: "passed", sampleSize: 40 });
      expect(await issueNow(verifyingIssue)).toMatchObject({ state: "verifying", cycle: 1 });
    });

    it("passes when a lower-is-better metric falls by the threshold: 15% → 5% late responses", async () => {
      const id = await surveyingCheck(15, { direction: "LOWER_IS_BETTER", threshold: 10, metric: "响应慢投诉占比 %" });
      const completed = await send(world.quality, COMPLETE, { id, input: { result: 5, sampleSize: 120, sourceNote: "10 月投诉" } });
      expect(completed).toMatchObject({ state: "passed", improvement: 10, verdict: "passed" });
    });

    it("refuses COMPLETE without a sample as PRECONDITION_FAILED", async () => {
      const id = await surveyingCheck(3.6);
      const result = await refused(world.quality, COMPLETE, { id, input: { result: 4.6, sampleSize: 0, sourceNote: "无人回复" } });
      expect(result).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "hasSample", entity: "VERIFICATION_CHECK" });
      const cancelledWithoutReason = await refused(world.quality, CANCEL, { id, reason: "  " });
      expect(cancelledWithoutReason).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "reasonProvided" });
      const cancelled = await send(world.quality, CANCEL, { id, reason: "回访样本不足，改期重做" });
      expect(cancelled).toMatchObject({ state: "cancelled", verdict: null, nextEvents: [] });
    });

    it("fails at +0.49, sending the issue back to analysis in a new cycle, in one transaction", async () => {
      const id = await surveyingCheck(3.6);
      const issueLogBefore = await transitionLog("ISSUE", verifyingIssue);
      const completed = await send(world.quality, COMPLETE, {
        id,
        input: { result: 4.09, sampleSize: 40, sourceNote: "10 月回访 40 户" },
      });
      expect(completed).toMatchObject({ state: "failed", cycle: 1, improvement: 0.49, verdict: "failed" });
      expect(await issueNow(verifyingIssue)).toMatchObject({ state: "analyzing", cycle: 2 });

      const checkLog = await transitionLog("VERIFICATION_CHECK", Number(id));
      expect(checkLog[0]).toMatchObject({ event: "COMPLETE", fromState: "surveying", toState: "failed", reason: "10 月回访 40 户" });
      const issueLog = await transitionLog("ISSUE", verifyingIssue);
      expect(issueLog).toHaveLength(issueLogBefore.length + 1);
      expect(issueLog[0]).toMatchObject({ event: "VERIFICATION_FAILED", fromState: "verifying", toState: "analyzing" });
      expect(issueLog[0].actor).toEqual({ name: "Quality" });
    });

    it("refuses to plan a check while the issue is being analysed", async () => {
      const result = await refused(world.quality, PLAN, enteredCheck(verifyingIssue, 3.6));
      expect(result).toMatchObject({
        errorCode: "INVALID_TRANSITION",
        entity: "ISSUE",
        entityId: String(verifyingIssue),
        fromState: "analyzing",
        event: "PLAN_VERIFICATION",
      });
    });
  });

  describe("the issue gate", () => {
    it("refuses a department lead's plan as NOT_PERMITTED by the issue machine", async () => {
      const issueId = await issueRow("inProgress", customers[0], []);
      const result = await refused(world.serviceLead, PLAN, enteredCheck(issueId, 3.6));
      expect(result).toMatchObject({
        errorCode: "NOT_PERMITTED",
        reason: "actorIsQualitySpecialist",
        entity: "ISSUE",
        entityId: String(issueId),
        event: "PLAN_VERIFICATION",
      });
    });

    it("lets a check be planned while actions run, but not surveyed before the issue is verifying", async () => {
      const issueId = await issueRow("inProgress", customers[0], []);
      const planned = await send(world.quality, PLAN, dimensionCheck(issueId));
      expect(planned).toMatchObject({ state: "planned", baseline: 3, baselineSampleSize: 1 });
      expect(planned.nextEvents).toEqual(["CANCEL"]);
      const result = await refused(world.quality, START, { id: planned.id });
      expect(result).toMatchObject({
        errorCode: "PRECONDITION_FAILED",
        reason: "issueIsVerifying",
        entity: "VERIFICATION_CHECK",
        fromState: "planned",
      });
      const { verificationCheck } = await world.quality.client.request<{ verificationCheck: any }>(CHECK, { id: planned.id });
      expect(verificationCheck).toMatchObject({ state: "planned", version: 1 });
    });

    it("reports a missing issue as NOT_FOUND and a malformed id naming input.issueId", async () => {
      const before = await tableCounts(app.dataSource);
      const [missing] = await errorsOf(world.quality.client.request(PLAN, enteredCheck(999999, 3.6)));
      expect(missing.extensions?.code).toBe("NOT_FOUND");
      expect(await badInput(world.quality, PLAN, { input: { ...enteredCheck(1, 3.6).input, issueId: "abc" } })).toBe(
        "input.issueId",
      );
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });
  });

  it("lists checks by issue and state, newest first", async () => {
    const LIST = gql`
      query ($filter: VerificationCheckFilterInput) {
        verificationChecks(filter: $filter, first: 50) {
          totalCount
          nodes {
            state
          }
        }
      }
    `;
    const states = async (filter: object) =>
      (await world.quality.client.request<{ verificationChecks: any }>(LIST, { filter })).verificationChecks.nodes.map(
        (n: { state: string }) => n.state,
      );
    expect(await states({ issueId: String(verifyingIssue) })).toEqual(["failed", "cancelled", "passed", "passed", "passed"]);
    expect(await states({ issueId: String(verifyingIssue), states: ["failed", "cancelled"] })).toEqual(["failed", "cancelled"]);
    expect(await states({ states: ["planned"] })).toEqual(["planned"]);
    const [error] = await errorsOf(world.agent.client.request(LIST, { filter: { states: ["done"] } }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.states.0" });
    const { verificationCheck } = await world.agent.client.request<{ verificationCheck: unknown }>(CHECK, { id: "31337" });
    expect(verificationCheck).toBeNull();
  });

  async function transitionLog(entityType: string, entityId: number) {
    const data = await world.quality.client.request<{ transitionLog: { nodes: any[] } }>(
      gql`
        query ($type: WorkflowEntity!, $id: ID!) {
          transitionLog(filter: { entityType: $type, entityId: $id }, first: 100) {
            nodes {
              event
              fromState
              toState
              reason
              actor {
                name
              }
            }
          }
        }
      `,
      { type: entityType, id: String(entityId) },
    );
    return data.transitionLog.nodes;
  }
});
