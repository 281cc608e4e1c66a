import { randomBytes } from "node:crypto";
import { GraphQLError } from "graphql";
import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { evaluateTransition } from "../../workflows/runtime";
import {
  SURVEY_INVITATION_STATES,
  surveyInvitationWorkflow,
  windowIsOpen,
  type SurveyInvitationEventType,
  type SurveyInvitationFacts,
} from "../../workflows/survey-invitation.machine";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { clockOf, DAY_MS } from "../common/clock";
import { Channel, FeedbackSource, TicketType, WorkflowEntity } from "../common/enums";
import { badInput, notFound } from "../common/errors";
import { TransitionError, TransitionRefusal } from "../common/error-results";
import { optionalText } from "../common/validation";
import { inTransaction } from "../db/transaction";
import {
  Customer,
  OutboxMessage,
  ServiceTicket,
  SurveyCampaign,
  SurveyDimension,
  SurveyInvitation,
  SurveyTemplate,
} from "../entity";
import type { OpenAnswer } from "../entity/survey/survey-invitation.entity";
import { cancelJobs, scheduleJob } from "../jobs/scheduler";
import { JobKind } from "../jobs/job-kind";
import { MessageKind, RecipientType, Transport } from "../notify/message-kind";
import { enqueueMessage } from "../notify/outbox";
import { hashToken } from "./auth.service";
import { reload, whereStateIn } from "./common";
import { invitationJobKey } from "./invitation-scheduling";
import { insertFeedback } from "./feedback.service";
import { systemActor } from "./system-actor";
import { applyTransition, assertAllowed, attempt, nextEventsFor } from "./workflow-runner";
import { CONTACT_REFUSED_REASON } from "../privacy/consent";
import { mayContact } from "./contact-consent.service";

/** Where the survey page lives when QLOOP_SURVEY_URL is not set; the token is added as ?token=. */
export const DEFAULT_SURVEY_URL = "http://localhost:4000/survey";

/** Prefix of survey tokens, so a leaked one is recognisable (API tokens start with qlp_). */
const SURVEY_TOKEN_PREFIX = "qsv_";
/** The prefix plus 32 random bytes in base64url (43 characters), with room to spare. */
const SURVEY_TOKEN_MAX_LENGTH = 100;

/**
 * An open answer may be long, but the answers together (at most two, joined by a newline) become
 * the feedback comment, which holds TEXT_LIMITS.longText (5000) characters.
 */
export const OPEN_ANSWER_LIMIT = 2400;

/** Customers read dates in the service's local time. */
const CUSTOMER_TIME_ZONE = "Asia/Shanghai";

/**
 * Refusal codes of the public survey endpoints (extensions.code). They are distinct so the survey
 * page can tell the customer what happened: a mistyped link, an answer already given, a window
 * that has closed.
 */
export const SurveyTokenErrorCodes = {
  /** No invitation carries this token (mistyped, truncated, or never issued). */
  TOKEN_UNKNOWN: "TOKEN_UNKNOWN",
  /** The invitation was answered already; a token is accepted once. */
  TOKEN_USED: "TOKEN_USED",
  /** The answer window closed (judged by the clock, even before the expiry job ran). */
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
} as const;
export type SurveyTokenErrorCode = keyof typeof SurveyTokenErrorCodes;

function tokenRefused(code: SurveyTokenErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: SurveyTokenErrorCodes[code] } });
}

/** The survey answers as the public page or an agent submits them. */
export interface SurveyAnswer {
  scores: { dimension: string; score: number }[];
  /** Answers to the template's open questions, in order; blank or missing means skipped. */
  answers?: (string | null)[] | null;
}

export interface SurveyInvitationFilter {
  campaignId?: number | null;
  customerId?: number | null;
  ticketId?: number | null;
  states?: string[] | null;
  /** true: only call-back tasks (phone/visit campaigns); false: only message invitations. */
  callback?: boolean | null;
}

export type SurveyFormStatus = "OPEN" | "ANSWERED" | "EXPIRED";

