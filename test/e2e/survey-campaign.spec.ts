import { createHash, randomBytes } from "node:crypto";
import { gql } from "graphql-request";
import { In, IsNull, Not } from "typeorm";
import { DAY_MS, HOUR_MS } from "../../src/common/clock";
import { IssueKind } from "../../src/common/enums";
import { Feedback, Issue, IssueEvidence, OutboxMessage, ScheduledJob, SurveyInvitation } from "../../src/entity";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { createWorld, errorCodeOf, errorsOf, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const CAMPAIGN_FIELDS = `
  id name kind channel state version targetRegion ticketTypes servedWithinDays
  postServiceDelayHours expiryDays reminderAfterDays sampleRate launchedAt closedAt nextEvents
  template { name openQuestions dimensions { code name weight } }
  stats { invited scheduled open reminded responded expired undeliverable cancelled responseRate }
`;

const CREATE_CAMPAIGN = gql`
  mutation ($input: CreateSurveyCampaignInput!) {
    createSurveyCampaign(input: $input) { ${CAMPAIGN_FIELDS} }
  }
`;
const LAUNCH = gql`
  mutation ($id: ID!) {
    result: launchSurveyCampaign(id: $id) {
      __typename
      ... on SurveyCampaign { ${CAMPAIGN_FIELDS} }
      ... on TransitionError { errorCode reason entity fromState event }
    }
  }
`;
const CLOSE = gql`
  mutation ($id: ID!, $reason: String) {
    result: closeSurveyCampaign(id: $id, reason: $reason) {
      __typename
      ... on SurveyCampaign { ${CAMPAIGN_FIELDS} }
      ... on TransitionError { errorCode reason }
    }
  }
`;
const CAMPAIGN = gql`
  query ($id: ID!) {
    surveyCampaign(id: $id) { ${CAMPAIGN_FIELDS} }
  }
`;

const INVITATION_FIELDS = `
  id state sendAt sentAt remindedAt expiresAt respondedAt note version callback channel nextEvents
  answers { question answer }
  customer { id name }
  ticket { id code }
  campaign { id }
  feedback { id source channel comment scores { dimension score } recordedBy { name } }
`;
const INVITATIONS = gql`
  query ($filter: SurveyInvitationFilterInput) {
    surveyInvitations(filter: $filter, first: 100) {
      totalCount
      nodes { ${INVITATION_FIELDS} }
    }
  }
`;
const RECORD_CALLBACK = gql`
  mutation ($id: ID!, $input: SurveyAnswerInput!) {
    result: recordCallbackAnswer(id: $id, input: $input) {
      __typename
      ... on SurveyInvitation { ${INVITATION_FIELDS} }
      ... on TransitionError { errorCode reason entity fromState event }
    }
  }
`;
const SUBMIT = gql`
  mutation ($token: String!, $input: SurveyAnswerInput!) {
    submitSurveyResponse(token: $token, input: $input) {
      respondedAt
    }
  }
`;
const OPEN_SURVEY = gql`
  query ($token: String!) {
    surveyByToken(token: $token) {
      status
      title
      expiresAt
      openQuestions
      dimensions { code name }
      service { ticketCode type completedAt }
    }
  }
`;
const CREATE_CUSTOMER = gql`
  mutation ($input: CreateCustomerInput!) {
    createCustomer(input: $input) { id }
  }
`;
const CREATE_TICKET = gql`
  mutation ($input: CreateServiceTicketInput!) {
    createServiceTicket(input: $input) { id completedAt }
  }
`;
const COMPLETE_TICKET = gql`
  mutation ($id: ID!, $completedAt: DateTimeISO) {
    completeServiceTicket(id: $id, completedAt: $completedAt) { id completedAt }
  }
`;

/** Every dimension of the standard template, in its order. */
const STANDARD_DIMENSIONS = ["responsiveness", "resolution", "attitude", "compliance", "overall", "recommend"];

/** A complete answer to the standard template: `score` on every dimension. */
function answer(score: number, answers: string[] = []) {
  return { scores: STANDARD_DIMENSIONS.map((dimension) => ({ dimension, score })), answers };
}

// The story starts on 1 September 2026 (in the past, so recorded times are never "in the future").
const T0 = new Date("2026-09-01T00:00:00.000Z");

describe("survey campaigns: invitations, reminders, expiry and the public answer", () => {
  let app: TestApp;
  let world: World;
  let postService: { id: string };
  let ticketCounter = 0;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    app.clock.set(T0);
  });
  afterAll(() => app.stop());

  // ---- helpers -------------------------------------------------------------------------------

  const publicClient = () => app.client();

  async function customer(name: string, details: { email?: string; phone?: string; region?: string } = {}) {
    const data = await world.agent.client.request<{ createCustomer: { id: string } }>(CREATE_CUSTOMER, {
      input: { name, ...details },
    });
    return data.createCustomer.id;
  }

  /** A ticket opened two hours before `completedAt` (or before now when it stays open). */
  async function ticket(customerId: string, type: string, completedAt: Date | null, region?: string) {
    const opened = new Date((completedAt ?? app.clock.now()).getTime() - 2 * HOUR_MS);
    const data = await world.agent.client.request<{ createServiceTicket: { id: string } }>(CREATE_TICKET, {
      input: {
        code: `WX-${++ticketCounter}`,
        customerId,
        type,
        region,
        openedAt: opened.toISOString(),
        completedAt: completedAt?.toISOString() ?? null,
      },
    });
    return data.createServiceTicket.id;
  }

  async function createCampaign(person: Person, input: Record<string, unknown>) {
    return (await person.client.request<{ createSurveyCampaign: any }>(CREATE_CAMPAIGN, { input })).createSurveyCampaign;
  }

  async function launch(person: Person, id: string) {
    return (await person.client.request<{ result: any }>(LAUNCH, { id })).result;
  }

  async function invitations(filter: Record<string, unknown>, person: Person = world.quality) {
    return (await person.client.request<{ surveyInvitations: { totalCount: number; nodes: any[] } }>(INVITATIONS, { filter }))
      .surveyInvitations;
  }

  async function invitationOfTicket(ticketId: string) {
    const { nodes } = await invitations({ ticketId });
    expect(nodes).toHaveLength(1);
    return nodes[0];
  }

  /** Runs every due job at the clock's time; no invitation job may have failed. */
  async function sweep() {
    await sweepDueJobs(app.dataSource, { now: app.clock.now() });
    const failing = await app.dataSource.getRepository(ScheduledJob).find({
      where: { kind: In(["INVITATION_SEND", "INVITATION_REMIND", "INVITATION_EXPIRE"]), lastError: Not(IsNull()) },
    });
    expect(failing.map((job) => `${job.kind}: ${job.lastError}`)).toEqual([]);
  }

  /** Outbox rows of one invitation, oldest first, read straight from the table. */
  async function messagesOf(invitationId: string, kind?: string) {
    const rows = await app.dataSource.getRepository(OutboxMessage).find({ order: { id: "ASC" } });
    return rows.filter((row) => String(row.payload.invitationId) === invitationId && (!kind || row.kind === kind));
  }

  async function tokenOf(invitationId: string): Promise<string> {
    const [message] = await messagesOf(invitationId, "SURVEY_INVITATION");
    return message.payload.token as string;
  }

  async function jobsOf(invitationId: string) {
    const jobs = await app.dataSource.getRepository(ScheduledJob).find({ where: { subjectId: Number(invitationId) } });
    return Object.fromEntries(
      jobs.filter((job) => job.kind.startsWith("INVITATION_")).map((job) => [job.kind, { status: job.status, dueAt: job.dueAt }]),
    );
  }

  /** A post-service invitation of a new repair ticket completed now, sent (swept) 24 h later. */
  async function sentInvitation(name: string) {
    const customerId = await customer(name, { email: `${randomBytes(4).toString("hex")}@example.test` });
    const ticketId = await ticket(customerId, "REPAIR", app.clock.now());
    app.clock.advance(24 * HOUR_MS);
    await sweep();
    const invitation = await invitationOfTicket(ticketId);
    expect(invitation.state).toBe("sent");
    return { invitation, token: await tokenOf(invitation.id), customerId, ticketId };
  }

  /** A request that must fail with BAD_USER_INPUT and write nothing; returns the field named. */
  async function badInput(request: () => Promise<unknown>) {
    const before = await tableCounts(app.dataSource);
    const [error] = await errorsOf(request());
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await tableCounts(app.dataSource)).toEqual(before);
    return error.extensions?.field;
  }

  /** A request that must be refused with `code` and write nothing. */
  async function refusedWith(code: string, request: () => Promise<unknown>) {
    const before = await tableCounts(app.dataSource);
    expect(await errorCodeOf(request())).toBe(code);
    expect(await tableCounts(app.dataSource)).toEqual(before);
  }

  // ---- post-service campaigns ------------------------------------------------------------------

  describe("a post-service campaign over e-mail", () => {
    let invitationId: string;
    let ticketId: string;
    let token: string;
    let sentAt: Date;
    let completedAt: Date;
    const email = "zhang@example.test";

    it("is created as a draft with the survey settings and the standard template", async () => {
      const campaign = await createCampaign(world.quality, {
        name: "维修安装 服务后回访",
        kind: "POST_SERVICE",
        channel: "EMAIL",
        ticketTypes: ["REPAIR", "INSTALLATION"],
      });
      expect(campaign).toMatchObject({
        kind: "POST_SERVICE",
        channel: "EMAIL",
        state: "draft",
        version: 1,
        ticketTypes: ["REPAIR", "INSTALLATION"],
        postServiceDelayHours: 24,
        expiryDays: 7,
        reminderAfterDays: 3,
        launchedAt: null,
        nextEvents: ["LAUNCH", "CLOSE"],
        stats: { invited: 0, responseRate: null },
      });
      expect(campaign.template.dimensions.map((d: { code: string }) => d.code)).toEqual(STANDARD_DIMENSIONS);
      expect(campaign.template.dimensions[0]).toEqual({ code: "responsiveness", name: "响应及时性", weight: 1 });
      expect(campaign.template.openQuestions).toHaveLength(2);
      postService = campaign;
    });

    it("may be created by quality specialists, the operations manager and admins only", async () => {
      const input = { name: "客服自建", kind: "POST_SERVICE", channel: "SMS" };
      await refusedWith("FORBIDDEN", () => world.agent.client.request(CREATE_CAMPAIGN, { input }));
      await refusedWith("FORBIDDEN", () => world.serviceLead.client.request(CREATE_CAMPAIGN, { input }));
    });

    it("is launched by a quality specialist and then active", async () => {
      const launched = await launch(world.quality, postService.id);
      expect(launched).toMatchObject({ __typename: "SurveyCampaign", state: "active", version: 2, nextEvents: ["CLOSE"] });
      expect(new Date(launched.launchedAt)).toEqual(T0);
    });

    it("schedules an invitation 24 h after a repair ticket completes", async () => {
      const customerId = await customer("张先生", { email, phone: "13800000001" });
      ticketId = await ticket(customerId, "REPAIR", null);
      expect((await invitations({ ticketId })).totalCount).toBe(0);
      completedAt = app.clock.advance(HOUR_MS);
      await world.agent.client.request(COMPLETE_TICKET, { id: ticketId });

      const invitation = await invitationOfTicket(ticketId);
      invitationId = invitation.id;
      expect(invitation).toMatchObject({
        state: "scheduled",
        sentAt: null,
        expiresAt: null,
        callback: false,
        channel: "EMAIL",
        customer: { id: customerId },
        ticket: { id: ticketId },
        campaign: { id: postService.id },
      });
      const sendAt = new Date(completedAt.getTime() + 24 * HOUR_MS);
      expect(new Date(invitation.sendAt)).toEqual(sendAt);
      expect(await jobsOf(invitationId)).toEqual({ INVITATION_SEND: { status: "PENDING", dueAt: sendAt } });
    });

    it("refuses to complete the ticket twice and never invites twice for it", async () => {
      expect(await badInput(() => world.agent.client.request(COMPLETE_TICKET, { id: ticketId }))).toBe("id");
      expect((await invitations({ ticketId })).totalCount).toBe(1);
    });

    it("refuses a completion time before the opening or in the future, and a malformed e-mail address", async () => {
      const customerId = await customer("时间校验客户", { email: "times@example.test" });
      const open = await ticket(customerId, "REPAIR", null);
      const complete = (completedAt: Date) => () =>
        world.agent.client.request(COMPLETE_TICKET, { id: open, completedAt: completedAt.toISOString() });
      const now = app.clock.now().getTime();
      expect(await badInput(complete(new Date(now - 3 * HOUR_MS)))).toBe("completedAt");
      expect(await badInput(complete(new Date(now + HOUR_MS)))).toBe("completedAt");
      expect(
        await badInput(() => world.agent.client.request(CREATE_CUSTOMER, { input: { name: "坏邮箱", email: "not-an-address" } })),
      ).toBe("email");
    });

    it("does not survey ticket types the campaign does not cover", async () => {
      const customerId = await customer("咨询客户", { email: "consult@example.test" });
      const consultation = await ticket(customerId, "CONSULTATION", app.clock.now());
      expect((await invitations({ ticketId: consultation })).totalCount).toBe(0);
    });

    it("sends nothing before the delay has passed", async () => {
      app.clock.set(new Date(completedAt.getTime() + 24 * HOUR_MS - 1));
      await sweep();
      expect((await invitationOfTicket(ticketId)).state).toBe("scheduled");
      expect(await messagesOf(invitationId)).toEqual([]);
    });

    it("sends it when due: the raw token exists only in the outbox message, the invitation keeps its hash", async () => {
      app.clock.advance(1);
      sentAt = app.clock.now();
      await sweep();
      const invitation = await invitationOfTicket(ticketId);
      expect(invitation.state).toBe("sent");
      expect(new Date(invitation.sentAt)).toEqual(sentAt);
      expect(new Date(invitation.expiresAt)).toEqual(new Date(sentAt.getTime() + 7 * DAY_MS));

      const messages = await messagesOf(invitationId);
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message).toMatchObject({ kind: "SURVEY_INVITATION", transport: "EMAIL", address: email, recipientType: "CUSTOMER" });
      token = message.payload.token as string;
      expect(token).toMatch(/^qsv_[A-Za-z0-9_-]{43}$/);
      expect(message.payload.link).toBe(`http://localhost:4000/survey?token=${token}`);
      expect(message.body).toContain(message.payload.link as string);
      expect(message.body).toContain("张先生");

      const row = await app.dataSource.getRepository(SurveyInvitation).findOneByOrFail({ id: Number(invitationId) });
      expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
      expect(JSON.stringify(row)).not.toContain(token);

      // Staff see the message in the outbox, but not the token that would let them answer.
      const outbox = await world.quality.client.request<{ outboxMessages: { nodes: { body: string }[] } }>(
        gql`{ outboxMessages(filter: { kind: SURVEY_INVITATION }, first: 100) { nodes { body } } }`,
      );
      const shown = outbox.outboxMessages.nodes.map((node) => node.body).join("\n");
      expect(shown).toContain("survey?token=qsv_[redacted]");
      expect(shown).not.toContain(token);
      expect(await jobsOf(invitationId)).toEqual({
        INVITATION_SEND: expect.objectContaining({ status: "DONE" }),
        INVITATION_REMIND: { status: "PENDING", dueAt: new Date(sentAt.getTime() + 3 * DAY_MS) },
        INVITATION_EXPIRE: { status: "PENDING", dueAt: new Date(sentAt.getTime() + 7 * DAY_MS) },
      });
    });

    it("opens the survey by token without login, showing the questions and the service but nothing personal", async () => {
      const { surveyByToken } = await publicClient().request<{ surveyByToken: any }>(OPEN_SURVEY, { token });
      expect(surveyByToken).toMatchObject({
        status: "OPEN",
        title: "售后服务满意度调查（标准）",
        service: { ticketCode: expect.stringMatching(/^WX-/), type: "REPAIR" },
      });
      expect(surveyByToken.dimensions.map((d: { code: string }) => d.code)).toEqual(STANDARD_DIMENSIONS);
      expect(surveyByToken.openQuestions).toHaveLength(2);
      expect(JSON.stringify(surveyByToken)).not.toMatch(/张先生|zhang@|13800000001/);
    });

    it("reminds the customer exactly once, 3 days after sending, however often the sweeper runs", async () => {
      app.clock.set(new Date(sentAt.getTime() + 3 * DAY_MS - 60_000));
      await sweep();
      expect(await messagesOf(invitationId, "SURVEY_REMINDER")).toEqual([]);

      app.clock.set(new Date(sentAt.getTime() + 3 * DAY_MS));
      await sweep();
      await sweep();
      app.clock.advance(HOUR_MS);
      await sweep();
      const reminders = await messagesOf(invitationId, "SURVEY_REMINDER");
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toMatchObject({ transport: "EMAIL", address: email });
      expect(reminders[0].body).toContain(`token=${token}`);
      const invitation = await invitationOfTicket(ticketId);
      expect(invitation.state).toBe("reminded");
      expect(new Date(invitation.remindedAt)).toEqual(new Date(sentAt.getTime() + 3 * DAY_MS));
    });

    it("accepts the answer once, without login, as SURVEY feedback linked to the invitation", async () => {
      const { submitSurveyResponse } = await publicClient().request<{ submitSurveyResponse: { respondedAt: string } }>(
        SUBMIT,
        { token, input: { ...answer(4, ["工程师来得有点晚", "希望提前电话告知上门时间"]), scores: answer(4).scores.reverse() } },
      );
      expect(new Date(submitSurveyResponse.respondedAt)).toEqual(app.clock.now());

      const invitation = await invitationOfTicket(ticketId);
      expect(invitation).toMatchObject({
        state: "responded",
        answers: [
          { question: expect.any(String), answer: "工程师来得有点晚" },
          { question: expect.any(String), answer: "希望提前电话告知上门时间" },
        ],
        feedback: {
          source: "SURVEY",
          channel: "EMAIL",
          comment: "工程师来得有点晚\n希望提前电话告知上门时间",
          recordedBy: { name: "qloop" },
        },
      });
      expect(invitation.feedback.scores).toHaveLength(STANDARD_DIMENSIONS.length);
      const feedback = await app.dataSource.getRepository(Feedback).findOneByOrFail({ id: Number(invitation.feedback.id) });
      expect(feedback).toMatchObject({ invitationId: Number(invitationId), ticketId: Number(ticketId) });
      expect((await jobsOf(invitationId)).INVITATION_EXPIRE.status).toBe("CANCELLED");
    });

    it("refuses the token the second time with TOKEN_USED, recording nothing", async () => {
      await refusedWith("TOKEN_USED", () => publicClient().request(SUBMIT, { token, input: answer(1) }));
      const { surveyByToken } = await publicClient().request<{ surveyByToken: any }>(OPEN_SURVEY, { token });
      expect(surveyByToken.status).toBe("ANSWERED");
    });

    it("leaves an answered invitation answered after its window would have closed", async () => {
      app.clock.set(new Date(sentAt.getTime() + 8 * DAY_MS));
      await sweep();
      expect((await invitationOfTicket(ticketId)).state).toBe("responded");
      expect(await messagesOf(invitationId)).toHaveLength(2);
    });
  });

  describe("answers, expiry and refusals", () => {
    it("sends no reminder to a customer who answered before day 3", async () => {
      const { invitation, token } = await sentInvitation("钱女士");
      app.clock.advance(DAY_MS);
      await publicClient().request(SUBMIT, { token, input: answer(5) });
      app.clock.advance(4 * DAY_MS);
      await sweep();
      expect(await messagesOf(invitation.id, "SURVEY_REMINDER")).toEqual([]);
      expect(await jobsOf(invitation.id)).toMatchObject({
        INVITATION_REMIND: { status: "CANCELLED" },
        INVITATION_EXPIRE: { status: "CANCELLED" },
      });
    });

    it("refuses an expired token with TOKEN_EXPIRED by the clock, even before the expiry job ran", async () => {
      const { invitation, token } = await sentInvitation("孙先生");
      app.clock.set(new Date(invitation.expiresAt));
      // Nobody swept for a week: the invitation is still "sent", yet the window has closed.
      expect((await invitationOfTicket(invitation.ticket.id)).state).toBe("sent");
      await refusedWith("TOKEN_EXPIRED", () => publicClient().request(SUBMIT, { token, input: answer(3) }));
      const { surveyByToken } = await publicClient().request<{ surveyByToken: any }>(OPEN_SURVEY, { token });
      expect(surveyByToken.status).toBe("EXPIRED");

      // The sweeper catching up expires it, and sends no reminder into a closed window.
      await sweep();
      expect((await invitationOfTicket(invitation.ticket.id)).state).toBe("expired");
      expect(await messagesOf(invitation.id, "SURVEY_REMINDER")).toEqual([]);
      await refusedWith("TOKEN_EXPIRED", () => publicClient().request(SUBMIT, { token, input: answer(3) }));
    });

    it("builds the survey link from QLOOP_SURVEY_URL", async () => {
      process.env.QLOOP_SURVEY_URL = "https://survey.example.cn/s?from=sms";
      try {
        const { invitation, token } = await sentInvitation("周先生");
        const [message] = await messagesOf(invitation.id);
        expect(message.payload.link).toBe(`https://survey.example.cn/s?from=sms&token=${token}`);
        await publicClient().request(SUBMIT, { token, input: answer(5) });
      } finally {
        delete process.env.QLOOP_SURVEY_URL;
      }
    });

    it("refuses an unknown token with TOKEN_UNKNOWN", async () => {
      const forged = `qsv_${randomBytes(32).toString("base64url")}`;
      await refusedWith("TOKEN_UNKNOWN", () => publicClient().request(SUBMIT, { token: forged, input: answer(3) }));
      await refusedWith("TOKEN_UNKNOWN", () => publicClient().request(SUBMIT, { token: "not-a-token", input: answer(3) }));
      expect(await errorCodeOf(publicClient().request(OPEN_SURVEY, { token: forged }))).toBe("TOKEN_UNKNOWN");
    });

    it("lets exactly one of two simultaneous answers with the same token win", async () => {
      const { invitation, token } = await sentInvitation("并发客户");
      const results = await Promise.allSettled([
        publicClient().request(SUBMIT, { token, input: answer(2) }),
        publicClient().request(SUBMIT, { token, input: answer(5) }),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
      expect(await errorCodeOf(Promise.reject(rejected.reason))).toBe("TOKEN_USED");
      expect(await app.dataSource.getRepository(Feedback).countBy({ invitationId: Number(invitation.id) })).toBe(1);
      expect((await invitationOfTicket(invitation.ticket.id)).state).toBe("responded");
    });

    it("refuses incomplete or malformed answers naming the field, and records nothing", async () => {
      const { invitation, token } = await sentInvitation("李女士");
      const submit = (input: unknown) => () => publicClient().request(SUBMIT, { token, input });
      const scores = answer(4).scores;
      expect(await badInput(submit({ scores: scores.slice(1) }))).toBe("input.scores");
      expect(await badInput(submit({ scores: [...scores, { dimension: "price", score: 3 }] }))).toBe("input.scores.6.dimension");
      expect(await badInput(submit({ scores: [...scores.slice(0, 5), { dimension: "overall", score: 3 }] }))).toBe(
        "input.scores.5.dimension",
      );
      // class-validator failures name the field inside the argument, as for recordFeedback.
      expect(await badInput(submit({ scores: [{ dimension: "responsiveness", score: 6 }, ...scores.slice(1)] }))).toBe(
        "scores.0.score",
      );
      expect(await badInput(submit({ scores, answers: ["一", "二", "三"] }))).toBe("answers");
      expect(await badInput(submit({ scores, answers: ["慢".repeat(2401)] }))).toBe("answers");
      expect(await badInput(submit({ scores: [] }))).toBe("scores");

      // None of the refusals used the token up.
      await publicClient().request(SUBMIT, { token, input: answer(4, ["", "无"]) });
      const answered = await invitationOfTicket(invitation.ticket.id);
      expect(answered).toMatchObject({ state: "responded", answers: [{ answer: "无" }], feedback: { comment: "无" } });
    });

    it("marks an invitation undeliverable, with the reason, when the customer has no e-mail address", async () => {
      const customerId = await customer("无邮箱客户", { phone: "13800000009" });
      const ticketId = await ticket(customerId, "INSTALLATION", app.clock.now());
      app.clock.advance(24 * HOUR_MS);
      await sweep();
      const invitation = await invitationOfTicket(ticketId);
      expect(invitation.state).toBe("undeliverable");
      expect(invitation.note).toMatch(/e-mail/);
      expect(await messagesOf(invitation.id)).toEqual([]);
      expect(await jobsOf(invitation.id)).toEqual({ INVITATION_SEND: expect.objectContaining({ status: "DONE" }) });
    });

    it("counts the post-service campaign's invitations by state", async () => {
      const { surveyCampaign } = await world.quality.client.request<{ surveyCampaign: any }>(CAMPAIGN, { id: postService.id });
      // 张先生, 钱女士, 周先生, 并发客户 and 李女士 answered; 孙先生 expired; one had no address.
      expect(surveyCampaign.stats).toEqual({
        invited: 7,
        scheduled: 0,
        open: 0,
        reminded: 0,
        responded: 5,
        expired: 1,
        undeliverable: 1,
        cancelled: 0,
        responseRate: 5 / 6,
      });
    });

    it("refuses to launch a second post-service campaign covering the same tickets", async () => {
      const overlapping = await createCampaign(world.manager, { name: "维修短信回访", kind: "POST_SERVICE", channel: "SMS", ticketTypes: ["REPAIR"] });
      const before = await tableCounts(app.dataSource);
      expect(await launch(world.manager, overlapping.id)).toMatchObject({
        __typename: "TransitionError",
        errorCode: "PRECONDITION_FAILED",
        reason: "noOverlappingCampaign",
      });
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });
  });

  // ---- periodic, special, call-back and re-survey campaigns ------------------------------------

  describe("campaigns with a target group", () => {
    it("invites exactly the periodic campaign's target group, once per customer, over SMS", async () => {
      const now = app.clock.now();
      const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
      const east = "华东";
      const a = await customer("华东咨询甲", { phone: "13900000001", region: east });
      const f = await customer("华东咨询乙", { phone: "13900000002", region: east });
      const g = await customer("华东咨询丙", { region: east });
      await ticket(a, "CONSULTATION", daysAgo(10), east);
      await ticket(f, "CONSULTATION", daysAgo(20), east);
      const latest = await ticket(f, "CONSULTATION", daysAgo(5), east);
      await ticket(g, "CONSULTATION", daysAgo(3), east);
      // Outside the target group: another type, another region, too long ago, not completed.
      await ticket(await customer("华东维修", { phone: "13900000003", region: east }), "REPAIR", daysAgo(10), east);
      await ticket(await customer("华北咨询", { phone: "13900000004", region: "华北" }), "CONSULTATION", daysAgo(10), "华北");
      await ticket(await customer("华东老客户", { phone: "13900000005", region: east }), "CONSULTATION", daysAgo(100), east);
      await ticket(await customer("华东未完成", { phone: "13900000006", region: east }), "CONSULTATION", null, east);

      const campaign = await createCampaign(world.quality, {
        name: "2026 年 9 月 华东咨询客户月度回访",
        kind: "PERIODIC",
        channel: "SMS",
        targetRegion: east,
        ticketTypes: ["CONSULTATION"],
        servedWithinDays: 30,
      });
      const launched = await launch(world.quality, campaign.id);
      expect(launched).toMatchObject({ state: "active", stats: { invited: 3, scheduled: 3 } });
      expect(await launch(world.quality, campaign.id)).toMatchObject({ errorCode: "INVALID_TRANSITION", fromState: "active" });

      const { nodes } = await invitations({ campaignId: campaign.id });
      expect(nodes.map((node) => node.customer.id).sort()).toEqual([a, f, g].sort());
      expect(nodes.find((node) => node.customer.id === f).ticket.id).toBe(latest);

      await sweep();
      const sent = await invitations({ campaignId: campaign.id, states: ["sent"] });
      expect(sent.nodes.map((node) => node.customer.id).sort()).toEqual([a, f].sort());
      for (const node of sent.nodes) {
        const [message] = await messagesOf(node.id);
        expect(message).toMatchObject({ kind: "SURVEY_INVITATION", transport: "WEBHOOK", address: expect.stringMatching(/^1390000000[12]$/) });
      }
      const [skipped] = (await invitations({ campaignId: campaign.id, states: ["undeliverable"] })).nodes;
      expect(skipped).toMatchObject({ customer: { id: g }, note: expect.stringMatching(/phone/) });
    });

    it("refuses to launch a campaign whose target group is empty", async () => {
      const campaign = await createCampaign(world.quality, {
        name: "西北季度回访",
        kind: "PERIODIC",
        channel: "SMS",
        targetRegion: "西北",
        servedWithinDays: 90,
      });
      const before = await tableCounts(app.dataSource);
      expect(await launch(world.quality, campaign.id)).toMatchObject({
        __typename: "TransitionError",
        errorCode: "PRECONDITION_FAILED",
        reason: "hasTargetGroup",
      });
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });

    it("invites the customers served in a special campaign's incident window, and closing it before sending cancels them", async () => {
      const now = app.clock.now();
      const central = "华中";
      const affected = await customer("停机受影响客户", { email: "outage@example.test", region: central });
      const before = await customer("停机前客户", { email: "before@example.test", region: central });
      await ticket(affected, "CONSULTATION", new Date(now.getTime() - 2 * DAY_MS));
      await ticket(before, "CONSULTATION", new Date(now.getTime() - 9 * DAY_MS));
      const campaign = await createCampaign(world.manager, {
        name: "系统停机专项调查",
        kind: "SPECIAL",
        channel: "EMAIL",
        targetRegion: central,
        incidentFrom: new Date(now.getTime() - 4 * DAY_MS).toISOString(),
        incidentTo: new Date(now.getTime() - 1 * DAY_MS).toISOString(),
      });
      await launch(world.manager, campaign.id);
      const { nodes } = await invitations({ campaignId: campaign.id });
      expect(nodes.map((node) => node.customer.id)).toEqual([affected]);

      const { result } = await world.manager.client.request<{ result: any }>(CLOSE, { id: campaign.id, reason: "改为电话回访" });
      expect(result).toMatchObject({ state: "closed", nextEvents: [], stats: { invited: 1, cancelled: 1 } });
      await sweep();
      const [cancelled] = (await invitations({ campaignId: campaign.id })).nodes;
      expect(cancelled).toMatchObject({ state: "cancelled", sentAt: null });
      expect(await messagesOf(cancelled.id)).toEqual([]);
      expect(await jobsOf(cancelled.id)).toEqual({ INVITATION_SEND: expect.objectContaining({ status: "CANCELLED" }) });
    });

    it("turns a phone campaign's invitations into call-back tasks that an agent completes", async () => {
      const south = "华南";
      const customerId = await customer("华南回访客户", { phone: "13700000001", region: south });
      await ticket(customerId, "CONSULTATION", new Date(app.clock.now().getTime() - 2 * DAY_MS), south);
      const campaign = await createCampaign(world.quality, {
        name: "华南电话回访",
        kind: "PERIODIC",
        channel: "PHONE",
        targetRegion: south,
        servedWithinDays: 7,
      });
      await launch(world.quality, campaign.id);
      await sweep();

      const tasks = await invitations({ callback: true, states: ["sent"] }, world.agent);
      const task = tasks.nodes.find((node) => node.campaign.id === campaign.id);
      expect(task).toMatchObject({ callback: true, channel: "PHONE", customer: { id: customerId }, nextEvents: ["RESPOND"] });
      expect((await invitations({ callback: false })).nodes.map((node) => node.id)).not.toContain(task.id);
      expect(await messagesOf(task.id)).toEqual([]);
      expect(Object.keys(await jobsOf(task.id)).sort()).toEqual(["INVITATION_EXPIRE", "INVITATION_SEND"]);

      const before = await tableCounts(app.dataSource);
      const refused = (await world.manager.client.request<{ result: any }>(RECORD_CALLBACK, { id: task.id, input: answer(3) })).result;
      expect(refused).toMatchObject({ errorCode: "NOT_PERMITTED", reason: "responderMayAnswer", entity: "SURVEY_INVITATION" });
      expect(await tableCounts(app.dataSource)).toEqual(before);

      const done = (await world.agent.client.request<{ result: any }>(RECORD_CALLBACK, { id: task.id, input: answer(2, ["等了很久才有人接电话"]) }))
        .result;
      expect(done).toMatchObject({
        state: "responded",
        nextEvents: [],
        feedback: { source: "CALLBACK", channel: "PHONE", comment: "等了很久才有人接电话", recordedBy: { name: "Agent" } },
      });
    });

    it("re-surveys the affected customers of a verification check, and their answers measure it", async () => {
      const affected = [
        await customer("受影响客户甲", { email: "affected-a@example.test" }),
        await customer("受影响客户乙", { email: "affected-b@example.test" }),
      ];
      await customer("旁观客户", { email: "bystander@example.test" });
      // Baseline in August: responsiveness 3 and 2.
      const baseline: string[] = [];
      for (const [i, score] of [3, 2].entries()) {
        const { recordFeedback } = await world.agent.client.request<{ recordFeedback: { id: string } }>(
          gql`
            mutation ($input: RecordFeedbackInput!) {
              recordFeedback(input: $input) { id }
            }
          `,
          {
            input: {
              customerId: affected[i],
              channel: "PHONE",
              scores: [{ dimension: "responsiveness", score }],
              comment: "响应慢",
              receivedAt: `2026-08-1${i}T02:00:00.000Z`,
            },
          },
        );
        baseline.push(recordFeedback.id);
      }
      const issues = app.dataSource.getRepository(Issue);
      const issue = await issues.save(
        issues.create({
          kind: IssueKind.SYSTEMIC,
          title: "维修响应慢",
          description: "核心客户报修响应超过 4 小时",
          state: "verifying",
          departmentId: Number(world.serviceDept),
          assigneeId: Number(world.serviceLead.id),
          createdById: Number(world.quality.id),
        }),
      );
      await app.dataSource
        .getRepository(IssueEvidence)
        .insert(baseline.map((feedbackId) => ({ issueId: issue.id, feedbackId: Number(feedbackId), linkedById: Number(world.quality.id) })));
      const { planVerificationCheck: check } = await world.quality.client.request<{ planVerificationCheck: any }>(
        gql`
          mutation ($input: PlanVerificationCheckInput!) {
            planVerificationCheck(input: $input) { ... on VerificationCheck { id baseline } }
          }
        `,
        {
          input: {
            issueId: String(issue.id),
            metric: "响应及时性 平均分",
            dimension: "responsiveness",
            beforeFrom: "2026-08-01T00:00:00.000Z",
            beforeTo: "2026-09-01T00:00:00.000Z",
          },
        },
      );
      expect(check.baseline).toBe(2.5);

      // A template that does not ask the check's dimension cannot re-survey it.
      const { createSurveyTemplate } = await world.quality.client.request<{ createSurveyTemplate: { id: string } }>(
        gql`
          mutation {
            createSurveyTemplate(input: { name: "态度专项", dimensions: [{ code: "attitude", name: "服务态度" }], openQuestions: ["还有什么想说的？"] }) { id }
          }
        `,
      );
      const resurvey = { name: "维修响应改善 复测", kind: "RESURVEY", channel: "EMAIL", verificationCheckId: check.id };
      expect(await badInput(() => world.quality.client.request(CREATE_CAMPAIGN, { input: { ...resurvey, templateId: createSurveyTemplate.id } }))).toBe(
        "input.templateId",
      );

      const campaign = await createCampaign(world.quality, resurvey);
      expect(await launch(world.quality, campaign.id)).toMatchObject({
        errorCode: "PRECONDITION_FAILED",
        reason: "verificationCheckIsSurveying",
      });
      await world.quality.client.request(gql`
        mutation { startVerificationSurvey(id: "${check.id}") { __typename } }
      `);
      const launched = await launch(world.quality, campaign.id);
      expect(launched).toMatchObject({ state: "active", stats: { invited: 2 } });
      const { nodes } = await invitations({ campaignId: campaign.id });
      expect(nodes.map((node) => node.customer.id).sort()).toEqual([...affected].sort());

      await sweep();
      const surveyedFrom = app.clock.now();
      for (const [i, node] of nodes.entries()) {
        const token = await tokenOf(node.id);
        const scores = answer(4).scores.map((s) => (s.dimension === "responsiveness" ? { ...s, score: 4 + i } : s));
        await publicClient().request(SUBMIT, { token, input: { scores } });
      }
      app.clock.advance(HOUR_MS);
      const { completeVerificationCheck } = await world.quality.client.request<{ completeVerificationCheck: any }>(
        gql`
          mutation ($id: ID!, $input: CompleteVerificationInput!) {
            completeVerificationCheck(id: $id, input: $input) { ... on VerificationCheck { state result sampleSize } }
          }
        `,
        { id: check.id, input: { afterFrom: surveyedFrom.toISOString(), afterTo: app.clock.now().toISOString() } },
      );
      expect(completeVerificationCheck).toEqual({ state: "passed", result: 4.5, sampleSize: 2 });
    });

    it("refuses campaign input naming the field, creating nothing", async () => {
      const create = (input: Record<string, unknown>) => () => world.quality.client.request(CREATE_CAMPAIGN, { input });
      const base = { name: "字段校验", channel: "SMS" };
      expect(await badInput(create({ ...base, kind: "PERIODIC" }))).toBe("input.servedWithinDays");
      expect(await badInput(create({ ...base, kind: "PERIODIC", servedWithinDays: 0 }))).toBe("input.servedWithinDays");
      expect(await badInput(create({ ...base, kind: "POST_SERVICE", servedWithinDays: 30 }))).toBe("input.servedWithinDays");
      expect(await badInput(create({ ...base, kind: "POST_SERVICE", postServiceDelayHours: 12 }))).toBe("input.postServiceDelayHours");
      expect(await badInput(create({ ...base, kind: "POST_SERVICE", expiryDays: 7, reminderAfterDays: 7 }))).toBe(
        "input.reminderAfterDays",
      );
      expect(await badInput(create({ ...base, kind: "POST_SERVICE", channel: "WEB" }))).toBe("input.channel");
      expect(await badInput(create({ ...base, kind: "POST_SERVICE", ticketTypes: [] }))).toBe("input.ticketTypes");
      expect(await badInput(create({ ...base, kind: "RESURVEY" }))).toBe("input.verificationCheckId");
      expect(
        await badInput(create({ ...base, kind: "SPECIAL", incidentFrom: T0.toISOString(), incidentTo: T0.toISOString() })),
      ).toBe("input.incidentTo");
      expect(await badInput(create({ ...base, kind: "SPECIAL", incidentFrom: T0.toISOString() }))).toBe("input.incidentTo");

      const { createSurveyTemplate } = await world.quality.client.request<{ createSurveyTemplate: { id: string } }>(
        gql`
          mutation {
            createSurveyTemplate(input: { name: "无开放题" }) { id }
          }
        `,
      );
      expect(await badInput(create({ ...base, kind: "POST_SERVICE", templateId: createSurveyTemplate.id }))).toBe(
        "input.templateId",
      );
    });
  });

  it("publishes both survey machines in workflowDefinitions", async () => {
    const { workflowDefinitions } = await publicClient().request<{ workflowDefinitions: any[] }>(gql`
      {
        workflowDefinitions { name initial states { name final transitions { event target } } }
      }
    `);
    const invitation = workflowDefinitions.find((definition) => definition.name === "surveyInvitation");
    expect(invitation.initial).toBe("scheduled");
    expect(invitation.states.map((state: { name: string }) => state.name)).toEqual([
      "scheduled",
      "sent",
      "reminded",
      "responded",
      "expired",
      "undeliverable",
      "cancelled",
    ]);
    expect(workflowDefinitions.find((definition) => definition.name === "surveyCampaign").initial).toBe("draft");
  });
});
