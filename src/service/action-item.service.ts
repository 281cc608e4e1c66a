import { Brackets, DataSource, EntityManager } from "typeorm";
import {
  ACTION_ITEM_STATES,
  actionItemWorkflow,
  type ActionItemContext,
  type ActionItemEventType,
  type ActionItemFacts,
} from "../../workflows/action-item.machine";
import type { Actor } from "../../workflows/actor";
import { WorkflowEntity } from "../common/enums";
import { TransitionError } from "../common/error-results";
import { badInput } from "../common/errors";
import { optionalDay, optionalText, requireDay, requireText, TEXT_LIMITS, todayUtc } from "../common/validation";
import { ActionItem, Cause, Department, ProgressUpdate, User } from "../entity";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { Resource, restrictToVisible } from "../auth/policy";
import { findOrFail, findVisibleOrFail, reload, whereStateIn } from "./common";
import { assertIssueAllows, guardedText } from "./issue.service";
import { scheduleActionOverdue } from "./action-overdue";
import { clockOf } from "../common/clock";
import { applyTransition, attempt, logCreation, nextEventsFor } from "./workflow-runner";

/** A validated new action item; ids are parsed, text and days are checked by the service. */
export interface NewActionItem {
  issueId: number;
  causeId: number;
  description: string;
  metric: string;
  baseline: number | null;
  target: number;
  ownerId: number;
  departmentId: number | null;
  plannedStart: string;
  plannedEnd: string;
  budget: number | null;
}

export interface NewProgressUpdate {
  actionItemId: number;
  progress: number;
  blockers: string | null;
  nextStep: string | null;
}

export interface ActionItemListFilter {
  issueId?: number | null;
  states?: string[] | null;
  departmentId?: number | null;
  ownerId?: number | null;
  plannedEndFrom?: string | null;
  plannedEndTo?: string | null;
  overdue?: boolean | null;
}

/** States in which an action item no longer has a deadline to miss. */
const FINISHED_STATES = ["done", "cancelled"];


/** Overdue: the planned end has passed and the action is neither done nor cancelled. */
export function isOverdue(item: ActionItem, today: string): boolean {
  return item.plannedEnd < today && !FINISHED_STATES.includes(item.state);
}


/** The machine's view of a stored action item. */
export function actionItemContext(item: ActionItem): ActionItemContext {
  return { ownerId: item.ownerId, departmentId: item.departmentId, progress: item.progress };
}

/** The facts of every action-item event except the one that closes an adjustment. */
export const NO_ADJUSTMENT_DECIDED: ActionItemFacts = { adjustmentResolved: false };

export interface ActionItemEventRequest {
  type: ActionItemEventType;
  actor: Actor;
  facts?: ActionItemFacts;
  reason?: string | null;
  expectedVersion?: number | null;
  /** Columns written together with the state; `context` overrides for the guards. */
  set?: Partial<ActionItem>;
  context?: Partial<ActionItemContext>;
  logTargetless?: boolean;
}

/**
 * Sends one event to an action item inside the caller's transaction (the adjustment-request
 * service uses it too, so both objects move in one transaction). Throws TransitionRefusal.
 */
export async function sendActionItemEvent(
  manager: EntityManager,
  item: ActionItem,
  request: ActionItemEventRequest,
): Promise<void> {
  await applyTransition(
    manager,
    {
      workflow: actionItemWorkflow,
      entityType: WorkflowEntity.ACTION_ITEM,
      target: ActionItem,
      row: item,
      context: { ...actionItemContext(item), ...request.context },
      event: {
        type: request.type,
        actor: request.actor,
        facts: request.facts ?? NO_ADJUSTMENT_DECIDED,
        reason: request.reason ?? null,
      },
      expectedVersion: request.expectedVersion,
      set: request.set,
    },
    { logTargetless: request.logTargetless },
  );
}

/**
 * Action items (改善措施): drafting them into an issue's plan, then the owner's side of the work —
 * start, progress reports, blocking, completion — and cancellation. Every move is decided by the
 * action-item machine; this service gathers the context and writes the outcome.
 */
export class ActionItemService {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the action is overdue today, by the data source's clock (injected in tests). */
  isOverdue(item: ActionItem): boolean {
    return isOverdue(item, todayUtc(clockOf(this.dataSource).now()));
  }

  /**
   * Drafts an action item into the issue's plan, as the issue machine's EDIT_ANALYSIS allows.
   * The department defaults to the owner's. Logs the creation.
   */
  add(actor: Actor, input: NewActionItem): Promise<ActionItem | TransitionError> {
    return attempt(this.dataSource, (tx) => this.addIn(tx, actor, input));
  }

