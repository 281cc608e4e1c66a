import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import {
  getNamedType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from "graphql";
import { gql, GraphQLClient } from "graphql-request";
import { HOUR_MS } from "../../src/common/clock";
import { ManualClock, useClock } from "../../src/common/clock";
import { getSchema } from "../../src/api/schema";
import { createDataSource } from "../../src/db/data-source";
import { OutboxMessage } from "../../src/entity";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { registerReportCommand } from "../../src/cli/report-command";
import { importCustomers } from "../../src/import";
import { createLogger } from "../../src/ops/logger";
import { RunningServer, startServer } from "../../src/server";
import { createServices } from "../../src/service";
import { createTestDatabase, TestDatabase } from "../support/test-database";
import { createWorld, Person, TestApp, World } from "../support/test-app";
import { writeCsv } from "../import/survey-export";

/**
 * The canary: a customer whose name, phone number and e-mail address are recognisable, seeded
 * through every intake path (customer record, ticket, survey invitation, feedback comment,
 * complaint title and description, verification e-mail). Then every query of the schema is run
 * for every role without access to personal data, the reports are fetched over HTTP and the CLI,
 * errors are provoked and the server's log lines are collected: none may contain the canary.
 */
const CANARY = { name: "金丝雀测试", phone: "13912345678", email: "canary.bird@example.test" };

/** The canary in any of its recognisable forms: the name or its first two characters, the phone
 * digits however they are separated, the e-mail's local part. */
const CANARY_PATTERNS = [
  /金丝/,
  new RegExp(CANARY.phone.split("").join("[\\s\\-+().]*")),
  /canary\.bird/i,
];

function leaks(text: string): string[] {
  return CANARY_PATTERNS.filter((pattern) => pattern.test(text)).map(String);
}

// Monday of ISO week 2026-W45: the reports of that week and month cover everything seeded.
const T0 = new Date("2026-11-02T01:00:00.000Z");

interface CanaryApp extends TestApp {
  logLines: string[];
}

/** The real server, as startTestApp starts it, with its JSON log lines collected. */
async function startCanaryApp(): Promise<CanaryApp> {
  const database: TestDatabase = await createTestDatabase();
  const dataSource = createDataSource(database.config);
  await dataSource.initialize();
  await dataSource.runMigrations();
  const clock = new ManualClock();
  useClock(dataSource, clock);
  const logLines: string[] = [];
  const log = createLogger({ level: "trace", destination: { write: (line: string) => void logLines.push(line) } });
  // Generous document limits: every field of a type is selected at once here.
  const limits = { maxTokens: 1_000_000, maxNodes: 100_000_000, maxDepth: 40, maxAliases: 1_000 };
  const server: RunningServer = await startServer({ dataSource, port: 0, host: "127.0.0.1", log, limits });
  return {
    url: server.url,
    dataSource,
    services: createServices(dataSource),
    statements: [],
    clock,
    logLines,
    client: (token) => new GraphQLClient(server.url, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    stop: async () => {
      await server.stop();
      await dataSource.destroy();
      await database.drop();
    },
  };
}

// ---- a query for every field of the schema ------------------------------------------------------

const MAX_DEPTH = 4;

/** Arguments for the root fields that need more than an id; a new one must be added here. */
const ROOT_ARGUMENTS: Record<string, (seed: Seed) => string> = {
  complaintSlaAttainment: () => `(from: "2026-10-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z")`,
  keywordTagCounts: () => `(input: { from: "2026-10-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z", segment: REGION })`,
  satisfactionAnalytics: () => `(input: { period: { month: "2026-11" }, groupBy: REGION })`,
  satisfactionTrend: () => `(input: { endMonth: "2026-11", months: 2 })`,
  weeklyReview: () => `(week: "2026-W45")`,
  monthlyReview: () => `(month: "2026-11")`,
  surveyByToken: (seed) => `(token: ${JSON.stringify(seed.surveyToken)})`,
};

interface Seed {
  customerId: string;
  ticketId: string;
  feedbackId: string;
  issueId: string;
  invitationId: string;
  campaignId: string;
  surveyToken: string;
}

/** The seeded object a root `field(id:)` should fetch, by the type it returns. */
function idFor(typeName: string, seed: Seed): string {
  const ids: Record<string, string> = {
    Customer: seed.customerId,
    ServiceTicket: seed.ticketId,
    Feedback: seed.feedbackId,
    Issue: seed.issueId,
    SurveyInvitation: seed.invitationId,
    SurveyCampaign: seed.campaignId,
  };
  return ids[typeName] ?? "1";
}

function requiredArgs(field: GraphQLField<unknown, unknown>) {
  return field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
}

/** Every field of `type` reachable without required arguments, `depth` object levels deep. */
function selectionOf(type: GraphQLNamedType, depth: number, seen: readonly string[]): string {
  if (isLeafType(type)) return "";
  if (isAbstractType(type)) return "__typename";
  if (!isObjectType(type)) return "";
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (requiredArgs(field).length > 0) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
      continue;
    }
    if (depth >= MAX_DEPTH || seen.includes(named.name)) continue;
    const inner = isAbstractType(named)
      ? abstractSelection(named, depth + 1, [...seen, named.name])
      : selectionOf(named, depth + 1, [...seen, named.name]);
    if (!inner) continue;
    const page = field.args.some((arg) => arg.name === "first") ? "(first: 5)" : "";
    parts.push(`${field.name}${page} { ${inner} }`);
  }
  return parts.join(" ");
}

