import { EntitySubscriberInterface, InsertEvent } from "typeorm";
import { DAY_MS } from "../../src/common/clock";
import { IdempotencyKey, Issue, TransitionLog } from "../../src/entity";
import { issueRow } from "../support/fixtures";
import { createWorld, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";
import { postGraphql, postIdempotent } from "./support/raw-graphql";

/**
 * Issue 5 item 4: mutations accept an `Idempotency-Key` header. A retry with the same key and
 * request replays the first response byte for byte; the same key with another request is
 * refused; concurrent duplicates run once; keys are per caller and forgotten after 24 hours.
 */

const CREATE_ISSUE = `
  mutation Create($input: CreateIssueInput!) {
    createIssue(input: $input) { id title state version createdAt history { event toState } }
  }
`;

const TRIAGE = `
  mutation Triage($id: ID!, $v: Int, $dept: ID!) {
    triageIssue(id: $id, expectedVersion: $v, input: { urgent: true, important: true, impact: HIGH, departmentId: $dept }) {
      __typename
      ... on Issue { id state version history { event fromState toState } }
      ... on TransitionError { errorCode reason fromState }
    }
  }
`;

describe("idempotency keys", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  const issues = () => app.dataSource.getRepository(Issue).count();
  const create = (title: string) => ({ query: CREATE_ISSUE, variables: { input: { title } } });

  async function intakeIssue(): Promise<Issue> {
    const repo = app.dataSource.getRepository(Issue);
    return repo.save(repo.create({ ...issueRow(w), departmentId: null, assigneeId: null, state: "intake" }));
  }

  it("replays the first response byte for byte to a retry, without running the mutation again", async () => {
    const before = await issues();
    const first = await postIdempotent(app.url, w.quality, "create-1", create("夜间报修无人响应"));
    expect(first.status).toBe(200);
    expect(first.json.data.createIssue.title).toBe("夜间报修无人响应");
    expect(first.headers.get("idempotency-replayed")).toBeNull();

    const retry = await postIdempotent(app.url, w.quality, "create-1", create("夜间报修无人响应"));
    expect(retry.status).toBe(200);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get("idempotency-replayed")).toBe("true");
    expect(await issues()).toBe(before + 1);
    const logs = await app.dataSource.getRepository(TransitionLog).countBy({ entityId: Number(first.json.data.createIssue.id), event: "CREATE" });
    expect(logs).toBe(1);
  });

  it("treats variables in another key order as the same request", async () => {
    const body = { query: TRIAGE, variables: { id: "0", v: null, dept: w.serviceDept } };
    const issue = await intakeIssue();
    const first = await postIdempotent(app.url, w.quality, "order-1", { ...body, variables: { id: String(issue.id), v: 1, dept: w.serviceDept } });
    const retry = await postIdempotent(app.url, w.quality, "order-1", { ...body, variables: { dept: w.serviceDept, v: 1, id: String(issue.id) } });
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get("idempotency-replayed")).toBe("true");
  });

  it("refuses the same key with a different request, naming the header, and changes nothing", async () => {
    await postIdempotent(app.url, w.quality, "create-2", create("备件缺货"));
    const counts = await tableCounts(app.dataSource);
    const other = await postIdempotent(app.url, w.quality, "create-2", create("备件缺货（改）"));
    expect(other.status).toBe(422);
    expect(other.json.errors[0].extensions).toEqual({ code: "IDEMPOTENCY_KEY_REUSED", field: "Idempotency-Key" });
    expect(await tableCounts(app.dataSource)).toEqual(counts);
  });

  it("scopes keys per caller: another user's same key runs their own mutation", async () => {
    const colleague = await app.services.directory.createUser({
      name: "Quality2",
      email: "quality2@example.test",
      roles: ["QUALITY_SPECIALIST"],
      departmentId: null,
    });
    const other: Person = { id: String(colleague.id), token: await app.services.auth.issueToken(colleague.id, "test"), client: null as never };
    const mine = await postIdempotent(app.url, w.quality, "shared-key", create("质量专员的问题"));
    const theirs = await postIdempotent(app.url, other, "shared-key", create("另一位专员的问题"));
    expect(theirs.json.errors).toBeUndefined();
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get("idempotency-replayed")).toBeNull();
    expect(theirs.json.data.createIssue.title).toBe("另一位专员的问题");
    expect(theirs.json.data.createIssue.id).not.toBe(mine.json.data.createIssue.id);
  });

  it("runs concurrent duplicates once: the others wait and replay the first response", async () => {
    const before = await issues();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => postIdempotent(app.url, w.quality, "burst-1", create("并发重试"))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotency-replayed") === "true")).toHaveLength(7);
    expect(await issues()).toBe(before + 1);
  });

  it("replays a refused transition too, even after the object has changed since", async () => {
    const issue = await intakeIssue();
    const stale = { query: TRIAGE, variables: { id: String(issue.id), v: 7, dept: w.serviceDept } };
    const refused = await postIdempotent(app.url, w.quality, "triage-stale", stale);
    expect(refused.json.data.triageIssue).toMatchObject({ __typename: "TransitionError", errorCode: "VERSION_CONFLICT" });

    const ok = await postIdempotent(app.url, w.quality, "triage-ok", { ...stale, variables: { ...stale.variables, v: 1 } });
    expect(ok.json.data.triageIssue).toMatchObject({ __typename: "Issue", state: "triaged" });
    const retry = await postIdempotent(app.url, w.quality, "triage-stale", stale);
    expect(retry.text).toBe(refused.text);
  });

  it("answers nested fields from the request's own change, as without a key", async () => {
    const keyed = await intakeIssue();
    const plain = await intakeIssue();
    const vars = (issue: Issue) => ({ id: String(issue.id), v: 1, dept: w.serviceDept });
    const withKey = await postIdempotent(app.url, w.quality, "triage-nested", { query: TRIAGE, variables: vars(keyed) });
    const withoutKey = await postGraphql(app.url, w.quality, { query: TRIAGE, variables: vars(plain) });
    const shape = (body: any) => ({ ...body.data.triageIssue, id: undefined });
    expect(shape(withKey.json)).toEqual(shape(withoutKey.json));
    expect(withKey.json.data.triageIssue.history.map((h: any) => h.event)).toEqual(["TRIAGE"]);
  });

  it("runs a request again once its key expired after 24 hours", async () => {
    const first = await postIdempotent(app.url, w.quality, "daily", create("过期的键"));
    app.clock.advance(DAY_MS - 60_000);
    const withinDay = await postIdempotent(app.url, w.quality, "daily", create("过期的键"));
    expect(withinDay.text).toBe(first.text);

    app.clock.advance(120_000);
    const before = await issues();
    const later = await postIdempotent(app.url, w.quality, "daily", create("过期的键"));
    expect(later.headers.get("idempotency-replayed")).toBeNull();
    expect(later.json.data.createIssue.id).not.toBe(first.json.data.createIssue.id);
    expect(await issues()).toBe(before + 1);
    const rows = await app.dataSource.getRepository(IdempotencyKey).countBy({ idempotencyKey: "daily" });
    expect(rows).toBe(1);
  });

  it("runs every request without a key, and ignores a key on queries", async () => {
    const before = await issues();
    await postGraphql(app.url, w.quality, create("无键请求"));
    await postGraphql(app.url, w.quality, create("无键请求"));
    expect(await issues()).toBe(before + 2);

    const keysBefore = await app.dataSource.getRepository(IdempotencyKey).count();
    const query = await postIdempotent(app.url, w.quality, "query-key", { query: "{ me { name } }" });
    expect(query.json.data.me.name).toBe("Quality");
    expect(await app.dataSource.getRepository(IdempotencyKey).count()).toBe(keysBefore);
  });

  it("refuses a malformed key as bad input naming the header", async () => {
    const counts = await tableCounts(app.dataSource);
    const response = await postIdempotent(app.url, w.quality, "x".repeat(256), create("键太长"));
    expect(response.status).toBe(400);
    expect(response.json.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "Idempotency-Key" });
    expect(await tableCounts(app.dataSource)).toEqual(counts);
  });

  it("stamps the request id on the transition log", async () => {
    const response = await postGraphql(app.url, w.quality, create("带请求号"), { "x-request-id": "req-h2-audit-1" });
    const log = await app.dataSource
      .getRepository(TransitionLog)
      .findOneByOrFail({ entityId: Number(response.json.data.createIssue.id), event: "CREATE" });
    expect(log.requestId).toBe("req-h2-audit-1");
  });
});