  /**
   * `add` inside the caller's transaction (a review-meeting decision), so the draft commits with
   * whatever records it; a refusal throws and rolls the caller's transaction back.
   */
  async addIn(tx: EntityManager, actor: Actor, input: NewActionItem): Promise<ActionItem> {
    const description = requireText(input.description, "input.description", TEXT_LIMITS.longText);
    const metric = requireText(input.metric, "input.metric", TEXT_LIMITS.title);
    const plannedStart = requireDay(input.plannedStart, "input.plannedStart");
    const plannedEnd = requireDay(input.plannedEnd, "input.plannedEnd");
    if (plannedEnd < plannedStart) throw badInput("input.plannedEnd", "is before the planned start");
    if (input.budget !== null && input.budget < 0) throw badInput("input.budget", "must not be negative");

    // Locks the issue row (FOR UPDATE on MySQL) so it cannot leave analysis while this draft commits.
    const issue = await assertIssueAllows(tx, input.issueId, actor, "EDIT_ANALYSIS");
    const cause = await findOrFail(tx, Cause, input.causeId, "Cause");
    if (cause.issueId !== issue.id) throw badInput("input.causeId", "belongs to another issue");
    const owner = await findOrFail(tx, User, input.ownerId, "User");
    const departmentId = input.departmentId ?? owner.departmentId;
    if (departmentId === null) {
      throw badInput("input.departmentId", "is required because the owner belongs to no department");
    }
    await findOrFail(tx, Department, departmentId, "Department");

    const repo = tx.getRepository(ActionItem);
    const item = await repo.save(
      repo.create({
        issueId: issue.id,
        causeId: cause.id,
        cycle: issue.cycle,
        description,
        metric,
        baseline: input.baseline,
        target: input.target,
        ownerId: owner.id,
        departmentId,
        plannedStart,
        plannedEnd,
        actualEnd: null,
        budget: input.budget,
        progress: 0,
        completionNote: null,
        state: "draft",
        planRevision: 1,
        version: 1,
      }),
    );
    await logCreation(tx, WorkflowEntity.ACTION_ITEM, item.id, item.state, actor.id);
    await scheduleActionOverdue(tx, item, clockOf(tx).now());
    return reload(tx, ActionItem, item.id);
  }

  /** START: the owner side begins work on an approved action. */
  start(actor: Actor, id: number, expectedVersion: number | null): Promise<ActionItem | TransitionError> {
    return this.send(id, { type: "START", actor, expectedVersion });
  }

  /**
   * UPDATE_PROGRESS: records a progress report (progress %, blockers, next step) and sets the
   * action's progress, in one transaction. The event does not move the state but bumps the
   * version and is logged, so the report shows in the history.
   */
  postProgress(
    actor: Actor,
    input: NewProgressUpdate,
    expectedVersion: number | null,
  ): Promise<ActionItem | TransitionError> {
    return attempt(this.dataSource, (tx) => this.postProgressIn(tx, actor, input, expectedVersion));
  }

  /** `postProgress` inside the caller's transaction; a refusal throws and rolls it back. */
  async postProgressIn(
    tx: EntityManager,
    actor: Actor,
    input: NewProgressUpdate,
    expectedVersion: number | null,
  ): Promise<ActionItem> {
    if (!Number.isInteger(input.progress) || input.progress < 0 || input.progress > 100) {
      throw badInput("input.progress", "must be an integer from 0 to 100");
    }
    const blockers = optionalText(input.blockers, "input.blockers", TEXT_LIMITS.longText);
    const nextStep = optionalText(input.nextStep, "input.nextStep", TEXT_LIMITS.longText);
    const item = await findVisibleOrFail(tx, actor, ActionItem, Resource.ACTION_ITEM, input.actionItemId, "ActionItem");
    await sendActionItemEvent(tx, item, {
      type: "UPDATE_PROGRESS",
      actor,
      expectedVersion,
      context: { progress: input.progress },
      set: { progress: input.progress },
      logTargetless: true,
    });
    await tx.insert(ProgressUpdate, {
      actionItemId: item.id,
      progress: input.progress,
      blockers,
      nextStep,
      authorId: actor.id,
    });
    return reload(tx, ActionItem, item.id);
  }

  /** BLOCK: work cannot go on; the reason is kept in the history. */
  block(actor: Actor, id: number, reason: string, expectedVersion: number | null) {
    const text = this.reason(reason, "reason");
    return this.send(id, { type: "BLOCK", actor, expectedVersion, reason: text });
  }

