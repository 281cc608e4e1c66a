import { createConnection } from "mysql2/promise";
import { EntitySubscriberInterface, InsertEvent } from "typeorm";
import { IssueKind, MetricDirection, WorkflowEntity } from "../../src/common/enums";
import { Customer, IdempotencyKey, Issue, OutboxMessage, TransitionLog, VerificationCheck } from "../../src/entity";
import { MessageKind } from "../../src/notify/message-kind";
import { issueRow } from "../support/fixtures";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";
import { usingMysql } from "../support/test-database";
import { postGraphql, postIdempotent } from "./support/raw-graphql";

/**
 * Issue 5, fault tests. Closing a complaint writes three things in one transaction: the issue's
 * state, its transition-log row and the customer's "what we changed" outbox message. The
 * transaction is broken right after the log row is written — on MariaDB by `KILL CONNECTION` of
 * the very connection running it, issued from another connection; on SQLite (one in-process
 * connection, nothing to kill) by an error thrown at the same point — and must leave all three
 * or none. A retry with the same Idempotency-Key then closes the issue exactly once.
 *
 * The other fault of the issue, a sweeper process SIGKILLed mid-batch losing no deadline, is
 * proved by test/jobs/sweeper-kill.spec.ts (a real child process killed in its third batch).
 */

const CLOSE = `
  mutation Close($id: ID!) {
    closeIssue(id: $id, summary: "夜间派单已改为值班工程师直派") {
      __typename
      ... on Issue { id state version }
      ... on TransitionError { errorCode reason }
    }
  }
`;

/** Breaks the transaction that writes the next CLOSE log row, once. */
class BreakAfterCloseLogged implements EntitySubscriberInterface<TransitionLog> {
  armed = false;
  /** Connection ids killed (MariaDB) or errors thrown (SQLite). */
  breaks = 0;

  constructor(private readonly databaseUrl: string | null) {}

  listenTo() {
    return TransitionLog;
  }

  async afterInsert(event: InsertEvent<TransitionLog>): Promise<void> {
    if (!this.armed || event.entity?.event !== "CLOSE") return;
    this.armed = false;
    this.breaks += 1;
    if (!this.databaseUrl) throw new Error("simulated crash in the middle of the transition");
    const [{ id }] = await event.queryRunner.query("SELECT CONNECTION_ID() AS id");
    const killer = await createConnection(this.databaseUrl);
    try {
      await killer.query(`KILL CONNECTION ${Number(id)}`);
    } finally {
      await killer.end();
    }
  }
}

describe("a transition broken in the middle", () => {
  let app: TestApp;
  let w: World;
  let breaker: BreakAfterCloseLogged;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    const options = app.dataSource.options as { url?: string };
    breaker = new BreakAfterCloseLogged(usingMysql() ? options.url!.replace(/^mariadb:/, "mysql:") : null);
    app.dataSource.subscribers.push(breaker);
  });
  afterAll(() => app.stop());

  /** A complaint in verification with a passed check: CLOSE is allowed and queues a change notice. */
  async function closableComplaint(): Promise<Issue> {
    const customers = app.dataSource.getRepository(Customer);
    const customer = await customers.save(customers.create({ name: "王先生", email: "wang@example.test" }));
    const issues = app.dataSource.getRepository(Issue);
    const issue = await issues.save(
      issues.create({ ...issueRow(w), kind: IssueKind.COMPLAINT, customerId: customer.id, state: "verifying" }),
    );
    const checks = app.dataSource.getRepository(VerificationCheck);
    await checks.save(
      checks.create({
        issueId: issue.id,
        cycle: issue.cycle,
        metric: "夜间响应时长（小时）",
        direction: MetricDirection.LOWER_IS_BETTER,
        threshold: 0.5,
        baseline: 6,
        result: 2,
        state: "passed",
        createdById: Number(w.quality.id),
      }),
    );
    return issue;
  }

  /** What closing wrote for this issue: state, log rows and outbox rows. */
  async function traces(issue: Issue) {
    const row = await app.dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
    const logs = await app.dataSource
      .getRepository(TransitionLog)
      .countBy({ entityType: WorkflowEntity.ISSUE, entityId: issue.id, event: "CLOSE" });
    const outbox = await app.dataSource.getRepository(OutboxMessage)
      .countBy({ kind: MessageKind.CHANGE_NOTICE, recipientId: issue.customerId! });
    return { state: row.state, version: row.version, logs, outbox };
  }

  const untouched = (issue: Issue) => ({ state: "verifying", version: issue.version, logs: 0, outbox: 0 });
  const closedOnce = (issue: Issue) => ({ state: "closed", version: issue.version + 1, logs: 1, outbox: 1 });

  it("leaves none of state, log and outbox when the transaction breaks, and all three otherwise", async () => {
    const issue = await closableComplaint();
    breaker.armed = true;
    const broken = await postGraphql(app.url, w.quality, { query: CLOSE, variables: { id: String(issue.id) } });
    expect(breaker.breaks).toBe(1);
    expect(broken.json.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(broken.text).not.toMatch(/KILL|CONNECTION_ID|simulated|\bat \S+:\d+/);
    expect(await traces(issue)).toEqual(untouched(issue));

    const retried = await postGraphql(app.url, w.quality, { query: CLOSE, variables: { id: String(issue.id) } });
    expect(retried.json.data.closeIssue).toMatchObject({ __typename: "Issue", state: "closed" });
    expect(await traces(issue)).toEqual(closedOnce(issue));
  });

  it("completes the transition exactly once when retried with the same Idempotency-Key", async () => {
    const issue = await closableComplaint();
    const request = { query: CLOSE, variables: { id: String(issue.id) } };
    breaker.armed = true;
    const broken = await postIdempotent(app.url, w.quality, "close-after-crash", request);
    expect(breaker.breaks).toBe(2);
    expect(broken.json.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(await traces(issue)).toEqual(untouched(issue));
    // Nothing was remembered for the key either: it committed with the change, or not at all.
    expect(await app.dataSource.getRepository(IdempotencyKey).countBy({ idempotencyKey: "close-after-crash" })).toBe(0);

    const retried = await postIdempotent(app.url, w.quality, "close-after-crash", request);
    expect(retried.status).toBe(200);
    expect(retried.json.data.closeIssue).toMatchObject({ __typename: "Issue", state: "closed" });
    expect(await traces(issue)).toEqual(closedOnce(issue));

    const again = await postIdempotent(app.url, w.quality, "close-after-crash", request);
    expect(again.text).toBe(retried.text);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(await traces(issue)).toEqual(closedOnce(issue));
  });
});