/** What the public survey page may show: the questions and the service, nothing personal. */
export interface SurveyForm {
  status: SurveyFormStatus;
  title: string;
  dimensions: { code: string; name: string }[];
  openQuestions: string[];
  expiresAt: Date;
  service: { ticketCode: string; type: TicketType; completedAt: Date | null } | null;
}

export interface SurveyReceipt {
  respondedAt: Date;
}

/** Phone and visit campaigns create tasks for agents instead of sending a link. */
export function isCallbackChannel(channel: Channel): boolean {
  return channel === Channel.PHONE || channel === Channel.VISIT;
}

/** The link in the invitation and reminder: QLOOP_SURVEY_URL with the token as `token`. */
export function surveyLink(token: string): string {
  const url = new URL(process.env.QLOOP_SURVEY_URL || DEFAULT_SURVEY_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

/** Dedupe key of an invitation's outbox message; the reminder reads the link from the invitation's. */
function invitationMessageKey(invitationId: number, kind: "invitation" | "reminder"): string {
  return `survey:${invitationId}:${kind}`;
}

/** Locks an invitation row (MySQL) so jobs and answers read its latest committed state. */
async function lockInvitation(tx: EntityManager, id: number): Promise<SurveyInvitation | null> {
  const query = tx.getRepository(SurveyInvitation).createQueryBuilder("i").where("i.id = :id", { id });
  if (tx.connection.options.type !== "better-sqlite3") query.setLock("pessimistic_write");
  return query.getOne();
}

function invitationFacts(
  invitation: SurveyInvitation,
  campaign: SurveyCampaign,
  now: Date,
  tokenPresented = false,
): SurveyInvitationFacts {
  return { now, expiresAt: invitation.expiresAt, callback: isCallbackChannel(campaign.channel), tokenPresented };
}

interface InvitationMove {
  invitation: SurveyInvitation;
  campaign: SurveyCampaign;
  actor: Actor;
  type: SurveyInvitationEventType;
  now: Date;
  reason?: string | null;
  set?: Record<string, unknown>;
  tokenPresented?: boolean;
  expectedVersion?: number | null;
}

/** Runs one event through the invitation machine and persists it (see applyTransition). */
function moveInvitation(tx: EntityManager, move: InvitationMove): Promise<string> {
  return applyTransition(tx, {
    workflow: surveyInvitationWorkflow,
    entityType: WorkflowEntity.SURVEY_INVITATION,
    target: SurveyInvitation,
    row: move.invitation,
    context: {},
    event: {
      type: move.type,
      actor: move.actor,
      facts: invitationFacts(move.invitation, move.campaign, move.now, move.tokenPresented),
      reason: move.reason ?? null,
    },
    expectedVersion: move.expectedVersion,
    set: move.set,
  });
}

/**
 * Like moveInvitation, but a refusal is an answer, not an error: a job whose moment has passed
 * (a reminder after the window closed) just does nothing, without failing the sweeper's batch.
 */
async function moveInvitationIfAllowed(tx: EntityManager, move: InvitationMove): Promise<boolean> {
  const facts = invitationFacts(move.invitation, move.campaign, move.now, move.tokenPresented);
  const outcome = evaluateTransition(surveyInvitationWorkflow, move.invitation.state, {}, {
    type: move.type,
    actor: move.actor,
    facts,
    reason: move.reason ?? null,
  });
  if (!outcome.ok) return false;
  await moveInvitation(tx, move);
  return true;
}

/** How an invitation reaches its customer, or why it cannot. */
type DeliveryRoute =
  | { kind: "message"; transport: Transport; address: string }
  | { kind: "callback" }
  | { kind: "none"; reason: string };

/**
 * E-mail goes to the customer's address; SMS and app invitations go through the SMS/app gateway
 * webhook, addressed by phone number; a phone call-back needs a number to call; a visit needs
 * nothing stored here.
 */
function deliveryRoute(channel: Channel, customer: Customer): DeliveryRoute {
  switch (channel) {
    case Channel.EMAIL:
      return customer.email
        ? { kind: "message", transport: Transport.EMAIL, address: customer.email }
        : { kind: "none", reason: "客户没有电子邮箱地址 (the customer has no e-mail address)" };
    case Channel.SMS:
    case Channel.APP:
      return customer.phone
        ? { kind: "message", transport: Transport.WEBHOOK, address: customer.phone }
        : { kind: "none", reason: "客户没有手机号码 (the customer has no phone number)" };
    case Channel.PHONE:
      return customer.phone
        ? { kind: "callback" }
        : { kind: "none", reason: "客户没有电话号码，无法回访 (the customer has no phone number to call)" };
    case Channel.VISIT:
      return { kind: "callback" };
    default:
      return { kind: "none", reason: `channel ${channel} cannot carry a survey` };
  }
}

function newSurveyToken(): string {
  return SURVEY_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

function customerDate(date: Date): string {
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: CUSTOMER_TIME_ZONE,
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

function invitationBody(customer: Customer, ticket: ServiceTicket | null, link: string, expiresAt: Date): string {
  const about = ticket ? `（工单 ${ticket.code}）` : "";
  return (
    `${customer.name}，您好！感谢您选择我们的售后服务${about}。\n` +
    `请花两分钟为我们的服务打分：${link}\n` +
    `该链接仅可提交一次，${customerDate(expiresAt)}前有效。`
  );
}

function reminderBody(customer: Customer, link: string, expiresAt: Date): string {
  return (
    `${customer.name}，您好！您尚未完成我们的服务满意度调查，您的意见对我们很重要。\n` +
    `请点击填写：${link}\n` +
    `该链接${customerDate(expiresAt)}前有效。`
  );
}

/**
 * INVITATION_SEND: sends a scheduled invitation in the sweeper's transaction. A message invitation
 * gets its single-use token here: the hash is stored, the raw token goes only into the outbox
 * message (and its link), and the one reminder and the expiry are scheduled. A call-back task opens
 * for agents with only the expiry. Without an address for the channel the invitation is marked
 * undeliverable with the reason, and nothing is sent.
 */
export async function sendInvitation(tx: EntityManager, invitationId: number, now: Date): Promise<void> {
  const invitation = await lockInvitation(tx, invitationId);
  if (!invitation || invitation.state !== "scheduled") return;
  const campaign = await tx.getRepository(SurveyCampaign).findOneByOrFail({ id: invitation.campaignId });
  const actor = await systemActor(tx);
  const base = { invitation, campaign, actor, now };
  if (campaign.state === "closed") {
    const reason = "调查活动已关闭 (the campaign was closed before the invitation was sent)";
    await moveInvitation(tx, { ...base, type: "CANCEL", reason, set: { note: reason } });
    return;
  }
  const customer = await tx.getRepository(Customer).findOneByOrFail({ id: invitation.customerId });
  // Consent is checked when contact would happen, not at scheduling: a refusal given in between
  // still stops the invitation or call-back.
  const route: DeliveryRoute = (await mayContact(tx, customer.id))
    ? deliveryRoute(campaign.channel, customer)
    : { kind: "none", reason: CONTACT_REFUSED_REASON };
  if (route.kind === "none") {
    await moveInvitation(tx, { ...base, type: "SKIP", reason: route.reason, set: { note: route.reason } });
    return;
  }

  const expiresAt = new Date(now.getTime() + campaign.expiryDays * DAY_MS);
  const expire = { kind: JobKind.INVITATION_EXPIRE, subjectId: invitation.id, dueAt: expiresAt };
  if (route.kind === "callback") {
    await moveInvitation(tx, { ...base, type: "SEND", set: { sentAt: now, expiresAt } });
    await scheduleJob(tx, { ...expire, dedupeKey: invitationJobKey(invitation.id, "expire") });
    return;
  }

  const token = newSurveyToken();
  const link = surveyLink(token);
  await moveInvitation(tx, { ...base, type: "SEND", set: { sentAt: now, expiresAt, tokenHash: hashToken(token) } });
  const ticket = invitation.ticketId
    ? await tx.getRepository(ServiceTicket).findOneBy({ id: invitation.ticketId })
    : null;
  await enqueueMessage(
    tx,
    {
      kind: MessageKind.SURVEY_INVITATION,
      transport: route.transport,
      recipientType: RecipientType.CUSTOMER,
      recipientId: customer.id,
      address: route.address,
      subject: "请为我们的售后服务评分",
      body: invitationBody(customer, ticket, link, expiresAt),
      payload: {
        invitationId: invitation.id,
        campaignId: campaign.id,
        token,
        link,
        expiresAt: expiresAt.toISOString(),
      },
      dedupeKey: invitationMessageKey(invitation.id, "invitation"),
    },
    now,
  );
  await scheduleJob(tx, {
    kind: JobKind.INVITATION_REMIND,
    subjectId: invitation.id,
    dueAt: new Date(now.getTime() + campaign.reminderAfterDays * DAY_MS),
    dedupeKey: invitationJobKey(invitation.id, "remind"),
  });
  await scheduleJob(tx, { ...expire, dedupeKey: invitationJobKey(invitation.id, "expire") });
}

/**
 * INVITATION_REMIND: the one reminder, only to a customer who has neither answered nor let the
 * window close. It repeats the invitation's link, read from the invitation's outbox message (the
 * only place the raw token exists); the machine lets an invitation be reminded once.
 */
export async function remindInvitation(tx: EntityManager, invitationId: number, now: Date): Promise<void> {
  const invitation = await lockInvitation(tx, invitationId);
  if (!invitation || invitation.state !== "sent") return;
  const campaign = await tx.getRepository(SurveyCampaign).findOneByOrFail({ id: invitation.campaignId });
  const original = await tx
    .getRepository(OutboxMessage)
    .findOneBy({ dedupeKey: invitationMessageKey(invitation.id, "invitation") });
  const link = typeof original?.payload.link === "string" ? original.payload.link : null;
  // Without the invitation's message there is no link to repeat: better no reminder than a new
  // token that would silently disable the link the customer already has.
  if (!original || !link || !invitation.expiresAt) return;
  // A refusal given after the invitation went out stops the reminder.
  if (!(await mayContact(tx, invitation.customerId))) return;
  const actor = await systemActor(tx);
  const reminded = await moveInvitationIfAllowed(tx, {
    invitation,
    campaign,
    actor,
    type: "REMIND",
    now,
    set: { remindedAt: now },
  });
  if (!reminded) return;
  const customer = await tx.getRepository(Customer).findOneByOrFail({ id: invitation.customerId });
  await enqueueMessage(
    tx,
    {
      kind: MessageKind.SURVEY_REMINDER,
      transport: original.transport,
      recipientType: RecipientType.CUSTOMER,
      recipientId: customer.id,
      address: original.address,
      subject: "提醒：请为我们的售后服务评分",
      body: reminderBody(customer, link, invitation.expiresAt),
      payload: {
        invitationId: invitation.id,
        campaignId: campaign.id,
        link,
        expiresAt: invitation.expiresAt.toISOString(),
      },
      dedupeKey: invitationMessageKey(invitation.id, "reminder"),
    },
    now,
  );
}

/** INVITATION_EXPIRE: closes the window of an invitation nobody answered. */
export async function expireInvitation(tx: EntityManager, invitationId: number, now: Date): Promise<void> {
  const invitation = await lockInvitation(tx, invitationId);
  if (!invitation || (invitation.state !== "sent" && invitation.state !== "reminded")) return;
  const campaign = await tx.getRepository(SurveyCampaign).findOneByOrFail({ id: invitation.campaignId });
  await moveInvitationIfAllowed(tx, { invitation, campaign, actor: await systemActor(tx), type: "EXPIRE", now });
}

/** Cancels the scheduled (not yet sent) invitations of a closing campaign, with their send jobs. */
export async function cancelScheduledInvitations(
  tx: EntityManager,
  campaign: SurveyCampaign,
  actor: Actor,
  now: Date,
): Promise<void> {
  const scheduled = await tx
    .getRepository(SurveyInvitation)
    .find({ where: { campaignId: campaign.id, state: "scheduled" }, order: { id: "ASC" } });
  const reason = "调查活动已关闭 (the campaign was closed before the invitation was sent)";
  for (const invitation of scheduled) {
    await moveInvitation(tx, { invitation, campaign, actor, type: "CANCEL", now, reason, set: { note: reason } });
  }
  await cancelJobs(tx, scheduled.map((invitation) => invitationJobKey(invitation.id, "send")), now);
}

/**
 * The public survey (answered through a link with a single-use token) and the call-back tasks
 * agents complete for phone and visit campaigns.
 */
export class SurveyInvitationService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * What the survey page renders for a token: the template's dimensions and open questions, the
   * service it is about, and whether it can still be answered. Nothing about the customer.
   *
   * @throws TOKEN_UNKNOWN when no sent invitation carries the token.
   */
  async openSurvey(token: string): Promise<SurveyForm> {
    const manager = this.dataSource.manager;
    const invitation = await this.findByToken(manager, token);
    const campaign = await manager.getRepository(SurveyCampaign).findOneByOrFail({ id: invitation.campaignId });
    const template = await manager.getRepository(SurveyTemplate).findOneByOrFail({ id: campaign.templateId });
    const dimensions = await manager
      .getRepository(SurveyDimension)
      .find({ where: { templateId: template.id }, order: { position: "ASC" } });
    const ticket = invitation.ticketId
      ? await manager.getRepository(ServiceTicket).findOneBy({ id: invitation.ticketId })
      : null;
    return {
      status: formStatus(invitation, clockOf(this.dataSource).now()),
      title: template.name,
      dimensions: dimensions.map(({ code, name }) => ({ code, name })),
      openQuestions: template.openQuestions,
      expiresAt: invitation.expiresAt!,
      service: ticket ? { ticketCode: ticket.code, type: ticket.type, completedAt: ticket.completedAt } : null,
    };
  }

  /**
   * The customer's answer through the link: accepted once, while the window is open, with a score
   * on every dimension of the template and nothing else. The feedback (source SURVEY, the
   * campaign's channel) is recorded by the system actor with the intake rules applied, the
   * invitation is marked responded and its pending reminder and expiry are cancelled — all in one
   * transaction. Of two concurrent answers with one token exactly one wins: the second waits for the
   * first on the invitation's row lock (MySQL) or write queue (SQLite) and finds it used, and the
   * conditional update of the transition refuses it should it get that far.
   *
   * @throws TOKEN_UNKNOWN, TOKEN_USED, TOKEN_EXPIRED; BAD_USER_INPUT naming the field.
   */
  async submit(token: string, input: SurveyAnswer): Promise<SurveyReceipt> {
    return inTransaction(this.dataSource, async (tx) => {
      const found = await this.findByToken(tx, token);
      const now = clockOf(tx).now();
      // Jobs first, then the invitation: the sweeper locks in the same order (claimed job, then
      // invitation), so an answer racing the reminder waits instead of deadlocking.
      await cancelJobs(tx, [invitationJobKey(found.id, "remind"), invitationJobKey(found.id, "expire")], now);
      const invitation = (await lockInvitation(tx, found.id))!;
      if (invitation.state === "responded") throw tokenRefused("TOKEN_USED", "this survey was answered already");
      if (invitation.state === "expired" || !windowIsOpen({ now, expiresAt: invitation.expiresAt })) {
        throw tokenRefused("TOKEN_EXPIRED", "the survey window has closed");
      }
      const campaign = await tx.getRepository(SurveyCampaign).findOneByOrFail({ id: invitation.campaignId });
      const actor = await systemActor(tx);
      const move: InvitationMove = { invitation, campaign, actor, type: "RESPOND", now, tokenPresented: true };
      const outcome = evaluateTransition(surveyInvitationWorkflow, invitation.state, {}, {
        type: "RESPOND",
        actor,
        facts: invitationFacts(invitation, campaign, now, true),
      });
      if (!outcome.ok) throw tokenRefused("TOKEN_UNKNOWN", "this link does not open a survey");
      try {
        await recordAnswer(tx, move, input, { source: FeedbackSource.SURVEY });
      } catch (error) {
        // Another answer with the same token committed between our read and our write.
        if (error instanceof TransitionRefusal) {
          throw tokenRefused("TOKEN_USED", "this survey was answered already");
        }
        throw error;
      }
      return { respondedAt: now };
    });
  }

  /**
   * An agent's record of a call-back task (phone or visit campaign): the answers the customer gave
   * on the call, as feedback of source CALLBACK on the campaign's channel. The machine decides who
   * may record it and until when.
   */
  recordCallbackAnswer(
    actor: Actor,
    invitationId: number,
    input: SurveyAnswer,
    expectedVersion?: number | null,
  ): Promise<SurveyInvitation | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const found = await tx.getRepository(SurveyInvitation).findOneBy({ id: invitationId });
      if (!found) throw notFound("SurveyInvitation", invitationId);
      const now = clockOf(tx).now();
      await cancelJobs(tx, [invitationJobKey(found.id, "remind"), invitationJobKey(found.id, "expire")], now);
      const invitation = (await lockInvitation(tx, invitationId))!;
      const campaign = await tx.getRepository(SurveyCampaign).findOneByOrFail({ id: invitation.campaignId });
      const move: InvitationMove = { invitation, campaign, actor, type: "RESPOND", now, expectedVersion };
      // The machine's verdict comes before the answers are looked at: a refused recorder learns
      // that, not which score was wrong.
      assertAllowed(surveyInvitationWorkflow, WorkflowEntity.SURVEY_INVITATION, invitation, {}, {
        type: "RESPOND",
        actor,
        facts: invitationFacts(invitation, campaign, now),
      });
      await recordAnswer(tx, move, input, { source: FeedbackSource.CALLBACK });
      return reload(tx, SurveyInvitation, invitationId);
    });
  }

  list(filter: SurveyInvitationFilter, page: PageArgs): Promise<Connection<SurveyInvitation>> {
    const query = this.dataSource.getRepository(SurveyInvitation).createQueryBuilder("i");
    if (filter.campaignId) query.andWhere("i.campaignId = :campaignId", { campaignId: filter.campaignId });
    if (filter.customerId) query.andWhere("i.customerId = :customerId", { customerId: filter.customerId });
    if (filter.ticketId) query.andWhere("i.ticketId = :ticketId", { ticketId: filter.ticketId });
    whereStateIn(query, "i", filter.states, SURVEY_INVITATION_STATES);
    if (filter.callback != null) {
      const callbackChannels = [Channel.PHONE, Channel.VISIT];
      query.andWhere(
        `i.campaignId ${filter.callback ? "IN" : "NOT IN"} ` +
          "(SELECT c.id FROM survey_campaign c WHERE c.channel IN (:...callbackChannels))",
        { callbackChannels },
      );
    }
    return paginate(query, "i", page);
  }

  /** What `actor` may do with the invitation now: an agent may record a call-back's answers. */
  nextEvents(invitation: SurveyInvitation, campaign: SurveyCampaign | null, actor: Actor | null) {
    if (!campaign) return [];
    const facts = invitationFacts(invitation, campaign, clockOf(this.dataSource).now());
    return nextEventsFor(surveyInvitationWorkflow, invitation.state, {}, actor, facts);
  }

  /** Whether the invitation is a call-back task rather than a message with a link. */
  isCallback(campaign: SurveyCampaign | null): boolean {
    return campaign !== null && isCallbackChannel(campaign.channel);
  }

  private async findByToken(manager: EntityManager, token: string): Promise<SurveyInvitation> {
    // Only the shape of a token is worth a lookup; anything else is unknown without hashing it.
    const plausible = token.startsWith(SURVEY_TOKEN_PREFIX) && token.length <= SURVEY_TOKEN_MAX_LENGTH;
    const invitation = plausible
      ? await manager.getRepository(SurveyInvitation).findOneBy({ tokenHash: hashToken(token) })
      : null;
    if (!invitation) throw tokenRefused("TOKEN_UNKNOWN", "this link does not open a survey");
    return invitation;
  }
}

