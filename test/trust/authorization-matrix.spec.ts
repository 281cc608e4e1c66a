import {
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { DataSource } from "typeorm";
import { ROLES } from "../../workflows/actor";
import { getSchema } from "../../src/api/schema";
import { REVIEW_READERS } from "../../src/common/roles";
import {
  DEPARTMENT_AGGREGATES,
  mayRun,
  OPERATIONS,
  OperationRow,
  Resource,
  scopesOf,
  unenforceableCells,
} from "../../src/auth/policy";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";
import {
  expectedVisible,
  expectedVisibleIds,
  idsOf,
  ObjectKind,
  Objects,
  RESOURCE_OF,
  restoreRelations,
  seedObjects,
  Subject,
  subjects,
} from "./support/authorization-fixture";

/**
 * The authorisation matrix: every role against every query and mutation of the schema, on
 * objects inside and outside the role's scope and on missing objects, through by-id lookups,
 * lists and nested fields. The expected outcome of each cell is derived from the policy table
 * (src/auth/policy.ts) and the fixture's relations; a denial must look like a missing object and
 * change nothing in the database.
 */

const MISSING_ID = 987654;

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Object kinds by the resource of the policy table whose rows are scoped per row. */
const KIND_OF: Partial<Record<Resource, ObjectKind>> = Object.fromEntries(
  (Object.entries(RESOURCE_OF) as [ObjectKind, Resource][]).map(([kind, resource]) => [resource, kind]),
);

/** The entity label in NOT_FOUND errors of each object kind. */
const LABEL: Record<ObjectKind, string> = {
  issue: "Issue",
  cause: "Cause",
  action: "ActionItem",
  adjustment: "AdjustmentRequest",
  check: "VerificationCheck",
  feedback: "Feedback",
};

/**
 * Values for arguments the generic generator cannot guess; keyed by operation, then argument
 * path. Only what is needed for the request to reach its target lookup.
 */
const ARG_OVERRIDES: Record<string, Record<string, unknown>> = {
  addActionItem: { "input.plannedStart": "2026-02-01", "input.plannedEnd": "2026-03-01", "input.target": 2 },
  postProgress: { "input.progress": 50 },
  submitAdjustmentRequest: { "input.proposedPlannedEnd": "2099-12-31" },
  completeVerificationCheck: { "input.after": 4.5 },
  planVerificationCheck: { "input.baseline": 3.5, "input.sourceNote": "手工录入的基线" },
  setFeedbackVerification: { status: "VERIFIED" },
  supplementFeedback: { "input.comment": "补充说明" },
};

/** Plausible text by argument name, so validation does not refuse before the target lookup. */
function textFor(name: string): string {
  if (/planned(Start|End)|Day$|^day$|Month$|^month$/i.test(name)) return "2026-02-01";
  if (/week/i.test(name)) return "2026-W05";
  if (/email/i.test(name)) return "matrix@example.test";
  if (/code/i.test(name)) return "MATRIX_CODE";
  return "矩阵测试";
}

function valueFor(type: GraphQLInputType, name: string, path: string, overrides: Record<string, unknown>): unknown {
  if (path in overrides) return overrides[path];
  if (isNonNullType(type)) return valueFor(type.ofType, name, path, overrides);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const fieldPath = `${path}.${field.name}`;
      if (fieldPath in overrides || (isNonNullType(field.type) && field.defaultValue === undefined)) {
        value[field.name] = valueFor(field.type, field.name, fieldPath, overrides);
      }
    }
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return "1";
      case "Int":
        return 1;
      case "Float":
        return 1;
      case "Boolean":
        return false;
      case "DateTimeISO":
        return "2026-01-05T00:00:00.000Z";
      default:
        return textFor(name);
    }
  }
  throw new Error(`no value for ${path}`);
}

function selectionFor(type: GraphQLOutputType): string {
  const named: GraphQLNamedType = getNamedType(type);
  return isScalarType(named) || isEnumType(named) ? "" : "{ __typename }";
}

