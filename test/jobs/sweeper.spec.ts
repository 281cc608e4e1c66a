import { DataSource, In } from "typeorm";
import { HOUR_MS } from "../../src/common/clock";
import { inTransaction } from "../../src/db/transaction";
import { OutboxMessage, ScheduledJob } from "../../src/entity";
import { JOB_HANDLERS, JobHandler } from "../../src/jobs/handlers";
import { JobKind, JobStatus } from "../../src/jobs/job-kind";
import { scheduleJob } from "../../src/jobs/scheduler";
import { startSweeper, sweepDueJobs } from "../../src/jobs/sweeper";
import { MessageKind, RecipientType, Transport } from "../../src/notify/message-kind";
import { enqueueMessage } from "../../src/notify/outbox";
import { startTestApp, TestApp } from "../support/test-app";
import { usingMysql } from "../support/test-database";

/**
 * The sweeper's mechanics — claiming, catch-up, failure handling, concurrency — with a stand-in
 * handler for one job kind that queues one outbox message per job and can be told to fail. The
 * real handlers are exercised by the SLA, delivery and kill tests.
 */

const KIND = JobKind.ACTION_OVERDUE;
const realHandler = JOB_HANDLERS[KIND];

/** What the stand-in handler does for a job, by payload. */
type Behaviour = { fail?: boolean; breakTransaction?: boolean };

const standIn: JobHandler = async ({ tx, now }, job) => {
  const behaviour = (job.payload ?? {}) as Behaviour;
  await enqueueMessage(
    tx,
    {
      kind: MessageKind.ACTION_OVERDUE,
      transport: Transport.EMAIL,
      recipientType: RecipientType.USER,
      recipientId: 1,
      address: "owner@example.test",
      subject: `job ${job.id}`,
      body: "stand-in",
      dedupeKey: `test:${job.id}`,
    },
    now,
  );
  // What a deadlock does on MySQL: the server aborts the whole transaction under the handler.
  if (behaviour.breakTransaction) await tx.query("ROLLBACK");
  if (behaviour.fail) throw new Error(`handler of job ${job.id} failed`);
};

