import { EntityManager } from "typeorm";
import { DAY_MS } from "../common/clock";
import { ActionItem, Issue, User } from "../entity";
import { ScheduledJob } from "../entity/job/scheduled-job.entity";
import type { JobHandler } from "../jobs/handlers";
import { JobKind, JobStatus } from "../jobs/job-kind";
import { cancelJobs, scheduleJob } from "../jobs/scheduler";
import { MessageKind } from "../notify/message-kind";
import { departmentLeads, enqueueForUsers } from "../notify/recipients";

/**
 * Overdue action items (DESIGN step 7: "overdue and at-risk items surface on their own"). An
 * action is overdue once its planned end day (UTC, as `isOverdue` in the action-item service
 * counts it) is over and it is neither done nor cancelled. The deadline is a durable job due at
 * the end of that day, i.e. 00:00 UTC of the next day.
 */

/** The end of a "YYYY-MM-DD" day in UTC. */
export function endOfDayUtc(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS);
}

const overdueJobKey = (item: ActionItem) => `action:${item.id}:overdue:r${item.planRevision}`;

/**
 * Schedules the ACTION_OVERDUE job of an action item's current plan, in the caller's transaction:
 * when the item is drafted with its planned end (the deadline it is approved with; approval keeps
 * the same plan revision, so the same job stands) and when an approved adjustment changes the
 * planned end (a new plan revision: its own job, and the old deadline's pending job is cancelled).
 */
export async function scheduleActionOverdue(tx: EntityManager, item: ActionItem, now: Date): Promise<void> {
  const stale = await tx.getRepository(ScheduledJob).find({
    select: { dedupeKey: true },
    where: { kind: JobKind.ACTION_OVERDUE, subjectId: item.id, status: JobStatus.PENDING },
  });
  const current = overdueJobKey(item);
  await cancelJobs(
    tx,
    stale.map((job) => job.dedupeKey).filter((key) => key !== current),
    now,
  );
  await scheduleJob(tx, {
    kind: JobKind.ACTION_OVERDUE,
    subjectId: item.id,
    dueAt: endOfDayUtc(item.plannedEnd),
    dedupeKey: current,
    payload: { plannedEnd: item.plannedEnd, planRevision: item.planRevision },
  });
}

/**
 * The ACTION_OVERDUE handler: if the item is still open (not done or cancelled), its issue was
 * not cancelled, and the job belongs to the item's current planned end, e-mails the owner and the
 * head(s) of the item's department — once per plan revision and person (dedupe keys).
 */
export const handleActionOverdue: JobHandler = async ({ tx, now }, job) => {
  const item = await tx.getRepository(ActionItem).findOneBy({ id: job.subjectId });
  if (!item || item.state === "done" || item.state === "cancelled") return;
  const payload = (job.payload ?? {}) as { plannedEnd?: string; planRevision?: number };
  if (payload.plannedEnd !== undefined && payload.plannedEnd !== item.plannedEnd) return;
  const issue = await tx.getRepository(Issue).findOneBy({ id: item.issueId });
  if (!issue || issue.state === "cancelled") return;
  const owner = await tx.getRepository(User).findOneBy({ id: item.ownerId });
  const leads = await departmentLeads(tx, item.departmentId);
  const recipients = owner ? [owner, ...leads] : leads;
  await enqueueForUsers(
    tx,
    recipients,
    {
      kind: MessageKind.ACTION_OVERDUE,
      subject: `[逾期 Overdue] 改善措施 #${item.id} 已过计划完成日 ${item.plannedEnd}`,
      body: [
        `改善措施 Action item #${item.id}: ${item.description}`,
        `问题 Issue #${issue.id}: ${issue.title}`,
        `计划完成 Planned end: ${item.plannedEnd}`,
        `进度 Progress: ${item.progress}% (state ${item.state})`,
        `负责人 Owner: ${owner?.name ?? item.ownerId}`,
      ].join("\n"),
      payload: {
        actionItemId: item.id,
        issueId: issue.id,
        plannedEnd: item.plannedEnd,
        planRevision: item.planRevision,
      },
      dedupePrefix: `action-overdue:${item.id}:r${item.planRevision}`,
    },
    now,
  );
};