function abstractSelection(type: GraphQLNamedType, depth: number, seen: readonly string[]): string {
  return [
    "__typename",
    ...schemaOf().getPossibleTypes(type as never).map((member) => {
      const inner = selectionOf(member, depth, seen);
      return inner ? `... on ${member.name} { ${inner} }` : "";
    }),
  ].join(" ");
}

let loadedSchema: GraphQLSchema;
const schemaOf = () => loadedSchema;

/** One document per root query field, with every field below it to MAX_DEPTH. */
function rootQueries(schema: GraphQLSchema, seed: Seed): { field: string; document: string }[] {
  return Object.values(schema.getQueryType()!.getFields()).map((field) => {
    const named = getNamedType(field.type);
    const required = requiredArgs(field);
    let args = "";
    if (ROOT_ARGUMENTS[field.name]) args = ROOT_ARGUMENTS[field.name](seed);
    else if (required.length === 1 && required[0].name === "id") args = `(id: "${idFor(named.name, seed)}")`;
    else if (required.length > 0) throw new Error(`no arguments known for Query.${field.name}: add them to ROOT_ARGUMENTS`);
    if (!args && field.args.some((arg) => arg.name === "first")) args = "(first: 20)";
    const inner = isAbstractType(named) ? abstractSelection(named, 1, [named.name]) : selectionOf(named, 1, [named.name]);
    return { field: field.name, document: `query Canary_${field.name} { ${field.name}${args}${inner ? ` { ${inner} }` : ""} }` };
  });
}

/** A refusal the caller is entitled to; anything else means the generated query is broken. */
const EXPECTED_REFUSALS = new Set(["FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"]);

