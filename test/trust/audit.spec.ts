import {
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  isInterfaceType,
} from "graphql";
import { APPEND_ONLY_TABLES } from "../../migrations/1796500000003-Audit";
import { getSchema } from "../../src/api/schema";
import { analysedIssue } from "../support/fixtures";
import { createWorld, Person, startTestApp, TestApp, World } from "../support/test-app";
import { postGraphql } from "./support/raw-graphql";

/**
 * Issue 5 item 5: the transition log and every change to scores, verification status,
 * assignments and approvals are append-only, with actor, time and request id.
 *
 * Where each lives: assignments (ASSIGN) and approvals (APPROVE_PLAN, action items approved with
 * the plan, adjustment requests) are workflow transitions in `transition_log`; verification
 * status changes are `feedback_verification` rows; scores are `feedback_score` rows, only ever
 * inserted (a call-back's supplement adds scores and is recorded in the verification history).
 * The database refuses UPDATE and DELETE on these tables (triggers, migration 1796500000003), so
 * no code path can rewrite them; these tests check the triggers, that every audited change
 * appends one row with its actor, time and request id, and that no mutation of the schema
 * changes or removes an existing audit row.
 */

const AUDIT_TYPES = new Set(["TransitionLog", "FeedbackVerificationEntry", "FeedbackScore"]);
const AUDIT_STATEMENT = new RegExp(`^\\s*(UPDATE|DELETE\\s+FROM)\\s+[\`"]?(${APPEND_ONLY_TABLES.join("|")})[\`"]?\\s`, "i");

