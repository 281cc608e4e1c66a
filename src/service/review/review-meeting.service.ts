import { DataSource, EntityManager, In, LessThan, Not } from "typeorm";
import type { Actor } from "../../../workflows/actor";
import { assertNever } from "./assert-never";
import {
  REVIEW_MEETING_STATES,
  reviewMeetingWorkflow,
  type ReviewMeetingEventType,
  type ReviewMeetingFacts,
} from "../../../workflows/review-meeting.machine";
import { clockOf } from "../../common/clock";
import { WorkflowEntity } from "../../common/enums";
import { TransitionError } from "../../common/error-results";
import { badInput, notFound } from "../../common/errors";
import { optionalDay, optionalText, requireText, TEXT_LIMITS, utcDay } from "../../common/validation";
import { inTransaction } from "../../db/transaction";
import { ActionItem, AdjustmentRequest, ReviewAgendaItem, ReviewDecision, ReviewMeeting, User } from "../../entity";
import {
  AgendaSection,
  AgendaSubject,
  DecisionKind,
  ReviewMeetingKind,
} from "../../entity/review-meeting/review-meeting-enums";
import { Connection, PageArgs, paginate } from "../../api/pagination";
import type { ActionItemService, NewActionItem, NewProgressUpdate } from "../action-item.service";
import type { AdjustmentRequestService, NewAdjustmentRequest } from "../adjustment-request.service";
import { findOrFail, reload, whereStateIn } from "../common";
import { applyTransition, assertAllowed, attempt, logCreation, nextEventsFor } from "../workflow-runner";
import { agendaFromMonthlyReview, agendaFromWeeklyReview, type AgendaDraft } from "./agenda";
import type { MonthlyReviewService } from "./monthly-review.service";
import { isoWeekOf, monthOf, parseIsoWeek, parseMonth, previousMonth } from "./review-period";
import { buildWeeklyReview } from "./weekly-review.service";

export interface NewReviewMeeting {
  kind: ReviewMeetingKind;
  title: string;
  scheduledAt: Date;
  /** ISO week (WEEKLY, JOINT) or month (MONTHLY); defaults from scheduledAt, see `schedule`. */
  period: string | null;
  attendeeIds: number[];
}

export interface ReviewMeetingChanges {
  title?: string | null;
  scheduledAt?: Date | null;
  attendeeIds?: number[] | null;
  minutes?: string | null;
}

/** A decision and, for the kinds that act on an action item, what it does. */
export type NewDecision =
  | { kind: DecisionKind.NOTE; text: string; ownerId: number | null; dueDay: string | null }
  | { kind: DecisionKind.ADD_ACTION; text: string; action: NewActionItem }
  | { kind: DecisionKind.POST_PROGRESS; text: string; progress: NewProgressUpdate }
  | { kind: DecisionKind.REQUEST_ADJUSTMENT; text: string; adjustment: NewAdjustmentRequest };

export interface ReviewMeetingFilter {
  kind?: ReviewMeetingKind | null;
  states?: string[] | null;
}

/** Action states after which an ADD_ACTION decision is carried out. */
const FINISHED_ACTION_STATES = ["done", "cancelled"];
/** Adjustment states after which a REQUEST_ADJUSTMENT decision is carried out. */
const DECIDED_ADJUSTMENT_STATES = ["approved", "rejected", "withdrawn"];

const MAX_ATTENDEES = 100;

/**
 * Review meetings (DESIGN step 7): weekly progress meetings, monthly reviews and joint
 * cross-department meetings. The agenda is generated from the data (the weekly or monthly
 * review of the meeting's period) and frozen as rows when the meeting is held, together with the
 * unresolved items of the previous meeting of the same kind. Decisions that touch action items
 * go through ActionItemService and AdjustmentRequestService, so the action-item workflows judge
 * them exactly as they judge anyone else.
 */
