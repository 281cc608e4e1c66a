import { gql } from "graphql-request";
import { DataSource, In } from "typeorm";
import { HOUR_MS } from "../../src/common/clock";
import { MetricDirection } from "../../src/common/enums";
import {
  ActionItem,
  ComplaintSla,
  Customer,
  Issue,
  OutboxMessage,
  ScheduledJob,
  Setting,
  SlaEscalation,
  VerificationCheck,
} from "../../src/entity";
import { JobStatus } from "../../src/jobs/job-kind";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { MessageKind, RecipientType, Transport } from "../../src/notify/message-kind";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";
import { usingMysql } from "../support/test-database";

/**
 * Complaint SLA (issue 3 item 6) through the real server: clocks start with the complaint,
 * milestones follow its transitions, breaches found by the sweeper escalate once to the department
 * head and then once to the operations manager, and attainment is reported per department.
 * Time is the server's manual clock; the sweeper runs at that clock's time.
 */

const MIN = 60_000;

const SLA_QUERY = gql`
  query ($id: ID!) {
    issue(id: $id) {
      id
      state
      sla {
        tier
        startedAt
        respondDueAt
        respondedAt
        planDueAt
        plannedAt
        closeDueAt
        closedAt
        stoppedAt
        revision
        stages { stage dueAt reachedAt status }
        escalations { stage level dueAt escalatedAt recipients { id } department { id } }
      }
    }
  }
`;

interface Stage {
  stage: string;
  dueAt: string;
  reachedAt: string | null;
  status: string;
}