function formStatus(invitation: SurveyInvitation, now: Date): SurveyFormStatus {
  if (invitation.state === "responded") return "ANSWERED";
  if (invitation.state === "expired" || !windowIsOpen({ now, expiresAt: invitation.expiresAt })) return "EXPIRED";
  return "OPEN";
}

/**
 * Checks the answers against the template, records them as feedback and moves the invitation to
 * responded with the feedback's id, all in the caller's transaction. Bad input throws before
 * anything is written by this function (and the caller's transaction rolls back the rest).
 */
async function recordAnswer(
  tx: EntityManager,
  move: InvitationMove,
  input: SurveyAnswer,
  options: { source: FeedbackSource },
): Promise<void> {
  const { invitation, campaign } = move;
  const template = await tx.getRepository(SurveyTemplate).findOneByOrFail({ id: campaign.templateId });
  const dimensions = await tx
    .getRepository(SurveyDimension)
    .find({ where: { templateId: template.id }, order: { position: "ASC" } });
  const scores = checkScores(input.scores, dimensions);
  const answers = checkAnswers(input.answers ?? [], template.openQuestions);

  const feedback = await insertFeedback(
    tx,
    move.actor,
    {
      customerId: invitation.customerId,
      ticketId: invitation.ticketId,
      templateId: template.id,
      source: options.source,
      channel: campaign.channel,
      scores,
      comment: answers.length > 0 ? answers.map((entry) => entry.answer).join("\n") : null,
      receivedAt: move.now,
      invitationId: invitation.id,
    },
    { applyIntakeRules: true },
  );
  await moveInvitation(tx, {
    ...move,
    set: { respondedAt: move.now, feedbackId: feedback.id, answers: answers.length > 0 ? answers : null },
  });
}