export class ReviewMeetingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly actionItems: ActionItemService,
    private readonly adjustmentRequests: AdjustmentRequestService,
    private readonly monthlyReviews: MonthlyReviewService,
  ) {}

  /**
   * Schedules a meeting. The period defaults to the ISO week of the scheduled day for WEEKLY and
   * JOINT meetings, and to the month before the scheduled day for a MONTHLY review (it looks back
   * at a finished month). Only meeting managers may schedule (the machine's UPDATE guard).
   */
  async schedule(actor: Actor, input: NewReviewMeeting): Promise<ReviewMeeting | TransitionError> {
    const title = requireText(input.title, "input.title", TEXT_LIMITS.title);
    const period = this.periodOf(input.kind, input.period, input.scheduledAt);
    return attempt(this.dataSource, async (tx) => {
      const attendeeIds = await this.attendees(tx, input.attendeeIds, "input.attendeeIds");
      // Scheduling is allowed to whoever may edit a scheduled meeting.
      assertAllowed(reviewMeetingWorkflow, WorkflowEntity.REVIEW_MEETING, { id: 0, state: "scheduled" }, { kind: input.kind }, {
        type: "UPDATE",
        actor,
        facts: await this.facts(tx, attendeeIds, null),
      });
      const repo = tx.getRepository(ReviewMeeting);
      const meeting = await repo.save(
        repo.create({
          kind: input.kind,
          title,
          period,
          scheduledAt: input.scheduledAt,
          attendeeIds: attendeeIds.map(String),
          minutes: null,
          heldAt: null,
          closedAt: null,
          carriedFromMeetingId: null,
          state: "scheduled",
          version: 1,
          createdById: actor.id,
        }),
      );
      await logCreation(tx, WorkflowEntity.REVIEW_MEETING, meeting.id, meeting.state, actor.id);
      return reload(tx, ReviewMeeting, meeting.id);
    });
  }

  /** UPDATE: title, time and attendees while scheduled; attendees and minutes while held. */
  async update(
    actor: Actor,
    id: number,
    changes: ReviewMeetingChanges,
    expectedVersion: number | null,
  ): Promise<ReviewMeeting | TransitionError> {
    const set: Partial<ReviewMeeting> = {};
    if (changes.title != null) set.title = requireText(changes.title, "input.title", TEXT_LIMITS.title);
    if (changes.scheduledAt != null) set.scheduledAt = changes.scheduledAt;
    if (changes.minutes !== undefined) set.minutes = optionalText(changes.minutes, "input.minutes", 20_000);
    return attempt(this.dataSource, async (tx) => {
      const meeting = await findOrFail(tx, ReviewMeeting, id, "ReviewMeeting");
      if (changes.attendeeIds != null) {
        set.attendeeIds = (await this.attendees(tx, changes.attendeeIds, "input.attendeeIds")).map(String);
      }
      if (meeting.state === "held" && (set.title !== undefined || set.scheduledAt !== undefined)) {
        throw badInput("input", "title and time are fixed once the meeting is held");
      }
      await this.send(tx, meeting, "UPDATE", actor, { set, expectedVersion });
      return reload(tx, ReviewMeeting, id);
    });
  }

  /**
   * HOLD: the meeting takes place. Its agenda is generated now — the weekly or monthly review of
   * its period — merged with the unresolved items and open decisions of the previous held or
   * closed meeting of the same kind, and frozen as rows in the same transaction.
   */
  hold(actor: Actor, id: number, expectedVersion: number | null): Promise<ReviewMeeting | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const meeting = await findOrFail(tx, ReviewMeeting, id, "ReviewMeeting");
      const { items, previous } = await this.agendaDrafts(tx, meeting);
      await this.send(tx, meeting, "HOLD", actor, {
        expectedVersion,
        set: { heldAt: clockOf(tx).now(), carriedFromMeetingId: previous?.id ?? null },
      });
      const repo = tx.getRepository(ReviewAgendaItem);
      await repo.save(items.map((item, i) => repo.create({ ...item, meetingId: meeting.id, position: i + 1, resolved: false, resolution: null })));
      return reload(tx, ReviewMeeting, id);
    });
  }

  /** RESOLVE_ITEM: marks an agenda item of a held meeting dealt with, saying how. */
  resolveItem(
    actor: Actor,
    itemId: number,
    resolution: string,
    expectedVersion: number | null,
  ): Promise<ReviewMeeting | TransitionError> {
    const text = requireText(resolution, "resolution", TEXT_LIMITS.longText);
    return attempt(this.dataSource, async (tx) => {
      const item = await findOrFail(tx, ReviewAgendaItem, itemId, "ReviewAgendaItem");
      const meeting = await findOrFail(tx, ReviewMeeting, item.meetingId, "ReviewMeeting");
      await this.send(tx, meeting, "RESOLVE_ITEM", actor, { expectedVersion, reason: text, log: true });
      await tx.update(ReviewAgendaItem, { id: itemId }, { resolved: true, resolution: text });
      return reload(tx, ReviewMeeting, meeting.id);
    });
  }

  /** CLOSE: the meeting is over; the machine requires the minutes. */
  close(actor: Actor, id: number, expectedVersion: number | null): Promise<ReviewMeeting | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const meeting = await findOrFail(tx, ReviewMeeting, id, "ReviewMeeting");
      await this.send(tx, meeting, "CLOSE", actor, { expectedVersion, set: { closedAt: clockOf(tx).now() } });
      return reload(tx, ReviewMeeting, id);
    });
  }

  /** CANCEL: a scheduled meeting is called off, with a reason. */
  cancel(actor: Actor, id: number, reason: string, expectedVersion: number | null) {
    const text = optionalText(reason, "reason", TEXT_LIMITS.longText);
    return attempt(this.dataSource, async (tx) => {
      const meeting = await findOrFail(tx, ReviewMeeting, id, "ReviewMeeting");
      await this.send(tx, meeting, "CANCEL", actor, { expectedVersion, reason: text });
      return reload(tx, ReviewMeeting, id);
    });
  }

  /**
   * DECIDE: records a decision of a held meeting. ADD_ACTION, POST_PROGRESS and
   * REQUEST_ADJUSTMENT go through the action item's own workflow (via the owning services), and
   * the decision keeps a link to what it created or changed. All of it is one transaction: the
   * meeting's DECIDE (a conditional update, so a meeting closed meanwhile refuses), the action
   * change and the decision row commit together, and a refusal by either machine writes nothing.
   */
  async decide(actor: Actor, meetingId: number, input: NewDecision): Promise<ReviewDecision | TransitionError> {
    const text = requireText(input.text, "input.text", TEXT_LIMITS.longText);
    const dueDay = input.kind === DecisionKind.NOTE ? optionalDay(input.dueDay, "input.dueDay") : null;
    return attempt(this.dataSource, async (tx) => {
      const meeting = await findOrFail(tx, ReviewMeeting, meetingId, "ReviewMeeting");
      if (input.kind === DecisionKind.NOTE && input.ownerId !== null) await findOrFail(tx, User, input.ownerId, "User");
      await this.send(tx, meeting, "DECIDE", actor, { reason: text, log: true });
      const effect = await this.carryOut(tx, actor, input);
      const repo = tx.getRepository(ReviewDecision);
      const decision = await repo.save(
        repo.create({
          meetingId,
          kind: input.kind,
          text,
          ownerId: input.kind === DecisionKind.NOTE ? input.ownerId : null,
          dueDay,
          actionItemId: effect.actionItemId,
          adjustmentRequestId: effect.adjustmentRequestId,
          doneAt: null,
          createdById: actor.id,
        }),
      );
      return reload(tx, ReviewDecision, decision.id);
    });
  }

  /** Marks a NOTE decision carried out (any meeting state: decisions outlive their meeting). */
  async completeDecision(actor: Actor, id: number): Promise<ReviewDecision> {
    return inTransaction(this.dataSource, async (tx) => {
      const decision = await findOrFail(tx, ReviewDecision, id, "ReviewDecision");
      if (decision.kind !== DecisionKind.NOTE) {
        throw badInput("id", "only NOTE decisions are marked done by hand; the others follow their action item");
      }
      if (decision.doneAt === null) await tx.update(ReviewDecision, { id }, { doneAt: clockOf(tx).now() });
      return reload(tx, ReviewDecision, id);
    });
  }

  /** Meetings matching `filter`, newest first. */
  list(filter: ReviewMeetingFilter, page: PageArgs): Promise<Connection<ReviewMeeting>> {
    const query = this.dataSource.getRepository(ReviewMeeting).createQueryBuilder("m");
    if (filter.kind) query.andWhere("m.kind = :kind", { kind: filter.kind });
    whereStateIn(query, "m", filter.states, REVIEW_MEETING_STATES);
    return paginate(query, "m", page);
  }

  /**
   * The agenda: the frozen rows once the meeting has been held; before that a preview of what
   * holding it now would freeze (rows without ids).
   */
  async agenda(meeting: ReviewMeeting): Promise<ReviewAgendaItem[]> {
    if (meeting.state === "held" || meeting.state === "closed") {
      return this.dataSource
        .getRepository(ReviewAgendaItem)
        .find({ where: { meetingId: meeting.id }, order: { position: "ASC" } });
    }
    if (meeting.state !== "scheduled") return [];
    return inTransaction(this.dataSource, async (tx) => {
      const { items } = await this.agendaDrafts(tx, meeting);
      return items.map((item, i) =>
        Object.assign(new ReviewAgendaItem(), { ...item, id: null, meetingId: meeting.id, position: i + 1, resolved: false, resolution: null }),
      );
    });
  }

  /** Whether a decision has been carried out (see `unresolvedDecisions`). */
  async isDecisionDone(decision: ReviewDecision): Promise<boolean> {
    const open = await unresolvedDecisions(this.dataSource.manager, [decision]);
    return open.length === 0;
  }

  /** What `actor` may send to the meeting now, from the machine. */
  async nextEvents(meeting: ReviewMeeting, actor: Actor | null): Promise<ReviewMeetingEventType[]> {
    const facts = await this.facts(this.dataSource.manager, meeting.attendeeIds.map(Number), meeting.minutes);
    return nextEventsFor(reviewMeetingWorkflow, meeting.state, { kind: meeting.kind }, actor, facts);
  }

  // -------------------------------------------------------------------------------------------

  private periodOf(kind: ReviewMeetingKind, period: string | null, scheduledAt: Date): string {
    const day = utcDay(scheduledAt);
    if (kind === ReviewMeetingKind.MONTHLY) {
      return period === null ? previousMonth(monthOf(day)) : parseMonth(period, "input.period").label;
    }
    return period === null ? isoWeekOf(day) : parseIsoWeek(period, "input.period").label;
  }

  private async attendees(tx: EntityManager, ids: number[], field: string): Promise<number[]> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_ATTENDEES) throw badInput(field, `at most ${MAX_ATTENDEES} attendees`);
    const found = unique.length ? await tx.getRepository(User).findBy({ id: In(unique) }) : [];
    const missing = unique.find((id) => !found.some((user) => user.id === id));
    if (missing !== undefined) throw notFound("User", missing);
    return unique;
  }

  private async facts(tx: EntityManager, attendeeIds: number[], minutes: string | null): Promise<ReviewMeetingFacts> {
    const users = attendeeIds.length ? await tx.getRepository(User).findBy({ id: In(attendeeIds) }) : [];
    const departments = new Set(users.map((user) => user.departmentId).filter((id) => id !== null));
    return {
      attendeeCount: users.length,
      attendeeDepartmentCount: departments.size,
      minutesRecorded: minutes !== null && minutes.trim() !== "",
    };
  }

  private async send(
    tx: EntityManager,
    meeting: ReviewMeeting,
    type: ReviewMeetingEventType,
    actor: Actor,
    options: { set?: Partial<ReviewMeeting>; expectedVersion?: number | null; reason?: string | null; log?: boolean },
  ): Promise<void> {
    // Guards judge the meeting as it will be: new attendees or minutes count in the same event.
    const attendeeIds = (options.set?.attendeeIds ?? meeting.attendeeIds).map(Number);
    const minutes = options.set?.minutes !== undefined ? options.set.minutes : meeting.minutes;
    await applyTransition(
      tx,
      {
        workflow: reviewMeetingWorkflow,
        entityType: WorkflowEntity.REVIEW_MEETING,
        target: ReviewMeeting,
        row: meeting,
        context: { kind: meeting.kind },
        event: { type, actor, facts: await this.facts(tx, attendeeIds, minutes), reason: options.reason ?? null },
        expectedVersion: options.expectedVersion,
        set: options.set,
      },
      { logTargetless: options.log },
    );
  }

  /**
   * Runs a decision's effect through the owning service in the decision's transaction; ids of
   * what it created or changed. A refusal throws, rolling the whole decision back.
   */
  private async carryOut(
    tx: EntityManager,
    actor: Actor,
    input: NewDecision,
  ): Promise<{ actionItemId: number | null; adjustmentRequestId: number | null }> {
    switch (input.kind) {
      case DecisionKind.NOTE:
        return { actionItemId: null, adjustmentRequestId: null };
      case DecisionKind.ADD_ACTION: {
        const item = await this.actionItems.addIn(tx, actor, input.action);
        return { actionItemId: item.id, adjustmentRequestId: null };
      }
      case DecisionKind.POST_PROGRESS: {
        const item = await this.actionItems.postProgressIn(tx, actor, input.progress, null);
        return { actionItemId: item.id, adjustmentRequestId: null };
      }
      case DecisionKind.REQUEST_ADJUSTMENT: {
        const request = await this.adjustmentRequests.submitIn(tx, actor, input.adjustment, null);
        return { actionItemId: request.actionItemId, adjustmentRequestId: request.id };
      }
      default:
        return assertNever(input);
    }
  }

  /** The meeting's generated agenda plus what the previous meeting of its kind left open. */
  private async agendaDrafts(
    tx: EntityManager,
    meeting: ReviewMeeting,
  ): Promise<{ items: AgendaDraft[]; previous: ReviewMeeting | null }> {
    const generated =
      meeting.kind === ReviewMeetingKind.MONTHLY
        ? agendaFromMonthlyReview(await this.monthlyReviews.build(tx, parseMonth(meeting.period, "period")))
        : agendaFromWeeklyReview(await buildWeeklyReview(tx, parseIsoWeek(meeting.period, "period")));
    const previous = await tx.getRepository(ReviewMeeting).findOne({
      where: {
        kind: meeting.kind,
        state: In(["held", "closed"]),
        scheduledAt: LessThan(meeting.scheduledAt),
        id: Not(meeting.id),
      },
      order: { scheduledAt: "DESC", id: "DESC" },
    });
    if (!previous) return { items: generated, previous: null };

    const openItems = await tx
      .getRepository(ReviewAgendaItem)
      .find({ where: { meetingId: previous.id, resolved: false }, order: { position: "ASC" } });
    const decisions = await tx.getRepository(ReviewDecision).find({ where: { meetingId: previous.id }, order: { id: "ASC" } });
    const openDecisions = await unresolvedDecisions(tx, decisions);

    const items = [...generated];
    const keyOf = (item: { subjectType: AgendaSubject; subjectId: number }) => `${item.subjectType}:${item.subjectId}`;
    const byKey = new Map(items.map((item) => [keyOf(item), item]));
    for (const old of openItems) {
      const regenerated = byKey.get(keyOf(old));
      // Still raised by the data: the generated item continues the old one. Otherwise the old
      // item comes back as it was, so nothing left open silently drops off the agenda.
      if (regenerated) regenerated.carriedFromItemId = old.id;
      else {
        items.push({
          section: old.section === AgendaSection.OPEN_DECISION ? old.section : AgendaSection.CARRIED_OVER,
          subjectType: old.subjectType,
          subjectId: old.subjectId,
          title: old.title,
          detail: old.detail,
          carriedFromItemId: old.id,
        });
        byKey.set(keyOf(old), items[items.length - 1]);
      }
    }
    for (const decision of openDecisions) {
      if (byKey.has(`${AgendaSubject.DECISION}:${decision.id}`)) continue;
      items.push({
        section: AgendaSection.OPEN_DECISION,
        subjectType: AgendaSubject.DECISION,
        subjectId: decision.id,
        title: truncate(`${decision.text}${decision.dueDay ? ` (due ${decision.dueDay})` : ""}`),
        detail: JSON.stringify({ kind: decision.kind, actionItemId: decision.actionItemId, adjustmentRequestId: decision.adjustmentRequestId }),
        carriedFromItemId: null,
      });
    }
    return { items, previous };
  }
}

