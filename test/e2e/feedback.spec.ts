import { gql } from "graphql-request";
import { createWorld, errorCodeOf, errorsOf, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const RECORD = gql`
  mutation ($input: RecordFeedbackInput!) {
    recordFeedback(input: $input) {
      id
      source
      channel
      comment
      receivedAt
      verificationStatus
      verificationNote
      version
      customer {
        id
      }
      ticket {
        code
      }
      template {
        name
      }
      scores {
        dimension
        score
      }
      recordedBy {
        name
      }
    }
  }
`;

const SET_VERIFICATION = gql`
  mutation ($id: ID!, $status: VerificationStatus!, $note: String!, $expectedVersion: Int) {
    setFeedbackVerification(id: $id, status: $status, note: $note, expectedVersion: $expectedVersion) {
      id
      verificationStatus
      verificationNote
      version
    }
  }
`;

const FEEDBACK = gql`
  query ($id: ID!) {
    feedback(id: $id) {
      id
      verificationStatus
      verificationNote
      version
      scores {
        dimension
        score
      }
    }
  }
`;

describe("feedback: recording and verification", () => {
  let app: TestApp;
  let world: World;
  let customerId: string;
  let otherCustomerId: string;
  let ticketId: string;
  let templateId: string;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    const customer = gql`
      mutation ($name: String!) {
        createCustomer(input: { name: $name }) {
          id
        }
      }
    `;
    customerId = (await world.agent.client.request<any>(customer, { name: "周女士" })).createCustomer.id;
    otherCustomerId = (await world.agent.client.request<any>(customer, { name: "吴先生" })).createCustomer.id;
    ticketId = (
      await world.agent.client.request<any>(
        gql`
          mutation ($customerId: ID!) {
            createServiceTicket(
              input: { code: "AZ-100", customerId: $customerId, type: INSTALLATION, openedAt: "2026-10-01T02:00:00.000Z" }
            ) {
              id
            }
          }
        `,
        { customerId },
      )
    ).createServiceTicket.id;
    templateId = (
      await world.quality.client.request<any>(
        gql`
          mutation {
            createSurveyTemplate(input: { name: "安装回访" }) {
              id
            }
          }
        `,
      )
    ).createSurveyTemplate.id;
  });
  afterAll(() => app.stop());

  const input = (overrides: object = {}) => ({
    customerId,
    channel: "PHONE",
    scores: [
      { dimension: "responsiveness", score: 4 },
      { dimension: "attitude", score: 5 },
    ],
    ...overrides,
  });

  /** Runs a request that must fail with BAD_USER_INPUT and checks that no table changed. */
  async function refusedWithoutChange(request: () => Promise<unknown>) {
    const before = await tableCounts(app.dataSource);
    const [error] = await errorsOf(request());
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await tableCounts(app.dataSource)).toEqual(before);
    return error.extensions?.field as string;
  }

  it("records call-back feedback with its scores, ticket, template and recorder", async () => {
    const { recordFeedback } = await world.agent.client.request<{ recordFeedback: any }>(RECORD, {
      input: input({
        ticketId,
        templateId,
        comment: "安装师傅很准时",
        receivedAt: "2026-10-02T08:00:00.000Z",
      }),
    });
    expect(recordFeedback).toMatchObject({
      source: "CALLBACK",
      channel: "PHONE",
      comment: "安装师傅很准时",
      receivedAt: "2026-10-02T08:00:00.000Z",
      verificationStatus: "UNVERIFIED",
      verificationNote: null,
      version: 1,
      customer: { id: customerId },
      ticket: { code: "AZ-100" },
      template: { name: "安装回访" },
      recordedBy: { name: "Agent" },
    });
    expect(recordFeedback.scores).toEqual([
      { dimension: "attitude", score: 5 },
      { dimension: "responsiveness", score: 4 },
    ]);
  });

  it("defaults the receipt time to the server clock's now and accepts survey feedback from quality specialists", async () => {
    const { recordFeedback } = await world.quality.client.request<{ recordFeedback: any }>(RECORD, {
      input: input({ source: "SURVEY", channel: "SMS" }),
    });
    expect(recordFeedback.source).toBe("SURVEY");
    expect(recordFeedback.receivedAt).toBe(app.clock.now().toISOString());
  });

  it.each([0, 6])("refuses a score of %i, naming scores.0.score, and writes nothing", async (score) => {
    const field = await refusedWithoutChange(() =>
      world.agent.client.request(RECORD, { input: input({ scores: [{ dimension: "overall", score }] }) }),
    );
    expect(field).toMatch(/(^|\.)scores\.0\.score$/);
  });

  it("refuses feedback without scores", async () => {
    const field = await refusedWithoutChange(() => world.agent.client.request(RECORD, { input: input({ scores: [] }) }));
    expect(field).toMatch(/(^|\.)scores$/);
  });

  it("refuses the same dimension scored twice", async () => {
    const scores = [
      { dimension: "overall", score: 3 },
      { dimension: "overall", score: 4 },
    ];
    const field = await refusedWithoutChange(() => world.agent.client.request(RECORD, { input: input({ scores }) }));
    expect(field).toMatch(/(^|\.)scores\.1\.dimension$/);
  });

  it("refuses a 100 KB comment", async () => {
    const field = await refusedWithoutChange(() =>
      world.agent.client.request(RECORD, { input: input({ comment: "慢".repeat(100 * 1024) }) }),
    );
    expect(field).toMatch(/(^|\.)comment$/);
  });

  it("refuses a malformed customer id, naming input.customerId", async () => {
    const field = await refusedWithoutChange(() => world.agent.client.request(RECORD, { input: input({ customerId: "abc" }) }));
    expect(field).toBe("input.customerId");
  });

  it("refuses a ticket of another customer, naming input.ticketId", async () => {
    const field = await refusedWithoutChange(() =>
      world.agent.client.request(RECORD, { input: input({ customerId: otherCustomerId, ticketId }) }),
    );
    expect(field).toBe("input.ticketId");
  });

  it("refuses a score on a dimension the template does not have, naming input.scores.N.dimension", async () => {
    const scores = [
      { dimension: "overall", score: 3 },
      { dimension: "speed", score: 2 },
    ];
    const field = await refusedWithoutChange(() =>
      world.agent.client.request(RECORD, { input: input({ templateId, scores }) }),
    );
    expect(field).toBe("input.scores.1.dimension");
  });

  it("refuses complaints here: they go through registerComplaint", async () => {
    const field = await refusedWithoutChange(() => world.agent.client.request(RECORD, { input: input({ source: "COMPLAINT" }) }));
    expect(field).toBe("input.source");
  });

  it("refuses a receipt time in the future", async () => {
    const receivedAt = new Date(Date.now() + 86_400_000).toISOString();
    const field = await refusedWithoutChange(() => world.agent.client.request(RECORD, { input: input({ receivedAt }) }));
    expect(field).toBe("input.receivedAt");
  });

  it("refuses an unknown enum value in GraphQL validation", async () => {
    const before = await tableCounts(app.dataSource);
    const [error] = await errorsOf(
      world.agent.client.request(
        gql`
          mutation ($customerId: ID!) {
            recordFeedback(input: { customerId: $customerId, channel: PIGEON, scores: [{ dimension: "overall", score: 3 }] }) {
              id
            }
          }
        `,
        { customerId },
      ),
    );
    expect(error.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await tableCounts(app.dataSource)).toEqual(before);
  });

  it("lets only agents and quality specialists record feedback", async () => {
    const before = await tableCounts(app.dataSource);
    for (const person of [world.serviceLead, world.manager, world.admin]) {
      expect(await errorCodeOf(person.client.request(RECORD, { input: input() }))).toBe("FORBIDDEN");
    }
    expect(await tableCounts(app.dataSource)).toEqual(before);
  });

  describe("verification", () => {
    let feedbackId: string;

    beforeAll(async () => {
      const { recordFeedback } = await world.agent.client.request<{ recordFeedback: { id: string } }>(RECORD, {
        input: input({ scores: [{ dimension: "responsiveness", score: 1 }], receivedAt: "2026-10-05T08:00:00.000Z" }),
      });
      feedbackId = recordFeedback.id;
    });

    it("marks feedback INVALID with a note and keeps it, with its scores, queryable", async () => {
      // Only the verification history grows: one entry per status set.
      const { feedback_verification: historyBefore, ...before } = await tableCounts(app.dataSource);
      const { setFeedbackVerification } = await world.agent.client.request<{ setFeedbackVerification: any }>(
        SET_VERIFICATION,
        { id: feedbackId, status: "TO_VERIFY", note: "极端评分，需回访核实" },
      );
      expect(setFeedbackVerification).toEqual({
        id: feedbackId,
        verificationStatus: "TO_VERIFY",
        verificationNote: "极端评分，需回访核实",
        version: 2,
      });
      await world.quality.client.request(SET_VERIFICATION, {
        id: feedbackId,
        status: "INVALID",
        note: "工单显示 30 分钟内已响应，客户误评",
        expectedVersion: 2,
      });
      const { feedback_verification: historyAfter, ...after } = await tableCounts(app.dataSource);
      expect(after).toEqual(before);
      expect(historyAfter).toBe(historyBefore + 2);
      const { feedback } = await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId });
      expect(feedback).toEqual({
        id: feedbackId,
        verificationStatus: "INVALID",
        verificationNote: "工单显示 30 分钟内已响应，客户误评",
        version: 3,
        scores: [{ dimension: "responsiveness", score: 1 }],
      });
      const listed = await world.quality.client.request<{ feedbacks: any }>(
        gql`
          query {
            feedbacks(filter: { verificationStatus: INVALID }) {
              totalCount
              nodes {
                id
              }
            }
          }
        `,
      );
      expect(listed.feedbacks).toEqual({ totalCount: 1, nodes: [{ id: feedbackId }] });
    });

    it("refuses a stale expectedVersion with VERSION_CONFLICT and changes nothing", async () => {
      const { feedback: before } = await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId });
      const code = await errorCodeOf(
        world.agent.client.request(SET_VERIFICATION, { id: feedbackId, status: "VERIFIED", note: "已核实", expectedVersion: 1 }),
      );
      expect(code).toBe("VERSION_CONFLICT");
      expect((await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId })).feedback).toEqual(before);
    });

    it("lets exactly one of two concurrent verifications from the same version win", async () => {
      const { feedback } = await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId });
      const results = await Promise.allSettled([
        world.agent.client.request(SET_VERIFICATION, { id: feedbackId, status: "VERIFIED", note: "A", expectedVersion: feedback.version }),
        world.quality.client.request(SET_VERIFICATION, { id: feedbackId, status: "TO_VERIFY", note: "B", expectedVersion: feedback.version }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const after = (await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId })).feedback;
      expect(after.version).toBe(feedback.version + 1);
    });

    it("refuses a blank note and an unknown id", async () => {
      const { feedback: before } = await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId });
      const [blank] = await errorsOf(world.agent.client.request(SET_VERIFICATION, { id: feedbackId, status: "VERIFIED", note: " " }));
      expect(blank.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "note" });
      expect(await errorCodeOf(world.agent.client.request(SET_VERIFICATION, { id: "987654", status: "VERIFIED", note: "x" }))).toBe(
        "NOT_FOUND",
      );
      expect((await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId })).feedback).toEqual(before);
    });

    it("lets only agents and quality specialists set the verification status", async () => {
      const { feedback: before } = await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId });
      expect(
        await errorCodeOf(world.serviceLead.client.request(SET_VERIFICATION, { id: feedbackId, status: "VERIFIED", note: "x" })),
      ).toBe("FORBIDDEN");
      expect((await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id: feedbackId })).feedback).toEqual(before);
    });
  });

  it("lists feedback filtered by customer, ticket, source and receipt window", async () => {
    const LIST = gql`
      query ($filter: FeedbackFilterInput) {
        feedbacks(filter: $filter, first: 100) {
          totalCount
          nodes {
            source
            receivedAt
          }
        }
      }
    `;
    const count = async (filter: object) =>
      (await world.quality.client.request<{ feedbacks: any }>(LIST, { filter })).feedbacks.totalCount;
    expect(await count({ customerId })).toBe(3);
    expect(await count({ customerId: otherCustomerId })).toBe(0);
    expect(await count({ ticketId })).toBe(1);
    expect(await count({ source: "SURVEY" })).toBe(1);
    expect(await count({ receivedFrom: "2026-10-02T08:00:00.000Z", receivedTo: "2026-10-05T08:00:00.000Z" })).toBe(1);
    expect(await count({ receivedFrom: "2026-10-02T08:00:00.001Z", receivedTo: "2026-10-05T08:00:00.001Z" })).toBe(1);
    expect((await world.quality.client.request<{ feedback: unknown }>(FEEDBACK, { id: "55555" })).feedback).toBeNull();
  });
});