/** Exactly one 1–5 score per dimension of the template, in any order. */
function checkScores(
  scores: SurveyAnswer["scores"],
  dimensions: SurveyDimension[],
): { dimension: string; score: number }[] {
  const codes = new Set(dimensions.map((dimension) => dimension.code));
  const seen = new Set<string>();
  scores.forEach((score, i) => {
    if (!codes.has(score.dimension)) {
      const code = score.dimension.slice(0, 64);
      throw badInput(`input.scores.${i}.dimension`, `${code} is not a dimension of this survey`);
    }
    if (seen.has(score.dimension)) {
      throw badInput(`input.scores.${i}.dimension`, `${score.dimension} is scored twice`);
    }
    if (!Number.isInteger(score.score) || score.score < 1 || score.score > 5) {
      throw badInput(`input.scores.${i}.score`, "must be an integer from 1 to 5");
    }
    seen.add(score.dimension);
  });
  const missing = dimensions.filter((dimension) => !seen.has(dimension.code)).map((dimension) => dimension.code);
  if (missing.length > 0) {
    throw badInput("input.scores", `every dimension needs a score; missing ${missing.join(", ")}`);
  }
  return scores.map(({ dimension, score }) => ({ dimension, score }));
}

/** Answers to the open questions, in order; blank answers are skipped, extra answers refused. */
function checkAnswers(answers: (string | null)[], questions: string[]): OpenAnswer[] {
  if (answers.length > questions.length) {
    throw badInput("input.answers", `this survey asks ${questions.length} open question(s)`);
  }
  const given: OpenAnswer[] = [];
  answers.forEach((answer, i) => {
    const text = optionalText(answer, `input.answers.${i}`, OPEN_ANSWER_LIMIT);
    if (text !== null) given.push({ question: questions[i], answer: text });
  });
  return given;
}
