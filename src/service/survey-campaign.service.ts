import { randomInt } from "node:crypto";
import { DataSource, EntityManager, In } from "typeorm";
import type { Actor } from "../../workflows/actor";
import {
  SURVEY_CAMPAIGN_STATES,
  surveyCampaignWorkflow,
  type SurveyCampaignEventType,
  type SurveyCampaignFacts,
} from "../../workflows/survey-campaign.machine";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { clockOf, DAY_MS } from "../common/clock";
import { Channel, TicketType, WorkflowEntity } from "../common/enums";
import { badInput, notFound } from "../common/errors";
import { TransitionError } from "../common/error-results";
import { optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import {
  Customer,
  Issue,
  ServiceTicket,
  SurveyCampaign,
  SurveyDimension,
  SurveyTemplate,
  VerificationCheck,
} from "../entity";
import { SurveyCampaignKind } from "../entity/survey/survey-enums";
import { findOrFail, reload, whereStateIn } from "./common";
import { DEFAULT_DIMENSIONS, MAX_OPEN_QUESTIONS, NewDimension, REFERENCE_LIMITS } from "./reference.service";
import { loadSettings } from "./settings";
import { createCampaignInvitations, InvitationTarget } from "./invitation-scheduling";
import { cancelScheduledInvitations } from "./survey-invitation.service";
import { affectedCustomerIds } from "./verification-check.service";
import { applyTransition, attempt, logCreation, nextEventsFor } from "./workflow-runner";

/**
 * The template campaigns use unless they name one: the five dimensions of DESIGN.md plus
 * would-recommend, and two open questions. Weights are the template's; a team that weighs the
 * dimensions differently creates its own template (createSurveyTemplate) and names it.
 */
export const DEFAULT_SURVEY_TEMPLATE: {
  name: string;
  dimensions: readonly NewDimension[];
  openQuestions: string[];
} = {
  name: "售后服务满意度调查（标准）",
  dimensions: [...DEFAULT_DIMENSIONS, { code: "recommend", name: "推荐意愿", weight: 1 }],
  openQuestions: ["本次服务中您最不满意的地方是什么？", "您对我们的服务有什么改进建议？"],
};

/** Bounds of the campaign timing (DESIGN.md: post-service surveys go out 24–48 h after the service). */
export const CAMPAIGN_LIMITS = {
  minDelayHours: 24,
  maxDelayHours: 48,
  maxExpiryDays: 90,
  maxServedWithinDays: 366,
} as const;

const MIN_OPEN_QUESTIONS = 1;

export interface NewSurveyCampaign {
  name: string;
  kind: SurveyCampaignKind;
  /** Null: the default template (see ensureDefaultSurveyTemplate). */
  templateId?: number | null;
  channel: Channel;
  targetRegion?: string | null;
  ticketTypes?: TicketType[] | null;
  servedWithinDays?: number | null;
  incidentFrom?: Date | null;
  incidentTo?: Date | null;
  /** Null: settings.survey.postServiceDelayHours. */
  postServiceDelayHours?: number | null;
  /** Null: settings.survey.expiryDays. */
  expiryDays?: number | null;
  /** Null: settings.survey.reminderAfterDays. */
  reminderAfterDays?: number | null;
  verificationCheckId?: number | null;
  sampleRate?: number | null;
}

export interface SurveyCampaignFilter {
  kind?: SurveyCampaignKind | null;
  states?: string[] | null;
}

/** Fields that only some kinds take, and the kinds that take them. */
const KIND_ONLY_FIELDS: { field: keyof NewSurveyCampaign; kinds: SurveyCampaignKind[] }[] = [
  { field: "servedWithinDays", kinds: [SurveyCampaignKind.PERIODIC] },
  { field: "incidentFrom", kinds: [SurveyCampaignKind.SPECIAL] },
  { field: "incidentTo", kinds: [SurveyCampaignKind.SPECIAL] },
  { field: "postServiceDelayHours", kinds: [SurveyCampaignKind.POST_SERVICE] },
  { field: "verificationCheckId", kinds: [SurveyCampaignKind.RESURVEY] },
  { field: "sampleRate", kinds: [SurveyCampaignKind.RESURVEY] },
  {
    field: "targetRegion",
    kinds: [SurveyCampaignKind.POST_SERVICE, SurveyCampaignKind.PERIODIC, SurveyCampaignKind.SPECIAL],
  },
  {
    field: "ticketTypes",
    kinds: [SurveyCampaignKind.POST_SERVICE, SurveyCampaignKind.PERIODIC, SurveyCampaignKind.SPECIAL],
  },
];

/**
 * The default survey template, created on first use. Safe when two requests race: the template
 * is inserted once by its unique name and each dimension once by its unique (template, code).
 */
export async function ensureDefaultSurveyTemplate(tx: EntityManager): Promise<SurveyTemplate> {
  const { name, dimensions, openQuestions } = DEFAULT_SURVEY_TEMPLATE;
  const templates = tx.getRepository(SurveyTemplate);
  const existing = await templates.findOneBy({ name });
  if (existing) return existing;
  await tx.createQueryBuilder().insert().into(SurveyTemplate).values({ name, openQuestions }).orIgnore().execute();
  const template = await templates.findOneByOrFail({ name });
  await tx
    .createQueryBuilder()
    .insert()
    .into(SurveyDimension)
    .values(dimensions.map((dimension, position) => ({ ...dimension, templateId: template.id, position })))
    .orIgnore()
    .execute();
  return template;
}

/**
 * Survey campaigns: who is asked (the kind and its target filter), with which template, over
 * which channel, and when. A campaign is created as a draft and launched; launching a periodic,
 * special or re-survey campaign selects its customers and creates their invitations in the same
 * transaction, while a post-service campaign invites as tickets complete.
 */
export class SurveyCampaignService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates a draft campaign. Timing not given comes from settings.survey and is stored on the
   * campaign, so a later settings change never alters a running campaign. Each kind takes only
   * its own target fields; the template must ask one or two open questions, and a re-survey's
   * template must ask the dimension its verification check measures.
   */
  async create(actor: Actor, input: NewSurveyCampaign): Promise<SurveyCampaign> {
    const name = requireText(input.name, "input.name", TEXT_LIMITS.name);
    if (input.channel === Channel.WEB) {
      throw badInput("input.channel", "WEB is not a survey channel; use SMS, EMAIL, APP, PHONE or VISIT");
    }
    for (const { field, kinds } of KIND_ONLY_FIELDS) {
      if (input[field] != null && !kinds.includes(input.kind)) {
        throw badInput(`input.${field}`, `is not used by ${input.kind} campaigns`);
      }
    }
    const targetRegion = optionalText(input.targetRegion, "input.targetRegion", REFERENCE_LIMITS.region);
    const ticketTypes = input.ticketTypes == null ? null : [...new Set(input.ticketTypes)];
    if (ticketTypes !== null && ticketTypes.length === 0) {
      throw badInput("input.ticketTypes", "must name at least one ticket type, or be omitted for all types");
    }
    checkKindTarget(input);

    return inTransaction(this.dataSource, async (tx) => {
      const settings = (await loadSettings(tx)).survey;
      const expiryDays = input.expiryDays ?? settings.expiryDays;
      const reminderAfterDays = input.reminderAfterDays ?? settings.reminderAfterDays;
      checkWholeNumber(expiryDays, "input.expiryDays", 1, CAMPAIGN_LIMITS.maxExpiryDays);
      // The reminder must fall inside the window, or it would invite to a closed survey.
      checkWholeNumber(reminderAfterDays, "input.reminderAfterDays", 1, expiryDays - 1);
      let postServiceDelayHours: number | null = null;
      if (input.kind === SurveyCampaignKind.POST_SERVICE) {
        postServiceDelayHours = input.postServiceDelayHours ?? settings.postServiceDelayHours;
        checkWholeNumber(
          postServiceDelayHours,
          "input.postServiceDelayHours",
          CAMPAIGN_LIMITS.minDelayHours,
          CAMPAIGN_LIMITS.maxDelayHours,
        );
      }

      const template =
        input.templateId != null
          ? await findOrFail(tx, SurveyTemplate, input.templateId, "SurveyTemplate")
          : await ensureDefaultSurveyTemplate(tx);
      const questions = template.openQuestions.length;
      if (questions < MIN_OPEN_QUESTIONS || questions > MAX_OPEN_QUESTIONS) {
        throw badInput(
          "input.templateId",
          `a campaign's template asks ${MIN_OPEN_QUESTIONS}–${MAX_OPEN_QUESTIONS} open questions; ` +
            `this one asks ${questions}`,
        );
      }
      if (input.verificationCheckId != null) {
        const check = await findOrFail(tx, VerificationCheck, input.verificationCheckId, "VerificationCheck");
        if (check.dimension !== null) {
          const asked = await tx
            .getRepository(SurveyDimension)
            .existsBy({ templateId: template.id, code: check.dimension });
          if (!asked) {
            throw badInput(
              "input.templateId",
              `does not ask ${check.dimension}, the dimension verification check ${check.id} measures`,
            );
          }
        }
      }

      const repo = tx.getRepository(SurveyCampaign);
      const campaign = await repo.save(
        repo.create({
          name,
          kind: input.kind,
          templateId: template.id,
          channel: input.channel,
          targetRegion,
          ticketTypes,
          servedWithinDays: input.servedWithinDays ?? null,
          incidentFrom: input.incidentFrom ?? null,
          incidentTo: input.incidentTo ?? null,
          postServiceDelayHours,
          expiryDays,
          reminderAfterDays,
          verificationCheckId: input.verificationCheckId ?? null,
          sampleRate: input.sampleRate ?? null,
          state: "draft",
          launchedAt: null,
          closedAt: null,
          createdById: actor.id,
        }),
      );
      await logCreation(tx, WorkflowEntity.SURVEY_CAMPAIGN, campaign.id, campaign.state, actor.id);
      return reload(tx, SurveyCampaign, campaign.id);
    });
  }

  /**
   * Launches a draft campaign. Periodic, special and re-survey campaigns select their customers
   * now and get one invitation each, sent right away (INVITATION_SEND jobs due now), in the
   * transaction of the launch; a post-service campaign starts inviting as tickets complete. The
   * machine refuses an empty target group, a re-survey whose check is not surveying, and a
   * post-service campaign overlapping an active one.
   */
  launch(actor: Actor, id: number, expectedVersion?: number | null): Promise<SurveyCampaign | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const campaign = await lockCampaign(tx, id);
      const now = clockOf(tx).now();
      // Selecting the target group is work; only a draft can be launched, so skip it otherwise.
      const targets = campaign.state === "draft" ? await selectTargets(tx, campaign, now) : [];
      const facts: SurveyCampaignFacts = {
        kind: campaign.kind,
        targetSize: targets.length,
        verificationCheckState: await verificationCheckState(tx, campaign),
        overlapsActiveCampaign: await overlapsActiveCampaign(tx, campaign),
      };
      await this.move(tx, campaign, actor, "LAUNCH", facts, { expectedVersion, set: { launchedAt: now } });
      await createCampaignInvitations(tx, campaign, targets, now, actor);
      return reload(tx, SurveyCampaign, id);
    });
  }

  /**
   * Closes a campaign: no new invitations, and those not yet sent are cancelled with their send
   * jobs. Invitations already sent keep their window: the customer holds a working link.
   */
  close(
    actor: Actor,
    id: number,
    reason: string | null,
    expectedVersion?: number | null,
  ): Promise<SurveyCampaign | TransitionError> {
    const note = optionalText(reason, "reason", TEXT_LIMITS.longText);
    return attempt(this.dataSource, async (tx) => {
      const campaign = await lockCampaign(tx, id);
      const now = clockOf(tx).now();
      await this.move(tx, campaign, actor, "CLOSE", previewFacts(campaign, null), {
        expectedVersion,
        reason: note,
        set: { closedAt: now },
      });
      await cancelScheduledInvitations(tx, campaign, actor, now);
      return reload(tx, SurveyCampaign, id);
    });
  }

  list(filter: SurveyCampaignFilter, page: PageArgs): Promise<Connection<SurveyCampaign>> {
    const query = this.dataSource.getRepository(SurveyCampaign).createQueryBuilder("c");
    if (filter.kind) query.andWhere("c.kind = :kind", { kind: filter.kind });
    whereStateIn(query, "c", filter.states, SURVEY_CAMPAIGN_STATES);
    return paginate(query, "c", page);
  }

  /**
   * The events `actor` may send now. LAUNCH is previewed as if the target group were non-empty
   * (counting it for every listed campaign would be a query each); the launch itself decides.
   */
  nextEvents(
    campaign: SurveyCampaign,
    check: VerificationCheck | null,
    actor: Actor | null,
  ): SurveyCampaignEventType[] {
    return nextEventsFor(surveyCampaignWorkflow, campaign.state, {}, actor, previewFacts(campaign, check));
  }

  private async move(
    tx: EntityManager,
    campaign: SurveyCampaign,
    actor: Actor,
    type: SurveyCampaignEventType,
    facts: SurveyCampaignFacts,
    options: { expectedVersion?: number | null; reason?: string | null; set?: Record<string, unknown> },
  ): Promise<void> {
    await applyTransition(tx, {
      workflow: surveyCampaignWorkflow,
      entityType: WorkflowEntity.SURVEY_CAMPAIGN,
      target: SurveyCampaign,
      row: campaign,
      context: {},
      event: { type, actor, facts, reason: options.reason ?? null },
      expectedVersion: options.expectedVersion,
      set: options.set,
    });
  }
}