describe("audit trail", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  const q = (name: string) => app.dataSource.driver.escape(name);

  /** A mutation sent with an x-request-id; its data (errors fail the test). */
  async function send(person: Person, requestId: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await postGraphql(app.url, person, { query, variables }, { "x-request-id": requestId });
    expect(response.json.errors).toBeUndefined();
    return response.json.data;
  }

  async function logRows(where: string, params: unknown[]) {
    return app.dataSource.query(
      `SELECT ${q("event")} AS event, ${q("actorId")} AS actorId, ${q("createdAt")} AS createdAt, ${q("requestId")} AS requestId ` +
        `FROM ${q("transition_log")} WHERE ${where} ORDER BY ${q("id")}`,
      params,
    );
  }

  /** Every row of every append-only table, to compare before and after. */
  async function snapshot(): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const table of APPEND_ONLY_TABLES) {
      const rows: Record<string, unknown>[] = await app.dataSource.query(`SELECT * FROM ${q(table)}`);
      result[table] = rows.map((row) => JSON.stringify(row)).sort();
    }
    return result;
  }

  function expectOnlyAppended(before: Record<string, string[]>, after: Record<string, string[]>) {
    for (const table of APPEND_ONLY_TABLES) {
      const kept = new Set(after[table]);
      expect(before[table].filter((row) => !kept.has(row))).toEqual([]);
    }
  }

  it("stamps assignments and approvals with actor, time and request id in the transition log", async () => {
    const { issueId, causeId } = await analysedIssue(app, w);
    const created = await send(w.quality, "audit-create", `mutation { createIssue(input: { title: "派单延误", departmentId: "${w.serviceDept}" }) { id } }`);
    const newIssue = created.createIssue.id;
    await send(w.quality, "audit-triage", `mutation($id: ID!, $d: ID!) { triageIssue(id: $id, input: { urgent: true, important: false, impact: HIGH, departmentId: $d }) { __typename } }`, { id: newIssue, d: w.serviceDept });
    const assign = `mutation($id: ID!, $a: ID!) { assignIssue(id: $id, assigneeId: $a) { __typename } }`;
    await send(w.quality, "audit-assign-1", assign, { id: newIssue, a: w.serviceLead.id });
    await send(w.manager, "audit-assign-2", assign, { id: newIssue, a: w.engineer.id });

    const action = await send(w.serviceLead, "audit-add-action", `mutation($input: AddActionItemInput!) { addActionItem(input: $input) { ... on ActionItem { id } } }`, {
      input: { issueId, causeId, description: "夜班增加调度员", metric: "夜间派单延误次数", target: 0, ownerId: w.engineer.id, plannedStart: "2099-01-01", plannedEnd: "2099-02-01" },
    });
    await send(w.serviceLead, "audit-propose", `mutation($id: ID!) { proposePlan(id: $id) { __typename } }`, { id: issueId });
    const approved = await send(w.manager, "audit-approve", `mutation($id: ID!) { approvePlan(id: $id) { __typename ... on Issue { state } } }`, { id: issueId });
    expect(approved.approvePlan.state).toBe("inProgress");

    const assignments = await logRows(`${q("entityType")} = 'ISSUE' AND ${q("entityId")} = ? AND ${q("event")} = 'ASSIGN'`, [Number(newIssue)]);
    expect(assignments.map((row: any) => [Number(row.actorId), row.requestId])).toEqual([
      [Number(w.quality.id), "audit-assign-1"],
      [Number(w.manager.id), "audit-assign-2"],
    ]);
    const approval = await logRows(`${q("entityId")} = ? AND ${q("event")} = 'APPROVE_PLAN'`, [Number(issueId)]);
    expect(approval.map((row: any) => [Number(row.actorId), row.requestId])).toEqual([[Number(w.manager.id), "audit-approve"]]);
    // The action items approved with the plan are stamped with the same request.
    const actionApproval = await logRows(`${q("entityType")} = 'ACTION_ITEM' AND ${q("entityId")} = ? AND ${q("fromState")} = 'draft'`, [Number(action.addActionItem.id)]);
    expect(actionApproval.map((row: any) => row.requestId)).toEqual(["audit-approve"]);
    for (const row of [...assignments, ...approval]) expect(row.createdAt).toBeTruthy();

    const { transitions } = await send(w.quality, "audit-read", `query($id: ID!) { transitions: issue(id: $id) { history { event requestId createdAt } } }`, { id: newIssue });
    expect(transitions.history.map((h: any) => [h.event, h.requestId])).toEqual([
      ["CREATE", "audit-create"],
      ["TRIAGE", "audit-triage"],
      ["ASSIGN", "audit-assign-1"],
      ["ASSIGN", "audit-assign-2"],
    ]);
  });

  it("records verification status and score changes as appended history with actor, time and request id", async () => {
    const customer = await send(w.agent, "audit-customer", `mutation { createCustomer(input: { name: "审计客户", region: "华东" }) { id } }`);
    const recorded = await send(w.agent, "audit-record", `mutation($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id verificationStatus } }`, {
      input: { customerId: customer.createCustomer.id, channel: "SMS", source: "SURVEY", scores: [{ dimension: "overall", score: 2 }] },
    });
    const feedbackId = recorded.recordFeedback.id;
    expect(recorded.recordFeedback.verificationStatus).toBe("TO_VERIFY");
    const scoresBefore = await app.dataSource.query(`SELECT * FROM ${q("feedback_score")} WHERE ${q("feedbackId")} = ?`, [Number(feedbackId)]);

    await send(w.quality, "audit-supplement", `mutation($id: ID!, $input: SupplementFeedbackInput!) { supplementFeedback(id: $id, input: $input) { id } }`, {
      id: feedbackId,
      input: { comment: "回访：工程师迟到两小时", scores: [{ dimension: "attitude", score: 2 }], note: "电话回访", markVerified: false },
    });
    await send(w.quality, "audit-invalid", `mutation($id: ID!) { setFeedbackVerification(id: $id, status: INVALID, note: "重复提交") { id } }`, { id: feedbackId });

    const history = await app.dataSource.query(
      `SELECT ${q("action")} AS action, ${q("fromStatus")} AS fromStatus, ${q("toStatus")} AS toStatus, ${q("actorId")} AS actorId, ` +
        `${q("at")} AS at, ${q("requestId")} AS requestId FROM ${q("feedback_verification")} WHERE ${q("feedbackId")} = ? ORDER BY ${q("id")}`,
      [Number(feedbackId)],
    );
    expect(history.map((row: any) => [row.action, row.toStatus, row.requestId])).toEqual([
      ["MARKED_TO_VERIFY", "TO_VERIFY", "audit-record"],
      ["SUPPLEMENTED", "TO_VERIFY", "audit-supplement"],
      ["INVALIDATED", "INVALID", "audit-invalid"],
    ]);
    expect(history.slice(1).map((row: any) => Number(row.actorId))).toEqual([Number(w.quality.id), Number(w.quality.id)]);
    for (const row of history) expect(row.at).toBeTruthy();

    // The supplement added a score; the customer's own score is still there, unchanged.
    const scoresAfter = await app.dataSource.query(`SELECT * FROM ${q("feedback_score")} WHERE ${q("feedbackId")} = ?`, [Number(feedbackId)]);
    expect(scoresAfter).toEqual(expect.arrayContaining(scoresBefore));
    expect(scoresAfter.map((row: any) => [row.dimension, Number(row.score)]).sort()).toEqual([
      ["attitude", 2],
      ["overall", 2],
    ]);

    const { feedback } = await send(w.quality, "audit-read-2", `query($id: ID!) { feedback(id: $id) { verificationHistory { action requestId } } }`, { id: feedbackId });
    expect(feedback.verificationHistory.map((h: any) => h.requestId)).toEqual(["audit-record", "audit-supplement", "audit-invalid"]);
  });

  it("refuses UPDATE and DELETE of every append-only table in the database itself", async () => {
    const before = await snapshot();
    for (const table of APPEND_ONLY_TABLES) {
      expect(before[table].length).toBeGreaterThan(0);
      const column = q(table === "transition_log" ? "entityId" : "feedbackId");
      await expect(app.dataSource.query(`UPDATE ${q(table)} SET ${column} = ${column}`)).rejects.toThrow(/append-only/);
      await expect(app.dataSource.query(`DELETE FROM ${q(table)}`)).rejects.toThrow(/append-only/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("has no mutation that returns, takes or rewrites an audit record, and none changes an existing one", async () => {
    const schema = await getSchema();
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThan(50);

    // Nothing in the API addresses an audit row for editing: no mutation returns one or takes one.
    const returningAudit = mutations.filter((m) => AUDIT_TYPES.has(getNamedType(m.type).name)).map((m) => m.name);
    expect(returningAudit).toEqual([]);
    const takingAudit = mutations
      .filter((m) => m.args.some((arg) => inputTypeNames(arg.type).some((name) => /^(TransitionLog|FeedbackVerification|FeedbackScore)/.test(name))))
      .map((m) => m.name);
    expect(takingAudit).toEqual([]);

    // Every mutation, sent with placeholder arguments by each role that may write (on the objects
    // the earlier tests created, ids 1, …): existing audit rows stay exactly as they were, and no
    // statement even tried to update or delete one (the log sees statements before they run, so
    // an attempt stopped by a trigger would show here too).
    const before = await snapshot();
    app.statements.length = 0;
    for (const person of [w.quality, w.manager, w.serviceLead, w.admin]) {
      for (const mutation of mutations) await postGraphql(app.url, person, placeholderRequest(mutation));
    }
    expect(app.statements.length).toBeGreaterThan(mutations.length);
    expect(app.statements.filter((sql) => AUDIT_STATEMENT.test(sql))).toEqual([]);
    expectOnlyAppended(before, await snapshot());
  });
});

/** Names of the input types an argument type refers to, transitively. */
function inputTypeNames(type: GraphQLInputType, seen = new Set<string>()): string[] {
  const named = getNamedType(type);
  if (!seen.has(named.name)) {
    seen.add(named.name);
    if (isInputObjectType(named)) {
      for (const field of Object.values(named.getFields())) inputTypeNames(field.type, seen);
    }
  }
  return [...seen];
}

/** A request for `mutation` with every required argument filled with a plausible placeholder. */
function placeholderRequest(mutation: GraphQLField<unknown, unknown>) {
  const required = mutation.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const declarations = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
  const passed = required.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  const returned = getNamedType(mutation.type);
  const selection = isObjectType(returned) || isUnionType(returned) || isInterfaceType(returned) ? "{ __typename }" : "";
  const variables = Object.fromEntries(required.map((arg) => [arg.name, placeholder(arg.type)]));
  const query = `mutation${declarations ? `(${declarations})` : ""} { ${mutation.name}${passed ? `(${passed})` : ""} ${selection} }`;
  return { query, variables };
}

function placeholder(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => [field.name, placeholder(field.type)]),
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return "1";
      case "Int":
      case "Float":
        return 1;
      case "Boolean":
        return false;
      case "DateTimeISO":
        return "2026-11-01T08:00:00.000Z";
      default:
        return "审计占位";
    }
  }
  return null;
}
