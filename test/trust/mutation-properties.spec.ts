import { createHash } from "node:crypto";
import fc from "fast-check";
import {
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { DataSource } from "typeorm";
import { getSchema } from "../../src/api/schema";
import { MetricDirection } from "../../src/common/enums";
import { ActionItem, Customer, VerificationCheck } from "../../src/entity";
import { analysedIssue } from "../support/fixtures";
import { createWorld, Person, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Generated arguments — well-shaped and hostile — thrown at every mutation of the built schema,
 * by every role. Whatever happens: no HTTP 5xx, no internal error, no stack frame or SQL in any
 * message, a code on every error, and when the answer is an error (thrown or a typed
 * ErrorResult) the database is exactly as before.
 */

/** Runs per mutation and pass (QLOOP_PROPERTY_RUNS=50 for a longer hunt). */
const RUNS_PER_MUTATION = Number(process.env.QLOOP_PROPERTY_RUNS ?? 2);

const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "' OR 1=1; DROP TABLE issue; --",
  "<script>alert(1)</script>",
  "张三".repeat(200),
  "😀".repeat(300),
  "𠀀𠀁𠀂", // CJK extension B, four bytes each in UTF-8
  "x".repeat(300),
  "y".repeat(5_000),
  "z".repeat(70_000),
];
const HOSTILE_IDS = ["0", "-1", "abc", "1.5", "", " 1", "１", "2147483648", "99999999999999999999", "1e3", "0x10"];
const HOSTILE_INTS = [-2147483648, 2147483647, -1, 0, 1_000_000];
const HOSTILE_FLOATS = [0, -1, -0.000001, 1e308, -1e308, 0.5, 5, 100.0001];
const HOSTILE_DATES = ["not a date", "2026-13-45T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", ""];

/**
 * A value for a GraphQL input type, named `name` (an argument or input field): mostly well-shaped
 * for that name (so requests get past validation into the services), sometimes hostile.
 */
function valueOf(type: GraphQLInputType, name: string, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return nonNullValueOf(type.ofType, name, depth);
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: nonNullValueOf(type, name, depth) });
}

function nonNullValueOf(type: GraphQLInputType, name: string, depth: number): fc.Arbitrary<unknown> {
  if (isListType(type)) return fc.array(valueOf(type.ofType, name, depth + 1), { maxLength: depth > 1 ? 1 : 4 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const shape = Object.fromEntries(fields.map((field) => [field.name, valueOf(field.type, field.name, depth + 1)]));
    const requiredKeys = fields.filter((field) => isNonNullType(field.type) && field.defaultValue === undefined).map((field) => field.name);
    return fc.record(shape, { requiredKeys });
  }
  if (isScalarType(type)) {
    return fc.oneof({ weight: 6, arbitrary: wellShaped(type.name, name) }, { weight: 1, arbitrary: hostile(type.name) });
  }
  return fc.constant(null);
}

const day = fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true });

function wellShaped(scalar: string, name: string): fc.Arbitrary<unknown> {
  switch (scalar) {
    case "ID":
      return fc.integer({ min: 1, max: 4 }).map(String);
    case "Int":
      return /score|rating|overall/i.test(name) ? fc.integer({ min: 1, max: 5 }) : fc.integer({ min: 0, max: 30 });
    case "Float":
      return fc.double({ min: 0, max: 100, noNaN: true });
    case "Boolean":
      return fc.boolean();
    case "DateTimeISO":
    case "DateTime":
      return day.map((d) => d.toISOString());
  }
  if (/(start|end|date|from|to|until|due|at|window)$/i.test(name)) {
    return fc.oneof(day.map((d) => d.toISOString().slice(0, 10)), day.map((d) => d.toISOString()));
  }
  if (/email/i.test(name)) return fc.nat(99_999).map((n) => `user${n}@example.test`);
  if (/phone/i.test(name)) return fc.constantFrom("13812345678", "+86 21 5555 0101");
  if (/dimension|metric|code|category/i.test(name)) return fc.constantFrom("responsiveness", "overall", "attitude", "响应慢");
  return fc.oneof(fc.constantFrom("响应慢", "夜间派单需等次日早会", "ok", "客户A"), fc.string({ minLength: 1, maxLength: 12 }));
}

function hostile(scalar: string): fc.Arbitrary<unknown> {
  switch (scalar) {
    case "ID":
      return fc.constantFrom(...HOSTILE_IDS);
    case "Int":
      return fc.constantFrom(...HOSTILE_INTS);
    case "Float":
      return fc.constantFrom(...HOSTILE_FLOATS);
    case "Boolean":
      return fc.boolean();
    case "DateTimeISO":
    case "DateTime":
      return fc.constantFrom(...HOSTILE_DATES.slice(2));
    default:
      return fc.oneof(fc.constantFrom(...HOSTILE_STRINGS, ...HOSTILE_DATES), fc.string({ unit: "grapheme", maxLength: 40 }));
  }
}

