import { EntityManager, In } from "typeorm";
import { ScheduledJob } from "../entity/job/scheduled-job.entity";
import { JobKind, JobStatus } from "./job-kind";

export interface JobRequest {
  kind: JobKind;
  subjectId: number;
  dueAt: Date;
  /** Unique per purpose, e.g. `invitation:12:remind`; a second request with it changes nothing. */
  dedupeKey: string;
  payload?: Record<string, unknown> | null;
}

/**
 * Stores a deadline in the caller's transaction, so it exists exactly when the change that
 * caused it commits. Idempotent on `dedupeKey` (INSERT IGNORE / INSERT OR IGNORE).
 */
export async function scheduleJob(tx: EntityManager, request: JobRequest): Promise<void> {
  await tx
    .createQueryBuilder()
    .insert()
    .into(ScheduledJob)
    .values({
      kind: request.kind,
      subjectId: request.subjectId,
      dueAt: request.dueAt,
      dedupeKey: request.dedupeKey,
      // simple-json columns take any JSON value; TypeORM's deep-partial type cannot express that.
      payload: (request.payload ?? null) as never,
      status: JobStatus.PENDING,
      attempts: 0,
      lastError: null,
      completedAt: null,
    })
    .orIgnore()
    .execute();
}

/** Cancels pending jobs that are no longer needed (e.g. a reminder once the customer answered). */
export async function cancelJobs(tx: EntityManager, dedupeKeys: string[], now: Date): Promise<void> {
  if (dedupeKeys.length === 0) return;
  await tx
    .createQueryBuilder()
    .update(ScheduledJob)
    .set({ status: JobStatus.CANCELLED, completedAt: now })
    .where({ dedupeKey: In(dedupeKeys), status: JobStatus.PENDING })
    .execute();
}
