import { gql } from "graphql-request";
import { In } from "typeorm";
import { FeedbackSource, VerificationStatus } from "../../src/common/enums";
import { inTransaction } from "../../src/db/transaction";
import { Feedback, FeedbackFlag, FeedbackKeyword, FeedbackScore } from "../../src/entity";
import { ScheduledJob } from "../../src/entity/job/scheduled-job.entity";
import { ImportedFeedback, prepareFeedbackImport } from "../../src/service/intake-hooks";
import { createWorld, errorCodeOf, errorsOf, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

const RECORD = gql`
  mutation ($input: RecordFeedbackInput!) {
    recordFeedback(input: $input) {
      id
      keywords {
        tagCode
        synonym
        tag {
          labelZh
        }
      }
    }
  }
`;

const COUNTS = gql`
  query ($input: KeywordTagCountsInput!) {
    keywordTagCounts(input: $input) {
      segment
      segments {
        key
        label
        feedbackCount
        tags {
          tagCode
          count
          share
        }
      }
    }
  }
`;

const TAGS = gql`
  query ($includeDisabled: Boolean) {
    keywordTags(includeDisabled: $includeDisabled) {
      id
      code
      labelZh
      enabled
      version
    }
  }
`;

const CREATE_TAG = gql`
  mutation ($input: CreateKeywordTagInput!) {
    createKeywordTag(input: $input) {
      id
      code
      labelZh
      labelEn
      synonyms
      category
      complaint
      enabled
      version
    }
  }
`;

const UPDATE_TAG = gql`
  mutation ($id: ID!, $input: UpdateKeywordTagInput!, $expectedVersion: Int) {
    updateKeywordTag(id: $id, input: $input, expectedVersion: $expectedVersion) {
      id
      synonyms
      enabled
      version
    }
  }
`;

describe("keywords: tagging comments and counting tags", () => {
  let app: TestApp;
  let world: World;
  const ids: Record<string, string> = {};

  const april = { from: "2026-04-01T00:00:00.000Z", to: "2026-05-01T00:00:00.000Z" };

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set(new Date("2026-06-01T00:00:00.000Z"));
    world = await createWorld(app);
    const customer = async (name: string, region: string) =>
      (
        await world.agent.client.request<any>(
          gql`
            mutation ($name: String!, $region: String) {
              createCustomer(input: { name: $name, region: $region }) {
                id
              }
            }
          `,
          { name, region },
        )
      ).createCustomer.id as string;
    const ticket = async (code: string, customerId: string, type: string, departmentId: string, openedAt: string) =>
      (
        await world.agent.client.request<any>(
          gql`
            mutation ($input: CreateServiceTicketInput!) {
              createServiceTicket(input: $input) {
                id
              }
            }
          `,
          { input: { code, customerId, type, departmentId, openedAt, region: code.startsWith("HD") ? "华东" : "华南" } },
        )
      ).createServiceTicket.id as string;
    ids.a = await customer("王先生", "华东");
    ids.b = await customer("李女士", "华南");
    ids.c = await customer("张先生", "华东");
    ids.t1 = await ticket("HD-001", ids.a, "REPAIR", world.serviceDept, "2026-03-01T01:00:00.000Z");
    ids.t2 = await ticket("HD-002", ids.a, "INSTALLATION", world.techDept, "2026-04-10T01:00:00.000Z");
    ids.t3 = await ticket("HN-001", ids.b, "REPAIR", world.serviceDept, "2026-04-02T01:00:00.000Z");
  });
  afterAll(() => app.stop());

  const record = async (input: Record<string, unknown>) =>
    (
      await world.agent.client.request<{ recordFeedback: any }>(RECORD, {
        input: { channel: "SMS", source: "SURVEY", scores: [{ dimension: "overall", score: 3 }], ...input },
      })
    ).recordFeedback;
  const counts = async (input: object) =>
    (await world.quality.client.request<{ keywordTagCounts: any }>(COUNTS, { input })).keywordTagCounts;

  it("seeds the default taxonomy once", async () => {
    const first = (await world.agent.client.request<{ keywordTags: any[] }>(TAGS)).keywordTags;
    expect(first.map((tag) => tag.code)).toEqual(
      expect.arrayContaining([
        "slow_response",
        "bad_attitude",
        "unresolved",
        "complicated_process",
        "late_arrival",
        "opaque_pricing",
      ]),
    );
    expect(first.find((tag) => tag.code === "slow_response").labelZh).toBe("响应慢");
    const again = (await world.agent.client.request<{ keywordTags: any[] }>(TAGS)).keywordTags;
    expect(again).toEqual(first);
  });

  describe("the tags of Chinese comments", () => {
    it.each([
      ["师傅迟到了一个小时，而且没有提前告知", ["late_arrival", "no_advance_notice"]],
      ["客服回复太慢，等了很久", ["slow_response"]],
      ["态度很差，问题还是没解决", ["bad_attitude", "unresolved"]],
      ["价格不透明，乱收费", ["opaque_pricing"]],
      ["报修流程太复杂，手续繁琐", ["complicated_process"]],
      ["师傅没有迟到，服务很好", []],
      ["服务态度差不多，还行", []],
      ["电话一直打不通", ["unreachable"]],
    ])("%s → %j", async (comment, expected) => {
      const feedback = await record({ customerId: ids.c, comment, receivedAt: "2026-03-15T08:00:00.000Z" });
      expect(feedback.keywords.map((k: any) => k.tagCode).sort()).toEqual([...expected].sort());
    });

    it("names the synonym found and the tag's label", async () => {
      const feedback = await record({ customerId: ids.c, comment: "等了很久", receivedAt: "2026-03-15T08:00:00.000Z" });
      expect(feedback.keywords).toEqual([{ tagCode: "slow_response", synonym: "等了很久", tag: { labelZh: "响应慢" } }]);
    });
  });

  describe("counts by period and segment", () => {
    beforeAll(async () => {
      // April: five valid comments and one that will be invalidated; May: one more.
      await record({ customerId: ids.a, ticketId: ids.t1, comment: "师傅迟到了一个小时，而且没有提前告知", receivedAt: "2026-04-03T02:00:00.000Z" });
      await record({
        customerId: ids.a,
        ticketId: ids.t2,
        channel: "PHONE",
        source: "CALLBACK",
        comment: "客服回复太慢，等了很久",
        receivedAt: "2026-04-12T02:00:00.000Z",
      });
      await record({ customerId: ids.b, ticketId: ids.t3, comment: "态度很差，问题还是没解决", receivedAt: "2026-04-05T02:00:00.000Z" });
      await record({ customerId: ids.b, channel: "APP", comment: "价格不透明，乱收费", receivedAt: "2026-04-25T02:00:00.000Z" });
      await record({ customerId: ids.c, comment: "师傅没有迟到，服务很好", receivedAt: "2026-04-20T02:00:00.000Z" });
      const invalid = await record({ customerId: ids.c, comment: "响应慢", receivedAt: "2026-04-21T02:00:00.000Z" });
      await world.quality.client.request(
        gql`
          mutation ($id: ID!) {
            setFeedbackVerification(id: $id, status: INVALID, note: "客户误填") {
              id
            }
          }
        `,
        { id: invalid.id },
      );
      await record({ customerId: ids.a, ticketId: ids.t2, comment: "还是响应慢", receivedAt: "2026-05-02T02:00:00.000Z" });
    });

    const tagsOf = (segment: any) => Object.fromEntries(segment.tags.map((tag: any) => [tag.tagCode, tag.count]));
    const bySegment = (report: any) =>
      Object.fromEntries(report.segments.map((s: any) => [s.key ?? "null", { n: s.feedbackCount, tags: tagsOf(s) }]));

    it("counts each tag once per valid feedback in the period, with its share", async () => {
      const report = await counts({ ...april });
      expect(report.segment).toBe("NONE");
      expect(report.segments).toHaveLength(1);
      const [all] = report.segments;
      expect(all).toMatchObject({ key: null, label: "全部", feedbackCount: 5 });
      expect(tagsOf(all)).toEqual({
        late_arrival: 1,
        no_advance_notice: 1,
        slow_response: 1,
        bad_attitude: 1,
        unresolved: 1,
        opaque_pricing: 1,
      });
      expect(all.tags.find((tag: any) => tag.tagCode === "slow_response").share).toBe(0.2);

      const may = await counts({ from: "2026-05-01T00:00:00.000Z", to: "2026-06-01T00:00:00.000Z" });
      expect(may.segments[0]).toMatchObject({ feedbackCount: 1, tags: [{ tagCode: "slow_response", count: 1, share: 1 }] });
    });

    it("breaks counts down by region, ticket type, channel and source", async () => {
      expect(bySegment(await counts({ ...april, segment: "REGION" }))).toEqual({
        华东: { n: 3, tags: { late_arrival: 1, no_advance_notice: 1, slow_response: 1 } },
        华南: { n: 2, tags: { bad_attitude: 1, unresolved: 1, opaque_pricing: 1 } },
      });
      expect(bySegment(await counts({ ...april, segment: "TICKET_TYPE" }))).toEqual({
        REPAIR: { n: 2, tags: { late_arrival: 1, no_advance_notice: 1, bad_attitude: 1, unresolved: 1 } },
        INSTALLATION: { n: 1, tags: { slow_response: 1 } },
        null: { n: 2, tags: { opaque_pricing: 1 } },
      });
      expect(bySegment(await counts({ ...april, segment: "CHANNEL" }))).toEqual({
        SMS: { n: 3, tags: { late_arrival: 1, no_advance_notice: 1, bad_attitude: 1, unresolved: 1 } },
        PHONE: { n: 1, tags: { slow_response: 1 } },
        APP: { n: 1, tags: { opaque_pricing: 1 } },
      });
      expect(bySegment(await counts({ ...april, segment: "SOURCE" }))).toEqual({
        SURVEY: { n: 4, tags: { late_arrival: 1, no_advance_notice: 1, bad_attitude: 1, unresolved: 1, opaque_pricing: 1 } },
        CALLBACK: { n: 1, tags: { slow_response: 1 } },
      });
    });

    it("breaks counts down by department, labelled with the department's name", async () => {
      const report = await counts({ ...april, segment: "DEPARTMENT" });
      const byLabel = Object.fromEntries(report.segments.map((s: any) => [s.label, { key: s.key, n: s.feedbackCount, tags: tagsOf(s) }]));
      expect(byLabel).toEqual({
        售后服务部: { key: world.serviceDept, n: 2, tags: { late_arrival: 1, no_advance_notice: 1, bad_attitude: 1, unresolved: 1 } },
        技术部: { key: world.techDept, n: 1, tags: { slow_response: 1 } },
        未知: { key: null, n: 2, tags: { opaque_pricing: 1 } },
      });
    });

    it("tells new from returning customers by their earlier tickets", async () => {
      const report = await counts({ ...april, segment: "CUSTOMER_TYPE" });
      expect(bySegment(report)).toEqual({
        NEW: { n: 3, tags: { late_arrival: 1, no_advance_notice: 1, bad_attitude: 1, unresolved: 1 } },
        RETURNING: { n: 2, tags: { slow_response: 1, opaque_pricing: 1 } },
      });
      expect(Object.fromEntries(report.segments.map((s: any) => [s.key, s.label]))).toEqual({ NEW: "新客户", RETURNING: "老客户" });
    });

    it("counts only the tags asked for", async () => {
      const report = await counts({ ...april, tagCodes: ["slow_response", "bad_attitude"] });
      expect(tagsOf(report.segments[0])).toEqual({ slow_response: 1, bad_attitude: 1 });
    });

    it("filters the feedback list by keyword tag", async () => {
      const { feedbacks } = await world.quality.client.request<any>(
        gql`
          query ($filter: FeedbackFilterInput) {
            feedbacks(filter: $filter, first: 100) {
              totalCount
            }
          }
        `,
        { filter: { keywordTags: ["opaque_pricing"], receivedFrom: april.from, receivedTo: april.to } },
      );
      expect(feedbacks.totalCount).toBe(1);
    });

    it("refuses a period that ends before it starts", async () => {
      const [error] = await errorsOf(counts({ from: april.to, to: april.from }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
    });
  });

  describe("bulk import", () => {
    it("tags and flags an imported batch with a fixed number of statements, reading none of it back, changing no status", async () => {
      const comments = ["等了很久才有人来", "乱收费", null, "很好"];
      const rows = Array.from({ length: 400 }, (_, i) => ({
        source: FeedbackSource.IMPORT,
        channel: "SMS",
        customerId: Number(ids.b),
        ticketId: null,
        templateId: null,
        comment: comments[i % comments.length],
        verificationStatus: VerificationStatus.UNVERIFIED,
        receivedAt: new Date("2026-02-10T00:00:00.000Z"),
        recordedById: Number(world.admin.id),
        importKey: `bulk-${i}`,
      }));
      const feedbackIds: number[] = [];
      const imported: ImportedFeedback[] = [];
      const hook = await inTransaction(app.dataSource, (tx) => prepareFeedbackImport(tx));
      await inTransaction(app.dataSource, async (tx) => {
        for (let i = 0; i < rows.length; i += 100) {
          await tx.getRepository(Feedback).insert(rows.slice(i, i + 100) as never);
        }
        const inserted = await tx.getRepository(Feedback).find({
          select: { id: true, importKey: true },
          where: { importKey: In(rows.map((r) => r.importKey)) },
        });
        const idOf = new Map(inserted.map((row) => [row.importKey, row.id]));
        feedbackIds.push(...rows.map((row) => idOf.get(row.importKey)!));
        // Every comment-less row scores a 1: a low score without a comment.
        await tx.getRepository(FeedbackScore).insert(
          feedbackIds.map((feedbackId, i) => ({ feedbackId, dimension: "resolution", score: rows[i].comment === null ? 1 : 4 })),
        );
        // What the importer hands the hook: the rows it has just written.
        imported.push(
          ...rows.map((row, i) => ({
            id: feedbackIds[i],
            source: row.source,
            comment: row.comment,
            receivedAt: row.receivedAt,
            ticket: null,
            scores: [{ dimension: "resolution", score: row.comment === null ? 1 : 4 }],
            keywords: hook.tagComment(row.comment),
          })),
        );
      });

      app.statements.length = 0;
      await inTransaction(app.dataSource, (tx) => hook.afterBatch(tx, imported));
      expect(app.statements.length).toBeLessThan(20);
      expect(app.statements.filter((sql) => /\bFROM\W+feedback(_score)?\b/i.test(sql))).toEqual([]);

      const tags = await app.dataSource.getRepository(FeedbackKeyword).findBy({ feedbackId: In(feedbackIds) });
      expect(tags.filter((tag) => tag.tagCode === "slow_response")).toHaveLength(100);
      expect(tags.filter((tag) => tag.tagCode === "opaque_pricing")).toHaveLength(100);
      expect(tags).toHaveLength(200);
      const flags = await app.dataSource.getRepository(FeedbackFlag).findBy({ feedbackId: In(feedbackIds) });
      expect(flags.filter((flag) => flag.reason === "LOW_SCORE_NO_COMMENT")).toHaveLength(100);
      const statuses = await app.dataSource.getRepository(Feedback).find({ select: { verificationStatus: true }, where: { id: In(feedbackIds) } });
      expect(new Set(statuses.map((row) => row.verificationStatus))).toEqual(new Set(["UNVERIFIED"]));
      expect(await app.dataSource.getRepository(ScheduledJob).countBy({ subjectId: In(feedbackIds), kind: "FEEDBACK_VERIFY_DUE" as never })).toBe(0);

      // A second run (a retried batch hands the same rows again) adds nothing.
      await inTransaction(app.dataSource, (tx) => hook.afterBatch(tx, imported));
      expect(await app.dataSource.getRepository(FeedbackKeyword).countBy({ feedbackId: In(feedbackIds) })).toBe(200);
      expect(await app.dataSource.getRepository(FeedbackFlag).countBy({ feedbackId: In(feedbackIds) })).toBe(flags.length);
    });
  });

  describe("editing the taxonomy", () => {
    let tagId: string;

    it("adds a tag that tags comments recorded from then on", async () => {
      const { createKeywordTag } = await world.quality.client.request<any>(CREATE_TAG, {
        input: { code: "noisy_installation", labelZh: "安装噪音大", labelEn: "Noisy installation", synonyms: ["噪音大", "异响"], category: "resolution" },
      });
      tagId = createKeywordTag.id;
      expect(createKeywordTag).toMatchObject({ code: "noisy_installation", complaint: false, enabled: true, version: 1 });
      const feedback = await record({ customerId: ids.c, comment: "安装后噪音很大" });
      expect(feedback.keywords.map((k: any) => k.tagCode)).toEqual(["noisy_installation"]);
    });

    it("changes synonyms and disables a tag, version by version", async () => {
      const { updateKeywordTag } = await world.manager.client.request<any>(UPDATE_TAG, {
        id: tagId,
        input: { synonyms: ["噪音大", "异响", "嗡嗡响"] },
        expectedVersion: 1,
      });
      expect(updateKeywordTag).toMatchObject({ synonyms: ["噪音大", "异响", "嗡嗡响"], version: 2 });
      expect((await record({ customerId: ids.c, comment: "空调一直嗡嗡响" })).keywords.map((k: any) => k.tagCode)).toEqual([
        "noisy_installation",
      ]);

      expect(await errorCodeOf(world.manager.client.request(UPDATE_TAG, { id: tagId, input: { enabled: false }, expectedVersion: 1 }))).toBe(
        "VERSION_CONFLICT",
      );
      await world.admin.client.request(UPDATE_TAG, { id: tagId, input: { enabled: false }, expectedVersion: 2 });
      expect((await record({ customerId: ids.c, comment: "空调一直嗡嗡响" })).keywords).toEqual([]);
      const enabled = (await world.agent.client.request<{ keywordTags: any[] }>(TAGS)).keywordTags;
      expect(enabled.map((tag) => tag.code)).not.toContain("noisy_installation");
      const all = (await world.agent.client.request<{ keywordTags: any[] }>(TAGS, { includeDisabled: true })).keywordTags;
      expect(all.find((tag) => tag.code === "noisy_installation")).toMatchObject({ enabled: false, version: 3 });
    });

    it("refuses a taken code, a malformed code and repeated synonyms, naming the field, and writes nothing", async () => {
      const before = await tableCounts(app.dataSource);
      const input = { code: "slow_response", labelZh: "慢", labelEn: "Slow", synonyms: ["慢"] };
      const cases: [object, string][] = [
        [input, "input.code"],
        [{ ...input, code: "Slow Response" }, "input.code"],
        [{ ...input, code: "slowness", synonyms: ["太慢", "ＴＯＯ slow", "too  slow"] }, "input.synonyms.2"],
        [{ ...input, code: "slowness", labelZh: " " }, "input.labelZh"],
        [{ ...input, code: "slowness", category: "Not A Code" }, "input.category"],
      ];
      for (const [bad, field] of cases) {
        const [error] = await errorsOf(world.quality.client.request(CREATE_TAG, { input: bad }));
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
      }
      expect(await tableCounts(app.dataSource)).toEqual(before);
    });

    it("lets only quality specialists, operations managers and admins edit the taxonomy", async () => {
      const input = { code: "dirty_site", labelZh: "现场脏乱", labelEn: "Dirty site", synonyms: ["弄脏"] };
      for (const person of [world.agent, world.serviceLead]) {
        expect(await errorCodeOf(person.client.request(CREATE_TAG, { input }))).toBe("FORBIDDEN");
        expect(await errorCodeOf(person.client.request(UPDATE_TAG, { id: tagId, input: { enabled: true } }))).toBe("FORBIDDEN");
      }
    });
  });
});
