import { createHash } from "node:crypto";
import { EntityManager, In } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { HOUR_MS } from "../common/clock";
import { FeedbackSource, VerificationStatus } from "../common/enums";
import { FeedbackFlagReason, VerificationAction } from "../common/feedback-enums";
import {
  Customer,
  Feedback,
  FeedbackFlag,
  FeedbackScore,
  FeedbackVerificationEntry,
  KeywordTag,
  ServiceTicket,
} from "../entity";
import { currentRequestId } from "../db/request-scope";
import type { FeedbackSupplement } from "../entity/feedback/feedback-verification.entity";
import type { ScheduledJob } from "../entity/job/scheduled-job.entity";
import { dateParam, insertSkippingDuplicates, tableOf } from "../import/sql";
import type { JobContext } from "../jobs/handlers";
import { JobKind } from "../jobs/job-kind";
import { cancelJobs, scheduleJob } from "../jobs/scheduler";
import { MessageKind } from "../notify/message-kind";
import { enqueueForUsers, usersWithRole } from "../notify/recipients";
import { DEFAULT_DIMENSIONS } from "./reference.service";
import type { Settings } from "./settings";
import { systemActor } from "./system-actor";
import { customerLabel } from "../privacy/masking";

/**
 * Feedback verification (DESIGN.md step 2): which feedback must be checked before it is trusted,
 * the 待核实 deadline and its escalation, and the append-only verification history.
 *
 * Rules, applied to feedback as it is recorded (`flagsFor`):
 * - EXTREME_SAMPLED: the overall rating is 1 or 5 — the `overall` score when the feedback has
 *   one, else the mean of its scores (so only uniformly extreme feedback counts) — and the
 *   feedback falls in the call-back sample: a hash of its id, read as a number in [0, 1), is
 *   below `verification.extremeSampleRate`. The draw is reproducible (same id, same answer);
 *   rate 0 samples nothing and rate 1 everything.
 * - LOW_SCORE_NO_COMMENT: some score is ≤ `verification.lowScoreAtMost` and there is no comment.
 * - TICKET_MISMATCH: the feedback names a ticket with a recorded first response, and either the
 *   customer says the response was slow (responsiveness ≤ lowScoreAtMost, or a keyword of the
 *   responsiveness category such as 响应慢) while the ticket was answered within
 *   `verification.onTimeResponseHours`, or the customer rates responsiveness high
 *   (≥ 6 − lowScoreAtMost, i.e. 4 or 5 by default, with no slow-response keyword) while the
 *   ticket was answered later than that.
 * The first two do not apply to complaints (a complaint is handled through its own issue).
 *
 * Recorded feedback with a flag is put TO_VERIFY with a deadline of `verification.verifyWithinHours`
 * and a FEEDBACK_VERIFY_DUE job; so is feedback a person marks TO_VERIFY. When the job falls due
 * and the feedback is still TO_VERIFY with that deadline, every quality specialist is e-mailed
 * (outbox, once per deadline) and the escalation is written to the history. Imported feedback is
 * flagged only: historical exports change no status, set no deadline and page nobody.
 */

/** The dimension whose score speaks about response times. */
export const RESPONSIVENESS = "responsiveness";
const OVERALL = "overall";

type Score = { dimension: string; score: number };

export interface FlagFacts {
  feedbackId: number;
  source: FeedbackSource;
  comment: string | null;
  scores: readonly Score[];
  /** Keyword tags found in the comment. */
  tagCodes: readonly string[];
  /** Keyword tags whose category is responsiveness (slow response, late arrival …), code → label. */
  slowResponseTags: ReadonlyMap<string, string>;
  ticket: Pick<ServiceTicket, "code" | "openedAt" | "firstResponseAt"> | null;
}

export interface RaisedFlag {
  reason: FeedbackFlagReason;
  detail: string;
}

/** The overall rating: the `overall` score if given, else the mean of the scores (null: none). */
export function overallRating(scores: readonly Score[]): number | null {
  const overall = scores.find((score) => score.dimension === OVERALL);
  if (overall) return overall.score;
  if (scores.length === 0) return null;
  return scores.reduce((sum, score) => sum + score.score, 0) / scores.length;
}

