import type { EntityManager } from "typeorm";
import type { ScheduledJob } from "../entity/job/scheduled-job.entity";
import { JobKind } from "./job-kind";
import { handleVerificationDue } from "../service/feedback-verification";
import { handleInvitationExpire, handleInvitationRemind, handleInvitationSend } from "./invitation-jobs";
import { handleActionOverdue } from "../service/action-overdue";
import { handleSlaJob } from "../service/complaint-sla.service";

/** What a handler gets: the claiming transaction and the sweeper's "now" (injected in tests). */
export interface JobContext {
  tx: EntityManager;
  now: Date;
}

/**
 * Handles one due job inside the transaction that claimed it. Everything it writes (outbox
 * messages, state, follow-up jobs) commits together with the job being marked DONE, or not at
 * all. A handler may decide the job is moot (the customer already answered) and just return.
 */
export type JobHandler = (context: JobContext, job: ScheduledJob) => Promise<void>;

/** One handler per kind; the feature modules provide them. */
export const JOB_HANDLERS: Record<JobKind, JobHandler> = {
  [JobKind.INVITATION_SEND]: handleInvitationSend,
  [JobKind.INVITATION_REMIND]: handleInvitationRemind,
  [JobKind.INVITATION_EXPIRE]: handleInvitationExpire,
  [JobKind.FEEDBACK_VERIFY_DUE]: handleVerificationDue,
  [JobKind.SLA_RESPOND]: handleSlaJob,
  [JobKind.SLA_PLAN]: handleSlaJob,
  [JobKind.SLA_CLOSE]: handleSlaJob,
  [JobKind.ACTION_OVERDUE]: handleActionOverdue,
};
