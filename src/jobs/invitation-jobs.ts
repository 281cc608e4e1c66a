import { expireInvitation, remindInvitation, sendInvitation } from "../service/survey-invitation.service";
import type { JobHandler } from "./handlers";

/**
 * Survey invitation deadlines. Each job's subject is the invitation; the work happens in the
 * sweeper's claiming transaction, and an invitation that has moved on (answered, expired, its
 * campaign closed) makes the job moot rather than failing it.
 */

/** INVITATION_SEND: token, outbox message, then the reminder and expiry jobs (or a call-back task). */
export const handleInvitationSend: JobHandler = ({ tx, now }, job) => sendInvitation(tx, job.subjectId, now);

/** INVITATION_REMIND: the one reminder to a customer who has not answered. */
export const handleInvitationRemind: JobHandler = ({ tx, now }, job) => remindInvitation(tx, job.subjectId, now);

/** INVITATION_EXPIRE: the survey window closes. */
export const handleInvitationExpire: JobHandler = ({ tx, now }, job) => expireInvitation(tx, job.subjectId, now);
