import { DataSource, EntityManager } from "typeorm";
import {
  ADJUSTMENT_REQUEST_STATES,
  adjustmentRequestWorkflow,
  type AdjustmentRequestContext,
  type AdjustmentRequestEventType,
} from "../../workflows/adjustment-request.machine";
import type { Actor } from "../../workflows/actor";
import { WorkflowEntity } from "../common/enums";
import { TransitionError } from "../common/error-results";
import { badInput } from "../common/errors";
import { optionalDay, optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import { ActionItem, AdjustmentRequest, User } from "../entity";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { sendActionItemEvent } from "./action-item.service";
import { scheduleActionOverdue } from "./action-overdue";
import { clockOf } from "../common/clock";
import { Resource, restrictToVisible } from "../auth/policy";
import { findOrFail, findVisibleOrFail, reload, whereStateIn } from "./common";
import { guardedText } from "./issue.service";
import { applyTransition, attempt, logCreation, nextEventsFor } from "./workflow-runner";

export interface NewAdjustmentRequest {
  actionItemId: number;
  reason: string;
  proposedPlannedEnd: string | null;
  proposedOwnerId: number | null;
  proposedTarget: number | null;
  proposedScope: string | null;
  alternativePlan: string | null;
}

export interface AdjustmentRequestListFilter {
  states?: string[] | null;
  departmentId?: number | null;
  actionItemId?: number | null;
}

/** The adjustment-request guards decide on the actor and the context alone. */
const NO_FACTS = {} as Record<string, never>;

function adjustmentRequestContext(request: AdjustmentRequest): AdjustmentRequestContext {
  return { requesterId: request.requesterId, departmentId: request.departmentId };
}

/** What a decision does besides moving the request: its own columns and the action's. */
interface Decision {
  type: AdjustmentRequestEventType;
  actor: Actor;
  reason: string | null;
  expectedVersion: number | null;
  /** Whether the decision closes the adjustment, releasing the parked action item. */
  resolvesAction: boolean;
  /** Columns of the request (and of the action item) derived from both rows as loaded. */
  changes?: (request: AdjustmentRequest, item: ActionItem) => {
    request: Partial<AdjustmentRequest>;
    item?: Partial<ActionItem>;
  };
}

/**
 * Approval applies the proposed changes: the action's plan takes the proposed values, the request
 * keeps the values they replaced (only for the fields it changes) and the plan revision it
 * produced, so every version of the plan can be reconstructed.
 */
function applyProposal(request: AdjustmentRequest, item: ActionItem) {
  const revision = item.planRevision + 1;
  const requestSet: Partial<AdjustmentRequest> = { appliedRevision: revision };
  const itemSet: Partial<ActionItem> = { planRevision: revision };
  if (request.proposedPlannedEnd !== null) {
    requestSet.previousPlannedEnd = item.plannedEnd;
    itemSet.plannedEnd = request.proposedPlannedEnd;
  }
  if (request.proposedOwnerId !== null) {
    requestSet.previousOwnerId = item.ownerId;
    itemSet.ownerId = request.proposedOwnerId;
  }
  if (request.proposedTarget !== null) {
    requestSet.previousTarget = item.target;
    itemSet.target = request.proposedTarget;
  }
  if (request.proposedScope !== null) {
    requestSet.previousScope = item.description;
    itemSet.description = request.proposedScope;
  }
  return { request: requestSet, item: itemSet };
}

/**
 * Adjustment requests: the owner side asks to change an action item's plan (date, owner, target,
 * scope); a quality specialist reviews, the operations manager approves or rejects, the requester
 * may withdraw. The request and its action item always move in one transaction.
 */
export class AdjustmentRequestService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Files a request and parks the action item in adjustmentPending (REQUEST_ADJUSTMENT, which
   * `expectedVersion` applies to). If the action item refuses, nothing is written.
   */
  submit(
    actor: Actor,
    input: NewAdjustmentRequest,
    expectedVersion: number | null,
  ): Promise<AdjustmentRequest | TransitionError> {
    return attempt(this.dataSource, (tx) => this.submitIn(tx, actor, input, expectedVersion));
  }

  /** `submit` inside the caller's transaction (a review-meeting decision); a refusal throws and rolls it back. */
  async submitIn(
    tx: EntityManager,
    actor: Actor,
    input: NewAdjustmentRequest,
    expectedVersion: number | null,
  ): Promise<AdjustmentRequest> {
    const reason = requireText(input.reason, "input.reason", TEXT_LIMITS.longText);
    const proposedPlannedEnd = optionalDay(input.proposedPlannedEnd, "input.proposedPlannedEnd");
    const proposedScope = optionalText(input.proposedScope, "input.proposedScope", TEXT_LIMITS.longText);
    const alternativePlan = optionalText(
      input.alternativePlan,
      "input.alternativePlan",
      TEXT_LIMITS.longText,
    );
    const { proposedOwnerId, proposedTarget } = input;
    const proposals = [proposedPlannedEnd, proposedOwnerId, proposedTarget, proposedScope];
    if (proposals.every((value) => value === null)) {
      throw badInput(
        "input",
        "propose at least one change: proposedPlannedEnd, proposedOwnerId, proposedTarget or proposedScope",
      );
    }

    const item = await findVisibleOrFail(tx, actor, ActionItem, Resource.ACTION_ITEM, input.actionItemId, "ActionItem");
    if (proposedPlannedEnd !== null && proposedPlannedEnd < item.plannedStart) {
      throw badInput("input.proposedPlannedEnd", "is before the action's planned start");
    }
    if (proposedOwnerId !== null) await findOrFail(tx, User, proposedOwnerId, "User");

    await sendActionItemEvent(tx, item, { type: "REQUEST_ADJUSTMENT", actor, reason, expectedVersion });
    const repo = tx.getRepository(AdjustmentRequest);
    const request = await repo.save(
      repo.create({
        actionItemId: item.id,
        departmentId: item.departmentId,
        requesterId: actor.id,
        reason,
        proposedPlannedEnd,
        proposedOwnerId,
        proposedTarget,
        proposedScope,
        alternativePlan,
        state: "submitted",
        version: 1,
      }),
    );
    await logCreation(tx, WorkflowEntity.ADJUSTMENT_REQUEST, request.id, request.state, actor.id, reason);
    return reload(tx, AdjustmentRequest, request.id);
  }

  /** REVIEW: a quality specialist takes the request under review, optionally commenting. */
  review(actor: Actor, id: number, comment: string | null, expectedVersion: number | null) {
    const reviewComment = optionalText(comment, "comment", TEXT_LIMITS.longText);
    return this.decide(id, {
      type: "REVIEW",
      actor,
      reason: reviewComment,
      expectedVersion,
      resolvesAction: false,
      changes: () => ({ request: { reviewComment } }),
    });
  }

  /**
   * APPROVE: the operations manager approves; in the same transaction the proposed values are
   * applied to the action item (plan revision +1), the replaced values are kept on the request,
   * and the action item returns to inProgress (ADJUSTMENT_RESOLVED).
   */
  approve(actor: Actor, id: number, comment: string | null, expectedVersion: number | null) {
    const decisionComment = optionalText(comment, "comment", TEXT_LIMITS.longText);
    return this.decide(id, {
      type: "APPROVE",
      actor,
      reason: decisionComment,
      expectedVersion,
      resolvesAction: true,
      changes: (request, item) => {
        const applied = applyProposal(request, item);
        return { request: { ...applied.request, decisionComment }, item: applied.item };
      },
    });
  }

  /** REJECT: the operations manager refuses, with a comment; the plan stays, work resumes. */
  reject(actor: Actor, id: number, comment: string, expectedVersion: number | null) {
    const decisionComment = guardedText(comment, "comment");
    return this.decide(id, {
      type: "REJECT",
      actor,
      reason: decisionComment,
      expectedVersion,
      resolvesAction: true,
      changes: () => ({ request: { decisionComment } }),
    });
  }

  /** WITHDRAW: the requester takes the request back; the plan stays, work resumes. */
  withdraw(actor: Actor, id: number, expectedVersion: number | null) {
    return this.decide(id, {
      type: "WITHDRAW",
      actor,
      reason: null,
      expectedVersion,
      resolvesAction: true,
    });
  }

  /** Adjustment requests `actor` may see matching `filter`, newest first. */
  list(
    actor: Actor | null,
    filter: AdjustmentRequestListFilter,
    page: PageArgs,
  ): Promise<Connection<AdjustmentRequest>> {
    const query = this.dataSource.getRepository(AdjustmentRequest).createQueryBuilder("r");
    restrictToVisible(query, "r", actor, Resource.ADJUSTMENT_REQUEST);
    whereStateIn(query, "r", filter.states, ADJUSTMENT_REQUEST_STATES);
    if (filter.departmentId) {
      query.andWhere("r.departmentId = :departmentId", { departmentId: filter.departmentId });
    }
    if (filter.actionItemId) {
      query.andWhere("r.actionItemId = :actionItemId", { actionItemId: filter.actionItemId });
    }
    return paginate(query, "r", page);
  }

  /** What `actor` may send to this request now, from the machine. */
  nextEvents(request: AdjustmentRequest, actor: Actor | null): AdjustmentRequestEventType[] {
    const context = adjustmentRequestContext(request);
    return nextEventsFor(adjustmentRequestWorkflow, request.state, context, actor, NO_FACTS);
  }

  private decide(id: number, decision: Decision): Promise<AdjustmentRequest | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const request = await findVisibleOrFail(
        tx,
        decision.actor,
        AdjustmentRequest,
        Resource.ADJUSTMENT_REQUEST,
        id,
        "AdjustmentRequest",
      );
      const item = await findOrFail(tx, ActionItem, request.actionItemId, "ActionItem");
      const changes = decision.changes?.(request, item) ?? { request: {} };
      await this.moveRequest(tx, request, decision, {
        ...changes.request,
        ...(decision.resolvesAction ? { decidedAt: clockOf(tx).now() } : {}),
      });
      if (decision.resolvesAction) {
        await sendActionItemEvent(tx, item, {
          type: "ADJUSTMENT_RESOLVED",
          actor: decision.actor,
          facts: { adjustmentResolved: true },
          reason: decision.reason,
          set: changes.item,
        });
        // A new planned end is a new deadline: its own overdue job (the old one is cancelled).
        if (changes.item?.plannedEnd !== undefined) {
          await scheduleActionOverdue(tx, await reload(tx, ActionItem, item.id), clockOf(tx).now());
        }
      }
      return reload(tx, AdjustmentRequest, request.id);
    });
  }

  private moveRequest(
    tx: EntityManager,
    request: AdjustmentRequest,
    decision: Decision,
    set: Partial<AdjustmentRequest>,
  ): Promise<string> {
    return applyTransition(tx, {
      workflow: adjustmentRequestWorkflow,
      entityType: WorkflowEntity.ADJUSTMENT_REQUEST,
      target: AdjustmentRequest,
      row: request,
      context: adjustmentRequestContext(request),
      event: { type: decision.type, actor: decision.actor, facts: NO_FACTS, reason: decision.reason },
      expectedVersion: decision.expectedVersion,
      set,
    });
  }
}