async function postRaw(url: string, token: string | null, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe("canary: personal data never reaches unprivileged responses, reports, logs or errors", () => {
  let app: CanaryApp;
  let world: World;
  let seed: Seed;
  let unprivileged: { label: string; token: string | null }[];

  /** What the process wrote to the console meanwhile (warnings, unexpected errors). */
  const consoleLines: string[] = [];
  const consoleSpies = (["log", "info", "warn", "error"] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : String(arg))).join(" "));
    }),
  );
  afterAll(() => consoleSpies.forEach((spy) => spy.mockRestore()));

  beforeAll(async () => {
    loadedSchema = await getSchema();
    app = await startCanaryApp();
    world = await createWorld(app);
    app.clock.set(T0);
    unprivileged = [
      { label: "department lead (own department)", token: world.serviceLead.token },
      { label: "department lead (other department)", token: world.techLead.token },
      { label: "admin", token: world.admin.token },
      { label: "anonymous", token: null },
    ];
    seed = await seedCanary(app, world);
  }, 60_000);
  afterAll(() => app.stop());

  it("queries every root field as each unprivileged role: masked values, never the canary", async () => {
    const queries = rootQueries(loadedSchema, seed);
    let masked = 0;
    for (const role of unprivileged) {
      for (const { field, document } of queries) {
        const { text } = await postRaw(app.url, role.token, { query: document });
        expect({ role: role.label, field, leaks: leaks(text) }).toEqual({ role: role.label, field, leaks: [] });
        const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
        const unexpected = (body.errors ?? []).filter((error) => !EXPECTED_REFUSALS.has(String(error.extensions?.code)));
        expect({ role: role.label, field, unexpected }).toEqual({ role: role.label, field, unexpected: [] });
        if (text.includes("金****")) masked++;
      }
    }
    // The queries do reach the canary: masked for these roles …
    expect(masked).toBeGreaterThan(3);
  }, 120_000);

  it("the same generated queries show the canary to a quality specialist (the check above can fail)", async () => {
    const texts: string[] = [];
    for (const { document } of rootQueries(loadedSchema, seed)) {
      texts.push((await postRaw(app.url, world.quality.token, { query: document })).text);
    }
    const all = texts.join("\n");
    expect(leaks(all)).toEqual(CANARY_PATTERNS.map(String));
  }, 120_000);

  it("reports over HTTP (HTML and Markdown, weekly and monthly) carry an alias, for every reader", async () => {
    const port = new URL(app.url).port;
    for (const person of [world.serviceLead, world.quality, world.manager]) {
      for (const path of ["weekly?period=2026-W45", "monthly?period=2026-11"]) {
        for (const format of ["html", "md"]) {
          const response = await fetch(`http://127.0.0.1:${port}/reports/${path}&format=${format}`, {
            headers: { authorization: `Bearer ${person.token}` },
          });
          const text = await response.text();
          expect({ path, format, status: response.status }).toEqual({ path, format, status: 200 });
          expect({ path, format, leaks: leaks(text) }).toEqual({ path, format, leaks: [] });
          if (path.startsWith("weekly")) expect(text).toContain("客户A投诉");
        }
      }
    }
  }, 60_000);

  it("reports from the CLI carry no canary", async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      for (const args of [
        ["weekly", "--period", "2026-W45", "--format", "md"],
        ["monthly", "--period", "2026-11", "--format", "html"],
      ]) {
        const program = new Command().exitOverride();
        registerReportCommand(program, (work) => work(app.services, app.dataSource));
        await program.parseAsync(["node", "qloop", "report", ...args]);
      }
    } finally {
      spy.mockRestore();
    }
    const output = written.join("");
    expect(output).toContain("客户A投诉");
    expect(leaks(output)).toEqual([]);
  });

  it("errors never quote the canary, whoever provokes them", async () => {
    const bodies: string[] = [];
    const ask = async (person: Person | null, query: string, variables?: Record<string, unknown>) =>
      bodies.push((await postRaw(app.url, person?.token ?? null, { query, variables })).text);
    // Filtering by the name is refused to roles without access …
    for (const person of [world.serviceLead, world.admin]) {
      await ask(person, `query ($f: CustomerFilterInput) { customers(filter: $f) { totalCount } }`, {
        f: { nameContains: CANARY.name },
      });
    }
    // … bad input about the canary's data, typed by someone allowed to enter it …
    await ask(world.agent, `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { name: CANARY.name, phone: Number(CANARY.phone) },
    });
    await ask(world.agent, `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { name: CANARY.name, phone: `${CANARY.phone}x`, email: "not-an-address" },
    });
    // … a role gate and an unknown customer.
    await ask(world.serviceLead, `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { name: CANARY.name, phone: CANARY.phone },
    });
    await ask(null, `{ customer(id: "${seed.customerId}") { name phone } }`);
    expect(bodies.every((body) => body.includes('"errors"'))).toBe(true);
    expect(leaks(bodies.join("\n"))).toEqual([]);
  });

  it("no log line of the server, nor anything written to the console, contains the canary", async () => {
    expect(app.logLines.length).toBeGreaterThan(50);
    const leaking = [...app.logLines, ...consoleLines].filter((line) => leaks(line).length > 0);
    expect(leaking).toEqual([]);
  });

  it("the import's rejected-rows report (an export that gets mailed around) carries no canary", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-canary-"));
    try {
      const input = path.join(dir, "crm.csv");
      const reportFile = path.join(dir, "crm.rejected.csv");
      writeCsv(input, ["客户编号", "客户名称", "电话", "邮箱", "区域"], [
        ["C-1", CANARY.name, CANARY.phone, "not-an-e-mail", "华东"],
        ["C-2", "", CANARY.phone, CANARY.email, "华东"],
        // Too long: the offending cells are quoted in the report.
        ["C-3", CANARY.name, `${CANARY.phone} / ${CANARY.phone} / 0571-88888888`, CANARY.email, "华东"],
        ["C-4", `${CANARY.name}${"（VIP 客户）".repeat(20)}`, CANARY.phone, CANARY.email, "华东"],
      ]);
      const summary = await importCustomers(app.dataSource, input, { report: { file: reportFile } });
      expect(summary.errors.map((error) => error.field)).toEqual(["email", "customerName", "phone", "customerName"]);
      const report = fs.readFileSync(reportFile, "utf8");
      expect(leaks(report)).toEqual([]);
      expect(report).toContain("金****");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("outbox messages shown to an admin are masked, while the messages themselves still reach the customer", async () => {
    const rows = await app.dataSource.getRepository(OutboxMessage).find();
    expect(rows.some((row) => row.body.includes(CANARY.name))).toBe(true);
    const { text } = await postRaw(app.url, world.admin.token, {
      query: `{ outboxMessages(first: 100) { nodes { kind subject body lastError } } }`,
    });
    expect(text).toContain("SURVEY_INVITATION");
    expect(leaks(text)).toEqual([]);
  });
});

/** Seeds the canary through the intake paths, as the people who do it. */
async function seedCanary(app: CanaryApp, world: World): Promise<Seed> {
  const request = <T>(person: Person, document: string, variables?: Record<string, unknown>) =>
    person.client.request<T>(document, variables);

  const campaign = await request<{ createSurveyCampaign: { id: string } }>(
    world.quality,
    gql`mutation ($input: CreateSurveyCampaignInput!) { createSurveyCampaign(input: $input) { id } }`,
    { input: { name: "维修回访", kind: "POST_SERVICE", channel: "SMS", ticketTypes: ["REPAIR"] } },
  );
  await request(world.quality, gql`mutation ($id: ID!) { launchSurveyCampaign(id: $id) { __typename } }`, {
    id: campaign.createSurveyCampaign.id,
  });
  const customer = await request<{ createCustomer: { id: string } }>(
    world.agent,
    gql`mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { ...CANARY, region: "华东", contactConsent: { decision: "GRANTED", channel: "PHONE" } } },
  );
  const customerId = customer.createCustomer.id;
  const ticket = await request<{ createServiceTicket: { id: string } }>(
    world.agent,
    gql`mutation ($input: CreateServiceTicketInput!) { createServiceTicket(input: $input) { id } }`,
    {
      input: {
        code: "CANARY-1",
        customerId,
        type: "REPAIR",
        departmentId: world.serviceDept,
        openedAt: new Date(T0.getTime() - 3 * HOUR_MS).toISOString(),
        firstResponseAt: new Date(T0.getTime() - 2 * HOUR_MS).toISOString(),
        completedAt: new Date(T0.getTime() - HOUR_MS).toISOString(),
      },
    },
  );
  const ticketId = ticket.createServiceTicket.id;
  const feedback = await request<{ recordFeedback: { id: string } }>(
    world.agent,
    gql`mutation ($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`,
    {
      input: {
        customerId,
        ticketId,
        channel: "PHONE",
        scores: [{ dimension: "overall", score: 2 }, { dimension: "attitude", score: 2 }],
        comment: `我是${CANARY.name}，师傅态度差，请回电 ${CANARY.phone} 或发邮件 ${CANARY.email}`,
      },
    },
  );
  // A low score without a comment is flagged for verification; overdue, the specialists are mailed.
  await request(world.agent, gql`mutation ($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`, {
    input: { customerId, channel: "PHONE", scores: [{ dimension: "overall", score: 1 }] },
  });
  const complaint = await request<{ registerComplaint: { id: string } }>(
    world.agent,
    gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
    {
      input: {
        customerId,
        ticketId,
        channel: "PHONE",
        scores: [{ dimension: "overall", score: 1 }],
        title: `${CANARY.name}投诉维修响应慢`,
        description: `${CANARY.name}（${CANARY.phone}）反映维修师傅迟到`,
        comment: `联系电话 ${CANARY.phone}`,
      },
    },
  );
  app.clock.advance(49 * HOUR_MS);
  await sweepDueJobs(app.dataSource, { now: app.clock.now() });
  const invitation = await request<{ surveyInvitations: { nodes: { id: string }[] } }>(
    world.quality,
    gql`query ($f: SurveyInvitationFilterInput) { surveyInvitations(filter: $f) { nodes { id } } }`,
    { f: { customerId } },
  );
  const invitationId = invitation.surveyInvitations.nodes[0].id;
  const message = await app.dataSource
    .getRepository(OutboxMessage)
    .findOneByOrFail({ kind: "SURVEY_INVITATION", recipientId: Number(customerId) } as never);
  return {
    customerId,
    ticketId,
    feedbackId: feedback.recordFeedback.id,
    issueId: complaint.registerComplaint.id,
    invitationId,
    campaignId: campaign.createSurveyCampaign.id,
    surveyToken: String(message.payload.token),
  };
}