/** A document calling `field` with generated arguments, `target` set to `targetId`. */
function requestFor(
  kind: "query" | "mutation",
  field: GraphQLField<unknown, unknown>,
  target: string | undefined,
  targetId: number,
): { query: string; variables: Record<string, unknown> } {
  const overrides: Record<string, unknown> = { ...ARG_OVERRIDES[field.name] };
  if (target) overrides[target] = String(targetId);
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const passed: string[] = [];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    const touched = Object.keys(overrides).some((path) => path === arg.name || path.startsWith(`${arg.name}.`));
    if (!required && !touched) continue;
    variables[arg.name] = valueFor(arg.type, arg.name, arg.name, overrides);
    declared.push(`$${arg.name}: ${String(arg.type)}`);
    passed.push(`${arg.name}: $${arg.name}`);
  }
  const head = declared.length ? `(${declared.join(", ")})` : "";
  const args = passed.length ? `(${passed.join(", ")})` : "";
  return { query: `${kind} Matrix${head} { ${field.name}${args} ${selectionFor(field.type)} }`, variables };
}

/** Error codes and messages with `id` replaced, so a denial can be compared with a miss. */
function shapeOf(response: GraphQLResponse, id: number) {
  const text = (value: unknown) => String(value).split(String(id)).join("<id>");
  return {
    data: response.data ? Object.fromEntries(Object.entries(response.data).map(([k, v]) => [k, v === null ? null : "value"])) : null,
    errors: (response.errors ?? []).map((error) => ({
      message: text(error.message),
      code: error.extensions?.code,
      id: error.extensions?.id === undefined ? undefined : text(error.extensions.id),
    })),
  };
}

/** Row counts of every table and the full rows of the scoped tables: a denial must change none. */
async function fingerprint(dataSource: DataSource): Promise<string> {
  const parts: string[] = [];
  for (const meta of [...dataSource.entityMetadatas].sort((a, b) => a.tableName.localeCompare(b.tableName))) {
    // A table another change has not migrated yet counts as absent rather than failing the matrix.
    const count = await dataSource.getRepository(meta.target).count().catch(() => "absent");
    parts.push(`${meta.tableName}:${count}`);
  }
  for (const table of ["issue", "cause", "action_item", "adjustment_request", "verification_check", "feedback", "issue_evidence"]) {
    const rows = await dataSource.query(`SELECT * FROM ${table} ORDER BY 1`);
    parts.push(JSON.stringify(rows));
  }
  return parts.join("\n");
}

const codesOf = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);