describe("idempotency keys behind the request timeout", () => {
  const TIMEOUT_MS = 300;
  let app: TestApp;
  let w: World;
  /** Holds the next CREATE log insert (inside the mutation's transaction) past the timeout. */
  const stall = { armed: false };

  beforeAll(async () => {
    app = await startTestApp({ limits: { requestTimeoutMs: TIMEOUT_MS } });
    w = await createWorld(app);
    const slowCreate: EntitySubscriberInterface<TransitionLog> = {
      listenTo: () => TransitionLog,
      afterInsert: async (event: InsertEvent<TransitionLog>) => {
        if (!stall.armed || event.entity?.event !== "CREATE") return;
        stall.armed = false;
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
      },
    };
    app.dataSource.subscribers.push(slowCreate);
  });
  afterAll(() => app.stop());

  it("completes and records a mutation the client gave up on, and replays it to the retry", async () => {
    const body = { query: CREATE_ISSUE, variables: { input: { title: "超时后的重试" } } };
    const issuesBefore = await app.dataSource.getRepository(Issue).count();
    stall.armed = true;
    const timedOut = await postIdempotent(app.url, w.quality, "slow-1", body);
    expect(timedOut.status).toBe(503);
    expect(timedOut.json.errors[0].extensions.code).toBe("REQUEST_TIMEOUT");

    // The mutation goes on after the client was answered, and commits with its key record once
    // the stall is over (SQLite's single connection would show the row before the commit, so
    // the test waits out the stall instead of polling for it).
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
    expect(await app.dataSource.getRepository(IdempotencyKey).countBy({ idempotencyKey: "slow-1" })).toBe(1);
    const retry = await postIdempotent(app.url, w.quality, "slow-1", body);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotency-replayed")).toBe("true");
    expect(retry.json.data.createIssue.title).toBe("超时后的重试");
    expect(await app.dataSource.getRepository(Issue).count()).toBe(issuesBefore + 1);
  });
});
