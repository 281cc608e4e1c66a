import { gql } from "graphql-request";
import { ActionItem, Cause, Issue } from "../../src/entity";
import { createWorld, errorsOf, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";
import { analysedIssue, causeRow, issueRow } from "../support/fixtures";

/**
 * Action items (改善措施) through the GraphQL API: drafting into a plan, the owner's work (start,
 * progress reports, block/unblock, completion), cancellation, lists — and every refusal leaving
 * the database exactly as it was.
 */

const RESULT = `
  __typename
  ... on ActionItem { id state version progress planRevision plannedEnd completionNote actualEnd }
  ... on TransitionError { errorCode reason fromState event entity entityId }
`;

const ADD = gql`
  mutation ($input: AddActionItemInput!) {
    result: addActionItem(input: $input) { ${RESULT} }
  }
`;
const POST_PROGRESS = gql`
  mutation ($input: PostProgressInput!, $v: Int) {
    result: postProgress(input: $input, expectedVersion: $v) { ${RESULT} }
  }
`;
const ACTION = gql`
  query ($id: ID!) {
    actionItem(id: $id) {
      id
      state
      version
      progress
      cycle
      planRevision
      overdue
      nextEvents
      owner { id }
      department { id name }
      issue { id }
      cause { id }
      progressUpdates { progress blockers nextStep }
      history { event fromState toState reason actor { name } }
    }
  }
`;

/** Far in the future, so the action is not overdue whatever day the tests run. */
const LATER = { plannedStart: "2099-01-01", plannedEnd: "2099-03-31" };

describe("action items", () => {
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

  /** Runs a mutation aliased `result` and returns the union result. */
  async function send(person: Person, doc: string, vars: object): Promise<any> {
    return (await person.client.request<{ result: any }>(doc, vars)).result;
  }

  /** A mutation `field(id, …args)` on an action item. */
  function act(person: Person, field: string, id: string, args: Record<string, unknown> = {}) {
    const names = Object.keys(args);
    const decl = names.map((n) => `, $${n}: ${n === "expectedVersion" ? "Int" : "String!"}`).join("");
    const pass = names.map((n) => `, ${n}: $${n}`).join("");
    return send(person, `mutation ($id: ID!${decl}) { result: ${field}(id: $id${pass}) { ${RESULT} } }`, { id, ...args });
  }

  async function load(id: string): Promise<any> {
    return (await w.quality.client.request<{ actionItem: any }>(ACTION, { id })).actionItem;
  }

  function addInput(overrides: object = {}) {
    return {
      issueId,
      causeId,
      description: "夜间维修单由值班调度直接派单，不再等次日早会",
      metric: "平均响应时长（小时）",
      baseline: 5.2,
      target: 2,
      ownerId: w.engineer.id,
      ...LATER,
      ...overrides,
    };
  }

  async function addAction(overrides: object = {}): Promise<any> {
    const result = await send(w.quality, ADD, { input: addInput(overrides) });
    expect(result.__typename).toBe("ActionItem");
    return result;
  }

  /**
   * An approved action item. Approval comes with the issue's plan approval (the issue service's
   * business), so to keep these tests independent of it the row is moved to "approved" directly.
   */
  async function approvedAction(overrides: object = {}): Promise<string> {
    const { id } = await addAction(overrides);
    await app.dataSource.getRepository(ActionItem).update({ id: Number(id) }, { state: "approved" });
    return id;
  }

  async function startedAction(overrides: object = {}): Promise<any> {
    const id = await approvedAction(overrides);
    const started = await act(w.engineer, "startActionItem", id);
    expect(started.state).toBe("inProgress");
    return started;
  }

  /** Runs a request expected to be refused and checks that no row of any table changed. */
  async function refusedWithoutChange(id: string | null, request: () => Promise<any>): Promise<any> {
    const counts = await tableCounts(app.dataSource);
    const before = id ? await load(id) : null;
    const result = await request();
    expect(await tableCounts(app.dataSource)).toEqual(counts);
    if (id) expect(await load(id)).toEqual(before);
    return result;
  }

  it("drafts an action item traced to a cause, in the issue's cycle and the owner's department", async () => {
    const added = await addAction({ budget: 3000 });
    expect(added).toMatchObject({ state: "draft", version: 1, progress: 0, planRevision: 1, plannedEnd: "2099-03-31" });
    const item = await load(added.id);
    expect(item).toMatchObject({
      cycle: 1,
      overdue: false,
      owner: { id: w.engineer.id },
      department: { id: w.serviceDept, name: "售后服务部" },
      issue: { id: issueId },
      cause: { id: causeId },
      progressUpdates: [],
      history: [{ event: "CREATE", fromState: "new", toState: "draft", actor: { name: "Quality" } }],
    });
    expect(item.nextEvents).toEqual(["CANCEL"]);
    const forManager = await w.manager.client.request<{ actionItem: { nextEvents: string[] } }>(ACTION, { id: added.id });
    expect(forManager.actionItem.nextEvents).toEqual(["APPROVE", "CANCEL"]);
  });

  it("takes an explicit department over the owner's", async () => {
    const added = await addAction({ departmentId: w.techDept });
    expect((await load(added.id)).department.id).toBe(w.techDept);
  });

  it("refuses drafting by someone the issue machine does not let edit the analysis", async () => {
    const result = await refusedWithoutChange(null, () => send(w.techLead, ADD, { input: addInput() }));
    expect(result).toMatchObject({
      __typename: "TransitionError",
      errorCode: "NOT_PERMITTED",
      entity: "ISSUE",
      entityId: issueId,
      event: "EDIT_ANALYSIS",
      reason: "actorMayEditAnalysis",
    });
  });

  it("refuses drafting once the issue has left analysis", async () => {
    const other = await app.dataSource.getRepository(Issue).save(
      app.dataSource.getRepository(Issue).create({ ...issueRow(w), state: "inProgress" }),
    );
    const cause = await app.dataSource.getRepository(Cause).save(
      app.dataSource.getRepository(Cause).create({ ...causeRow(w), issueId: other.id }),
    );
    const result = await refusedWithoutChange(null, () =>
      send(w.quality, ADD, { input: addInput({ issueId: String(other.id), causeId: String(cause.id) }) }),
    );
    expect(result).toMatchObject({ errorCode: "INVALID_TRANSITION", entity: "ISSUE", fromState: "inProgress" });
  });

  it.each([
    ["input.plannedEnd", { plannedEnd: "2026-02-30" }],
    ["input.plannedStart", { plannedStart: "2026/01/01" }],
    ["input.plannedEnd", { plannedStart: "2099-05-01", plannedEnd: "2099-04-30" }],
    ["input.description", { description: "改".repeat(100_000) }],
    ["input.description", { description: "   " }],
    ["input.metric", { metric: "m".repeat(201) }],
    ["input.budget", { budget: -1 }],
    ["input.issueId", { issueId: "abc" }],
    ["input.causeId", { causeId: "1 OR 1=1" }],
    ["input.ownerId", { ownerId: "-3" }],
  ])("refuses bad input naming %s, writing nothing", async (field, overrides) => {
    const errors = await refusedWithoutChange(null, () => errorsOf(send(w.quality, ADD, { input: addInput(overrides) })));
    expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("refuses a cause of another issue and an owner without department unless one is given", async () => {
    const other = await analysedIssue(app, w);
    let errors = await refusedWithoutChange(null, () =>
      errorsOf(send(w.quality, ADD, { input: addInput({ causeId: other.causeId }) })),
    );
    expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.causeId" });
    errors = await refusedWithoutChange(null, () =>
      errorsOf(send(w.quality, ADD, { input: addInput({ ownerId: w.quality.id }) })),
    );
    expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.departmentId" });
    const withDepartment = await addAction({ ownerId: w.quality.id, departmentId: w.serviceDept });
    expect(withDepartment.state).toBe("draft");
  });

  it("runs start → progress reports → block/unblock → complete, with the history and progress %", async () => {
    const id = await approvedAction();
    expect((await load(id)).nextEvents).toEqual([]);
    const forOwner = await w.engineer.client.request<{ actionItem: { nextEvents: string[] } }>(ACTION, { id });
    expect(forOwner.actionItem.nextEvents).toEqual(["START"]);

    const started = await act(w.engineer, "startActionItem", id);
    expect(started).toMatchObject({ state: "inProgress", version: 2 });

    const first = await send(w.engineer, POST_PROGRESS, {
      input: { actionItemId: id, progress: 40, blockers: "夜班人手不足", nextStep: "排班表调整" },
      v: started.version,
    });
    expect(first).toMatchObject({ __typename: "ActionItem", state: "inProgress", progress: 40, version: 3 });
    const second = await send(w.engineer, POST_PROGRESS, { input: { actionItemId: id, progress: 70 } });
    expect(second.progress).toBe(70);

    const blocked = await act(w.engineer, "blockActionItem", id, { reason: "调度系统升级，暂停派单" });
    expect(blocked.state).toBe("blocked");
    // Progress may still be reported while blocked.
    expect((await send(w.engineer, POST_PROGRESS, { input: { actionItemId: id, progress: 75 } })).progress).toBe(75);
    expect((await act(w.engineer, "unblockActionItem", id)).state).toBe("inProgress");

    const early = await refusedWithoutChange(id, () => act(w.engineer, "completeActionItem", id, { completionNote: "已完成" }));
    expect(early).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "progressComplete", fromState: "inProgress" });

    await send(w.engineer, POST_PROGRESS, { input: { actionItemId: id, progress: 100, nextStep: "验收" } });
    const noNote = await refusedWithoutChange(id, () => act(w.engineer, "completeActionItem", id, { completionNote: "  " }));
    expect(noNote).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "reasonProvided" });

    const done = await act(w.engineer, "completeActionItem", id, { completionNote: "夜间派单上线，响应时长降至 1.8 小时" });
    expect(done).toMatchObject({
      state: "done",
      progress: 100,
      completionNote: "夜间派单上线，响应时长降至 1.8 小时",
      actualEnd: new Date().toISOString().slice(0, 10),
    });

    const item = await load(id);
    expect(item.progress).toBe(100);
    expect(item.nextEvents).toEqual([]);
    expect(item.progressUpdates).toEqual([
      { progress: 40, blockers: "夜班人手不足", nextStep: "排班表调整" },
      { progress: 70, blockers: null, nextStep: null },
      { progress: 75, blockers: null, nextStep: null },
      { progress: 100, blockers: null, nextStep: "验收" },
    ]);
    expect(item.history.map((h: any) => [h.event, h.fromState, h.toState])).toEqual([
      ["CREATE", "new", "draft"],
      ["START", "approved", "inProgress"],
      ["UPDATE_PROGRESS", "inProgress", "inProgress"],
      ["UPDATE_PROGRESS", "inProgress", "inProgress"],
      ["BLOCK", "inProgress", "blocked"],
      ["UPDATE_PROGRESS", "blocked", "blocked"],
      ["UNBLOCK", "blocked", "inProgress"],
      ["UPDATE_PROGRESS", "inProgress", "inProgress"],
      ["COMPLETE", "inProgress", "done"],
    ]);
    expect(item.history.find((h: any) => h.event === "BLOCK").reason).toBe("调度系统升级，暂停派单");
  });

  it("names the author of each progress report", async () => {
    const { id } = await startedAction();
    await send(w.serviceLead, POST_PROGRESS, { input: { actionItemId: id, progress: 10 } });
    const data = await w.quality.client.request<{ actionItem: any }>(
      gql`query ($id: ID!) { actionItem(id: $id) { progressUpdates { progress author { name } } } }`,
      { id },
    );
    expect(data.actionItem.progressUpdates).toEqual([{ progress: 10, author: { name: "ServiceLead" } }]);
  });

  it("hides an action from a lead of another department, writing nothing, and accepts the owner's lead", async () => {
    const started = await startedAction();
    // Issue 5 policy: a lead acts only on their own department's actions; others look missing.
    const [hidden] = await refusedWithoutChange(started.id, () =>
      errorsOf(send(w.techLead, POST_PROGRESS, { input: { actionItemId: started.id, progress: 90 } })),
    );
    expect(hidden.extensions).toMatchObject({ code: "NOT_FOUND", entity: "ActionItem", id: started.id });
    expect((await load(started.id)).version).toBe(started.version);

    const byLead = await send(w.serviceLead, POST_PROGRESS, { input: { actionItemId: started.id, progress: 30 } });
    expect(byLead).toMatchObject({ __typename: "ActionItem", progress: 30, version: started.version + 1 });
  });

  it("refuses a stale expectedVersion with VERSION_CONFLICT", async () => {
    const started = await startedAction();
    await send(w.engineer, POST_PROGRESS, { input: { actionItemId: started.id, progress: 20 } });
    const stale = await refusedWithoutChange(started.id, () =>
      send(w.engineer, POST_PROGRESS, { input: { actionItemId: started.id, progress: 30 }, v: started.version }),
    );
    expect(stale).toMatchObject({ errorCode: "VERSION_CONFLICT", reason: "versionMismatch" });
    const staleBlock = await refusedWithoutChange(started.id, () =>
      act(w.engineer, "blockActionItem", started.id, { reason: "x", expectedVersion: started.version }),
    );
    expect(staleBlock).toMatchObject({ errorCode: "VERSION_CONFLICT" });
  });

  it.each([
    ["input.progress", { progress: 101 }],
    ["input.progress", { progress: -1 }],
    ["input.blockers", { blockers: "阻".repeat(5001) }],
    ["input.actionItemId", { actionItemId: "x1" }],
  ])("refuses a progress report with bad %s, writing nothing", async (field, overrides) => {
    const started = await startedAction();
    const errors = await refusedWithoutChange(started.id, () =>
      errorsOf(send(w.engineer, POST_PROGRESS, { input: { actionItemId: started.id, progress: 50, ...overrides } })),
    );
    expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("reports a missing action item as NOT_FOUND to mutations and null to the query", async () => {
    const errors = await errorsOf(act(w.engineer, "startActionItem", "999999"));
    expect(errors[0].extensions).toMatchObject({ code: "NOT_FOUND" });
    expect(await load("999999")).toBeNull();
    const bad = await errorsOf(w.quality.client.request(ACTION, { id: "abc" }));
    expect(bad[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });

  it("cancels started work only with the operations manager's approval", async () => {
    const { id } = await startedAction();
    const noReason = await refusedWithoutChange(id, () =>
      act(w.engineer, "requestActionItemCancellation", id, { reason: "" }),
    );
    expect(noReason).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "reasonProvided" });
    expect((await act(w.engineer, "requestActionItemCancellation", id, { reason: "需求取消" })).state).toBe("cancelRequested");

    const byLead = await refusedWithoutChange(id, () => act(w.serviceLead, "approveActionItemCancellation", id));
    expect(byLead).toMatchObject({ errorCode: "NOT_PERMITTED", reason: "actorIsOperationsManager" });
    const rejectNoReason = await refusedWithoutChange(id, () =>
      act(w.manager, "rejectActionItemCancellation", id, { reason: " " }),
    );
    expect(rejectNoReason).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "reasonProvided" });
    expect((await act(w.manager, "rejectActionItemCancellation", id, { reason: "仍有必要" })).state).toBe("inProgress");

    await act(w.serviceLead, "requestActionItemCancellation", id, { reason: "被新方案替代" });
    expect((await act(w.manager, "approveActionItemCancellation", id)).state).toBe("cancelled");
    const afterwards = await refusedWithoutChange(id, () =>
      send(w.engineer, POST_PROGRESS, { input: { actionItemId: id, progress: 50 } }),
    );
    expect(afterwards).toMatchObject({ errorCode: "INVALID_TRANSITION", fromState: "cancelled" });
  });

  it("lets the plan's authors drop a draft, with a reason", async () => {
    const { id } = await addAction();
    const byOwner = await refusedWithoutChange(id, () => act(w.engineer, "cancelDraftActionItem", id, { reason: "重复" }));
    expect(byOwner).toMatchObject({ errorCode: "NOT_PERMITTED" });
    const started = await refusedWithoutChange(id, () => act(w.engineer, "startActionItem", id));
    expect(started).toMatchObject({ errorCode: "INVALID_TRANSITION", fromState: "draft" });
    expect((await act(w.quality, "cancelDraftActionItem", id, { reason: "与措施 1 重复" })).state).toBe("cancelled");
  });

  it("lists action items by issue, state, department, owner, planned end and overdue", async () => {
    const other = await analysedIssue(app, w);
    const add = async (overrides: object) =>
      (await send(w.quality, ADD, { input: addInput({ issueId: other.issueId, causeId: other.causeId, ...overrides }) })).id;
    const late = await add({ plannedStart: "2026-01-01", plannedEnd: "2026-02-28" });
    const future = await add({ departmentId: w.techDept });
    const lateButDone = await add({ plannedStart: "2026-01-01", plannedEnd: "2026-01-31" });
    await app.dataSource.getRepository(ActionItem).update({ id: Number(lateButDone) }, { state: "done" });

    const LIST = gql`
      query ($filter: ActionItemFilter, $first: Int, $after: String) {
        actionItems(filter: $filter, first: $first, after: $after) {
          totalCount
          nodes { id overdue }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    const ids = async (filter: object) =>
      (await w.quality.client.request<{ actionItems: { nodes: { id: string }[] } }>(LIST, { filter })).actionItems.nodes.map(
        (n) => n.id,
      );
    const base = { issueId: other.issueId };
    expect(await ids(base)).toEqual([lateButDone, future, late]);
    expect(await ids({ ...base, overdue: true })).toEqual([late]);
    expect(await ids({ ...base, overdue: false })).toEqual([lateButDone, future]);
    expect(await ids({ ...base, states: ["done"] })).toEqual([lateButDone]);
    expect(await ids({ ...base, states: [] })).toEqual([]);
    expect(await ids({ ...base, departmentId: w.techDept })).toEqual([future]);
    expect(await ids({ ...base, ownerId: w.engineer.id })).toEqual([lateButDone, future, late]);
    expect(await ids({ ...base, plannedEndFrom: "2026-02-01", plannedEndTo: "2026-12-31" })).toEqual([late]);
    expect((await load(late)).overdue).toBe(true);

    const page = await w.quality.client.request<{ actionItems: any }>(LIST, { filter: base, first: 2 });
    expect(page.actionItems).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const rest = await w.quality.client.request<{ actionItems: any }>(LIST, {
      filter: base,
      first: 2,
      after: page.actionItems.pageInfo.endCursor,
    });
    expect(rest.actionItems.nodes.map((n: any) => n.id)).toEqual([late]);

    for (const [filter, field] of [
      [{ states: ["finished"] }, "filter.states.0"],
      [{ plannedEndTo: "2026-13-01" }, "filter.plannedEndTo"],
      [{ ownerId: "me" }, "filter.ownerId"],
    ] as const) {
      const errors = await errorsOf(w.quality.client.request(LIST, { filter }));
      expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
  });
});
