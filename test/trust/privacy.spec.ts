import { getNamedType, GraphQLObjectType, isObjectType } from "graphql";
import { gql } from "graphql-request";
import { In } from "typeorm";
import { HOUR_MS } from "../../src/common/clock";
import { IssueKind } from "../../src/common/enums";
import { getSchema } from "../../src/api/schema";
import { ContactConsent, OutboxMessage, ScheduledJob, SurveyInvitation } from "../../src/entity";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { CustomerAliases, maskEmail, maskName, maskPhone, personalDataKindOf, scrubText } from "../../src/privacy";
import { enqueueChangeNotice } from "../../src/service/change-notice";
import { createWorld, errorsOf, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

describe("masking formats", () => {
  it.each([
    ["张三丰", "张**"],
    ["张三", "张*"],
    ["欧阳娜娜", "欧***"],
    ["王", "王*"],
    ["  李先生 ", "李**"],
  ])("masks the name %s as %s", (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ["13812345678", "138****5678"],
    ["+86 138-1234-5678", "138****5678"],
    ["8613812345678", "138****5678"],
    ["021-6543 2100", "021****2100"],
    ["95511", "***11"],
  ])("masks the phone %s as %s", (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it("keeps an e-mail's domain and its first character only", () => {
    expect(maskEmail("liu.yang@example.com")).toBe("l*******@example.com");
  });

  it("scrubs a customer's name, phone and e-mail out of free text, and any other mobile number", () => {
    const customer = { name: "金丝雀测试", phone: "13912345678", email: "canary@example.test" };
    const text = "金丝雀测试来电（13912345678，canary@example.test），其家人 158 0000 1111 也反映过";
    const scrubbed = scrubText(text, [customer]);
    expect(scrubbed).toBe("金****来电（139****5678，c*****@example.test），其家人 158****1111 也反映过");
  });

  it("leaves ticket codes, dates and ids alone", () => {
    const text = "工单 WX-20261129001 于 2026-11-29T08:00:00.000Z 完成，反馈 #12345678";
    expect(scrubText(text)).toBe(text);
  });

  it("gives report aliases in order of first mention, one per customer", () => {
    const aliases = new CustomerAliases();
    const a = { id: 7, name: "王女士", phone: "13800000001" };
    const b = { id: 3, name: "李先生", phone: null };
    expect(aliases.pseudonymise("王女士投诉维修慢", a)).toBe("客户A投诉维修慢");
    expect(aliases.pseudonymise("李先生再次来电", b)).toBe("客户B再次来电");
    expect(aliases.pseudonymise("回访王女士 13800000001", a)).toBe("回访客户A 客户A");
    expect(aliases.pseudonymise("无客户信息", a)).toBe("无客户信息");
  });
});

describe("the schema marks every field that carries customers' personal data", () => {
  /** Customer fields that are not personal: ids, the CRM number, the region, times, consent. */
  const NOT_PERSONAL = new Set(["id", "code", "region", "createdAt", "contactConsent", "contactAllowed", "contactConsentHistory"]);
  /** Field names that carry a person's contact data wherever they appear. */
  const CONTACT_NAME = /phone|mobile|customerName|customerEmail|address/i;
  /** Staff (users) are not customers: their names and e-mail addresses are work data. */
  const STAFF_TYPES = new Set(["User"]);

  it("masks every Customer field except the listed non-personal ones", async () => {
    const customer = (await getSchema()).getType("Customer") as GraphQLObjectType;
    const unmarked = Object.values(customer.getFields())
      .filter((field) => !personalDataKindOf(field) && !NOT_PERSONAL.has(field.name))
      .map((field) => field.name);
    expect(unmarked).toEqual([]);
  });

  it("has no unmarked phone, mobile or customer-name field on any type", async () => {
    const schema = await getSchema();
    const unmarked: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__") || STAFF_TYPES.has(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        const leaf = getNamedType(field.type);
        if (CONTACT_NAME.test(field.name) && !isObjectType(leaf) && !personalDataKindOf(field)) {
          unmarked.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(unmarked).toEqual([]);
  });
});

const CREATE_CUSTOMER = gql`
  mutation ($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      id
      name
      phone
      email
      contactAllowed
      contactConsent { decision channel givenAt }
    }
  }
`;
const CUSTOMER = gql`
  query ($id: ID!) {
    customer(id: $id) { id name phone email region }
  }
`;

describe("personal data over the API", () => {
  let app: TestApp;
  let world: World;
  let customerId: string;
  const T0 = new Date("2026-09-01T00:00:00.000Z");

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    app.clock.set(T0);
    const created = await world.agent.client.request<{ createCustomer: { id: string } }>(CREATE_CUSTOMER, {
      input: { name: "王晓明", phone: "+86 138-1234-5678", email: "wang.xm@example.test", region: "华东" },
    });
    customerId = created.createCustomer.id;
  });
  afterAll(() => app.stop());

  const customerAs = async (person: Person) =>
    (await person.client.request<{ customer: Record<string, string> }>(CUSTOMER, { id: customerId })).customer;

  it("shows agents, quality specialists and the operations manager the customer unmasked", async () => {
    for (const person of [world.agent, world.quality, world.manager]) {
      expect(await customerAs(person)).toEqual({
        id: customerId,
        name: "王晓明",
        phone: "+86 138-1234-5678",
        email: "wang.xm@example.test",
        region: "华东",
      });
    }
  });

  it("shows department leads and admins masked names, phones and e-mail addresses", async () => {
    for (const person of [world.serviceLead, world.techLead, world.admin]) {
      expect(await customerAs(person)).toEqual({
        id: customerId,
        name: "王**",
        phone: "138****5678",
        email: "w******@example.test",
        region: "华东",
      });
    }
  });

  it("masks the customer on nested paths too (ticket → customer, list nodes)", async () => {
    await world.agent.client.request(
      gql`mutation ($input: CreateServiceTicketInput!) { createServiceTicket(input: $input) { id } }`,
      { input: { code: "PRIV-1", customerId, type: "REPAIR", openedAt: T0.toISOString() } },
    );
    const query = gql`{
      serviceTickets(first: 10) { nodes { code customer { name phone } } }
      customers(first: 10) { nodes { name phone } }
    }`;
    const lead = await world.serviceLead.client.request<any>(query);
    expect(lead.serviceTickets.nodes).toEqual([{ code: "PRIV-1", customer: { name: "王**", phone: "138****5678" } }]);
    expect(lead.customers.nodes).toEqual([{ name: "王**", phone: "138****5678" }]);
    const quality = await world.quality.client.request<any>(query);
    expect(quality.serviceTickets.nodes[0].customer).toEqual({ name: "王晓明", phone: "+86 138-1234-5678" });
  });

  it("echoes what an admin just typed in createCustomer, and masks it on the next read", async () => {
    const created = await world.admin.client.request<{ createCustomer: any }>(CREATE_CUSTOMER, {
      input: { name: "钱多多", phone: "13900001111" },
    });
    expect(created.createCustomer).toMatchObject({ name: "钱多多", phone: "13900001111" });
    const again = await world.admin.client.request<{ customer: any }>(CUSTOMER, { id: created.createCustomer.id });
    expect(again.customer).toMatchObject({ name: "钱**", phone: "139****1111" });
  });

  it("refuses filtering customers by name to roles without access, naming the argument, and allows it to the others", async () => {
    const list = gql`query ($filter: CustomerFilterInput) { customers(filter: $filter, first: 10) { nodes { id } } }`;
    for (const person of [world.serviceLead, world.admin]) {
      const [error] = await errorsOf(person.client.request(list, { filter: { nameContains: "王" } }));
      expect(error.extensions).toMatchObject({ code: "FORBIDDEN", field: "filter.nameContains" });
    }
    const byRegion = await world.serviceLead.client.request<any>(list, { filter: { region: "华东" } });
    expect(byRegion.customers.nodes.map((c: { id: string }) => c.id)).toContain(customerId);
    const byName = await world.agent.client.request<any>(list, { filter: { nameContains: "晓明" } });
    expect(byName.customers.nodes).toEqual([{ id: customerId }]);
  });

  it("masks the customer's name and any mobile number in free text for roles without access", async () => {
    const feedback = await world.agent.client.request<{ recordFeedback: { id: string } }>(
      gql`mutation ($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`,
      {
        input: {
          customerId,
          channel: "PHONE",
          scores: [{ dimension: "overall", score: 4 }],
          comment: "王晓明说师傅很好，有事打 13812345678",
        },
      },
    );
    const complaint = await world.agent.client.request<{ registerComplaint: { id: string } }>(
      gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId,
          channel: "PHONE",
          scores: [{ dimension: "overall", score: 1 }],
          title: "王晓明投诉上门迟到",
          description: "客户王晓明（13812345678）反映师傅迟到两小时",
        },
      },
    );
    const issue = { id: complaint.registerComplaint.id };
    const query = gql`query ($f: ID!, $i: ID!) { feedback(id: $f) { comment } issue(id: $i) { title description } }`;
    const variables = { f: feedback.recordFeedback.id, i: String(issue.id) };
    const lead = await world.admin.client.request<any>(query, variables);
    expect(lead.feedback.comment).toBe("王**说师傅很好，有事打 138****5678");
    expect(lead.issue).toEqual({ title: "王**投诉上门迟到", description: "客户王**（138****5678）反映师傅迟到两小时" });
    const quality = await world.quality.client.request<any>(query, variables);
    expect(quality.feedback.comment).toBe("王晓明说师傅很好，有事打 13812345678");
    expect(quality.issue.title).toBe("王晓明投诉上门迟到");
  });
});