function previewFacts(campaign: SurveyCampaign, check: VerificationCheck | null): SurveyCampaignFacts {
  return {
    kind: campaign.kind,
    targetSize: 1,
    verificationCheckState: check?.state ?? null,
    overlapsActiveCampaign: false,
  };
}

async function lockCampaign(tx: EntityManager, id: number): Promise<SurveyCampaign> {
  const query = tx.getRepository(SurveyCampaign).createQueryBuilder("c").where("c.id = :id", { id });
  if (tx.connection.options.type !== "better-sqlite3") query.setLock("pessimistic_write");
  const campaign = await query.getOne();
  if (!campaign) throw notFound("SurveyCampaign", id);
  return campaign;
}

/** The target fields each kind requires, checked before anything is read or written. */
function checkKindTarget(input: NewSurveyCampaign): void {
  switch (input.kind) {
    case SurveyCampaignKind.PERIODIC:
      if (input.servedWithinDays == null) {
        throw badInput("input.servedWithinDays", "is required for a periodic campaign");
      }
      checkWholeNumber(input.servedWithinDays, "input.servedWithinDays", 1, CAMPAIGN_LIMITS.maxServedWithinDays);
      return;
    case SurveyCampaignKind.SPECIAL:
      if (!input.incidentFrom) throw badInput("input.incidentFrom", "is required for a special campaign");
      if (!input.incidentTo) throw badInput("input.incidentTo", "is required for a special campaign");
      if (input.incidentTo.getTime() <= input.incidentFrom.getTime()) {
        throw badInput("input.incidentTo", "must be after incidentFrom");
      }
      return;
    case SurveyCampaignKind.RESURVEY:
      if (input.verificationCheckId == null) {
        throw badInput("input.verificationCheckId", "is required for a re-survey");
      }
      if (input.sampleRate != null && !(input.sampleRate > 0 && input.sampleRate <= 1)) {
        throw badInput("input.sampleRate", "must be above 0 and at most 1");
      }
      return;
    case SurveyCampaignKind.POST_SERVICE:
      return;
  }
}