/** `mutation ($a0: T0, …) { name(arg0: $a0, …) { __typename } }` for one mutation field. */
function documentFor(field: GraphQLField<unknown, unknown>): string {
  const variables = field.args.map((arg, i) => `$a${i}: ${arg.type.toString()}`);
  const args = field.args.map((arg, i) => `${arg.name}: $a${i}`);
  const selection = isCompositeType(getNamedType(field.type)) ? " { __typename }" : "";
  const head = variables.length ? `(${variables.join(", ")})` : "";
  const call = args.length ? `(${args.join(", ")})` : "";
  return `mutation Fuzz${head} { ${field.name}${call}${selection} }`;
}

function argumentsOf(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const shape = Object.fromEntries(field.args.map((arg, i) => [`a${i}`, valueOf(arg.type, arg.name)]));
  const requiredKeys = field.args.flatMap((arg, i) => (isNonNullType(arg.type) && arg.defaultValue === undefined ? [`a${i}`] : []));
  return fc.record(shape, { requiredKeys });
}

/** Per table: row count and a hash of every row, so any insert, update or delete shows. */
async function fingerprint(dataSource: DataSource): Promise<Record<string, string>> {
  const prints: Record<string, string> = {};
  const quote = (name: string) => dataSource.driver.escape(name);
  for (const meta of dataSource.entityMetadatas) {
    const rows: unknown[] = await dataSource.query(`SELECT * FROM ${quote(meta.tableName)}`);
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    prints[meta.tableName] = `${rows.length}:${createHash("sha1").update(lines.join("\n")).digest("hex")}`;
  }
  return prints;
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}

const LEAKS = [
  /\n\s+at /, // a stack frame
  /\bat \S+ \(\S+:\d+:\d+\)/,
  /node_modules|\.ts:\d+|\.js:\d+/,
  /QueryFailedError|ER_[A-Z_]{4,}|SQLITE_[A-Z]+|TypeORMError|EntityNotFound/,
  /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b[\s\S]*\bSET\b|\bDELETE FROM\b/,
];

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** What is wrong with one answer, or null. */
function problemsOf(
  answer: { status: number; text: string; body: GraphQLAnswer },
  field: string,
  errorResults: Set<string>,
  changed: string[],
): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  for (const error of answer.body.errors ?? []) {
    const code = error.extensions?.code;
    if (!code) return `error without extensions.code: ${error.message}`;
    if (code === "INTERNAL_SERVER_ERROR") return `internal error`;
    if ("stacktrace" in (error.extensions ?? {}) || "exception" in (error.extensions ?? {})) return `stack trace in extensions (${code})`;
    const leak = LEAKS.find((pattern) => pattern.test(error.message));
    if (leak) return `internals in message (${leak}): ${error.message.slice(0, 200)}`;
  }
  const result = answer.body.data?.[field] as { __typename?: string } | null | undefined;
  const refused = (answer.body.errors?.length ?? 0) > 0 || (result?.__typename !== undefined && errorResults.has(result.__typename));
  if (refused && changed.length > 0) return `refused (${answer.body.errors?.[0]?.extensions?.code ?? result?.__typename}) but changed ${changed.join(", ")}`;
  return null;
}

