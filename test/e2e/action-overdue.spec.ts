import { gql } from "graphql-request";
import { ActionItem, OutboxMessage, ScheduledJob } from "../../src/entity";
import { JobKind, JobStatus } from "../../src/jobs/job-kind";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { MessageKind, RecipientType, Transport } from "../../src/notify/message-kind";
import { analysedIssue } from "../support/fixtures";
import { createWorld, Person, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Overdue action items (DESIGN step 7) surface on their own: the planned end is a durable deadline
 * at the end of that day (UTC); when it passes with the action still open, its owner and the head
 * of its department are told once. An approved adjustment of the date moves the deadline.
 */

describe("overdue action items", () => {
  let app: TestApp;
  let w: World;
  let issueId: string;
  let causeId: string;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    ({ issueId, causeId } = await analysedIssue(app, w));
  });
  afterAll(() => app.stop());

  async function send(person: Person, doc: string, vars: object): Promise<any> {
    return (await person.client.request<{ result: any }>(doc, vars)).result;
  }

  /** Drafts an action through the API, approves it (the plan approval is another service's), starts it. */
  async function startedAction(plannedEnd: string, start = true): Promise<string> {
    const added = await send(
      w.quality,
      gql`mutation ($input: AddActionItemInput!) { result: addActionItem(input: $input) { ... on ActionItem { id } } }`,
      {
        input: {
          issueId,
          causeId,
          description: "夜间报修 30 分钟内派单",
          metric: "夜间响应时长（小时）",
          target: 2,
          ownerId: w.engineer.id,
          plannedStart: "2031-01-01",
          plannedEnd,
        },
      },
    );
    const id = added.id as string;
    if (start) {
      await app.dataSource.getRepository(ActionItem).update({ id: Number(id) }, { state: "approved" });
      const started = await send(
        w.engineer,
        gql`mutation ($id: ID!) { result: startActionItem(id: $id) { ... on ActionItem { state } } }`,
        { id },
      );
      expect(started.state).toBe("inProgress");
    }
    return id;
  }
  async function overdueJobs(id: string) {
    return app.dataSource
      .getRepository(ScheduledJob)
      .find({ where: { kind: JobKind.ACTION_OVERDUE, subjectId: Number(id) }, order: { id: "ASC" } });
  }
  async function notices(id: string) {
    const rows = await app.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { kind: MessageKind.ACTION_OVERDUE }, order: { id: "ASC" } });
    return rows
      .filter((row) => String(row.payload.actionItemId) === id)
      .map((row) => ({ to: String(row.recipientId), type: row.recipientType, transport: row.transport, key: row.dedupeKey }));
  }
  const sweepAt = (iso: string) => {
    app.clock.set(new Date(iso));
    return sweepDueJobs(app.dataSource);
  };

  it("tells the owner and the department head once when an open action passes its planned end", async () => {
    app.clock.set(new Date("2031-03-10T08:00:00.000Z"));
    const id = await startedAction("2031-03-10");
    const [job] = await overdueJobs(id);
    expect(job).toMatchObject({ dedupeKey: `action:${id}:overdue:r1`, status: JobStatus.PENDING });
    expect(job.dueAt.toISOString()).toBe("2031-03-11T00:00:00.000Z"); // the end of the planned day

    await sweepAt("2031-03-10T23:59:59.000Z");
    expect(await notices(id)).toEqual([]);

    await sweepAt("2031-03-11T00:00:00.000Z");
    await sweepAt("2031-03-12T09:00:00.000Z");
    expect(await notices(id)).toEqual([
      { to: w.engineer.id, type: RecipientType.USER, transport: Transport.EMAIL, key: `action-overdue:${id}:r1:u${w.engineer.id}` },
      { to: w.serviceLead.id, type: RecipientType.USER, transport: Transport.EMAIL, key: `action-overdue:${id}:r1:u${w.serviceLead.id}` },
    ]);
    const mail = await app.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: `action-overdue:${id}:r1:u${w.engineer.id}` });
    expect(mail.address).toBe("engineer@example.test");
    expect(mail.body).toContain("2031-03-10");
  });

  it("gives a deadline moved by an approved adjustment its own job, withdrawing the old one", async () => {
    app.clock.set(new Date("2031-04-01T08:00:00.000Z"));
    const id = await startedAction("2031-04-05");
    const REQUEST = `__typename ... on AdjustmentRequest { id state }`;
    const submitted = await send(
      w.engineer,
      gql`mutation ($input: SubmitAdjustmentRequestInput!) { result: submitAdjustmentRequest(input: $input) { ${REQUEST} } }`,
      { input: { actionItemId: id, reason: "备件到货延迟", proposedPlannedEnd: "2031-04-20" } },
    );
    expect(submitted.__typename).toBe("AdjustmentRequest");
    const decide = (person: Person, field: string) =>
      send(person, `mutation ($id: ID!) { result: ${field}(id: $id) { ${REQUEST} } }`, { id: submitted.id });
    expect((await decide(w.quality, "reviewAdjustmentRequest")).state).toBe("underReview");
    expect((await decide(w.manager, "approveAdjustmentRequest")).state).toBe("approved");

    const jobs = await overdueJobs(id);
    expect(jobs.map((job) => [job.dedupeKey, job.status, job.dueAt.toISOString()])).toEqual([
      [`action:${id}:overdue:r1`, JobStatus.CANCELLED, "2031-04-06T00:00:00.000Z"],
      [`action:${id}:overdue:r2`, JobStatus.PENDING, "2031-04-21T00:00:00.000Z"],
    ]);

    await sweepAt("2031-04-06T01:00:00.000Z");
    expect(await notices(id)).toEqual([]);
    await sweepAt("2031-04-21T00:00:00.000Z");
    expect((await notices(id)).map((n) => n.key)).toEqual([
      `action-overdue:${id}:r2:u${w.engineer.id}`,
      `action-overdue:${id}:r2:u${w.serviceLead.id}`,
    ]);
  });

  it("stays silent for actions done or dropped before their deadline", async () => {
    app.clock.set(new Date("2031-05-01T08:00:00.000Z"));
    const done = await startedAction("2031-05-03");
    const progressed = await send(
      w.engineer,
      gql`mutation ($input: PostProgressInput!) { result: postProgress(input: $input) { ... on ActionItem { progress } } }`,
      { input: { actionItemId: done, progress: 100 } },
    );
    expect(progressed.progress).toBe(100);
    const completed = await send(
      w.engineer,
      gql`mutation ($id: ID!) { result: completeActionItem(id: $id, completionNote: "已上线") { ... on ActionItem { state } } }`,
      { id: done },
    );
    expect(completed.state).toBe("done");
    const dropped = await startedAction("2031-05-03", false);
    const cancelled = await send(
      w.quality,
      gql`mutation ($id: ID!) { result: cancelDraftActionItem(id: $id, reason: "与另一措施重复") { ... on ActionItem { state } } }`,
      { id: dropped },
    );
    expect(cancelled.state).toBe("cancelled");

    await sweepAt("2031-05-04T00:00:00.000Z");
    expect(await notices(done)).toEqual([]);
    expect(await notices(dropped)).toEqual([]);
    expect((await overdueJobs(done)).map((job) => job.status)).toEqual([JobStatus.DONE]);
  });
});