function checkWholeNumber(value: number, field: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `must be a whole number from ${min} to ${max}`);
  }
}

/**
 * The customers a launch invites, each once, with the ticket the survey is about:
 * - periodic: a ticket completed in the last `servedWithinDays` days;
 * - special: a ticket opened in the incident window;
 * both narrowed by ticket types and the customer's region, the ticket being the customer's latest
 * matching one; - re-survey: the affected customers of the check's issue (a random sample when
 * `sampleRate` is set), without a ticket.
 */
async function selectTargets(tx: EntityManager, campaign: SurveyCampaign, now: Date): Promise<InvitationTarget[]> {
  switch (campaign.kind) {
    case SurveyCampaignKind.POST_SERVICE:
      return [];
    case SurveyCampaignKind.RESURVEY:
      return resurveyTargets(tx, campaign);
    case SurveyCampaignKind.PERIODIC:
    case SurveyCampaignKind.SPECIAL: {
      const query = tx
        .getRepository(ServiceTicket)
        .createQueryBuilder("t")
        .innerJoin(Customer, "c", "c.id = t.customerId")
        .select("t.customerId", "customerId")
        .addSelect("MAX(t.id)", "ticketId")
        .groupBy("t.customerId")
        .orderBy("t.customerId", "ASC");
      if (campaign.kind === SurveyCampaignKind.PERIODIC) {
        const since = new Date(now.getTime() - (campaign.servedWithinDays ?? 0) * DAY_MS);
        query.where("t.completedAt >= :since AND t.completedAt <= :now", { since, now });
      } else {
        const window = { from: campaign.incidentFrom, to: campaign.incidentTo };
        query.where("t.openedAt >= :from AND t.openedAt < :to", window);
      }
      if (campaign.ticketTypes) query.andWhere("t.type IN (:...types)", { types: campaign.ticketTypes });
      if (campaign.targetRegion) query.andWhere("c.region = :region", { region: campaign.targetRegion });
      const rows = await query.getRawMany<{ customerId: number | string; ticketId: number | string }>();
      return rows.map((row) => ({ customerId: Number(row.customerId), ticketId: Number(row.ticketId) }));
    }
  }
}