describe("the job sweeper", () => {
  let app: TestApp;
  let t0: Date;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());
  beforeEach(async () => {
    JOB_HANDLERS[KIND] = standIn;
    await app.dataSource.getRepository(ScheduledJob).clear();
    await app.dataSource.getRepository(OutboxMessage).clear();
    t0 = app.clock.now();
  });
  afterEach(() => {
    JOB_HANDLERS[KIND] = realHandler;
  });

  async function schedule(count: number, dueAt: (i: number) => Date, payload: (i: number) => Behaviour = () => ({})) {
    await inTransaction(app.dataSource, async (tx) => {
      for (let i = 0; i < count; i++) {
        await scheduleJob(tx, { kind: KIND, subjectId: i + 1, dueAt: dueAt(i), dedupeKey: `test-job:${i}`, payload: payload(i) });
      }
    });
    return app.dataSource.getRepository(ScheduledJob).find({ order: { id: "ASC" } });
  }
  const jobs = () => app.dataSource.getRepository(ScheduledJob).find({ order: { id: "ASC" } });
  const messageSubjects = async () =>
    (await app.dataSource.getRepository(OutboxMessage).find({ order: { id: "ASC" } })).map((m) => m.subject);

  it("claims due jobs with FOR UPDATE SKIP LOCKED on MySQL, and under the write lock on SQLite", async () => {
    await schedule(1, () => t0);
    app.statements.length = 0;
    await sweepDueJobs(app.dataSource, { now: t0 });
    const claim = app.statements.find((sql) => /SELECT .* FROM [`"]scheduled_job[`"]/.test(sql));
    expect(claim).toBeDefined();
    if (usingMysql()) {
      // TypeORM renders the lock for the MariaDB/MySQL drivers after ORDER BY … LIMIT.
      expect(claim).toMatch(/ORDER BY .* LIMIT 50 FOR UPDATE SKIP LOCKED$/);
    } else {
      expect(claim).not.toMatch(/FOR UPDATE/);
      const lock = app.statements.indexOf("UPDATE scheduled_job SET id = id WHERE 1 = 0");
      expect(lock).toBeGreaterThanOrEqual(0);
      expect(lock).toBeLessThan(app.statements.indexOf(claim!));
    }
  });

  it("catches up on every job that fell due during downtime in one call, leaving future ones", async () => {
    // 130 deadlines spread over the three days the sweeper was down, 5 still in the future.
    await schedule(130, (i) => new Date(t0.getTime() - 72 * HOUR_MS + i * 30 * 60_000));
    await inTransaction(app.dataSource, async (tx) => {
      for (let i = 0; i < 5; i++) {
        await scheduleJob(tx, { kind: KIND, subjectId: 900 + i, dueAt: new Date(t0.getTime() + (i + 1) * HOUR_MS), dedupeKey: `future:${i}` });
      }
    });

    const result = await sweepDueJobs(app.dataSource, { now: t0, batchSize: 20 });

    expect(result).toEqual({ done: 130, retried: 0, failed: 0 });
    const all = await jobs();
    expect(all.filter((job) => job.status === JobStatus.DONE)).toHaveLength(130);
    expect(all.filter((job) => job.status === JobStatus.DONE).every((job) => job.attempts === 1)).toBe(true);
    expect(all.filter((job) => job.dedupeKey.startsWith("future:")).map((job) => job.status)).toEqual(
      Array(5).fill(JobStatus.PENDING),
    );
    expect(await messageSubjects()).toHaveLength(130);
    // Nothing is left for a second call at the same time.
    expect(await sweepDueJobs(app.dataSource, { now: t0, batchSize: 20 })).toEqual({ done: 0, retried: 0, failed: 0 });
  });

  it("rolls a failing handler back, retries it with backoff (no hot loop) and marks it FAILED after the last attempt", async () => {
    const [, , poison] = await schedule(5, () => t0, (i) => ({ fail: i === 2 }));
    const policy = { batchSize: 10, maxAttempts: 3, retryBaseMs: 60_000, retryMaxMs: 10 * 60_000 };

    expect(await sweepDueJobs(app.dataSource, { ...policy, now: t0 })).toEqual({ done: 4, retried: 1, failed: 0 });
    let job = await app.dataSource.getRepository(ScheduledJob).findOneByOrFail({ id: poison.id });
    expect(job).toMatchObject({ status: JobStatus.PENDING, attempts: 1 });
    expect(job.lastError).toContain(`handler of job ${poison.id} failed`);
    expect(job.dueAt.getTime()).toBe(t0.getTime() + 60_000);
    // Its message was rolled back with it; the others' committed.
    expect(await messageSubjects()).not.toContain(`job ${poison.id}`);
    expect(await messageSubjects()).toHaveLength(4);

    // Sweeping again at the same time does not touch it: the retry waits for its backoff.
    expect(await sweepDueJobs(app.dataSource, { ...policy, now: t0 })).toEqual({ done: 0, retried: 0, failed: 0 });

    const t1 = new Date(t0.getTime() + 60_000);
    expect(await sweepDueJobs(app.dataSource, { ...policy, now: t1 })).toEqual({ done: 0, retried: 1, failed: 0 });
    job = await app.dataSource.getRepository(ScheduledJob).findOneByOrFail({ id: poison.id });
    expect(job).toMatchObject({ status: JobStatus.PENDING, attempts: 2 });
    expect(job.dueAt.getTime()).toBe(t1.getTime() + 120_000); // doubled

    const t2 = new Date(t1.getTime() + 120_000);
    expect(await sweepDueJobs(app.dataSource, { ...policy, now: t2 })).toEqual({ done: 0, retried: 0, failed: 1 });
    job = await app.dataSource.getRepository(ScheduledJob).findOneByOrFail({ id: poison.id });
    expect(job).toMatchObject({ status: JobStatus.FAILED, attempts: 3 });
    expect(job.completedAt?.getTime()).toBe(t2.getTime());
    expect(await sweepDueJobs(app.dataSource, { ...policy, now: new Date(t2.getTime() + 24 * HOUR_MS) })).toEqual({
      done: 0,
      retried: 0,
      failed: 0,
    });
    expect(await messageSubjects()).toHaveLength(4);
  });

  it("isolates a job that aborts the whole transaction (as a deadlock does on MySQL) and commits the rest", async () => {
    const [, breaker] = await schedule(6, () => t0, (i) => ({ breakTransaction: i === 1, fail: i === 1 }));

    expect(await sweepDueJobs(app.dataSource, { now: t0, batchSize: 10 })).toEqual({ done: 5, retried: 1, failed: 0 });

    const all = await jobs();
    expect(all.filter((job) => job.status === JobStatus.DONE).map((job) => job.attempts)).toEqual([1, 1, 1, 1, 1]);
    const broken = all.find((job) => job.id === breaker.id)!;
    expect(broken).toMatchObject({ status: JobStatus.PENDING, attempts: 1 });
    expect(broken.dueAt.getTime()).toBeGreaterThan(t0.getTime());
    const subjects = await messageSubjects();
    expect(subjects).toHaveLength(5);
    expect(subjects).not.toContain(`job ${breaker.id}`);
  });

  it("lets two sweepers running at once handle every job exactly once", async () => {
    await schedule(120, (i) => new Date(t0.getTime() - i * 1000));
    // MySQL: a second connection pool, as a second server process would have. SQLite: the same
    // DataSource, because one process serialises its writes (a second in-process connection would
    // block the event loop on SQLite's lock); other processes are covered by the kill test.
    const other = usingMysql() ? await new DataSource(app.dataSource.options).initialize() : app.dataSource;
    try {
      const [a, b] = await Promise.all([
        sweepDueJobs(app.dataSource, { now: t0, batchSize: 10 }),
        sweepDueJobs(other, { now: t0, batchSize: 10 }),
      ]);
      expect(a.done + b.done).toBe(120);
      expect(a.retried + b.retried + a.failed + b.failed).toBe(0);
    } finally {
      if (other !== app.dataSource) await other.destroy();
    }
    const all = await jobs();
    expect(all.every((job) => job.status === JobStatus.DONE && job.attempts === 1)).toBe(true);
    const subjects = await messageSubjects();
    expect(new Set(subjects).size).toBe(120);
    expect(subjects).toHaveLength(120);
  });

  it("runs deadlines and then delivery in background rounds until stopped, closing the transports", async () => {
    await schedule(3, () => t0);
    const delivered: string[] = [];
    let allDelivered!: () => void;
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    let closed = false;
    const swept: number[] = [];
    const worker = startSweeper(app.dataSource, {
      intervalMs: 20,
      transports: {
        [Transport.EMAIL]: {
          send: async (message) => {
            delivered.push(message.subject);
            if (delivered.length === 3) allDelivered();
          },
          close: () => {
            closed = true;
          },
        },
      },
      onRound: (round) => swept.push(round.jobs.done),
      onError: (error) => {
        throw error;
      },
    });
    await done; // waits for the worker's own rounds, however many it takes
    await worker.stop();

    expect(closed).toBe(true);
    expect(swept.reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(delivered.sort()).toEqual((await jobs()).map((job) => `job ${job.id}`).sort());
    expect((await jobs()).every((job) => job.status === JobStatus.DONE)).toBe(true);
    const sent = await app.dataSource.getRepository(OutboxMessage).find();
    expect(sent.map((m) => m.status)).toEqual(["SENT", "SENT", "SENT"]);
  });

  it("leaves jobs that are not due yet alone", async () => {
    await schedule(3, (i) => new Date(t0.getTime() + (i + 1) * 1000));
    expect(await sweepDueJobs(app.dataSource, { now: t0 })).toEqual({ done: 0, retried: 0, failed: 0 });
    const pending = await app.dataSource.getRepository(ScheduledJob).countBy({ status: In([JobStatus.PENDING]) });
    expect(pending).toBe(3);
  });
});