describe("every mutation under generated input", () => {
  let app: TestApp;
  let w: World;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    await seedObjects();
    schema = await getSchema();
  });
  afterAll(() => app.stop());

  /**
   * Objects for the small ids (1–4) the generator uses, in several workflow states, so that
   * well-shaped input reaches real rows and the machines rather than stopping at NOT_FOUND.
   */
  async function seedObjects() {
    const m = app.dataSource.manager;
    const first = await analysedIssue(app, w);
    await analysedIssue(app, w);
    await m.save(m.create(Customer, { name: "客户甲", phone: "13812345678", region: "华东" }));
    for (const state of ["draft", "approved", "inProgress", "blocked"]) {
      await m.save(
        m.create(ActionItem, {
          issueId: Number(first.issueId),
          causeId: Number(first.causeId),
          cycle: 1,
          description: `措施 ${state}`,
          metric: "响应时长",
          baseline: 4,
          target: 1,
          ownerId: Number(w.engineer.id),
          departmentId: Number(w.serviceDept),
          plannedStart: "2026-09-01",
          plannedEnd: "2026-09-30",
          actualEnd: null,
          budget: null,
          state,
          completionNote: null,
        }),
      );
    }
    await m.insert(VerificationCheck, {
      issueId: Number(first.issueId),
      cycle: 1,
      metric: "响应及时性",
      dimension: "responsiveness",
      direction: MetricDirection.HIGHER_IS_BETTER,
      threshold: 0.5,
      baseline: 3.2,
      state: "planned",
      createdById: Number(w.quality.id),
    });
  }

  async function send(person: Person, query: string, variables: Record<string, unknown>) {
    const response = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${person.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as GraphQLAnswer };
  }

  it("flags the failures it looks for (the oracle itself bites)", () => {
    const errorResults = new Set(["TransitionError"]);
    const answer = (status: number, body: GraphQLAnswer) => ({ status, text: JSON.stringify(body), body });
    const refused = answer(200, { errors: [{ message: "issue 9 was not found", extensions: { code: "NOT_FOUND" } }] });
    expect(problemsOf(refused, "closeIssue", errorResults, [])).toBeNull();
    expect(problemsOf(refused, "closeIssue", errorResults, ["issue"])).toMatch(/changed issue/);
    expect(problemsOf(answer(500, {}), "closeIssue", errorResults, [])).toMatch(/HTTP 500/);
    expect(problemsOf(answer(200, { errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }), "x", errorResults, [])).toMatch(/internal/);
    expect(problemsOf(answer(200, { errors: [{ message: "no code" }] }), "x", errorResults, [])).toMatch(/without extensions.code/);
    const leaked = "ER_DATA_TOO_LONG: Data too long for column 'title'\n    at Query.execute (/app/node_modules/mysql2/lib/query.js:1:2)";
    expect(problemsOf(answer(200, { errors: [{ message: leaked, extensions: { code: "BAD_USER_INPUT" } }] }), "x", errorResults, [])).toMatch(/internals/);
    const typed = answer(200, { data: { closeIssue: { __typename: "TransitionError" } } });
    expect(problemsOf(typed, "closeIssue", errorResults, ["transition_log"])).toMatch(/TransitionError/);
    expect(problemsOf(answer(200, { data: { closeIssue: { __typename: "Issue" } } }), "closeIssue", errorResults, ["issue"])).toBeNull();
  });

  it("notices a single changed cell in the fingerprint it compares", async () => {
    const before = await fingerprint(app.dataSource);
    await app.dataSource.query(`UPDATE ${app.dataSource.driver.escape("department")} SET name = 'x' WHERE id = 1`);
    const after = await fingerprint(app.dataSource);
    await app.dataSource.query(`UPDATE ${app.dataSource.driver.escape("department")} SET name = '售后服务部' WHERE id = 1`);
    expect(changedTables(before, after)).toEqual(["department"]);
    expect(changedTables(before, await fingerprint(app.dataSource))).toEqual([]);
  });

  it(
    "answers every mutation without a 5xx, an internal error or a leak, and changes nothing when it refuses",
    async () => {
      const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});
      expect(mutations.length).toBeGreaterThan(60);
      const errorResult = schema.getType("ErrorResult");
      const errorResults = new Set(isInterfaceType(errorResult) ? schema.getPossibleTypes(errorResult).map((t) => t.name) : []);
      expect(errorResults.size).toBeGreaterThan(0);
      const people = [w.agent, w.quality, w.manager, w.serviceLead, w.techLead, w.engineer, w.admin];

      const failures: string[] = [];
      /** How often each error code or result type came back: proof the input reached the services. */
      const outcomes = new Map<string, number>();
      let before = await fingerprint(app.dataSource);
      // Two passes: objects the first pass created (customers, tickets, issues, rules…) are there
      // for the mutations that act on them in the second.
      for (const mutation of [...mutations, ...mutations]) {
        const query = documentFor(mutation);
        const outcome = await fc.check(
          fc.asyncProperty(fc.constantFrom(...people), argumentsOf(mutation), async (person, variables) => {
            app.statements.length = 0;
            const answer = await send(person, query, variables);
            const after = await fingerprint(app.dataSource);
            const problem = problemsOf(answer, mutation.name, errorResults, changedTables(before, after));
            const outcome = answer.body.errors?.[0]?.extensions?.code ?? (answer.body.data?.[mutation.name] as { __typename?: string } | null)?.__typename;
            outcomes.set(String(outcome), (outcomes.get(String(outcome)) ?? 0) + 1);
            before = after;
            if (problem) throw new Error(problem);
          }),
          { numRuns: RUNS_PER_MUTATION, endOnFailure: true },
        );
        if (outcome.failed) {
          const example = JSON.stringify(outcome.counterexample?.[1] ?? null).slice(0, 300);
          failures.push(`${mutation.name}: ${String(outcome.errorInstance instanceof Error ? outcome.errorInstance.message : outcome.errorInstance)} — args ${example} (seed ${outcome.seed})`);
        }
      }
      expect(failures).toEqual([]);
      // Not everything was stopped by input validation: objects were looked up, roles checked,
      // workflow events refused and some mutations succeeded.
      const seen = [...outcomes.keys()];
      expect(seen).toEqual(expect.arrayContaining(["BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "TransitionError"]));
      expect(seen.some((key) => schema.getType(key) && !errorResults.has(key))).toBe(true);
    },
    // About 1 s per run and mutation on a busy MariaDB; the default run count stays well under a minute.
    60_000 + RUNS_PER_MUTATION * 200 * 1_000,
  );
});