async function resurveyTargets(tx: EntityManager, campaign: SurveyCampaign): Promise<InvitationTarget[]> {
  const check = await tx.getRepository(VerificationCheck).findOneBy({ id: campaign.verificationCheckId ?? 0 });
  if (!check) return [];
  const issue = await tx.getRepository(Issue).findOneByOrFail({ id: check.issueId });
  const customerIds = (await affectedCustomerIds(tx, issue)).sort((a, b) => a - b);
  const chosen = campaign.sampleRate === null ? customerIds : randomSample(customerIds, campaign.sampleRate);
  return chosen.map((customerId) => ({ customerId, ticketId: null }));
}

/** ceil(rate × n) of `items` (at least one), drawn uniformly without replacement. */
function randomSample<T>(items: T[], rate: number): T[] {
  const size = Math.min(items.length, Math.max(1, Math.ceil(items.length * rate)));
  const pool = [...items];
  for (let i = 0; i < size; i++) {
    const j = i + randomInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, size);
}

async function verificationCheckState(tx: EntityManager, campaign: SurveyCampaign): Promise<string | null> {
  if (campaign.verificationCheckId === null) return null;
  const check = await tx.getRepository(VerificationCheck).findOneBy({ id: campaign.verificationCheckId });
  return check?.state ?? null;
}

/** Whether another active post-service campaign covers some of the same tickets. */
async function overlapsActiveCampaign(tx: EntityManager, campaign: SurveyCampaign): Promise<boolean> {
  if (campaign.kind !== SurveyCampaignKind.POST_SERVICE) return false;
  const active = await tx
    .getRepository(SurveyCampaign)
    .find({ where: { kind: SurveyCampaignKind.POST_SERVICE, state: In(["active"]) } });
  return active.some(
    (other) =>
      other.id !== campaign.id &&
      (other.ticketTypes === null ||
        campaign.ticketTypes === null ||
        other.ticketTypes.some((type) => campaign.ticketTypes!.includes(type))) &&
      (other.targetRegion === null || campaign.targetRegion === null || other.targetRegion === campaign.targetRegion),
  );
}