/** A reproducible draw in [0, 1) per feedback id. */
export function sampleDraw(feedbackId: number): number {
  return createHash("sha256").update(`callback-sample:${feedbackId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Whether feedback with an extreme rating is drawn for a call-back at `rate` (0 none, 1 all). */
export function sampledForCallBack(feedbackId: number, rate: number): boolean {
  return sampleDraw(feedbackId) < rate;
}

/** The verification flags of one feedback (pure; see the module comment for the rules). */
export function flagsFor(facts: FlagFacts, settings: Settings["verification"]): RaisedFlag[] {
  const flags: RaisedFlag[] = [];
  const notComplaint = facts.source !== FeedbackSource.COMPLAINT;
  const overall = overallRating(facts.scores);
  const extreme = overall === 1 || overall === 5;
  if (notComplaint && extreme && sampledForCallBack(facts.feedbackId, settings.extremeSampleRate)) {
    flags.push({
      reason: FeedbackFlagReason.EXTREME_SAMPLED,
      detail: `总体评价 ${overall} 分（极端评分），按 ${formatRate(settings.extremeSampleRate)} 抽样回访确认客户真实意图`,
    });
  }
  const hasComment = facts.comment !== null && facts.comment.trim() !== "";
  const low = facts.scores.filter((score) => score.score <= settings.lowScoreAtMost);
  if (notComplaint && low.length > 0 && !hasComment) {
    flags.push({
      reason: FeedbackFlagReason.LOW_SCORE_NO_COMMENT,
      detail: `低分（${low.map(describeScore).join("，")}）且无文字说明，需在 ${settings.verifyWithinHours} 小时内联系客户补充`,
    });
  }
  const mismatch = ticketMismatch(facts, settings);
  if (mismatch) flags.push({ reason: FeedbackFlagReason.TICKET_MISMATCH, detail: mismatch });
  return flags;
}

function ticketMismatch(facts: FlagFacts, settings: Settings["verification"]): string | null {
  const ticket = facts.ticket;
  if (!ticket?.firstResponseAt) return null;
  const hours = (ticket.firstResponseAt.getTime() - ticket.openedAt.getTime()) / HOUR_MS;
  const onTime = hours <= settings.onTimeResponseHours;
  const responsiveness = facts.scores.find((score) => score.dimension === RESPONSIVENESS)?.score ?? null;
  const slowTags = facts.tagCodes.filter((code) => facts.slowResponseTags.has(code));
  const lowScore = responsiveness !== null && responsiveness <= settings.lowScoreAtMost;
  const highScore = responsiveness !== null && responsiveness >= 6 - settings.lowScoreAtMost;
  const saysSlow = lowScore || slowTags.length > 0;
  const saysOnTime = highScore && slowTags.length === 0;
  const standard = formatHours(settings.onTimeResponseHours);
  const took = `工单 ${ticket.code} 首次响应用时 ${formatHours(hours)} 小时（标准 ${standard} 小时）`;
  if (saysSlow && onTime) {
    const labels = slowTags.map((code) => facts.slowResponseTags.get(code) ?? code);
    const said = [
      lowScore ? `响应及时性 ${responsiveness} 分` : null,
      labels.length > 0 ? `评论提到“${labels.join("、")}”` : null,
    ].filter(Boolean);
    return `客户反映响应慢（${said.join("，")}），但${took}，按时`;
  }
  if (saysOnTime && !onTime) return `客户给响应及时性 ${responsiveness} 分，但${took}，已超时`;
  return null;
}

const DIMENSION_NAMES = new Map(DEFAULT_DIMENSIONS.map((dimension) => [dimension.code, dimension.name]));

/** 响应及时性 1 分 — the Chinese name of a default dimension, else its code. */
export function describeScore(score: Score): string {
  return `${DIMENSION_NAMES.get(score.dimension) ?? score.dimension} ${score.score} 分`;
}

function formatHours(hours: number): string {
  return String(Math.round(hours * 10) / 10);
}

function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** The tags that speak about response times (category responsiveness), code → Chinese label. */
export function slowResponseTagCodes(tags: readonly KeywordTag[]): Map<string, string> {
  return new Map(tags.filter((tag) => tag.category === RESPONSIVENESS).map((tag) => [tag.code, tag.labelZh]));
}

// ---------------------------------------------------------------------------------------------
// Writing flags, deadlines and history.
// ---------------------------------------------------------------------------------------------

/**
 * Stores flags (a flag raised already is kept as it was) with multi-row INSERTs. Plain SQL rather
 * than the query builder: the import hook stores a whole batch's flags at once, and the query
 * builder's per-value parameter handling cost more CPU than the database's work.
 */
export async function storeFlags(
  tx: EntityManager,
  flags: readonly { feedbackId: number; flag: RaisedFlag }[],
  now: Date,
): Promise<void> {
  const flaggedAt = dateParam(tx, FeedbackFlag, "flaggedAt")(now);
  await insertSkippingDuplicates(
    tx,
    tableOf(tx, FeedbackFlag),
    ["feedbackId", "reason", "detail", "flaggedAt"],
    flags.map(({ feedbackId, flag }) => [feedbackId, flag.reason, [...flag.detail].slice(0, 500).join(""), flaggedAt]),
    "feedbackId",
  );
}

/** The job key of a verification deadline; a new deadline gets a new job. */
export function verifyDueKey(feedbackId: number, dueAt: Date): string {
  return `feedback:${feedbackId}:verify:${dueAt.getTime()}`;
}

/** Schedules the FEEDBACK_VERIFY_DUE job of a deadline. */
export async function scheduleVerifyDue(tx: EntityManager, feedbackId: number, dueAt: Date): Promise<void> {
  await scheduleJob(tx, {
    kind: JobKind.FEEDBACK_VERIFY_DUE,
    subjectId: feedbackId,
    dueAt,
    dedupeKey: verifyDueKey(feedbackId, dueAt),
  });
}

/** Cancels the pending deadline job of feedback whose verification is complete. */
export async function cancelVerifyDue(
  tx: EntityManager,
  feedback: Pick<Feedback, "id" | "verificationDueAt">,
  now: Date,
): Promise<void> {
  if (!feedback.verificationDueAt) return;
  await cancelJobs(tx, [verifyDueKey(feedback.id, feedback.verificationDueAt)], now);
}

export interface HistoryEntry {
  feedbackId: number;
  action: VerificationAction;
  fromStatus: VerificationStatus;
  toStatus: VerificationStatus;
  actor: Actor;
  reason: string;
  supplement?: FeedbackSupplement | null;
  at: Date;
}

/** Appends one step to the verification history. */
export async function appendHistory(tx: EntityManager, entry: HistoryEntry): Promise<void> {
  await tx.insert(FeedbackVerificationEntry, {
    feedbackId: entry.feedbackId,
    action: entry.action,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    actorId: entry.actor.id,
    reason: entry.reason,
    supplement: (entry.supplement ?? null) as never,
    at: entry.at,
    requestId: currentRequestId(),
  });
}

/**
 * Applies the flags of feedback just recorded (not imported): stores them and, if there are any,
 * puts the feedback TO_VERIFY with its deadline job and a history entry by the system user. The
 * row was inserted in this very transaction and nobody has read it, so its version stays 1.
 */
export async function putToVerifyOnArrival(
  tx: EntityManager,
  feedback: Feedback,
  flags: readonly RaisedFlag[],
  settings: Settings,
  now: Date,
): Promise<void> {
  if (flags.length === 0) return;
  await storeFlags(tx, flags.map((flag) => ({ feedbackId: feedback.id, flag })), now);
  const dueAt = new Date(now.getTime() + settings.verification.verifyWithinHours * HOUR_MS);
  const reason = flags.map((flag) => flag.detail).join("；");
  await tx.update(
    Feedback,
    { id: feedback.id },
    {
      verificationStatus: VerificationStatus.TO_VERIFY,
      verificationDueAt: dueAt,
      verificationNote: [...reason].slice(0, 500).join(""),
    },
  );
  await scheduleVerifyDue(tx, feedback.id, dueAt);
  await appendHistory(tx, {
    feedbackId: feedback.id,
    action: VerificationAction.MARKED_TO_VERIFY,
    fromStatus: feedback.verificationStatus,
    toStatus: VerificationStatus.TO_VERIFY,
    actor: await systemActor(tx),
    reason,
    at: now,
  });
  feedback.verificationStatus = VerificationStatus.TO_VERIFY;
  feedback.verificationDueAt = dueAt;
}

/**
 * FEEDBACK_VERIFY_DUE: feedback still TO_VERIFY at its deadline is escalated to the quality
 * specialists by e-mail (outbox) and the escalation is recorded in its history. Nothing happens
 * when it was verified, invalidated or given a new deadline meanwhile. The outbox keys name the
 * deadline, so a deadline escalates at most once even if the job ran twice.
 */
export async function handleVerificationDue({ tx, now }: JobContext, job: ScheduledJob): Promise<void> {
  const feedback = await tx.getRepository(Feedback).findOneBy({ id: job.subjectId });
  if (!feedback || feedback.verificationStatus !== VerificationStatus.TO_VERIFY) return;
  if (feedback.verificationDueAt?.getTime() !== job.dueAt.getTime()) return;

  const customer = await tx.getRepository(Customer).findOneBy({ id: feedback.customerId });
  const scores = await tx
    .getRepository(FeedbackScore)
    .find({ where: { feedbackId: feedback.id }, order: { dimension: "ASC" } });
  const flags = await tx.getRepository(FeedbackFlag).findBy({ feedbackId: feedback.id });
  const specialists = await usersWithRole(tx, "QUALITY_SPECIALIST");
  const body = [
    `客户反馈 #${feedback.id}（客户：${customerLabel(customer, feedback.customerId)}）应于 ${feedback.verificationDueAt.toISOString()} 前完成核实，目前仍为待核实。`,
    `评分：${scores.map(describeScore).join("，") || "无"}`,
    `评论：${feedback.comment ?? "（无）"}`,
    `待核实原因：${flags.map((flag) => flag.detail).join("；") || feedback.verificationNote || "人工标记"}`,
    "请尽快回访客户，补充信息后标记为已核实或无效。",
  ].join("\n");
  await enqueueForUsers(
    tx,
    specialists,
    {
      kind: MessageKind.VERIFICATION_OVERDUE,
      subject: `【待核实超时】客户反馈 #${feedback.id} 未在期限内核实`,
      body,
      payload: { feedbackId: feedback.id, dueAt: feedback.verificationDueAt.toISOString() },
      dedupePrefix: `feedback:${feedback.id}:verify-overdue:${job.dueAt.getTime()}`,
    },
    now,
  );
  await appendHistory(tx, {
    feedbackId: feedback.id,
    action: VerificationAction.ESCALATED,
    fromStatus: VerificationStatus.TO_VERIFY,
    toStatus: VerificationStatus.TO_VERIFY,
    actor: await systemActor(tx),
    reason:
      specialists.length > 0
        ? `超过核实期限，已通知质量专员：${specialists.map((user) => user.name).join("、")}`
        : "超过核实期限，但没有可通知的质量专员",
    at: now,
  });
}

/** Tickets by id, in chunks of 1000 ids. */
export async function loadTickets(tx: EntityManager, ticketIds: number[]): Promise<Map<number, ServiceTicket>> {
  const unique = [...new Set(ticketIds)];
  const tickets = new Map<number, ServiceTicket>();
  for (let i = 0; i < unique.length; i += 1000) {
    for (const ticket of await tx.getRepository(ServiceTicket).findBy({ id: In(unique.slice(i, i + 1000)) })) {
      tickets.set(ticket.id, ticket);
    }
  }
  return tickets;
}