describe("authorisation matrix", () => {
  let app: TestApp;
  let w: World;
  let objects: Objects;
  let schema: GraphQLSchema;
  let who: Subject[];

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    objects = await seedObjects(app.dataSource, w);
    schema = await getSchema();
    who = subjects(w);
  });
  afterAll(() => app.stop());

  async function post(token: string | null, request: { query: string; variables?: Record<string, unknown> }): Promise<GraphQLResponse> {
    const response = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(request),
    });
    return (await response.json()) as GraphQLResponse;
  }

  function fieldOf(name: string): { kind: "query" | "mutation" | "subscription"; field: GraphQLField<unknown, unknown> } {
    const query = schema.getQueryType()!.getFields()[name];
    if (query) return { kind: "query", field: query };
    const subscription = schema.getSubscriptionType()?.getFields()[name];
    if (subscription) return { kind: "subscription", field: subscription };
    return { kind: "mutation", field: schema.getMutationType()!.getFields()[name] };
  }

  describe("the table", () => {
    it("has a row for every query, mutation and subscription of the schema, and no row for anything else", () => {
      const operations = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
        type ? Object.keys(type.getFields()) : [],
      );
      expect(operations.filter((name) => !OPERATIONS[name]).sort()).toEqual([]);
      expect(Object.keys(OPERATIONS).filter((name) => !operations.includes(name)).sort()).toEqual([]);
    });

    it("declares each row with the operation's kind and a target that is one of its arguments", () => {
      for (const [name, row] of Object.entries(OPERATIONS)) {
        const { kind, field } = fieldOf(name);
        expect(`${name}:${row.kind}`).toBe(`${name}:${kind}`);
        if (row.target) expect(`${name}:${field.args.some((arg) => arg.name === row.target!.split(".")[0])}`).toBe(`${name}:true`);
      }
    });

    it("can enforce every cell: each row scope has a condition", () => {
      expect(unenforceableCells()).toEqual([]);
    });

    it("gives the review readers of the report pages (REVIEW_READERS) exactly the roles the review row allows", () => {
      const reviewRoles = ROLES.filter((role) => mayRun("weeklyReview", [role]));
      expect([...REVIEW_READERS].sort()).toEqual([...reviewRoles].sort());
    });

    it("states the brief's rules", () => {
      const visibility = (name: string) => OPERATIONS[name].scopes as Record<string, string>;
      expect(visibility("actionItems").DEPARTMENT_LEAD).toBe("OWN_DEPARTMENT");
      expect(visibility("adjustmentRequests").DEPARTMENT_LEAD).toBe("OWN_DEPARTMENT");
      expect(visibility("issues").AGENT).toBe("REGISTERED_OR_ASSIGNED");
      for (const role of ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER"]) {
        for (const name of ["issues", "actionItems", "adjustmentRequests", "verificationChecks", "feedbacks"]) {
          expect(`${name}:${role}:${visibility(name)[role]}`).toBe(`${name}:${role}:ALL`);
        }
      }
    });
  });

  describe("objects by id", () => {
    const byIdQueries = Object.entries(OPERATIONS).filter(
      ([, row]) => row.kind === "query" && row.target === "id" && KIND_OF[row.resource],
    );

    it.each(byIdQueries.map(([name]) => name))("%s returns exactly the objects in scope; others look missing (null)", async (name) => {
      const kind = KIND_OF[OPERATIONS[name].resource]!;
      for (const subject of who) {
        if (!mayRun(name, [subject.role])) continue;
        const missing = await post(subject.person.token, { query: `{ ${name}(id: "${MISSING_ID}") { id } }` });
        expect(missing).toEqual({ data: { [name]: null } });
        for (const id of idsOf(objects, kind)) {
          const response = await post(subject.person.token, { query: `{ ${name}(id: "${id}") { id } }` });
          const expected = expectedVisible(objects, kind, subject, id) ? { id: String(id) } : null;
          expect(`${name}(${id}) as ${subject.role}: ${JSON.stringify(response)}`).toBe(
            `${name}(${id}) as ${subject.role}: ${JSON.stringify({ data: { [name]: expected } })}`,
          );
        }
      }
    });
  });

  describe("lists", () => {
    const lists = Object.entries(OPERATIONS).filter(
      ([, row]) => row.kind === "query" && !row.target && KIND_OF[row.resource],
    );

    it.each(lists.map(([name]) => name))("%s holds exactly the objects in scope, with a matching totalCount on every page", async (name) => {
      const kind = KIND_OF[OPERATIONS[name].resource]!;
      for (const subject of who) {
        if (!mayRun(name, [subject.role])) continue;
        const expected = expectedVisibleIds(objects, kind, subject).sort((a, b) => a - b);
        const seen: number[] = [];
        let after: string | null = null;
        do {
          const response: GraphQLResponse = await post(subject.person.token, {
            query: `query Page($after: String) { ${name}(first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
            variables: { after },
          });
          const page = response.data?.[name] as {
            totalCount: number;
            nodes: { id: string }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
          expect(`${name} as ${subject.role}: totalCount ${page.totalCount}`).toBe(`${name} as ${subject.role}: totalCount ${expected.length}`);
          seen.push(...page.nodes.map((node) => Number(node.id)));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        expect(`${name} as ${subject.role}: ${seen.sort((a, b) => a - b)}`).toBe(`${name} as ${subject.role}: ${expected}`);
      }
    });

    it("a user holding two roles sees the union of both roles' scopes", async () => {
      const user = await app.services.directory.createUser({
        name: "AgentLead",
        email: "agent-lead@example.test",
        roles: ["AGENT", "DEPARTMENT_LEAD"],
        departmentId: Number(w.serviceDept),
      });
      const token = await app.services.auth.issueToken(user.id, "matrix");
      const as = (role: "AGENT" | "DEPARTMENT_LEAD"): Subject => ({
        role,
        person: { id: String(user.id), token, client: app.client(token) },
        userId: user.id,
        departmentId: Number(w.serviceDept),
      });
      for (const [name, kind] of [["issues", "issue"], ["actionItems", "action"], ["feedbacks", "feedback"]] as const) {
        const response = await post(token, { query: `{ ${name}(first: 100) { totalCount nodes { id } } }` });
        const page = response.data![name] as { totalCount: number; nodes: { id: string }[] };
        const union = [...new Set([...expectedVisibleIds(objects, kind, as("AGENT")), ...expectedVisibleIds(objects, kind, as("DEPARTMENT_LEAD"))])];
        expect(`${name}: ${page.nodes.map((node) => Number(node.id)).sort((x, y) => x - y)}`).toBe(
          `${name}: ${union.sort((x, y) => x - y)}`,
        );
        expect(page.totalCount).toBe(union.length);
      }
    });

    it("transitionLog shows the entries of objects in scope only", async () => {
      const typeOf: Record<string, ObjectKind> = {
        ISSUE: "issue",
        CAUSE: "cause",
        ACTION_ITEM: "action",
        ADJUSTMENT_REQUEST: "adjustment",
        VERIFICATION_CHECK: "check",
      };
      for (const subject of who) {
        const response = await post(subject.person.token, {
          query: `{ transitionLog(first: 100) { totalCount nodes { entityType entityId } } }`,
        });
        const log = response.data!.transitionLog as { totalCount: number; nodes: { entityType: string; entityId: string }[] };
        const expected = Object.entries(typeOf)
          .flatMap(([entityType, kind]) => expectedVisibleIds(objects, kind, subject).map((id) => `${entityType}:${id}`))
          .sort();
        const seen = log.nodes.map((node) => `${node.entityType}:${node.entityId}`).sort();
        expect(`${subject.role}: ${seen}`).toBe(`${subject.role}: ${expected}`);
        expect(log.totalCount).toBe(expected.length);
      }
    });
  });

  describe("nested paths", () => {
    const visible = (kind: ObjectKind, subject: Subject, ids: number[]) =>
      ids.filter((id) => expectedVisible(objects, kind, subject, id)).sort((a, b) => a - b);
    const ids = (rows: { id: string }[] | null | undefined) => (rows ?? []).map((row) => Number(row.id)).sort((a, b) => a - b);

    it("an issue's causes, actions, their adjustments, checks and evidence are filtered by the same scopes", async () => {
      for (const subject of who) {
        for (const issue of objects.issues) {
          const response = await post(subject.person.token, {
            query: `{ issue(id: "${issue.id}") { id causes { id actionItems { id } } actionItems { id adjustmentRequests { id } }
              verificationChecks { id } evidence { id } } }`,
          });
          const node = response.data!.issue as Record<string, { id: string; actionItems?: { id: string }[]; adjustmentRequests?: { id: string }[] }[]> | null;
          const cell = `issue ${issue.id} as ${subject.role}`;
          if (!expectedVisible(objects, "issue", subject, issue.id)) {
            expect(`${cell}: ${JSON.stringify(node)}`).toBe(`${cell}: null`);
            continue;
          }
          const actionIds = objects.actions.filter((a) => a.issueId === issue.id).map((a) => a.id);
          expect(`${cell} causes ${ids(node!.causes)}`).toBe(
            `${cell} causes ${visible("cause", subject, objects.causes.filter((c) => c.issueId === issue.id).map((c) => c.id))}`,
          );
          expect(`${cell} actions ${ids(node!.actionItems)}`).toBe(`${cell} actions ${visible("action", subject, actionIds)}`);
          expect(`${cell} cause actions ${ids(node!.causes.flatMap((c) => c.actionItems ?? []))}`).toBe(
            `${cell} cause actions ${visible("action", subject, actionIds)}`,
          );
          const adjustmentIds = objects.adjustments.filter((r) => actionIds.includes(r.actionItemId)).map((r) => r.id);
          const shownAdjustments = node!.actionItems.flatMap((a) => a.adjustmentRequests ?? []);
          const reachable = visible(
            "adjustment",
            subject,
            adjustmentIds.filter((id) => expectedVisible(objects, "action", subject, objects.adjustments.find((r) => r.id === id)!.actionItemId)),
          );
          expect(`${cell} adjustments ${ids(shownAdjustments)}`).toBe(`${cell} adjustments ${reachable}`);
          expect(`${cell} checks ${ids(node!.verificationChecks)}`).toBe(
            `${cell} checks ${visible("check", subject, objects.checks.filter((c) => c.issueId === issue.id).map((c) => c.id))}`,
          );
          expect(`${cell} evidence ${ids(node!.evidence)}`).toBe(
            `${cell} evidence ${visible("feedback", subject, objects.feedback.filter((f) => f.evidenceOf.includes(issue.id)).map((f) => f.id))}`,
          );
        }
      }
    });

    it("an action's issue and cause, an adjustment's action and a check's issue are null out of scope", async () => {
      for (const subject of who) {
        const response = await post(subject.person.token, {
          query: `{ actionItems(first: 100) { nodes { id issue { id } cause { id } } }
                    adjustmentRequests(first: 100) { nodes { id actionItem { id } } }
                    verificationChecks(first: 100) { nodes { id issue { id } } } }`,
        });
        const data = response.data as Record<string, { nodes: Record<string, { id: string } | string | null>[] }>;
        const parentOf = (node: { id: string } | string | null) => (node && typeof node === "object" ? Number(node.id) : null);
        for (const node of data.actionItems.nodes) {
          const item = objects.actions.find((a) => a.id === Number(node.id))!;
          const cell = `action ${item.id} as ${subject.role}`;
          expect(`${cell} issue ${parentOf(node.issue)}`).toBe(
            `${cell} issue ${expectedVisible(objects, "issue", subject, item.issueId) ? item.issueId : null}`,
          );
          expect(`${cell} cause ${parentOf(node.cause)}`).toBe(
            `${cell} cause ${expectedVisible(objects, "cause", subject, item.causeId) ? item.causeId : null}`,
          );
        }
        for (const node of data.adjustmentRequests.nodes) {
          const request = objects.adjustments.find((r) => r.id === Number(node.id))!;
          const cell = `adjustment ${request.id} as ${subject.role}`;
          expect(`${cell} action ${parentOf(node.actionItem)}`).toBe(
            `${cell} action ${expectedVisible(objects, "action", subject, request.actionItemId) ? request.actionItemId : null}`,
          );
        }
        for (const node of data.verificationChecks.nodes) {
          const check = objects.checks.find((c) => c.id === Number(node.id))!;
          expect(parentOf(node.issue)).toBe(check.issueId);
        }
      }
    });
  });

  describe("aggregates", () => {
    /** Each aggregate query for one department (null: no department asked for) and how to read the department it covered. */
    const AGGREGATES: Record<string, (department: string | null) => { query: string; covered: (data: any) => string[] }> = {
      satisfactionAnalytics: (department) => ({
        query: `{ satisfactionAnalytics(input: { period: { month: "2026-01" }${department ? `, filter: { department: "${department}" }` : ""} }) { filter { kind value } } }`,
        covered: (data) => (data.satisfactionAnalytics.filter ? [`${data.satisfactionAnalytics.filter.kind}:${data.satisfactionAnalytics.filter.value}`] : ["ALL"]),
      }),
      satisfactionTrend: (department) => ({
        query: `{ satisfactionTrend(input: { endMonth: "2026-01", months: 1${department ? `, filter: { department: "${department}" }` : ""} }) { filter { kind value } } }`,
        covered: (data) => (data.satisfactionTrend.filter ? [`${data.satisfactionTrend.filter.kind}:${data.satisfactionTrend.filter.value}`] : ["ALL"]),
      }),
      complaintSlaAttainment: (department) => ({
        query: `{ complaintSlaAttainment(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z"${department ? `, departmentId: "${department}"` : ""}) { byDepartment { department { id } } } }`,
        covered: (data) => data.complaintSlaAttainment.byDepartment.map((row: any) => `DEPARTMENT:${row.department?.id ?? "none"}`),
      }),
    };

    it("covers every aggregate row the table confines to a department", () => {
      const confined = Object.entries(OPERATIONS)
        .filter(([, row]) => row.scopes !== "public" && Object.values(row.scopes).includes("OWN_DEPARTMENT") && DEPARTMENT_AGGREGATES.includes(row.resource))
        .map(([name]) => name)
        .sort();
      expect(Object.keys(AGGREGATES).sort()).toEqual(confined);
    });

    it.each(Object.keys(AGGREGATES))("%s: a department-scoped role gets its own department's figures only", async (name) => {
      for (const subject of who) {
        if (!mayRun(name, [subject.role])) continue;
        const scopes = scopesOf([subject.role], OPERATIONS[name].scopes as Record<string, never>);
        const cell = `${name} as ${subject.role}`;
        const other = await post(subject.person.token, { query: AGGREGATES[name](w.techDept).query });
        if (scopes.includes("ALL")) {
          expect(`${cell}: ${codesOf(other)}`).toBe(`${cell}: `);
          continue;
        }
        expect(`${cell} (scope ${scopes}) for another department: ${codesOf(other)}`).toBe(`${cell} (scope OWN_DEPARTMENT) for another department: FORBIDDEN`);
        for (const asked of [null, w.serviceDept]) {
          const response = await post(subject.person.token, { query: AGGREGATES[name](asked).query });
          expect(`${cell} asking ${asked}: ${codesOf(response)}`).toBe(`${cell} asking ${asked}: `);
          for (const covered of AGGREGATES[name](asked).covered(response.data)) {
            expect(`${cell} asking ${asked}: ${covered}`).toBe(`${cell} asking ${asked}: DEPARTMENT:${subject.departmentId}`);
          }
        }
      }
    });
  });

  describe("acting on objects", () => {
    const targeted = Object.entries(OPERATIONS).filter(
      ([, row]) => row.kind === "mutation" && row.target && KIND_OF[row.resource],
    );

    it.each(targeted.map(([name]) => name))(
      "%s: out of scope looks exactly like missing and changes nothing; in scope reaches the object",
      async (name) => {
        const row = OPERATIONS[name];
        const kind = KIND_OF[row.resource]!;
        const { field } = fieldOf(name);
        for (const subject of who) {
          if (!mayRun(name, [subject.role])) continue;
          const missing = await post(subject.person.token, requestFor("mutation", field, row.target, MISSING_ID));
          // The request must reach the target lookup, or this cell would prove nothing.
          expect(`${name} as ${subject.role} on a missing ${kind}: ${JSON.stringify(missing.errors?.map((e) => e.extensions))}`).toBe(
            `${name} as ${subject.role} on a missing ${kind}: ${JSON.stringify([{ code: "NOT_FOUND", entity: LABEL[kind], id: String(MISSING_ID) }])}`,
          );
          const inScope: number[] = [];
          for (const id of idsOf(objects, kind)) {
            if (expectedVisible(objects, kind, subject, id)) {
              inScope.push(id);
              continue;
            }
            const before = await fingerprint(app.dataSource);
            const denied = await post(subject.person.token, requestFor("mutation", field, row.target, id));
            expect(`${name}(${id}) as ${subject.role}: ${JSON.stringify(shapeOf(denied, id))}`).toBe(
              `${name}(${id}) as ${subject.role}: ${JSON.stringify(shapeOf(missing, MISSING_ID))}`,
            );
            expect(await fingerprint(app.dataSource)).toBe(before);
          }
          // In scope: whatever the machine decides, the object was found (no NOT_FOUND naming it).
          for (const id of inScope) {
            const response = await post(subject.person.token, requestFor("mutation", field, row.target, id));
            await restoreRelations(app.dataSource, objects);
            const notFound = (response.errors ?? []).filter(
              (error) => error.extensions?.code === "NOT_FOUND" && error.extensions?.entity === LABEL[kind],
            );
            expect(`${name}(${id}) as ${subject.role}: ${JSON.stringify(notFound)}`).toBe(`${name}(${id}) as ${subject.role}: []`);
          }
        }
      },
    );
  });

  // Last: the allowed roles' calls of creating mutations add objects the fixture does not know.
  describe("who may run each operation at all", () => {
    // Subscriptions run over WebSocket, not this HTTP matrix; their events go through scoped loaders.
    const overHttp = Object.keys(OPERATIONS).filter((name) => OPERATIONS[name].kind !== "subscription");
    it.each(overHttp)("%s: roles with scope NONE are FORBIDDEN and change nothing; others pass the gate", async (name) => {
      const row: OperationRow = OPERATIONS[name];
      const { kind, field } = fieldOf(name);
      const request = requestFor(kind as "query" | "mutation", field, row.target, MISSING_ID);

      const anonymous = await post(null, request);
      if (row.scopes === "public") expect(codesOf(anonymous)).not.toContain("UNAUTHENTICATED");
      else expect(`${name}:${codesOf(anonymous)}`).toBe(`${name}:UNAUTHENTICATED`);

      for (const subject of who) {
        const allowed = mayRun(name, [subject.role]);
        const before = allowed ? null : await fingerprint(app.dataSource);
        const response = await post(subject.person.token, request);
        const cell = `${name} as ${subject.role}`;
        if (allowed) {
          expect(`${cell}: ${codesOf(response).filter((code) => code === "FORBIDDEN" || code === "UNAUTHENTICATED")}`).toBe(`${cell}: `);
        } else {
          expect(`${cell}: ${codesOf(response)}`).toBe(`${cell}: FORBIDDEN`);
          expect(response.data?.[name] ?? null).toBeNull();
          expect(await fingerprint(app.dataSource)).toBe(before);
        }
      }
    });
  });

  it("a role that holds no scope for an object type sees nothing of it (no role is left unconsidered)", () => {
    for (const role of ROLES) {
      for (const [name, row] of Object.entries(OPERATIONS)) {
        if (row.scopes === "public") continue;
        expect(mayRun(name, [role])).toBe(scopesOf([role], row.scopes).length > 0);
      }
    }
  });
});
