import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { DAY_MS } from "../../src/common/clock";
import { inTransaction } from "../../src/db/transaction";
import { ActionItem, OutboxMessage, ScheduledJob } from "../../src/entity";
import { JobKind, JobStatus } from "../../src/jobs/job-kind";
import { sweepDueJobs } from "../../src/jobs/sweeper";
import { MessageKind, MessageStatus } from "../../src/notify/message-kind";
import { scheduleActionOverdue } from "../../src/service/action-overdue";
import { analysedIssue } from "../support/fixtures";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * DESIGN "durable deadlines": a sweeper process killed in the middle of a batch loses no
 * notification and queues none twice. A real child process sweeps 60 overdue action items on the
 * same database (the SQLite file or the MariaDB test schema), reporting each handled job from
 * inside its open batch transaction and pausing after it; it is SIGKILLed in its third batch.
 * Then a sweeper in this process takes over.
 */

const ITEMS = 60;
const BATCH = 10;
const KILL_AFTER = 25; // handled jobs: two batches committed, half of the third not.

const CHILD = path.join(__dirname, "support", "sweep-child.ts");

describe("a sweeper killed mid-batch", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  /** DATABASE_URL of this test's database, for the child. */
  function databaseUrl(): string {
    const options = app.dataSource.options as { type: string; database?: string; url?: string };
    if (options.type === "better-sqlite3") return `sqlite:${options.database}`;
    return options.url!.replace(/^mysql:/, options.type === "mariadb" ? "mariadb:" : "mysql:");
  }

  /** Runs the child until it has reported `killAfter` handled jobs, then SIGKILLs it. */
  async function runAndKill(now: Date, killAfter: number): Promise<{ handled: number; signal: string | null }> {
    const child = spawn(process.execPath, ["-r", "@swc-node/register", CHILD], {
      cwd: path.join(__dirname, "..", ".."),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl(),
        SWEEP_NOW: now.toISOString(),
        SWEEP_DELAY_MS: "40",
        SWEEP_BATCH_SIZE: String(BATCH),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    let handled = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith("handled ")) handled += 1;
      if (handled >= killAfter) {
        child.kill("SIGKILL");
        break;
      }
    }
    const { code, signal } = await exited;
    if (signal !== "SIGKILL") throw new Error(`child ended on its own (code ${code}) after ${handled} jobs: ${stderr}`);
    return { handled, signal };
  }

  it("loses no notification and queues none twice when the next sweeper takes over", async () => {
    // 60 approved action items of the service department, all past their planned end.
    const { issueId, causeId } = await analysedIssue(app, w);
    const yesterday = new Date(app.clock.now().getTime() - DAY_MS).toISOString().slice(0, 10);
    await inTransaction(app.dataSource, async (tx) => {
      const repo = tx.getRepository(ActionItem);
      for (let i = 0; i < ITEMS; i++) {
        const item = await repo.save(
          repo.create({
            issueId: Number(issueId),
            causeId: Number(causeId),
            cycle: 1,
            description: `改善措施 ${i + 1}：夜间派单`,
            metric: "平均响应小时",
            baseline: 4,
            target: 2,
            ownerId: Number(w.engineer.id),
            departmentId: Number(w.serviceDept),
            plannedStart: "2020-01-01",
            plannedEnd: yesterday,
            actualEnd: null,
            budget: null,
            progress: 50,
            completionNote: null,
            state: "inProgress",
            planRevision: 1,
            version: 1,
          }),
        );
        await scheduleActionOverdue(tx, item, app.clock.now());
      }
    });
    const now = app.clock.now();
    const jobs = app.dataSource.getRepository(ScheduledJob);
    const messages = app.dataSource.getRepository(OutboxMessage);
    expect(await jobs.countBy({ kind: JobKind.ACTION_OVERDUE, status: JobStatus.PENDING })).toBe(ITEMS);

    const { handled } = await runAndKill(now, KILL_AFTER);
    expect(handled).toBeGreaterThanOrEqual(KILL_AFTER);

    // Only whole batches committed; the batch in flight left neither DONE jobs nor messages.
    const doneByChild = await jobs.countBy({ status: JobStatus.DONE });
    expect(doneByChild % BATCH).toBe(0);
    expect(doneByChild).toBeGreaterThanOrEqual(2 * BATCH);
    expect(doneByChild).toBeLessThan(ITEMS);
    expect(await messages.countBy({ kind: MessageKind.ACTION_OVERDUE })).toBe(doneByChild * 2);

    // The next sweeper takes over. On MariaDB the killed session's row locks last until the server
    // has noticed the dropped connection and rolled it back; SKIP LOCKED passes over them meanwhile,
    // so sweep until nothing due is left (this waits on the server, not on the clock).
    for (let round = 0; round < 100; round++) {
      await sweepDueJobs(app.dataSource, { now, batchSize: BATCH });
      if ((await jobs.countBy({ status: JobStatus.PENDING })) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const all = await jobs.find({ where: { kind: JobKind.ACTION_OVERDUE } });
    expect(all).toHaveLength(ITEMS);
    expect(all.every((job) => job.status === JobStatus.DONE && job.attempts === 1 && job.lastError === null)).toBe(true);
    const queued = await messages.find({ where: { kind: MessageKind.ACTION_OVERDUE } });
    expect(queued).toHaveLength(ITEMS * 2);
    // Exactly one message per action item and recipient: the owner and the department head.
    const perItem = new Map<number, number[]>();
    for (const message of queued) {
      const itemId = Number(message.payload.actionItemId);
      perItem.set(itemId, [...(perItem.get(itemId) ?? []), message.recipientId].sort((a, b) => a - b));
    }
    const itemIds = (await app.dataSource.getRepository(ActionItem).find({ where: { issueId: Number(issueId) } })).map((i) => i.id);
    expect([...perItem.keys()].sort((a, b) => a - b)).toEqual(itemIds.sort((a, b) => a - b));
    const expected = [Number(w.engineer.id), Number(w.serviceLead.id)].sort((a, b) => a - b);
    for (const recipients of perItem.values()) expect(recipients).toEqual(expected);
    expect(await messages.countBy({ kind: MessageKind.ACTION_OVERDUE, status: MessageStatus.PENDING })).toBe(ITEMS * 2);
  });
});
