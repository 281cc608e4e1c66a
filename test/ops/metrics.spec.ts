import { gql } from "graphql-request";
import { ActionItem, Customer, OutboxMessage, SlaEscalation } from "../../src/entity";
import { SlaStage } from "../../src/entity/sla/sla-stage";
import { MessageKind, MessageStatus, RecipientType, Transport } from "../../src/notify/message-kind";
import { todayUtc } from "../../src/common/validation";
import { DAY_MS } from "../../src/common/clock";
import { analysedIssue } from "../support/fixtures";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/** Prometheus metrics at /metrics. */
describe("metrics", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  async function scrape(): Promise<string> {
    const response = await fetch(app.url.replace(/\/graphql$/, "/metrics"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  }

  /** The value of one sample, e.g. sample(text, 'qloop_x_total{a="b"}'); null when absent. */
  function sample(text: string, series: string): number | null {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : null;
  }

  it("times GraphQL requests by operation name, type and outcome", async () => {
    await w.quality.client.request(gql`query MetricsProbe { me { id } }`);
    await w.quality.client.request(gql`query MetricsProbe { me { id } }`);
    await w.quality.client.request(gql`query MetricsBroken { issue(id: "x") { id } }`).catch(() => undefined);

    const text = await scrape();
    expect(sample(text, 'qloop_graphql_request_duration_seconds_count{operation="MetricsProbe",type="query",outcome="ok"}')).toBe(2);
    expect(sample(text, 'qloop_graphql_request_duration_seconds_count{operation="MetricsBroken",type="query",outcome="error"}')).toBe(1);
    expect(text).toContain('qloop_graphql_request_duration_seconds_bucket{le="0.1",operation="MetricsProbe",type="query",outcome="ok"}');
  });

  it("counts committed transitions by machine and event", async () => {
    const customer = await app.dataSource.getRepository(Customer).save({ name: "华东物流" });
    const registered = await w.agent.client.request<{ registerComplaint: { id: string } }>(
      gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId: String(customer.id),
          channel: "PHONE",
          scores: [{ dimension: "responsiveness", score: 2 }],
          title: "客户投诉：维修响应慢",
        },
      },
    );
    const triage = gql`mutation ($id: ID!, $input: TriageInput!) {
      triageIssue(id: $id, input: $input) { __typename }
    }`;
    const input = { urgent: true, important: true, impact: "HIGH", departmentId: w.serviceDept };
    const before = sample(await scrape(), 'qloop_workflow_transitions_total{machine="ISSUE",event="TRIAGE"}') ?? 0;

    await w.quality.client.request(triage, { id: registered.registerComplaint.id, input });
    // Refused (already triaged): nothing committed, nothing counted.
    await w.quality.client.request(triage, { id: registered.registerComplaint.id, input });

    const text = await scrape();
    expect(sample(text, 'qloop_workflow_transitions_total{machine="ISSUE",event="TRIAGE"}')).toBe(before + 1);
    expect(sample(text, 'qloop_workflow_transitions_total{machine="ISSUE",event="CREATE"}')).toBeGreaterThanOrEqual(1);
  });

  it("reads overdue actions, SLA breaches and outbox lag from the database at scrape time", async () => {
    const { issueId, causeId } = await analysedIssue(app, w);
    const now = app.clock.now();
    const yesterday = todayUtc(new Date(now.getTime() - DAY_MS));
    const tomorrow = todayUtc(new Date(now.getTime() + DAY_MS));
    const action = (plannedEnd: string, state: string): Partial<ActionItem> => ({
      issueId: Number(issueId),
      causeId: Number(causeId),
      cycle: 1,
      description: "夜间派单",
      metric: "响应时长",
      target: 4,
      ownerId: Number(w.engineer.id),
      departmentId: Number(w.serviceDept),
      plannedStart: yesterday,
      plannedEnd,
      state,
    });
    const actions = app.dataSource.getRepository(ActionItem);
    await actions.save([action(yesterday, "inProgress"), action(yesterday, "done"), action(tomorrow, "inProgress")]);

    const escalations = app.dataSource.getRepository(SlaEscalation);
    const escalation = (stage: SlaStage, level: number) => ({
      issueId: Number(issueId),
      stage,
      level,
      dueAt: now,
      escalatedAt: now,
      departmentId: null,
      recipientIds: [],
    });
    await escalations.save([escalation(SlaStage.RESPOND, 1), escalation(SlaStage.RESPOND, 2), escalation(SlaStage.PLAN, 1)]);

    const outbox = app.dataSource.getRepository(OutboxMessage);
    const message = (key: string, status: MessageStatus, ageSeconds: number): Partial<OutboxMessage> => ({
      kind: MessageKind.ACTION_OVERDUE,
      transport: Transport.EMAIL,
      recipientType: RecipientType.USER,
      recipientId: Number(w.engineer.id),
      address: "engineer@example.test",
      subject: "逾期",
      body: "逾期",
      payload: {},
      dedupeKey: key,
      status,
      nextAttemptAt: now,
      createdAt: new Date(now.getTime() - ageSeconds * 1000),
      sentAt: status === MessageStatus.SENT ? now : null,
    });
    await outbox.save([message("old-sent", MessageStatus.SENT, 900), message("pending", MessageStatus.PENDING, 120)]);

    const text = await scrape();
    expect(sample(text, "qloop_action_items_overdue")).toBe(1);
    expect(sample(text, 'qloop_sla_breaches_total{stage="RESPOND"}')).toBe(1);
    expect(sample(text, 'qloop_sla_breaches_total{stage="PLAN"}')).toBe(1);
    expect(sample(text, "qloop_outbox_lag_seconds")).toBeCloseTo(120, 0);
    expect(text).toContain("# TYPE qloop_sla_breaches_total counter");

    await outbox.update({ dedupeKey: "pending" }, { status: MessageStatus.SENT, sentAt: now });
    expect(sample(await scrape(), "qloop_outbox_lag_seconds")).toBe(0);
  });

  it("exposes process metrics for the usual dashboards", async () => {
    expect(sample(await scrape(), "qloop_process_process_resident_memory_bytes")).toBeGreaterThan(0);
  });
});