  /** UNBLOCK: work resumes. */
  unblock(actor: Actor, id: number, expectedVersion: number | null) {
    return this.send(id, { type: "UNBLOCK", actor, expectedVersion });
  }

  /**
   * COMPLETE: the machine accepts it only at 100% progress and with a completion note; stores
   * the note and today's date (UTC) as the actual end.
   */
  complete(actor: Actor, id: number, completionNote: string, expectedVersion: number | null) {
    const note = this.reason(completionNote, "completionNote");
    return this.send(id, {
      type: "COMPLETE",
      actor,
      expectedVersion,
      reason: note,
      set: { completionNote: note, actualEnd: todayUtc(clockOf(this.dataSource).now()) },
    });
  }

  /** REQUEST_CANCEL: the owner side asks the operations manager to cancel started work. */
  requestCancellation(actor: Actor, id: number, reason: string, expectedVersion: number | null) {
    const text = this.reason(reason, "reason");
    return this.send(id, { type: "REQUEST_CANCEL", actor, expectedVersion, reason: text });
  }

  /** APPROVE_CANCEL: the operations manager agrees; the action is cancelled. */
  approveCancellation(actor: Actor, id: number, expectedVersion: number | null) {
    return this.send(id, { type: "APPROVE_CANCEL", actor, expectedVersion });
  }

  /** REJECT_CANCEL: the operations manager refuses, with a reason; work goes on. */
  rejectCancellation(actor: Actor, id: number, reason: string, expectedVersion: number | null) {
    const text = this.reason(reason, "reason");
    return this.send(id, { type: "REJECT_CANCEL", actor, expectedVersion, reason: text });
  }

  /** CANCEL: drops a draft from the plan (no work behind it yet, so no approval needed). */
  cancelDraft(actor: Actor, id: number, reason: string, expectedVersion: number | null) {
    const text = this.reason(reason, "reason");
    return this.send(id, { type: "CANCEL", actor, expectedVersion, reason: text });
  }

  /** Action items `actor` may see matching `filter`, newest first. */
  list(actor: Actor | null, filter: ActionItemListFilter, page: PageArgs): Promise<Connection<ActionItem>> {
    const query = this.dataSource.getRepository(ActionItem).createQueryBuilder("a");
    restrictToVisible(query, "a", actor, Resource.ACTION_ITEM);
    if (filter.issueId) query.andWhere("a.issueId = :issueId", { issueId: filter.issueId });
    whereStateIn(query, "a", filter.states, ACTION_ITEM_STATES);
    if (filter.departmentId) {
      query.andWhere("a.departmentId = :departmentId", { departmentId: filter.departmentId });
    }
    if (filter.ownerId) query.andWhere("a.ownerId = :ownerId", { ownerId: filter.ownerId });
    const from = optionalDay(filter.plannedEndFrom, "filter.plannedEndFrom");
    const to = optionalDay(filter.plannedEndTo, "filter.plannedEndTo");
    if (from) query.andWhere("a.plannedEnd >= :from", { from });
    if (to) query.andWhere("a.plannedEnd <= :to", { to });
    if (filter.overdue != null) {
      const params = { today: todayUtc(clockOf(this.dataSource).now()), finished: FINISHED_STATES };
      if (filter.overdue) {
        query.andWhere("a.plannedEnd < :today AND a.state NOT IN (:...finished)", params);
      } else {
        query.andWhere(
          new Brackets((qb) =>
            qb.where("a.plannedEnd >= :today", params).orWhere("a.state IN (:...finished)", params),
          ),
        );
      }
    }
    return paginate(query, "a", page);
  }

  /** What `actor` may send to this action item now, from the machine. */
  nextEvents(item: ActionItem, actor: Actor | null): ActionItemEventType[] {
    const context = actionItemContext(item);
    return nextEventsFor(actionItemWorkflow, item.state, context, actor, NO_ADJUSTMENT_DECIDED);
  }

  /** Free text the machine judges: blank reaches its reasonProvided guard, too long is bad input. */
  private reason(value: string, field: string): string | null {
    return guardedText(value, field);
  }

  private send(id: number, request: ActionItemEventRequest): Promise<ActionItem | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const item = await findVisibleOrFail(tx, request.actor, ActionItem, Resource.ACTION_ITEM, id, "ActionItem");
      await sendActionItemEvent(tx, item, request);
      return reload(tx, ActionItem, item.id);
    });
  }
}