/**
 * The decisions not yet carried out: a NOTE until marked done; an ADD_ACTION until its action
 * item is done or cancelled; a REQUEST_ADJUSTMENT until the request is decided or withdrawn.
 * A POST_PROGRESS decision is carried out when recorded.
 */
export async function unresolvedDecisions(tx: EntityManager, decisions: ReviewDecision[]): Promise<ReviewDecision[]> {
  const actionIds = decisions.filter((d) => d.kind === DecisionKind.ADD_ACTION).map((d) => d.actionItemId!);
  const requestIds = decisions.filter((d) => d.kind === DecisionKind.REQUEST_ADJUSTMENT).map((d) => d.adjustmentRequestId!);
  const actions = actionIds.length ? await tx.getRepository(ActionItem).findBy({ id: In(actionIds) }) : [];
  const requests = requestIds.length ? await tx.getRepository(AdjustmentRequest).findBy({ id: In(requestIds) }) : [];
  const actionState = new Map(actions.map((a) => [a.id, a.state]));
  const requestState = new Map(requests.map((r) => [r.id, r.state]));
  return decisions.filter((decision) => {
    switch (decision.kind) {
      case DecisionKind.NOTE:
        return decision.doneAt === null;
      case DecisionKind.ADD_ACTION:
        return !FINISHED_ACTION_STATES.includes(actionState.get(decision.actionItemId!) ?? "");
      case DecisionKind.REQUEST_ADJUSTMENT:
        return !DECIDED_ADJUSTMENT_STATES.includes(requestState.get(decision.adjustmentRequestId!) ?? "");
      case DecisionKind.POST_PROGRESS:
        return false;
      default:
        return assertNever(decision.kind);
    }
  });
}

function truncate(text: string): string {
  return [...text].length <= 500 ? text : [...text].slice(0, 499).join("") + "…";
}
