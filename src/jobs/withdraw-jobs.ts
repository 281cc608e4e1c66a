import { EntityManager, In } from "typeorm";
import { ScheduledJob } from "../entity/job/scheduled-job.entity";
import { JobStatus } from "./job-kind";

/**
 * Cancels pending jobs that are no longer needed, like `cancelJobs`, but passes over a job that a
 * sweeper holds right now (`FOR UPDATE SKIP LOCKED` on MySQL): its handler will find it moot.
 *
 * Why not wait for it: callers run inside an issue transition, holding the row lock, and
 * an SLA handler holds its job's row lock while waiting for that issue lock. Waiting here would
 * close the cycle and MySQL would abort one of the two transactions (the user's, possibly).
 * SQLite serialises write transactions, so nothing is ever held there.
 */
export async function withdrawJobs(tx: EntityManager, dedupeKeys: string[], now: Date): Promise<void> {
  if (dedupeKeys.length === 0) return;
  const query = tx
    .getRepository(ScheduledJob)
    .createQueryBuilder("job")
    .select(["job.id"])
    .where("job.dedupeKey IN (:...dedupeKeys) AND job.status = :pending", {
      dedupeKeys,
      pending: JobStatus.PENDING,
    });
  if (tx.connection.options.type !== "better-sqlite3") query.setLock("pessimistic_write").setOnLocked("skip_locked");
  const ids = (await query.getMany()).map((job) => job.id);
  if (ids.length === 0) return;
  await tx
    .createQueryBuilder()
    .update(ScheduledJob)
    .set({ status: JobStatus.CANCELLED, completedAt: now })
    .where({ id: In(ids), status: JobStatus.PENDING })
    .execute();
}
