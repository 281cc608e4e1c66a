import { EntityManager, In } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { clockOf, DAY_MS, HOUR_MS } from "../common/clock";
import { WorkflowEntity } from "../common/enums";
import { Customer, ServiceTicket, SurveyCampaign, SurveyInvitation, TransitionLog } from "../entity";
import { SurveyCampaignKind } from "../entity/survey/survey-enums";
import { JobKind } from "../jobs/job-kind";
import { scheduleJob } from "../jobs/scheduler";
import { DEFAULT_SETTINGS } from "./settings";
import { systemActor } from "./system-actor";
import { currentRequestId } from "../db/request-scope";
import { CREATED_FROM } from "./workflow-runner";

/**
 * Creating survey invitations: for a launched campaign's target group, and for a ticket whose
 * service completed (post-service). Kept apart from answering them so that the ticket services can
 * call it without depending on the feedback intake.
 */

/** Dedupe key of an invitation's durable job. */
export function invitationJobKey(invitationId: number, purpose: "send" | "remind" | "expire"): string {
  return `invitation:${invitationId}:${purpose}`;
}

/** One customer to invite, and the ticket the survey is about (if any). */
export interface InvitationTarget {
  customerId: number;
  ticketId: number | null;
}

/** Rows per multi-row INSERT: far below the bound-parameter limits of MySQL and SQLite. */
const INSERT_CHUNK = 400;

/**
 * Creates the invitations of a launched campaign in the caller's transaction, each with its
 * INVITATION_SEND job at `sendAt` and its creation in the transition log. Keys are
 * `campaign:<id>:customer:<id>`, so a customer is asked once per campaign whatever happens.
 *
 * @returns the number of invitations created.
 */
export async function createCampaignInvitations(
  tx: EntityManager,
  campaign: SurveyCampaign,
  targets: InvitationTarget[],
  sendAt: Date,
  actor: Actor,
): Promise<number> {
  let created = 0;
  for (let start = 0; start < targets.length; start += INSERT_CHUNK) {
    const chunk = targets.slice(start, start + INSERT_CHUNK);
    const keys = chunk.map((target) => `campaign:${campaign.id}:customer:${target.customerId}`);
    await tx
      .createQueryBuilder()
      .insert()
      .into(SurveyInvitation)
      .values(
        chunk.map((target, i) => ({
          ...newInvitationRow(campaign.id, target, sendAt),
          dedupeKey: keys[i],
        })),
      )
      .orIgnore()
      .execute();
    const rows = await tx.getRepository(SurveyInvitation).find({
      where: { dedupeKey: In(keys), campaignId: campaign.id, state: "scheduled" },
      order: { id: "ASC" },
    });
    await afterInvitationsCreated(tx, rows, actor);
    created += rows.length;
  }
  return created;
}

function newInvitationRow(campaignId: number, target: InvitationTarget, sendAt: Date): Partial<SurveyInvitation> {
  return {
    campaignId,
    customerId: target.customerId,
    ticketId: target.ticketId,
    tokenHash: null,
    state: "scheduled",
    sendAt,
    sentAt: null,
    remindedAt: null,
    expiresAt: null,
    respondedAt: null,
    feedbackId: null,
    answers: null,
    note: null,
  };
}

async function afterInvitationsCreated(tx: EntityManager, rows: SurveyInvitation[], actor: Actor): Promise<void> {
  if (rows.length === 0) return;
  for (const row of rows) {
    await scheduleJob(tx, {
      kind: JobKind.INVITATION_SEND,
      subjectId: row.id,
      dueAt: row.sendAt,
      dedupeKey: invitationJobKey(row.id, "send"),
    });
  }
  await tx.getRepository(TransitionLog).insert(
    rows.map((row) => ({
      entityType: WorkflowEntity.SURVEY_INVITATION,
      entityId: row.id,
      fromState: CREATED_FROM,
      toState: row.state,
      event: "CREATE",
      actorId: actor.id,
      reason: null,
      requestId: currentRequestId(),
    })),
  );
}

/** Whether a post-service campaign covers a ticket: its types (all when null) and region. */
export function campaignCoversTicket(
  campaign: Pick<SurveyCampaign, "ticketTypes" | "targetRegion">,
  ticket: Pick<ServiceTicket, "type">,
  customer: Pick<Customer, "region">,
): boolean {
  const typeMatches = campaign.ticketTypes === null || campaign.ticketTypes.includes(ticket.type);
  const regionMatches = campaign.targetRegion === null || campaign.targetRegion === customer.region;
  return typeMatches && regionMatches;
}

/**
 * Post-service surveys: called in the transaction that completes a ticket. The first active
 * post-service campaign covering the ticket (launch refuses overlapping ones) gets an invitation
 * sent `postServiceDelayHours` after the completion. One invitation per ticket (key `ticket:<id>`),
 * so completing, re-importing or retrying never asks twice. A ticket recorded so late that the
 * answer window would already have closed is not surveyed.
 */
export async function schedulePostServiceInvitations(tx: EntityManager, ticket: ServiceTicket): Promise<void> {
  if (!ticket.completedAt) return;
  const campaigns = await tx.getRepository(SurveyCampaign).find({
    where: { kind: SurveyCampaignKind.POST_SERVICE, state: "active" },
    order: { id: "ASC" },
  });
  if (campaigns.length === 0) return;
  const customer = await tx.getRepository(Customer).findOneByOrFail({ id: ticket.customerId });
  const campaign = campaigns.find((candidate) => campaignCoversTicket(candidate, ticket, customer));
  if (!campaign) return;
  const delayHours = campaign.postServiceDelayHours ?? DEFAULT_SETTINGS.survey.postServiceDelayHours;
  const sendAt = new Date(ticket.completedAt.getTime() + delayHours * HOUR_MS);
  if (sendAt.getTime() + campaign.expiryDays * DAY_MS <= clockOf(tx).now().getTime()) return;
  const dedupeKey = `ticket:${ticket.id}`;
  const invitations = tx.getRepository(SurveyInvitation);
  // Completing a ticket is a conditional update (once), so repeats are sequential and this check
  // sees them; the unique key still stops a concurrent duplicate, which then finds the row.
  if (await invitations.existsBy({ dedupeKey })) return;
  const target = { customerId: ticket.customerId, ticketId: ticket.id };
  await tx
    .createQueryBuilder()
    .insert()
    .into(SurveyInvitation)
    .values({ ...newInvitationRow(campaign.id, target, sendAt), dedupeKey })
    .orIgnore()
    .execute();
  const invitation = await invitations.findOneByOrFail({ dedupeKey });
  await afterInvitationsCreated(tx, [invitation], await systemActor(tx));
}