describe("complaint SLA", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;
  let serviceTicketId: string;
  let techTicketId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    const customer = await w.agent.client.request<{ createCustomer: { id: string } }>(
      gql`mutation { createCustomer(input: { name: "陈先生", phone: "13900000001", region: "华南" }) { id } }`,
    );
    customerId = customer.createCustomer.id;
    const ticket = async (code: string, departmentId: string) =>
      (
        await w.agent.client.request<{ createServiceTicket: { id: string } }>(
          gql`mutation ($input: CreateServiceTicketInput!) { createServiceTicket(input: $input) { id } }`,
          {
            input: { code, customerId, type: "REPAIR", departmentId, openedAt: "2026-01-05T01:00:00.000Z" },
          },
        )
      ).createServiceTicket.id;
    serviceTicketId = await ticket("SLA-0001", w.serviceDept);
    techTicketId = await ticket("SLA-0002", w.techDept);
  });
  afterAll(() => app.stop());

  async function registerComplaint(options: { tier?: string; ticketId?: string | null; customer?: string } = {}) {
    const data = await w.agent.client.request<{ registerComplaint: { id: string } }>(
      gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId: options.customer ?? customerId,
          ticketId: options.ticketId === undefined ? serviceTicketId : options.ticketId,
          channel: "PHONE",
          scores: [{ dimension: "responsiveness", score: 1 }],
          comment: "报修后等了很久都没人来",
          title: "客户投诉：报修无人响应",
          tier: options.tier ?? "TIER_1",
        },
      },
    );
    return data.registerComplaint.id;
  }
  async function slaOf(issueId: string) {
    return (await w.quality.client.request<{ issue: { state: string; sla: any } }>(SLA_QUERY, { id: issueId })).issue.sla;
  }
  const stageOf = (sla: { stages: Stage[] }, stage: string) => sla.stages.find((s) => s.stage === stage)!;
  async function triage(issueId: string, departmentId: string, tier: string | null = null) {
    const data = await w.quality.client.request<{ result: { __typename: string } }>(
      gql`mutation ($id: ID!, $dept: ID!, $tier: ComplaintTier) {
        result: triageIssue(id: $id, input: { urgent: true, important: true, impact: HIGH, departmentId: $dept, complaintTier: $tier }) {
          __typename
        }
      }`,
      { id: issueId, dept: departmentId, tier },
    );
    expect(data.result.__typename).toBe("Issue");
  }
  async function issueEvent(person: World["quality"], field: string, issueId: string, args = "", vars: object = {}) {
    const data = await person.client.request<{ result: { __typename: string } }>(
      `mutation ($id: ID!${args ? ", " + args.split("|")[0] : ""}) { result: ${field}(id: $id${args ? ", " + args.split("|")[1] : ""}) { __typename } }`,
      { id: issueId, ...vars },
    );
    expect(data.result.__typename).toBe("Issue");
  }
  /** SLA escalation e-mails of one issue, as (level, recipient user id) pairs. */
  async function escalationMails(issueId: string) {
    const rows = await app.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { kind: MessageKind.SLA_ESCALATION }, order: { id: "ASC" } });
    return rows
      .filter((row) => String(row.payload.issueId) === issueId)
      .map((row) => ({
        stage: row.payload.stage,
        level: row.payload.level,
        to: String(row.recipientId),
        transport: row.transport,
        type: row.recipientType,
      }));
  }
  const sweep = () => sweepDueJobs(app.dataSource);

  it("escalates a complaint that breaches its 1 h response SLA once to the department head, then once to the operations manager", async () => {
    const t0 = app.clock.now();
    const id = await registerComplaint({ tier: "TIER_1" });
    let sla = await slaOf(id);
    expect(sla.tier).toBe("TIER_1");
    expect(new Date(sla.startedAt).getTime()).toBe(t0.getTime());
    expect(new Date(sla.respondDueAt).getTime()).toBe(t0.getTime() + 60 * MIN);
    expect(new Date(sla.planDueAt).getTime()).toBe(t0.getTime() + 24 * HOUR_MS);
    expect(new Date(sla.closeDueAt).getTime()).toBe(t0.getTime() + 72 * HOUR_MS);
    expect(sla.stages.map((s: Stage) => s.status)).toEqual(["PENDING", "PENDING", "PENDING"]);

    app.clock.advance(59 * MIN);
    await sweep();
    expect(await escalationMails(id)).toEqual([]);

    app.clock.advance(2 * MIN); // 61 min: the response is late.
    await sweep();
    await sweep(); // a second sweep changes nothing
    const head = [{ stage: "RESPOND", level: 1, to: w.serviceLead.id, transport: Transport.EMAIL, type: RecipientType.USER }];
    expect(await escalationMails(id)).toEqual(head);
    sla = await slaOf(id);
    expect(stageOf(sla, "RESPOND").status).toBe("BREACHED");
    expect(sla.escalations).toEqual([
      {
        stage: "RESPOND",
        level: 1,
        dueAt: sla.respondDueAt,
        escalatedAt: new Date(t0.getTime() + 61 * MIN).toISOString(),
        // The complaint is not triaged yet: its ticket's department answers for it.
        recipients: [{ id: w.serviceLead.id }],
        department: { id: w.serviceDept },
      },
    ]);
    const mail = await app.dataSource.getRepository(OutboxMessage).findOneByOrFail({ kind: MessageKind.SLA_ESCALATION, recipientId: Number(w.serviceLead.id) });
    expect(mail.address).toBe("servicelead@example.test");
    expect(mail.subject).toContain(`#${id}`);

    app.clock.advance(59 * MIN); // the manager is told 60 min after the head, not before
    await sweep();
    expect(await escalationMails(id)).toEqual(head);

    app.clock.advance(1 * MIN);
    await sweep();
    await sweep();
    const both = [...head, { stage: "RESPOND", level: 2, to: w.manager.id, transport: Transport.EMAIL, type: RecipientType.USER }];
    expect(await escalationMails(id)).toEqual(both);
    sla = await slaOf(id);
    expect(sla.escalations.map((e: any) => [e.stage, e.level, e.recipients.map((r: any) => r.id)])).toEqual([
      ["RESPOND", 1, [w.serviceLead.id]],
      ["RESPOND", 2, [w.manager.id]],
    ]);

    // Responding late settles the stage as breached and escalates nothing more.
    await triage(id, w.serviceDept);
    app.clock.advance(2 * HOUR_MS);
    await sweep();
    sla = await slaOf(id);
    expect(stageOf(sla, "RESPOND")).toMatchObject({ status: "BREACHED" });
    expect(new Date(sla.respondedAt).getTime()).toBe(t0.getTime() + 121 * MIN);
    expect((await escalationMails(id)).filter((m) => m.stage === "RESPOND")).toEqual(both);
  });

  it("does not escalate a complaint whose response and plan come in time", async () => {
    const t0 = app.clock.now();
    const id = await registerComplaint({ tier: "TIER_2" });
    app.clock.advance(30 * MIN);
    await triage(id, w.serviceDept);
    await issueEvent(w.quality, "assignIssue", id, "$a: ID!|assigneeId: $a", { a: w.engineer.id });
    await issueEvent(w.engineer, "startAnalysis", id);
    const cause = await w.engineer.client.request<{ result: { id: string } }>(
      gql`mutation ($input: AddCauseInput!) { result: addCause(input: $input) { ... on Cause { id } } }`,
      { input: { issueId: id, category: "METHOD", text: "夜间报修需等次日派单" } },
    );
    await w.quality.client.request(
      gql`mutation ($id: ID!) { confirmCause(id: $id, evidence: "派单日志显示平均延误 9 小时") { __typename } }`,
      { id: cause.result.id },
    );
    const action = await w.serviceLead.client.request<{ result: { __typename: string } }>(
      gql`mutation ($input: AddActionItemInput!) { result: addActionItem(input: $input) { __typename } }`,
      {
        input: {
          issueId: id,
          causeId: cause.result.id,
          description: "设立夜间值班派单",
          metric: "平均响应小时",
          target: 2,
          ownerId: w.engineer.id,
          plannedStart: "2099-01-01",
          plannedEnd: "2099-02-01",
        },
      },
    );
    expect(action.result.__typename).toBe("ActionItem");
    app.clock.advance(19 * HOUR_MS); // plan proposed 19.5 h after the complaint
    await issueEvent(w.engineer, "proposePlan", id);

    app.clock.advance(6 * HOUR_MS); // past both the 1 h and the 24 h due times
    await sweep();

    expect(await escalationMails(id)).toEqual([]);
    const sla = await slaOf(id);
    expect(sla.escalations).toEqual([]);
    expect(stageOf(sla, "RESPOND")).toEqual({
      stage: "RESPOND",
      dueAt: new Date(t0.getTime() + 60 * MIN).toISOString(),
      reachedAt: new Date(t0.getTime() + 30 * MIN).toISOString(),
      status: "MET",
    });
    expect(stageOf(sla, "PLAN")).toMatchObject({
      reachedAt: new Date(t0.getTime() + 30 * MIN + 19 * HOUR_MS).toISOString(),
      status: "MET",
    });
    expect(stageOf(sla, "CLOSE").status).toBe("PENDING");
    // The deadlines that were met were withdrawn rather than fired.
    const jobs = await app.dataSource.getRepository(ScheduledJob).find({ where: { subjectId: Number(id) } });
    const status = (key: string) => jobs.find((job) => job.dedupeKey === key)?.status;
    expect(status(`sla:${id}:RESPOND:r1`)).toBe(JobStatus.CANCELLED);
    expect(status(`sla:${id}:PLAN:r1`)).toBe(JobStatus.CANCELLED);
    expect(status(`sla:${id}:CLOSE:r1`)).toBe(JobStatus.PENDING);
  });

  it("escalates each breach once even with two sweepers running at the same time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await registerComplaint({ ticketId: i % 2 === 0 ? serviceTicketId : techTicketId }));
    const heads = (id: string) => (ids.indexOf(id) % 2 === 0 ? w.serviceLead.id : w.techLead.id);
    // MySQL: a second connection pool, as a second server process has. SQLite: one process
    // serialises its writes, so both sweepers share the DataSource (other processes: kill test).
    const other = usingMysql() ? await new DataSource(app.dataSource.options).initialize() : app.dataSource;
    const bothSweep = () =>
      Promise.all([
        sweepDueJobs(app.dataSource, { now: app.clock.now(), batchSize: 2 }),
        sweepDueJobs(other, { now: app.clock.now(), batchSize: 2 }),
      ]);
    try {
      app.clock.advance(61 * MIN);
      await bothSweep();
      // Even a breach job handled a second time (as if its DONE had been lost) escalates nothing new.
      await app.dataSource
        .getRepository(ScheduledJob)
        .update({ dedupeKey: In(ids.map((id) => `sla:${id}:RESPOND:r1`)) }, { status: JobStatus.PENDING });
      await bothSweep();
      app.clock.advance(60 * MIN);
      await bothSweep();
      await bothSweep();
    } finally {
      if (other !== app.dataSource) await other.destroy();
    }
    for (const id of ids) {
      expect(await escalationMails(id)).toEqual([
        { stage: "RESPOND", level: 1, to: heads(id), transport: Transport.EMAIL, type: RecipientType.USER },
        { stage: "RESPOND", level: 2, to: w.manager.id, transport: Transport.EMAIL, type: RecipientType.USER },
      ]);
      const rows = await app.dataSource.getRepository(SlaEscalation).find({ where: { issueId: Number(id) } });
      expect(rows.map((row) => [row.stage, row.level])).toEqual([
        ["RESPOND", 1],
        ["RESPOND", 2],
      ]);
    }
    const jobs = await app.dataSource.getRepository(ScheduledJob).find();
    expect(jobs.filter((job) => ids.includes(String(job.subjectId)) && job.status === JobStatus.FAILED)).toEqual([]);
  });

  // Row locks exist on MySQL/MariaDB only; SQLite serialises whole write transactions instead.
  if (usingMysql()) {
    it("does not wait for a deadline a sweeper holds right now, so a triage cannot deadlock with it", async () => {
      const id = await registerComplaint();
      // Another process's sweeper has claimed the response deadline and not committed yet.
      const sweeper = app.dataSource.createQueryRunner();
      await sweeper.connect();
      await sweeper.startTransaction();
      try {
        await sweeper.query("SELECT id FROM scheduled_job WHERE dedupeKey = ? FOR UPDATE", [`sla:${id}:RESPOND:r1`]);
        app.clock.advance(20 * MIN);
        await triage(id, w.serviceDept); // completes although the job row is locked
      } finally {
        await sweeper.rollbackTransaction();
        await sweeper.release();
      }
      const sla = await slaOf(id);
      expect(stageOf(sla, "RESPOND").status).toBe("MET");
      // The held job was left to its handler, which finds the stage met and escalates nothing.
      app.clock.advance(2 * HOUR_MS);
      await sweep();
      const job = await app.dataSource.getRepository(ScheduledJob).findOneByOrFail({ dedupeKey: `sla:${id}:RESPOND:r1` });
      expect(job.status).toBe(JobStatus.DONE);
      expect(await escalationMails(id)).toEqual([]);
    });
  }

  it("tells the operations manager when the responsible department has no head", async () => {
    const id = await registerComplaint({ ticketId: null }); // no ticket, not triaged: no department
    app.clock.advance(61 * MIN);
    await sweep();
    expect(await escalationMails(id)).toEqual([
      { stage: "RESPOND", level: 1, to: w.manager.id, transport: Transport.EMAIL, type: RecipientType.USER },
    ]);
    expect((await slaOf(id)).escalations[0]).toMatchObject({ level: 1, department: null, recipients: [{ id: w.manager.id }] });
  });

  it("stops the clock when the complaint is cancelled: stages not due by then no longer count", async () => {
    const id = await registerComplaint();
    app.clock.advance(10 * MIN);
    await issueEvent(w.quality, "cancelIssue", id, "$r: String!|reason: $r", { r: "客户撤回投诉" });
    app.clock.advance(80 * HOUR_MS);
    await sweep();
    expect(await escalationMails(id)).toEqual([]);
    const sla = await slaOf(id);
    expect(sla.stoppedAt).not.toBeNull();
    expect(sla.stages.map((s: Stage) => s.status)).toEqual(["NOT_APPLICABLE", "NOT_APPLICABLE", "NOT_APPLICABLE"]);
    const jobs = await app.dataSource.getRepository(ScheduledJob).find({ where: { subjectId: Number(id) } });
    expect(jobs.map((job) => job.status)).toEqual([JobStatus.CANCELLED, JobStatus.CANCELLED, JobStatus.CANCELLED]);
  });

  it("moves the pending due times when triage changes the tier, and escalates on the new ones", async () => {
    const settings = app.dataSource.getRepository(Setting);
    await settings.save({
      key: "sla",
      value: { TIER_1: { respondMinutes: 30, planHours: 8, closeHours: 48 }, escalateToManagerAfterMinutes: 60 },
      updatedById: null,
    });
    try {
      const t0 = app.clock.now();
      const id = await registerComplaint({ tier: "TIER_2" });
      let sla = await slaOf(id);
      expect(new Date(sla.planDueAt).getTime()).toBe(t0.getTime() + 24 * HOUR_MS);

      app.clock.advance(20 * MIN);
      await triage(id, w.techDept, "TIER_1");
      sla = await slaOf(id);
      expect(sla).toMatchObject({ tier: "TIER_1", revision: 2 });
      // The response was already met at triage, under the limit it was registered with.
      expect(new Date(sla.respondDueAt).getTime()).toBe(t0.getTime() + 60 * MIN);
      expect(stageOf(sla, "RESPOND").status).toBe("MET");
      expect(new Date(sla.planDueAt).getTime()).toBe(t0.getTime() + 8 * HOUR_MS);
      expect(new Date(sla.closeDueAt).getTime()).toBe(t0.getTime() + 48 * HOUR_MS);

      app.clock.advance(8 * HOUR_MS);
      await sweep();
      expect(await escalationMails(id)).toEqual([
        { stage: "PLAN", level: 1, to: w.techLead.id, transport: Transport.EMAIL, type: RecipientType.USER },
      ]);
      // The deadline of the old tier was withdrawn, so it fires nothing at 24 h.
      const jobs = await app.dataSource.getRepository(ScheduledJob).find({ where: { subjectId: Number(id) } });
      const status = (key: string) => jobs.find((job) => job.dedupeKey === key)?.status;
      expect(status(`sla:${id}:PLAN:r1`)).toBe(JobStatus.CANCELLED);
      expect(status(`sla:${id}:CLOSE:r1`)).toBe(JobStatus.CANCELLED);
      expect(status(`sla:${id}:PLAN:r2`)).toBe(JobStatus.DONE);
      expect(status(`sla:${id}:CLOSE:r2`)).toBe(JobStatus.PENDING);
    } finally {
      await settings.delete({ key: "sla" });
    }
  });

  describe("the customer's \"what we changed\" notice", () => {
    /** Puts a complaint into verifying with a done action and a passed check, then closes it via the API. */
    async function closeWithDoneAction(issueId: string) {
      const issue = await app.dataSource.getRepository(Issue).findOneByOrFail({ id: Number(issueId) });
      await app.dataSource.getRepository(Issue).update(issue.id, { state: "verifying", departmentId: Number(w.serviceDept) });
      await app.dataSource.getRepository(ActionItem).save({
        issueId: issue.id,
        causeId: 0,
        cycle: 1,
        description: "夜间报修 30 分钟内派单",
        metric: "平均响应小时",
        baseline: 9,
        target: 2,
        ownerId: Number(w.engineer.id),
        departmentId: Number(w.serviceDept),
        plannedStart: "2026-01-01",
        plannedEnd: "2026-01-31",
        actualEnd: "2026-01-20",
        budget: null,
        progress: 100,
        completionNote: "夜班调度已上线",
        state: "done",
        planRevision: 1,
        version: 1,
      });
      await app.dataSource.getRepository(VerificationCheck).save({
        issueId: issue.id,
        cycle: 1,
        metric: "平均响应小时",
        direction: MetricDirection.LOWER_IS_BETTER,
        threshold: 0.5,
        baseline: 9,
        result: 2,
        state: "passed",
        version: 1,
        createdById: Number(w.quality.id),
      } as Partial<VerificationCheck>);
      await issueEvent(w.quality, "closeIssue", issueId);
    }
    async function newCustomer(values: Partial<Customer>) {
      return String((await app.dataSource.getRepository(Customer).save({ name: "刘女士", ...values })).id);
    }
    const notices = (customer: string) =>
      app.dataSource
        .getRepository(OutboxMessage)
        .find({ where: { kind: MessageKind.CHANGE_NOTICE, recipientId: Number(customer), recipientType: RecipientType.CUSTOMER } });

    it("e-mails the customer the completed measures when the complaint closes, and records the closure", async () => {
      const customer = await newCustomer({ email: "liu@example.test", phone: "13900000002" });
      const id = await registerComplaint({ customer, ticketId: null });
      await closeWithDoneAction(id);

      const sent = await notices(customer);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ transport: Transport.EMAIL, address: "liu@example.test" });
      expect(sent[0].body).toContain("夜间报修 30 分钟内派单");
      expect(sent[0].body).toContain("夜班调度已上线");
      expect(sent[0].payload).toMatchObject({ issueId: Number(id) });
      const sla = await slaOf(id);
      expect(stageOf(sla, "CLOSE")).toMatchObject({ status: "MET", reachedAt: app.clock.now().toISOString() });
    });

    it("uses the webhook gateway with the phone number when the customer has no e-mail, and skips customers with neither", async () => {
      const byPhone = await newCustomer({ phone: "13900000003" });
      const unreachable = await newCustomer({});
      await closeWithDoneAction(await registerComplaint({ customer: byPhone, ticketId: null }));
      await closeWithDoneAction(await registerComplaint({ customer: unreachable, ticketId: null }));
      expect((await notices(byPhone)).map((m) => [m.transport, m.address])).toEqual([[Transport.WEBHOOK, "13900000003"]]);
      expect(await notices(unreachable)).toEqual([]);
    });
  });

  it("reports 1 h response, 24 h plan and 72 h closure attainment per department against a hand-computed set", async () => {
    // A fresh period, after everything above.
    const T = new Date(Date.UTC(2031, 0, 5, 0, 0, 0));
    app.clock.set(T);
    const at = (ms: number) => app.clock.set(new Date(T.getTime() + ms));
    const A = await registerComplaint(); // service: all met
    const B = await registerComplaint(); // service: all breached
    const C = await registerComplaint(); // tech: responded, then cancelled before the plan was due
    at(30 * MIN);
    await triage(A, w.serviceDept);
    at(45 * MIN);
    await triage(C, w.techDept);
    at(60 * MIN);
    const E = await registerComplaint({ ticketId: null }); // never triaged: no department, all breached
    at(90 * MIN);
    await triage(B, w.serviceDept);
    at(10 * HOUR_MS);
    await issueEvent(w.quality, "cancelIssue", C, "$r: String!|reason: $r", { r: "重复登记" });
    const D = await registerComplaint(); // tech: responded and planned in time, closure not yet due
    at(10 * HOUR_MS + 20 * MIN);
    await triage(D, w.techDept);
    at(24 * HOUR_MS + MIN);
    const F = await registerComplaint(); // registered after the period: not counted
    await triage(F, w.techDept);
    // Plan and closure milestones written straight to the clocks (their transitions are covered above).
    const clocks = app.dataSource.getRepository(ComplaintSla);
    await clocks.update({ issueId: Number(A) }, { plannedAt: new Date(T.getTime() + 20 * HOUR_MS), closedAt: new Date(T.getTime() + 70 * HOUR_MS) });
    await clocks.update({ issueId: Number(B) }, { plannedAt: new Date(T.getTime() + 30 * HOUR_MS) });
    await clocks.update({ issueId: Number(D) }, { plannedAt: new Date(T.getTime() + 33 * HOUR_MS) });
    at(80 * HOUR_MS); // "now": E's and B's closure (due at 73 h and 72 h) are overdue, D's (82 h) is not

    const QUERY = gql`
      query ($from: DateTimeISO!, $to: DateTimeISO!, $dept: ID) {
        complaintSlaAttainment(from: $from, to: $to, departmentId: $dept) {
          from to asOf
          total { ...Row }
          byDepartment { ...Row }
        }
      }
      fragment Figures on SlaStageAttainment { stage met breached pending notApplicable rate }
      fragment Row on ComplaintSlaAttainment {
        department { id }
        complaints
        respond { ...Figures }
        plan { ...Figures }
        close { ...Figures }
      }
    `;
    const period = { from: T.toISOString(), to: new Date(T.getTime() + 24 * HOUR_MS).toISOString() };
    const report = (await w.manager.client.request<{ complaintSlaAttainment: any }>(QUERY, period)).complaintSlaAttainment;

    const figures = (stage: string, met: number, breached: number, pending: number, notApplicable: number, rate: number | null) => ({
      stage,
      met,
      breached,
      pending,
      notApplicable,
      rate,
    });
    const service = {
      department: { id: w.serviceDept },
      complaints: 2,
      respond: figures("RESPOND", 1, 1, 0, 0, 0.5),
      plan: figures("PLAN", 1, 1, 0, 0, 0.5),
      close: figures("CLOSE", 1, 1, 0, 0, 0.5),
    };
    const tech = {
      department: { id: w.techDept },
      complaints: 2,
      respond: figures("RESPOND", 2, 0, 0, 0, 1),
      plan: figures("PLAN", 1, 0, 0, 1, 1),
      close: figures("CLOSE", 0, 0, 1, 1, null),
    };
    const untriaged = {
      department: null,
      complaints: 1,
      respond: figures("RESPOND", 0, 1, 0, 0, 0),
      plan: figures("PLAN", 0, 1, 0, 0, 0),
      close: figures("CLOSE", 0, 1, 0, 0, 0),
    };
    expect(report.asOf).toBe(new Date(T.getTime() + 80 * HOUR_MS).toISOString());
    expect(report.byDepartment).toEqual([service, tech, untriaged]);
    expect(report.total).toEqual({
      department: null,
      complaints: 5,
      respond: figures("RESPOND", 3, 2, 0, 0, 0.6),
      plan: figures("PLAN", 2, 2, 0, 1, 0.5),
      close: figures("CLOSE", 1, 2, 1, 1, 1 / 3),
    });

    const techOnly = (
      await w.manager.client.request<{ complaintSlaAttainment: any }>(QUERY, { ...period, dept: w.techDept })
    ).complaintSlaAttainment;
    expect(techOnly.total).toEqual(tech);
    expect(techOnly.byDepartment).toEqual([tech]);
    void E;

    // A reversed period is bad input naming the field.
    const errors = await w.manager.client
      .request(QUERY, { from: period.to, to: period.from })
      .then(() => [])
      .catch((error) => error.response.errors);
    expect(errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
  });
});
