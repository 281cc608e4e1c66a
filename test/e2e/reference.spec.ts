import { gql } from "graphql-request";
import { createWorld, errorCodeOf, errorsOf, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const CREATE_CUSTOMER = gql`
  mutation ($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      id
      name
      phone
      region
    }
  }
`;

const CREATE_TICKET = gql`
  mutation ($input: CreateServiceTicketInput!) {
    createServiceTicket(input: $input) {
      id
      code
      type
      region
      engineer
      openedAt
      firstResponseAt
      completedAt
      responseMinutes
      customer {
        id
        name
      }
      department {
        id
        name
      }
    }
  }
`;

const CREATE_TEMPLATE = gql`
  mutation ($input: CreateSurveyTemplateInput!) {
    createSurveyTemplate(input: $input) {
      id
      name
      openQuestions
      dimensions {
        code
        name
        weight
        position
      }
    }
  }
`;

describe("reference data: customers, service tickets, survey templates", () => {
  let app: TestApp;
  let world: World;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    const { createCustomer } = await world.agent.client.request<{ createCustomer: { id: string } }>(CREATE_CUSTOMER, {
      input: { name: "王女士", phone: "+86 138-1234-5678", region: "华东" },
    });
    customerId = createCustomer.id;
  });
  afterAll(() => app.stop());

  /** Runs a request that must fail and checks that no table changed. */
  async function refusedWithoutChange(request: () => Promise<unknown>) {
    const before = await tableCounts(app.dataSource);
    const errors = await errorsOf(request());
    expect(await tableCounts(app.dataSource)).toEqual(before);
    return errors[0];
  }

  describe("customers", () => {
    it("creates a customer and reads it back by id", async () => {
      const { customer } = await world.quality.client.request<{ customer: unknown }>(
        gql`
          query ($id: ID!) {
            customer(id: $id) {
              id
              name
              phone
              region
            }
          }
        `,
        { id: customerId },
      );
      expect(customer).toEqual({ id: customerId, name: "王女士", phone: "+86 138-1234-5678", region: "华东" });
    });

    it("returns null for a customer id that does not exist", async () => {
      const { customer } = await world.agent.client.request<{ customer: unknown }>(
        gql`
          query {
            customer(id: "999999") {
              id
            }
          }
        `,
      );
      expect(customer).toBeNull();
    });

    it("lists customers newest first, filtered by region and by part of the name", async () => {
      await world.agent.client.request(CREATE_CUSTOMER, { input: { name: "李先生", region: "华南" } });
      await world.agent.client.request(CREATE_CUSTOMER, { input: { name: "100%_满意 公司", region: "华南" } });
      const LIST = gql`
        query ($filter: CustomerFilterInput, $first: Int) {
          customers(filter: $filter, first: $first) {
            totalCount
            nodes {
              name
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `;
      const south = await world.agent.client.request<{ customers: any }>(LIST, { filter: { region: "华南" } });
      expect(south.customers.nodes.map((c: { name: string }) => c.name)).toEqual(["100%_满意 公司", "李先生"]);
      // LIKE wildcards in the search text are taken literally.
      const literal = await world.agent.client.request<{ customers: any }>(LIST, { filter: { nameContains: "%_" } });
      expect(literal.customers.nodes).toEqual([{ name: "100%_满意 公司" }]);
      const byName = await world.agent.client.request<{ customers: any }>(LIST, { filter: { nameContains: "女士" } });
      expect(byName.customers.nodes).toEqual([{ name: "王女士" }]);
      const firstPage = await world.agent.client.request<{ customers: any }>(LIST, { first: 2 });
      expect(firstPage.customers.totalCount).toBe(3);
      expect(firstPage.customers.pageInfo.hasNextPage).toBe(true);
    });

    it("refuses a name over 100 characters, naming the field, and writes nothing", async () => {
      const error = await refusedWithoutChange(() =>
        world.agent.client.request(CREATE_CUSTOMER, { input: { name: "名".repeat(101) } }),
      );
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(error.extensions?.field).toMatch(/(^|\.)name$/);
    });

    it("refuses a blank name", async () => {
      const error = await refusedWithoutChange(() => world.agent.client.request(CREATE_CUSTOMER, { input: { name: "  " } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
    });

    it("refuses a phone with letters or over 32 characters", async () => {
      for (const phone of ["138-abc", "1".repeat(33)]) {
        const error = await refusedWithoutChange(() =>
          world.agent.client.request(CREATE_CUSTOMER, { input: { name: "赵先生", phone } }),
        );
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
        expect(error.extensions?.field).toMatch(/(^|\.)phone$/);
      }
    });

    it("lets only agents, quality specialists and admins create customers", async () => {
      const before = await tableCounts(app.dataSource);
      for (const person of [world.serviceLead, world.manager]) {
        expect(await errorCodeOf(person.client.request(CREATE_CUSTOMER, { input: { name: "钱女士" } }))).toBe("FORBIDDEN");
      }
      expect(await tableCounts(app.dataSource)).toEqual(before);
      const created = await world.admin.client.request<{ createCustomer: { name: string } }>(CREATE_CUSTOMER, {
        input: { name: "钱女士" },
      });
      expect(created.createCustomer.name).toBe("钱女士");
    });

    it("refuses an anonymous caller", async () => {
      expect(await errorCodeOf(app.client().request(CREATE_CUSTOMER, { input: { name: "孙先生" } }))).toBe(
        "UNAUTHENTICATED",
      );
    });
  });

  describe("service tickets", () => {
    const ticketInput = (overrides: object = {}) => ({
      code: "WX-0001",
      customerId,
      type: "REPAIR",
      region: "华东",
      engineer: "李工",
      departmentId: world.serviceDept,
      openedAt: "2026-09-02T01:00:00.000Z",
      firstResponseAt: "2026-09-02T03:30:00.000Z",
      completedAt: "2026-09-03T09:00:00.000Z",
      ...overrides,
    });

    it("creates a ticket with its customer, department and response time in minutes", async () => {
      const { createServiceTicket } = await world.agent.client.request<{ createServiceTicket: any }>(CREATE_TICKET, {
        input: ticketInput(),
      });
      expect(createServiceTicket).toMatchObject({
        code: "WX-0001",
        type: "REPAIR",
        engineer: "李工",
        openedAt: "2026-09-02T01:00:00.000Z",
        firstResponseAt: "2026-09-02T03:30:00.000Z",
        responseMinutes: 150,
        customer: { id: customerId, name: "王女士" },
        department: { id: world.serviceDept, name: "售后服务部" },
      });
    });

    it("leaves responseMinutes null while nobody has responded", async () => {
      const { createServiceTicket } = await world.agent.client.request<{ createServiceTicket: any }>(CREATE_TICKET, {
        input: ticketInput({ code: "WX-0002", type: "CONSULTATION", firstResponseAt: null, completedAt: null, departmentId: null }),
      });
      expect(createServiceTicket).toMatchObject({ responseMinutes: null, department: null, completedAt: null });
    });

    it("refuses a duplicate code, naming input.code, and writes nothing", async () => {
      const error = await refusedWithoutChange(() => world.agent.client.request(CREATE_TICKET, { input: ticketInput() }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.code" });
    });

    it.each([
      ["firstResponseAt", "2026-09-02T00:59:59.000Z"],
      ["completedAt", "2026-09-01T00:00:00.000Z"],
    ])("refuses %s before openedAt", async (field, value) => {
      const error = await refusedWithoutChange(() =>
        world.agent.client.request(CREATE_TICKET, { input: ticketInput({ code: "WX-0003", [field]: value }) }),
      );
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: `input.${field}` });
    });

    it("refuses a malformed customer id naming input.customerId, and an unknown one as NOT_FOUND", async () => {
      const malformed = await refusedWithoutChange(() =>
        world.agent.client.request(CREATE_TICKET, { input: ticketInput({ code: "WX-0004", customerId: "abc" }) }),
      );
      expect(malformed.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.customerId" });
      const unknown = await refusedWithoutChange(() =>
        world.agent.client.request(CREATE_TICKET, { input: ticketInput({ code: "WX-0004", customerId: "999999" }) }),
      );
      expect(unknown.extensions).toMatchObject({ code: "NOT_FOUND" });
    });

    it("refuses an unknown ticket type in GraphQL validation", async () => {
      const error = await refusedWithoutChange(() =>
        world.agent.client.request(
          gql`
            mutation ($customerId: ID!) {
              createServiceTicket(
                input: { code: "WX-0005", customerId: $customerId, type: TELEPATHY, openedAt: "2026-09-02T01:00:00.000Z" }
              ) {
                id
              }
            }
          `,
          { customerId },
        ),
      );
      expect(error.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    });

    it("lists tickets filtered by customer, type, department and opening window", async () => {
      const LIST = gql`
        query ($filter: ServiceTicketFilterInput) {
          serviceTickets(filter: $filter) {
            totalCount
            nodes {
              code
            }
          }
        }
      `;
      const codes = async (filter: object) =>
        (await world.quality.client.request<{ serviceTickets: any }>(LIST, { filter })).serviceTickets.nodes.map(
          (t: { code: string }) => t.code,
        );
      expect(await codes({ customerId })).toEqual(["WX-0002", "WX-0001"]);
      expect(await codes({ type: "REPAIR" })).toEqual(["WX-0001"]);
      expect(await codes({ departmentId: world.serviceDept })).toEqual(["WX-0001"]);
      expect(await codes({ region: "华东", openedFrom: "2026-09-02T01:00:00.000Z", openedTo: "2026-09-02T01:00:00.001Z" })).toEqual([
        "WX-0002",
        "WX-0001",
      ]);
      expect(await codes({ openedFrom: "2026-09-02T01:00:00.001Z" })).toEqual([]);
      const error = await errorsOf(world.quality.client.request(LIST, { filter: { customerId: "x1" } }));
      expect(error[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.customerId" });
    });

    it("reads a ticket by id and returns null for a missing one", async () => {
      const QUERY = gql`
        query ($id: ID!) {
          serviceTicket(id: $id) {
            code
          }
        }
      `;
      const list = await world.quality.client.request<{ serviceTickets: any }>(
        gql`
          query {
            serviceTickets(first: 1) {
              nodes {
                id
              }
            }
          }
        `,
      );
      const { serviceTicket } = await world.quality.client.request<{ serviceTicket: unknown }>(QUERY, {
        id: list.serviceTickets.nodes[0].id,
      });
      expect(serviceTicket).toEqual({ code: "WX-0002" });
      expect((await world.quality.client.request<{ serviceTicket: unknown }>(QUERY, { id: "424242" })).serviceTicket).toBeNull();
    });
  });

  describe("survey templates", () => {
    it("gives a template without dimensions the five default dimensions", async () => {
      const { createSurveyTemplate } = await world.quality.client.request<{ createSurveyTemplate: any }>(CREATE_TEMPLATE, {
        input: { name: "维修后回访", openQuestions: ["您对本次服务还有什么建议？"] },
      });
      expect(createSurveyTemplate.openQuestions).toEqual(["您对本次服务还有什么建议？"]);
      expect(createSurveyTemplate.dimensions).toEqual([
        { code: "responsiveness", name: "响应及时性", weight: 1, position: 0 },
        { code: "resolution", name: "解决能力", weight: 1, position: 1 },
        { code: "attitude", name: "服务态度", weight: 1, position: 2 },
        { code: "compliance", name: "流程合规", weight: 1, position: 3 },
        { code: "overall", name: "总体满意度", weight: 1, position: 4 },
      ]);
    });

    it("creates a template with its own weighted dimensions, readable by id and in the list", async () => {
      const { createSurveyTemplate } = await world.admin.client.request<{ createSurveyTemplate: any }>(CREATE_TEMPLATE, {
        input: {
          name: "安装满意度",
          dimensions: [
            { code: "overall", name: "总体满意度", weight: 2 },
            { code: "wouldRecommend", name: "推荐意愿" },
          ],
        },
      });
      expect(createSurveyTemplate).toMatchObject({
        openQuestions: [],
        dimensions: [
          { code: "overall", weight: 2, position: 0 },
          { code: "wouldRecommend", weight: 1, position: 1 },
        ],
      });
      const read = await world.agent.client.request<{ surveyTemplate: any; surveyTemplates: any }>(
        gql`
          query ($id: ID!) {
            surveyTemplate(id: $id) {
              name
              dimensions {
                code
              }
            }
            surveyTemplates(first: 10) {
              totalCount
              nodes {
                name
                dimensions {
                  code
                }
              }
            }
          }
        `,
        { id: createSurveyTemplate.id },
      );
      expect(read.surveyTemplate).toEqual({ name: "安装满意度", dimensions: [{ code: "overall" }, { code: "wouldRecommend" }] });
      expect(read.surveyTemplates.totalCount).toBe(2);
      expect(read.surveyTemplates.nodes.map((t: { dimensions: unknown[] }) => t.dimensions.length)).toEqual([2, 5]);
    });

    it.each([
      ["a duplicate name", { name: "维修后回访" }, /^input\.name$/],
      ["a duplicate dimension code", { dimensions: [{ code: "overall", name: "A" }, { code: "overall", name: "B" }] }, /dimensions\.1\.code$/],
      ["a malformed dimension code", { dimensions: [{ code: "Overall Score", name: "A" }] }, /dimensions\.0\.code$/],
      ["a weight of 0", { dimensions: [{ code: "overall", name: "A", weight: 0 }] }, /dimensions\.0\.weight$/],
      ["three open questions", { openQuestions: ["一", "二", "三"] }, /openQuestions$/],
    ])("refuses %s, naming the field, and writes nothing", async (_label, overrides, field) => {
      const error = await refusedWithoutChange(() =>
        world.quality.client.request(CREATE_TEMPLATE, { input: { name: "新模板", ...overrides } }),
      );
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.extensions?.field).toMatch(field);
    });

    it("lets only quality specialists and admins create templates", async () => {
      const before = await tableCounts(app.dataSource);
      expect(await errorCodeOf(world.agent.client.request(CREATE_TEMPLATE, { input: { name: "客服模板" } }))).toBe(
        "FORBIDDEN",
      );
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });
  });
});
