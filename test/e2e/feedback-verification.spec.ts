import { gql } from "graphql-request";
import { Like } from "typeorm";
import { HOUR_MS } from "../../src/common/clock";
import { ScheduledJob } from "../../src/entity/job/scheduled-job.entity";
import { OutboxMessage } from "../../src/entity/outbox/outbox-message.entity";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { createWorld, errorsOf, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const FEEDBACK_FIELDS = gql`
  fragment F on Feedback {
    id
    comment
    verificationStatus
    verificationNote
    verificationDueAt
    version
    verifiedBy {
      name
    }
    flags {
      reason
      detail
    }
    keywords {
      tagCode
    }
    scores {
      dimension
      score
    }
    verificationHistory {
      action
      fromStatus
      toStatus
      reason
      actor {
        name
      }
      supplementedComment
      supplementedScores {
        dimension
        score
      }
      at
    }
  }
`;

const RECORD = gql`
  mutation ($input: RecordFeedbackInput!) {
    recordFeedback(input: $input) {
      ...F
    }
  }
  ${FEEDBACK_FIELDS}
`;

const FEEDBACK = gql`
  query ($id: ID!) {
    feedback(id: $id) {
      ...F
    }
  }
  ${FEEDBACK_FIELDS}
`;

const SET_VERIFICATION = gql`
  mutation ($id: ID!, $status: VerificationStatus!, $note: String!) {
    setFeedbackVerification(id: $id, status: $status, note: $note) {
      ...F
    }
  }
  ${FEEDBACK_FIELDS}
`;

const SUPPLEMENT = gql`
  mutation ($id: ID!, $input: SupplementFeedbackInput!) {
    supplementFeedback(id: $id, input: $input) {
      ...F
    }
  }
  ${FEEDBACK_FIELDS}
`;

const UPDATE_SETTINGS = gql`
  mutation ($input: UpdateIntakeSettingsInput!) {
    updateIntakeSettings(input: $input) {
      verification {
        extremeSampleRate
      }
    }
  }
`;

describe("feedback verification", () => {
  let app: TestApp;
  let world: World;
  let customerId: string;
  let onTimeTicket: string;
  let lateTicket: string;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app);
    customerId = (
      await world.agent.client.request<any>(
        gql`
          mutation {
            createCustomer(input: { name: "郑女士", region: "华东" }) {
              id
            }
          }
        `,
      )
    ).createCustomer.id;
    const ticket = async (code: string, responseHours: number) => {
      const openedAt = new Date(app.clock.now().getTime() - 3 * 24 * HOUR_MS);
      const firstResponseAt = new Date(openedAt.getTime() + responseHours * HOUR_MS);
      const { createServiceTicket } = await world.agent.client.request<any>(
        gql`
          mutation ($input: CreateServiceTicketInput!) {
            createServiceTicket(input: $input) {
              id
            }
          }
        `,
        { input: { code, customerId, type: "REPAIR", openedAt, firstResponseAt } },
      );
      return createServiceTicket.id as string;
    };
    onTimeTicket = await ticket("WX-ONTIME", 0.5);
    lateTicket = await ticket("WX-LATE", 9);
    // No sampling unless a test asks for it, so extreme ratings do not blur the other checks.
    await world.manager.client.request(UPDATE_SETTINGS, { input: { verification: { extremeSampleRate: 0 } } });
  });
  afterAll(() => app.stop());

  const record = async (input: object, person = world.agent) =>
    (await person.client.request<{ recordFeedback: any }>(RECORD, { input: { customerId, channel: "SMS", source: "SURVEY", ...input } }))
      .recordFeedback;
  const read = async (id: string) => (await world.quality.client.request<{ feedback: any }>(FEEDBACK, { id })).feedback;
  const lowScoreOnly = () => record({ scores: [{ dimension: "resolution", score: 2 }, { dimension: "overall", score: 3 }] });
  const overdueMessages = (feedbackId: string) =>
    app.dataSource.getRepository(OutboxMessage).findBy({ dedupeKey: Like(`feedback:${feedbackId}:verify-overdue:%`) });
  const verifyJob = (feedbackId: string) =>
    app.dataSource.getRepository(ScheduledJob).findOneByOrFail({ dedupeKey: Like(`feedback:${feedbackId}:verify:%`) });

  it("puts a low score without a comment to verify, due in 24 hours, with the reason recorded", async () => {
    const feedback = await lowScoreOnly();
    expect(feedback).toMatchObject({ verificationStatus: "TO_VERIFY", version: 1, verifiedBy: null });
    expect(feedback.verificationDueAt).toBe(new Date(app.clock.now().getTime() + 24 * HOUR_MS).toISOString());
    expect(feedback.flags.map((flag: any) => flag.reason)).toEqual(["LOW_SCORE_NO_COMMENT"]);
    expect(feedback.verificationHistory).toEqual([
      expect.objectContaining({
        action: "MARKED_TO_VERIFY",
        fromStatus: "UNVERIFIED",
        toStatus: "TO_VERIFY",
        actor: { name: "qloop" },
        reason: expect.stringContaining("解决能力 2 分"),
      }),
    ]);
  });

  it("leaves a low score with a comment, and a good score without one, as received", async () => {
    const commented = await record({ scores: [{ dimension: "resolution", score: 2 }], comment: "配件要等一周" });
    const scoreOnly = await record({ scores: [{ dimension: "resolution", score: 4 }] });
    for (const feedback of [commented, scoreOnly]) {
      expect(feedback).toMatchObject({ verificationStatus: "UNVERIFIED", verificationDueAt: null, flags: [], verificationHistory: [] });
    }
  });

  it("escalates feedback still to verify after 24 hours to the quality specialists, exactly once", async () => {
    const feedback = await lowScoreOnly();
    app.clock.advance(23 * HOUR_MS);
    await sweepDueJobs(app.dataSource);
    expect(await overdueMessages(feedback.id)).toEqual([]);

    app.clock.advance(2 * HOUR_MS);
    await sweepDueJobs(app.dataSource);
    await sweepDueJobs(app.dataSource);
    app.clock.advance(24 * HOUR_MS);
    await sweepDueJobs(app.dataSource);

    const messages = await overdueMessages(feedback.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: "VERIFICATION_OVERDUE",
      transport: "EMAIL",
      recipientType: "USER",
      recipientId: Number(world.quality.id),
      address: "quality@example.test",
    });
    expect(messages[0].subject).toContain(`#${feedback.id}`);
    const after = await read(feedback.id);
    expect(after.verificationStatus).toBe("TO_VERIFY");
    expect(after.verificationHistory.map((entry: any) => [entry.action, entry.actor.name])).toEqual([
      ["MARKED_TO_VERIFY", "qloop"],
      ["ESCALATED", "qloop"],
    ]);
    expect(after.verificationHistory[1].reason).toContain("Quality");

    const overdue = await world.quality.client.request<any>(gql`
      query {
        feedbacks(filter: { verificationOverdue: true }, first: 100) {
          nodes {
            id
          }
        }
      }
    `);
    expect(overdue.feedbacks.nodes.map((node: any) => node.id)).toContain(feedback.id);
  });

  it("does not escalate feedback verified in time, and records who verified it and why", async () => {
    const feedback = await lowScoreOnly();
    app.clock.advance(3 * HOUR_MS);
    const { setFeedbackVerification: verified } = await world.agent.client.request<any>(SET_VERIFICATION, {
      id: feedback.id,
      status: "VERIFIED",
      note: "已电话回访，客户确认维修后仍有异响，评分属实",
    });
    expect(verified).toMatchObject({
      verificationStatus: "VERIFIED",
      verificationNote: "已电话回访，客户确认维修后仍有异响，评分属实",
      verifiedBy: { name: "Agent" },
      version: 2,
    });
    expect(verified.verificationHistory.map((entry: any) => [entry.action, entry.actor.name, entry.toStatus])).toEqual([
      ["MARKED_TO_VERIFY", "qloop", "TO_VERIFY"],
      ["VERIFIED", "Agent", "VERIFIED"],
    ]);
    expect(verified.verificationHistory[1]).toMatchObject({
      reason: "已电话回访，客户确认维修后仍有异响，评分属实",
      at: app.clock.now().toISOString(),
    });
    expect((await verifyJob(feedback.id)).status).toBe("CANCELLED");

    app.clock.advance(48 * HOUR_MS);
    await sweepDueJobs(app.dataSource);
    expect(await overdueMessages(feedback.id)).toEqual([]);
    expect((await read(feedback.id)).verificationHistory).toHaveLength(2);
  });

  it("gives feedback marked to verify by hand a deadline of its own, which escalates", async () => {
    const feedback = await record({ scores: [{ dimension: "overall", score: 4 }], comment: "还可以" });
    const { setFeedbackVerification: marked } = await world.quality.client.request<any>(SET_VERIFICATION, {
      id: feedback.id,
      status: "TO_VERIFY",
      note: "评论与评分不符，回访确认",
    });
    expect(marked.verificationDueAt).toBe(new Date(app.clock.now().getTime() + 24 * HOUR_MS).toISOString());
    expect(marked.verificationHistory).toEqual([
      expect.objectContaining({ action: "MARKED_TO_VERIFY", actor: { name: "Quality" }, reason: "评论与评分不符，回访确认" }),
    ]);
    app.clock.advance(25 * HOUR_MS);
    await sweepDueJobs(app.dataSource);
    expect(await overdueMessages(feedback.id)).toHaveLength(1);
  });

  it("supplements the missing comment after a call-back: tags it, completes the verification, cancels the deadline", async () => {
    const feedback = await lowScoreOnly();
    const { supplementFeedback } = await world.agent.client.request<any>(SUPPLEMENT, {
      id: feedback.id,
      input: {
        comment: "师傅迟到了两个小时，态度也不好",
        scores: [{ dimension: "attitude", score: 1 }],
        note: "10月8日电话回访郑女士，补充原因",
      },
    });
    expect(supplementFeedback).toMatchObject({
      comment: "师傅迟到了两个小时，态度也不好",
      verificationStatus: "VERIFIED",
      verifiedBy: { name: "Agent" },
      version: 2,
    });
    expect(supplementFeedback.keywords.map((k: any) => k.tagCode)).toEqual(["bad_attitude", "late_arrival"]);
    expect(supplementFeedback.scores).toEqual([
      { dimension: "attitude", score: 1 },
      { dimension: "overall", score: 3 },
      { dimension: "resolution", score: 2 },
    ]);
    expect(supplementFeedback.verificationHistory.at(-1)).toMatchObject({
      action: "SUPPLEMENTED",
      fromStatus: "TO_VERIFY",
      toStatus: "VERIFIED",
      actor: { name: "Agent" },
      reason: "10月8日电话回访郑女士，补充原因",
      supplementedComment: "师傅迟到了两个小时，态度也不好",
      supplementedScores: [{ dimension: "attitude", score: 1 }],
    });
    expect((await verifyJob(feedback.id)).status).toBe("CANCELLED");
    app.clock.advance(25 * HOUR_MS);
    await sweepDueJobs(app.dataSource);
    expect(await overdueMessages(feedback.id)).toEqual([]);
  });

  it("refuses to rewrite a score the customer gave, or an empty supplement, and changes nothing", async () => {
    const feedback = await lowScoreOnly();
    const before = await tableCounts(app.dataSource);
    const [rescored] = await errorsOf(
      world.agent.client.request(SUPPLEMENT, {
        id: feedback.id,
        input: { scores: [{ dimension: "resolution", score: 5 }], note: "客户说打错分了" },
      }),
    );
    expect(rescored.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.scores.0.dimension" });
    const [empty] = await errorsOf(world.agent.client.request(SUPPLEMENT, { id: feedback.id, input: { note: "未接通" } }));
    expect(empty.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.comment" });
    expect(await tableCounts(app.dataSource)).toEqual(before);
    expect(await read(feedback.id)).toEqual(feedback);
  });

  it("keeps invalid feedback, with who and why, and leaves it out of the keyword statistics", async () => {
    const feedback = await record({ scores: [{ dimension: "overall", score: 2 }], comment: "态度差，乱收费" });
    const COUNTS = gql`
      query ($input: KeywordTagCountsInput!) {
        keywordTagCounts(input: $input) {
          segments {
            feedbackCount
            tags {
              tagCode
              count
            }
          }
        }
      }
    `;
    const window = { from: new Date(app.clock.now().getTime() - HOUR_MS), to: new Date(app.clock.now().getTime() + HOUR_MS) };
    const counts = async () => (await world.quality.client.request<any>(COUNTS, { input: window })).keywordTagCounts.segments[0];
    const before = await counts();
    expect(before.tags).toEqual(
      expect.arrayContaining([{ tagCode: "bad_attitude", count: 1 }, { tagCode: "opaque_pricing", count: 1 }]),
    );

    const { setFeedbackVerification } = await world.quality.client.request<any>(SET_VERIFICATION, {
      id: feedback.id,
      status: "INVALID",
      note: "回访确认客户评价的是另一家公司",
    });
    expect(setFeedbackVerification).toMatchObject({ verificationStatus: "INVALID", verifiedBy: { name: "Quality" } });
    expect(setFeedbackVerification.verificationHistory).toEqual([
      expect.objectContaining({ action: "INVALIDATED", reason: "回访确认客户评价的是另一家公司", actor: { name: "Quality" } }),
    ]);

    const after = await counts();
    expect(after.feedbackCount).toBe(before.feedbackCount - 1);
    expect(after.tags.map((tag: any) => tag.tagCode)).not.toContain("bad_attitude");
    const kept = await read(feedback.id);
    expect(kept).toMatchObject({ verificationStatus: "INVALID", comment: "态度差，乱收费", scores: [{ dimension: "overall", score: 2 }] });
  });

  it("refuses UNVERIFIED as a verification outcome", async () => {
    const feedback = await lowScoreOnly();
    const [error] = await errorsOf(
      world.agent.client.request(SET_VERIFICATION, { id: feedback.id, status: "UNVERIFIED", note: "撤销" }),
    );
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "status" });
  });

  describe("sampling of extreme ratings", () => {
    afterAll(() => world.manager.client.request(UPDATE_SETTINGS, { input: { verification: { extremeSampleRate: 0 } } }));

    const allFives = [
      { dimension: "attitude", score: 5 },
      { dimension: "resolution", score: 5 },
    ];

    it("samples no extreme rating at rate 0", async () => {
      await world.manager.client.request(UPDATE_SETTINGS, { input: { verification: { extremeSampleRate: 0 } } });
      for (let i = 0; i < 5; i++) {
        const feedback = await record({ scores: allFives, comment: "非常满意" });
        expect(feedback).toMatchObject({ verificationStatus: "UNVERIFIED", flags: [] });
      }
    });

    it("samples every extreme rating at rate 1, and nothing that is not extreme", async () => {
      await world.manager.client.request(UPDATE_SETTINGS, { input: { verification: { extremeSampleRate: 1 } } });
      for (const scores of [allFives, [{ dimension: "overall", score: 1 }]]) {
        const feedback = await record({ scores, comment: "一般般吧" });
        expect(feedback.verificationStatus).toBe("TO_VERIFY");
        expect(feedback.flags.map((flag: any) => flag.reason)).toEqual(["EXTREME_SAMPLED"]);
      }
      const mixed = await record({ scores: [{ dimension: "attitude", score: 5 }, { dimension: "overall", score: 4 }], comment: "不错" });
      expect(mixed).toMatchObject({ verificationStatus: "UNVERIFIED", flags: [] });
    });
  });

  describe("comparison with the service ticket", () => {
    const flagged = async (input: object) => (await record(input)).flags.map((flag: any) => flag.reason);

    it("flags a customer who says the response was slow when the ticket was answered in time", async () => {
      expect(
        await flagged({ ticketId: onTimeTicket, scores: [{ dimension: "responsiveness", score: 1 }], comment: "太慢了" }),
      ).toEqual(["TICKET_MISMATCH"]);
      const byKeyword = await record({
        ticketId: onTimeTicket,
        scores: [{ dimension: "responsiveness", score: 4 }],
        comment: "等了很久才有人联系",
      });
      expect(byKeyword).toMatchObject({ verificationStatus: "TO_VERIFY", flags: [{ reason: "TICKET_MISMATCH" }] });
      expect(byKeyword.flags[0].detail).toContain("WX-ONTIME");
    });

    it("flags a customer who rates responsiveness high when the ticket was answered late", async () => {
      expect(
        await flagged({ ticketId: lateTicket, scores: [{ dimension: "responsiveness", score: 5 }], comment: "挺好" }),
      ).toEqual(["TICKET_MISMATCH"]);
    });

    it("does not flag accounts that agree with the ticket", async () => {
      expect(await flagged({ ticketId: lateTicket, scores: [{ dimension: "responsiveness", score: 1 }], comment: "太慢了" })).toEqual([]);
      expect(await flagged({ ticketId: onTimeTicket, scores: [{ dimension: "responsiveness", score: 5 }], comment: "很快" })).toEqual([]);
    });

    it("lists flagged feedback by reason", async () => {
      const { feedbacks } = await world.quality.client.request<any>(gql`
        query {
          feedbacks(filter: { flags: [TICKET_MISMATCH] }, first: 100) {
            totalCount
            nodes {
              flags {
                reason
              }
            }
          }
        }
      `);
      expect(feedbacks.totalCount).toBe(3);
      for (const node of feedbacks.nodes) expect(node.flags.map((flag: any) => flag.reason)).toContain("TICKET_MISMATCH");
    });
  });
});
