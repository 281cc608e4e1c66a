import { DataSource } from "typeorm";
import { ActionItem, ProgressUpdate, TransitionLog } from "../../src/entity";
import { WorkflowEntity } from "../../src/common/enums";
import { analysedIssue } from "../support/fixtures";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Issue 5, "lost update": 20 writers change one action item at the same time, each sending the
 * version it read. Exactly one may win; the others must be told VERSION_CONFLICT and leave no
 * trace. The same harness run against a deliberately naive read-then-save writer (test-only
 * code below) finds lost updates, which shows the harness can tell the difference.
 */

const WRITERS = 20;

type Outcome = "won" | "conflict";

interface Race {
  outcomes: Outcome[];
  /** The progress each writer tried to set, by writer index. */
  attempted: number[];
  final: { progress: number; version: number };
}

/** Exactly one writer won, and the row holds that writer's value at the next version. */
function assertExactlyOneWinner(race: Race, startVersion: number): void {
  const winners = race.outcomes.flatMap((outcome, i) => (outcome === "won" ? [i] : []));
  expect(winners).toHaveLength(1);
  expect(race.final).toEqual({ progress: race.attempted[winners[0]], version: startVersion + 1 });
}

/** Lets `n` writers pass only when all have arrived: every read happens before any write. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === n) release();
    return all;
  };
}

/** Test-only: the classic lost update — read, check the version in memory, save the entity. */
async function naiveWriter(dataSource: DataSource, id: number, expectedVersion: number, progress: number, wait: () => Promise<void>): Promise<Outcome> {
  const repo = dataSource.getRepository(ActionItem);
  const item = await repo.findOneByOrFail({ id });
  await wait();
  if (item.version !== expectedVersion) return "conflict";
  item.progress = progress;
  item.version += 1;
  await repo.save(item);
  return "won";
}

/** The primitive the workflow runner uses: a conditional UPDATE that must change one row. */
async function versionedWriter(dataSource: DataSource, id: number, expectedVersion: number, progress: number, wait: () => Promise<void>): Promise<Outcome> {
  const item = await dataSource.getRepository(ActionItem).findOneByOrFail({ id });
  await wait();
  if (item.version !== expectedVersion) return "conflict";
  const result = await dataSource
    .createQueryBuilder()
    .update(ActionItem)
    .set({ progress, version: () => "version + 1" })
    .where("id = :id AND version = :version", { id, version: item.version })
    .execute();
  return result.affected === 1 ? "won" : "conflict";
}

describe("lost updates", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  async function inProgressItem(): Promise<ActionItem> {
    const { issueId, causeId } = await analysedIssue(app, w);
    const repo = app.dataSource.getRepository(ActionItem);
    return repo.save(
      repo.create({
        issueId: Number(issueId),
        causeId: Number(causeId),
        cycle: 1,
        description: "夜间值班工程师直接派单",
        metric: "夜间响应时长（小时）",
        baseline: 6,
        target: 2,
        ownerId: Number(w.engineer.id),
        departmentId: Number(w.serviceDept),
        plannedStart: "2099-01-01",
        plannedEnd: "2099-03-31",
        progress: 0,
        state: "inProgress",
      }),
    );
  }

  async function finalOf(id: number) {
    const row = await app.dataSource.getRepository(ActionItem).findOneByOrFail({ id });
    return { progress: row.progress, version: row.version };
  }

  const attempted = Array.from({ length: WRITERS }, (_, i) => i + 1);

  it("lets exactly one of 20 concurrent postProgress calls win through the API", async () => {
    const item = await inProgressItem();
    const mutation = `
      mutation ($input: PostProgressInput!, $v: Int) {
        postProgress(input: $input, expectedVersion: $v) {
          __typename
          ... on ActionItem { version progress }
          ... on TransitionError { errorCode }
        }
      }
    `;
    const results = await Promise.all(
      attempted.map((progress) =>
        w.engineer.client.request<{ postProgress: { __typename: string; errorCode?: string } }>(mutation, {
          input: { actionItemId: String(item.id), progress, blockers: `writer ${progress}` },
          v: item.version,
        }),
      ),
    );
    const outcomes = results.map((r): Outcome => (r.postProgress.__typename === "ActionItem" ? "won" : "conflict"));
    const refusals = results.filter((r) => r.postProgress.__typename !== "ActionItem");
    expect(refusals.every((r) => r.postProgress.errorCode === "VERSION_CONFLICT")).toBe(true);
    assertExactlyOneWinner({ outcomes, attempted, final: await finalOf(item.id) }, item.version);

    // The losers left nothing behind: one progress report and one logged event in all.
    expect(await app.dataSource.getRepository(ProgressUpdate).countBy({ actionItemId: item.id })).toBe(1);
    const logged = await app.dataSource
      .getRepository(TransitionLog)
      .countBy({ entityType: WorkflowEntity.ACTION_ITEM, entityId: item.id, event: "UPDATE_PROGRESS" });
    expect(logged).toBe(1);
  });

  it("lets exactly one win with the conditional update even when every read precedes every write", async () => {
    const item = await inProgressItem();
    const wait = barrier(WRITERS);
    const outcomes = await Promise.all(
      attempted.map((progress) => versionedWriter(app.dataSource, item.id, item.version, progress, wait)),
    );
    assertExactlyOneWinner({ outcomes, attempted, final: await finalOf(item.id) }, item.version);
  });

  it("catches the naive read-then-save writer losing updates (the test bites)", async () => {
    const item = await inProgressItem();
    const wait = barrier(WRITERS);
    const outcomes = await Promise.all(
      attempted.map((progress) => naiveWriter(app.dataSource, item.id, item.version, progress, wait)),
    );
    const race: Race = { outcomes, attempted, final: await finalOf(item.id) };
    expect(() => assertExactlyOneWinner(race, item.version)).toThrow();
    // Every writer believed it won; all but the last write were silently overwritten.
    const lost = outcomes.filter((outcome) => outcome === "won").length - 1;
    expect(lost).toBe(WRITERS - 1);
    expect(race.final.version).toBe(item.version + 1);
  });
});
