import { gql } from "graphql-request";
import { ActionItem } from "../../src/entity";
import { createWorld, errorsOf, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";
import { analysedIssue } from "../support/fixtures";

/**
 * Adjustment requests through the GraphQL API: the owner side asks to change an action item's
 * plan, a quality specialist reviews, the operations manager approves (the change is applied and
 * versioned) or rejects, the requester may withdraw — and the action item moves with it.
 */

const REQUEST_FIELDS = `
  id state version reason proposedPlannedEnd proposedTarget proposedScope alternativePlan
  previousPlannedEnd previousTarget previousScope appliedRevision reviewComment decisionComment decidedAt
  requester { name } proposedOwner { id } previousOwner { id } actionItem { id state }
`;
const RESULT = `
  __typename
  ... on AdjustmentRequest { ${REQUEST_FIELDS} }
  ... on TransitionError { errorCode reason fromState event entity entityId }
`;
const SUBMIT = gql`
  mutation ($input: SubmitAdjustmentRequestInput!, $v: Int) {
    result: submitAdjustmentRequest(input: $input, expectedVersion: $v) { ${RESULT} }
  }
`;
const ACTION = gql`
  query ($id: ID!) {
    actionItem(id: $id) {
      state version plannedEnd target description planRevision
      owner { id }
      adjustmentRequests { id state }
      history { event fromState toState }
    }
  }
`;
const REQUEST = gql`
  query ($id: ID!) {
    adjustmentRequest(id: $id) { ${REQUEST_FIELDS} nextEvents history { event fromState toState reason actor { name } } }
  }
`;

describe("adjustment requests", () => {
  let app: TestApp;
  let w: World;
  let issueId: string;
  let causeId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    ({ issueId, causeId } = await analysedIssue(app, w));
  });
  afterAll(() => app.stop());

  async function send(person: Person, doc: string, vars: object): Promise<any> {
    return (await person.client.request<{ result: any }>(doc, vars)).result;
  }

  /** A decision mutation `field(id, …args)` on an adjustment request. */
  function decide(person: Person, field: string, id: string, args: { comment?: string; expectedVersion?: number } = {}) {
    const names = Object.keys(args);
    const decl = names.map((n) => `, $${n}: ${n === "expectedVersion" ? "Int" : "String!"}`).join("");
    const pass = names.map((n) => `, ${n}: $${n}`).join("");
    return send(person, `mutation ($id: ID!${decl}) { result: ${field}(id: $id${pass}) { ${RESULT} } }`, { id, ...args });
  }

  async function action(id: string): Promise<any> {
    return (await w.quality.client.request<{ actionItem: any }>(ACTION, { id })).actionItem;
  }
  async function request(id: string, person: Person = w.quality): Promise<any> {
    return (await person.client.request<{ adjustmentRequest: any }>(REQUEST, { id })).adjustmentRequest;
  }

  /**
   * An action item in progress, owned by the engineer of the service department. It is drafted
   * through addActionItem; approval belongs to the issue's plan approval (another service), so
   * the row is moved to "approved" directly here, then started through the API.
   */
  async function actionInProgress(): Promise<{ id: string; version: number }> {
    const added = await w.quality.client.request<{ result: any }>(
      gql`mutation ($input: AddActionItemInput!) { result: addActionItem(input: $input) { ... on ActionItem { id } } }`,
      {
        input: {
          issueId,
          causeId,
          description: "新增夜班调度岗",
          metric: "夜间响应时长（小时）",
          target: 2,
          ownerId: w.engineer.id,
          plannedStart: "2099-01-01",
          plannedEnd: "2099-03-31",
        },
      },
    );
    const id = added.result.id as string;
    await app.dataSource.getRepository(ActionItem).update({ id: Number(id) }, { state: "approved" });
    const started = await w.engineer.client.request<{ result: any }>(
      gql`mutation ($id: ID!) { result: startActionItem(id: $id) { ... on ActionItem { state version } } }`,
      { id },
    );
    expect(started.result.state).toBe("inProgress");
    return { id, version: started.result.version };
  }

  async function submitted(actionItemId: string, person: Person = w.engineer, input: object = {}): Promise<any> {
    const result = await send(person, SUBMIT, {
      input: { actionItemId, reason: "招聘延迟，4 月中旬到岗", proposedPlannedEnd: "2099-04-30", ...input },
    });
    expect(result.__typename).toBe("AdjustmentRequest");
    return result;
  }

  /** Runs a request expected to be refused; checks no table changed and the objects are as before. */
  async function refusedWithoutChange(ids: { action: string; request?: string }, run: () => Promise<any>) {
    const counts = await tableCounts(app.dataSource);
    const actionBefore = await action(ids.action);
    const requestBefore = ids.request ? await request(ids.request) : null;
    const result = await run();
    expect(await tableCounts(app.dataSource)).toEqual(counts);
    expect(await action(ids.action)).toEqual(actionBefore);
    if (ids.request) expect(await request(ids.request)).toEqual(requestBefore);
    return result;
  }

  it("submits, reviews and approves: the new plan is applied and versioned, the action resumes", async () => {
    const item = await actionInProgress();
    const before = await action(item.id);
    const req = await submitted(item.id, w.engineer, { proposedTarget: 2.5, alternativePlan: "白班调度轮值夜班" });
    expect(req).toMatchObject({
      state: "submitted",
      version: 1,
      proposedPlannedEnd: "2099-04-30",
      proposedTarget: 2.5,
      alternativePlan: "白班调度轮值夜班",
      requester: { name: "Engineer" },
      actionItem: { id: item.id, state: "adjustmentPending" },
      previousPlannedEnd: null,
      appliedRevision: null,
    });
    expect((await request(req.id, w.engineer)).nextEvents).toEqual(["WITHDRAW"]);
    expect((await request(req.id, w.quality)).nextEvents).toEqual(["REVIEW"]);
    expect((await request(req.id, w.manager)).nextEvents).toEqual([]);

    // A second submission while one is pending is refused by the action's machine.
    const second = await refusedWithoutChange({ action: item.id, request: req.id }, () =>
      send(w.engineer, SUBMIT, { input: { actionItemId: item.id, reason: "再次申请", proposedTarget: 3 } }),
    );
    expect(second).toMatchObject({
      __typename: "TransitionError",
      errorCode: "INVALID_TRANSITION",
      entity: "ACTION_ITEM",
      fromState: "adjustmentPending",
      event: "REQUEST_ADJUSTMENT",
    });

    // Only the quality specialist reviews; the decision comes after the review.
    const tooEarly = await refusedWithoutChange({ action: item.id, request: req.id }, () =>
      decide(w.manager, "approveAdjustmentRequest", req.id),
    );
    expect(tooEarly).toMatchObject({ errorCode: "INVALID_TRANSITION", entity: "ADJUSTMENT_REQUEST", fromState: "submitted" });
    const reviewed = await decide(w.quality, "reviewAdjustmentRequest", req.id, { comment: "理由充分" });
    expect(reviewed).toMatchObject({ state: "underReview", reviewComment: "理由充分", version: 2 });

    const byLead = await refusedWithoutChange({ action: item.id, request: req.id }, () =>
      decide(w.serviceLead, "approveAdjustmentRequest", req.id),
    );
    expect(byLead).toMatchObject({ errorCode: "NOT_PERMITTED", reason: "actorIsOperationsManager" });

    const approved = await decide(w.manager, "approveAdjustmentRequest", req.id, { comment: "同意" });
    expect(approved).toMatchObject({
      state: "approved",
      decisionComment: "同意",
      previousPlannedEnd: "2099-03-31",
      previousTarget: 2,
      previousScope: null,
      previousOwner: null,
      appliedRevision: 2,
      actionItem: { id: item.id, state: "inProgress" },
    });
    expect(approved.decidedAt).not.toBeNull();

    const after = await action(item.id);
    expect(after).toMatchObject({
      state: "inProgress",
      plannedEnd: "2099-04-30",
      target: 2.5,
      description: before.description,
      planRevision: 2,
      owner: { id: w.engineer.id },
      adjustmentRequests: [{ id: req.id, state: "approved" }],
    });
    expect(after.history.map((h: any) => [h.event, h.fromState, h.toState]).slice(-2)).toEqual([
      ["REQUEST_ADJUSTMENT", "inProgress", "adjustmentPending"],
      ["ADJUSTMENT_RESOLVED", "adjustmentPending", "inProgress"],
    ]);
    expect((await request(req.id)).history.map((h: any) => [h.event, h.actor.name])).toEqual([
      ["CREATE", "Engineer"],
      ["REVIEW", "Quality"],
      ["APPROVE", "Manager"],
    ]);
  });

  it("applies a new owner and scope, keeping the values they replaced", async () => {
    const item = await actionInProgress();
    const req = await submitted(item.id, w.serviceLead, {
      proposedPlannedEnd: null,
      proposedOwnerId: w.serviceLead.id,
      proposedScope: "由组长牵头，新增夜班调度岗并培训",
    });
    expect(req).toMatchObject({ requester: { name: "ServiceLead" }, proposedOwner: { id: w.serviceLead.id } });
    await decide(w.quality, "reviewAdjustmentRequest", req.id);
    const approved = await decide(w.manager, "approveAdjustmentRequest", req.id);
    expect(approved).toMatchObject({
      state: "approved",
      previousOwner: { id: w.engineer.id },
      previousScope: "新增夜班调度岗",
      previousPlannedEnd: null,
      appliedRevision: 2,
    });
    expect(await action(item.id)).toMatchObject({
      owner: { id: w.serviceLead.id },
      description: "由组长牵头，新增夜班调度岗并培训",
      plannedEnd: "2099-03-31",
      planRevision: 2,
    });
  });

  it("rejects only with a comment, applying nothing", async () => {
    const item = await actionInProgress();
    const req = await submitted(item.id);
    await decide(w.quality, "reviewAdjustmentRequest", req.id);
    const noComment = await refusedWithoutChange({ action: item.id, request: req.id }, () =>
      decide(w.manager, "rejectAdjustmentRequest", req.id, { comment: "  " }),
    );
    expect(noComment).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "reasonProvided" });

    const rejected = await decide(w.manager, "rejectAdjustmentRequest", req.id, { comment: "先用白班轮值顶上" });
    expect(rejected).toMatchObject({
      state: "rejected",
      decisionComment: "先用白班轮值顶上",
      previousPlannedEnd: null,
      appliedRevision: null,
      actionItem: { state: "inProgress" },
    });
    expect(await action(item.id)).toMatchObject({ state: "inProgress", plannedEnd: "2099-03-31", planRevision: 1 });
  });

  it("lets only the requester withdraw", async () => {
    const item = await actionInProgress();
    const req = await submitted(item.id);
    for (const other of [w.serviceLead, w.quality, w.manager]) {
      const refused = await refusedWithoutChange({ action: item.id, request: req.id }, () =>
        decide(other, "withdrawAdjustmentRequest", req.id),
      );
      expect(refused).toMatchObject({ errorCode: "NOT_PERMITTED", reason: "actorIsRequester" });
    }
    const withdrawn = await decide(w.engineer, "withdrawAdjustmentRequest", req.id);
    expect(withdrawn).toMatchObject({ state: "withdrawn", actionItem: { state: "inProgress" } });
    expect((await action(item.id)).planRevision).toBe(1);
    // The action is free again: a new request may be filed.
    expect((await submitted(item.id)).state).toBe("submitted");
  });

  it("hides another department's action from a lead's submission, writing nothing", async () => {
    const item = await actionInProgress();
    // Issue 5 policy: a lead acts only on their own department's actions; others look missing.
    const [hidden] = await refusedWithoutChange({ action: item.id }, () =>
      errorsOf(send(w.techLead, SUBMIT, { input: { actionItemId: item.id, reason: "x", proposedTarget: 3 } })),
    );
    expect(hidden.extensions).toMatchObject({ code: "NOT_FOUND", entity: "ActionItem", id: item.id });
  });

  it("refuses stale versions with VERSION_CONFLICT", async () => {
    const item = await actionInProgress();
    const stale = await refusedWithoutChange({ action: item.id }, () =>
      send(w.engineer, SUBMIT, {
        input: { actionItemId: item.id, reason: "x", proposedTarget: 3 },
        v: item.version - 1,
      }),
    );
    expect(stale).toMatchObject({ errorCode: "VERSION_CONFLICT", entity: "ACTION_ITEM" });

    const req = await send(w.engineer, SUBMIT, {
      input: { actionItemId: item.id, reason: "x", proposedTarget: 3 },
      v: item.version,
    });
    expect(req.state).toBe("submitted");
    await decide(w.quality, "reviewAdjustmentRequest", req.id, { expectedVersion: 1 });
    const staleApproval = await refusedWithoutChange({ action: item.id, request: req.id }, () =>
      decide(w.manager, "approveAdjustmentRequest", req.id, { expectedVersion: 1 }),
    );
    expect(staleApproval).toMatchObject({ errorCode: "VERSION_CONFLICT", entity: "ADJUSTMENT_REQUEST" });
  });

  it("refuses bad input naming the field, writing nothing", async () => {
    const item = await actionInProgress();
    const cases: [string, object][] = [
      ["input", { proposedPlannedEnd: null }],
      ["input.proposedPlannedEnd", { proposedPlannedEnd: "2099-02-30" }],
      ["input.proposedPlannedEnd", { proposedPlannedEnd: "2098-12-31" }],
      ["input.reason", { reason: " " }],
      ["input.reason", { reason: "因".repeat(100_000) }],
      ["input.proposedScope", { proposedScope: "s".repeat(5001) }],
      ["input.actionItemId", { actionItemId: "abc" }],
      ["input.proposedOwnerId", { proposedOwnerId: "0" }],
    ];
    for (const [field, overrides] of cases) {
      const errors = await refusedWithoutChange({ action: item.id }, () =>
        errorsOf(
          send(w.engineer, SUBMIT, {
            input: { actionItemId: item.id, reason: "招聘延迟", proposedPlannedEnd: "2099-04-30", ...overrides },
          }),
        ),
      );
      expect([field, errors[0].extensions]).toEqual([field, expect.objectContaining({ code: "BAD_USER_INPUT", field })]);
    }
  });

  it("lists requests by state, department and action item", async () => {
    const item = await actionInProgress();
    const first = await submitted(item.id);
    await decide(w.engineer, "withdrawAdjustmentRequest", first.id);
    const second = await submitted(item.id);
    const LIST = gql`
      query ($filter: AdjustmentRequestFilter) {
        adjustmentRequests(filter: $filter) { totalCount nodes { id state } }
      }
    `;
    const ids = async (filter: object) =>
      (await w.quality.client.request<{ adjustmentRequests: { nodes: { id: string }[] } }>(LIST, { filter }))
        .adjustmentRequests.nodes.map((n) => n.id);
    expect(await ids({ actionItemId: item.id })).toEqual([second.id, first.id]);
    expect(await ids({ actionItemId: item.id, states: ["withdrawn"] })).toEqual([first.id]);
    expect(await ids({ actionItemId: item.id, departmentId: w.techDept })).toEqual([]);
    expect(await ids({ actionItemId: item.id, departmentId: w.serviceDept })).toEqual([second.id, first.id]);
    const errors = await errorsOf(w.quality.client.request(LIST, { filter: { states: ["pending"] } }));
    expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.states.0" });
    expect(await request("999999")).toBeNull();
  });
});