describe("contact consent", () => {
  let app: TestApp;
  let world: World;
  const T0 = new Date("2026-09-01T00:00:00.000Z");
  let ticketCounter = 0;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    app.clock.set(T0);
    const campaign = await world.quality.client.request<{ createSurveyCampaign: { id: string } }>(
      gql`mutation ($input: CreateSurveyCampaignInput!) { createSurveyCampaign(input: $input) { id } }`,
      { input: { name: "维修回访", kind: "POST_SERVICE", channel: "EMAIL", ticketTypes: ["REPAIR"] } },
    );
    await world.quality.client.request(gql`mutation ($id: ID!) { launchSurveyCampaign(id: $id) { __typename } }`, {
      id: campaign.createSurveyCampaign.id,
    });
  });
  afterAll(() => app.stop());

  async function customerWith(name: string, consent: Record<string, unknown> | null) {
    const created = await world.agent.client.request<{ createCustomer: any }>(CREATE_CUSTOMER, {
      input: { name, email: `${name.length}-${Date.now()}-${Math.random()}@example.test`, contactConsent: consent },
    });
    return created.createCustomer;
  }

  /** Completes a repair ticket of the customer now and sweeps past the post-service delay. */
  async function serviceAndSweep(customerId: string) {
    const now = app.clock.now();
    const ticket = await world.agent.client.request<{ createServiceTicket: { id: string } }>(
      gql`mutation ($input: CreateServiceTicketInput!) { createServiceTicket(input: $input) { id } }`,
      {
        input: {
          code: `CONSENT-${++ticketCounter}`,
          customerId,
          type: "REPAIR",
          openedAt: new Date(now.getTime() - 2 * HOUR_MS).toISOString(),
          completedAt: now.toISOString(),
        },
      },
    );
    app.clock.advance(49 * HOUR_MS);
    await sweepDueJobs(app.dataSource, { now: app.clock.now() });
    const failed = await app.dataSource.getRepository(ScheduledJob).find({ where: { kind: In(["INVITATION_SEND"]) } });
    expect(failed.filter((job) => job.lastError).map((job) => job.lastError)).toEqual([]);
    return app.dataSource.getRepository(SurveyInvitation).findOneByOrFail({ ticketId: Number(ticket.createServiceTicket.id) });
  }

  const surveyMessages = (customerId: string) =>
    app.dataSource.getRepository(OutboxMessage).countBy({ recipientId: Number(customerId), kind: In(["SURVEY_INVITATION"]) } as never);

  it("records consent given at customer intake, with when and how", async () => {
    const customer = await customerWith("赵同意", { decision: "GRANTED", channel: "WEB", givenAt: "2026-08-31T10:00:00.000Z" });
    expect(customer.contactAllowed).toBe(true);
    expect(customer.contactConsent).toEqual({ decision: "GRANTED", channel: "WEB", givenAt: "2026-08-31T10:00:00.000Z" });
    const [row] = await app.dataSource.getRepository(ContactConsent).findBy({ customerId: Number(customer.id) });
    expect(row.recordedById).toBe(Number(world.agent.id));
  });

  it("refuses a consent dated in the future and records nothing", async () => {
    const before = await tableCounts(app.dataSource);
    const [error] = await errorsOf(
      world.agent.client.request(CREATE_CUSTOMER, {
        input: { name: "孙未来", contactConsent: { decision: "GRANTED", channel: "WEB", givenAt: "2027-01-01T00:00:00.000Z" } },
      }),
    );
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.contactConsent.givenAt" });
    expect(await tableCounts(app.dataSource)).toEqual(before);
  });

  it("sends the survey invitation to a customer who agreed and skips one who refused", async () => {
    const agreed = await customerWith("周同意", { decision: "GRANTED", channel: "PHONE" });
    const refused = await customerWith("吴拒绝", { decision: "REFUSED", channel: "PHONE" });
    const sent = await serviceAndSweep(agreed.id);
    const skipped = await serviceAndSweep(refused.id);
    expect(sent.state).toBe("sent");
    expect(await surveyMessages(agreed.id)).toBe(1);
    expect(skipped.state).not.toBe("sent");
    expect(skipped.note).toMatch(/refused/);
    expect(await surveyMessages(refused.id)).toBe(0);
  });

  it("respects a refusal recorded with feedback, after the customer was created", async () => {
    const customer = await customerWith("郑后拒", null);
    expect(customer.contactAllowed).toBe(true);
    const feedback = await world.agent.client.request<{ recordFeedback: { id: string } }>(
      gql`mutation ($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`,
      {
        input: {
          customerId: customer.id,
          channel: "PHONE",
          scores: [{ dimension: "overall", score: 3 }],
          contactConsent: { decision: "REFUSED", channel: "PHONE" },
        },
      },
    );
    const read = await world.quality.client.request<any>(
      gql`query ($id: ID!) { customer(id: $id) { contactAllowed contactConsent { decision channel } contactConsentHistory { decision } } }`,
      { id: customer.id },
    );
    expect(read.customer).toEqual({
      contactAllowed: false,
      contactConsent: { decision: "REFUSED", channel: "PHONE" },
      contactConsentHistory: [{ decision: "REFUSED" }],
    });
    const [row] = await app.dataSource.getRepository(ContactConsent).findBy({ customerId: Number(customer.id) });
    expect(row.feedbackId).toBe(Number(feedback.recordFeedback.id));
    const invitation = await serviceAndSweep(customer.id);
    expect(invitation.state).not.toBe("sent");
    expect(await surveyMessages(customer.id)).toBe(0);
  });

  it("records a decision given with a complaint, with the complaint's feedback", async () => {
    const customer = await customerWith("蒋投诉", null);
    await world.agent.client.request(
      gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId: customer.id,
          channel: "PHONE",
          scores: [{ dimension: "overall", score: 1 }],
          title: "上门迟到",
          receivedAt: "2026-08-30T09:00:00.000Z",
          contactConsent: { decision: "REFUSED", channel: "PHONE" },
        },
      },
    );
    const [row] = await app.dataSource.getRepository(ContactConsent).findBy({ customerId: Number(customer.id) });
    expect(row).toMatchObject({ decision: "REFUSED", channel: "PHONE", givenAt: new Date("2026-08-30T09:00:00.000Z") });
    expect(row.feedbackId).not.toBeNull();
    const invitation = await serviceAndSweep(customer.id);
    expect(invitation.state).not.toBe("sent");
  });

  it("lets a later decision override an earlier one (recordContactConsent)", async () => {
    const customer = await customerWith("冯改主意", { decision: "REFUSED", channel: "SMS" });
    const record = gql`mutation ($id: ID!, $input: ContactConsentInput!) { recordContactConsent(customerId: $id, input: $input) { decision } }`;
    await world.agent.client.request(record, { id: customer.id, input: { decision: "GRANTED", channel: "PHONE" } });
    const invitation = await serviceAndSweep(customer.id);
    expect(invitation.state).toBe("sent");
    const [error] = await errorsOf(
      world.serviceLead.client.request(record, { id: customer.id, input: { decision: "REFUSED", channel: "PHONE" } }),
    );
    expect(error.extensions?.code).toBe("FORBIDDEN");
  });

  it("sends no 'what we changed' notice to a customer who refused", async () => {
    const notices = async (customerId: string) => {
      // The closing transition's event, as the issue service passes it to the hook.
      const issue = { id: 900000 + Number(customerId), kind: IssueKind.COMPLAINT, state: "closed", cycle: 1, title: "投诉", customerId: Number(customerId) };
      await app.dataSource.transaction((tx) => enqueueChangeNotice(tx, { issue } as never));
      return app.dataSource.getRepository(OutboxMessage).countBy({ kind: "CHANGE_NOTICE", recipientId: Number(customerId) } as never);
    };
    expect(await notices((await customerWith("陈同意", { decision: "GRANTED", channel: "WEB" })).id)).toBe(1);
    expect(await notices((await customerWith("褚拒绝", { decision: "REFUSED", channel: "WEB" })).id)).toBe(0);
  });
});
