import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { Actor } from "../../workflows/actor";
import {
  availableEvents,
  evaluateTransition,
  TransitionOutcome,
  Workflow,
  WorkflowEvent,
} from "../../workflows/runtime";
import { WorkflowEntity } from "../common/enums";
import { TransitionError, TransitionErrorCode, TransitionRefusal } from "../common/error-results";
import { currentRequestId } from "../db/request-scope";
import { inTransaction } from "../db/transaction";
import { TransitionLog } from "../entity";

/** The columns every workflow entity has. */
export interface WorkflowRow {
  id: number;
  state: string;
  version: number;
}

export interface TransitionRequest<C, F, E extends string> {
  workflow: Workflow<C, F, E>;
  entityType: WorkflowEntity;
  target: EntityTarget<ObjectLiteral>;
  row: WorkflowRow;
  context: C;
  event: WorkflowEvent<E, F>;
  /** The version the client saw; a different current version is a conflict. */
  expectedVersion?: number | null;
  /** Other columns written in the same conditional update as the state. */
  set?: Record<string, unknown>;
}

/**
 * Runs one event through a pure machine and persists the result: the new state and `set` columns
 * in a conditional `UPDATE … WHERE id = ? AND version = ?` that must change exactly one row, plus
 * an append-only transition-log row. Refusals and lost races throw TransitionRefusal so the
 * surrounding transaction rolls back whatever it wrote before.
 *
 * Targetless events (e.g. UPDATE_PROGRESS) still bump the version — concurrent edits of the same
 * object conflict instead of overwriting each other — but are not logged as transitions unless
 * `logTargetless` is set.
 */
export async function applyTransition<C, F, E extends string>(
  manager: EntityManager,
  request: TransitionRequest<C, F, E>,
  options: { logTargetless?: boolean } = {},
): Promise<string> {
  const { row, event } = request;
  if (request.expectedVersion != null && request.expectedVersion !== row.version) {
    throw refusal(request.entityType, row, event.type, {
      errorCode: TransitionErrorCode.VERSION_CONFLICT,
      reason: "versionMismatch",
      message: `expected version ${request.expectedVersion}, but it is at version ${row.version}; reload and retry`,
    });
  }
  const outcome = assertAllowed(request.workflow, request.entityType, row, request.context, event);

  const result = await manager
    .createQueryBuilder()
    .update(request.target)
    .set({ ...request.set, state: outcome.toState, version: () => "version + 1" })
    .where("id = :id AND version = :version", { id: row.id, version: row.version })
    .execute();
  if (result.affected !== 1) {
    throw refusal(request.entityType, row, event.type, {
      errorCode: TransitionErrorCode.VERSION_CONFLICT,
      reason: "concurrentUpdate",
      message: "another change to this object committed first; reload and retry",
    });
  }
  row.state = outcome.toState;
  row.version += 1;

  if (outcome.changesState || options.logTargetless) {
    await manager.insert(TransitionLog, {
      entityType: request.entityType,
      entityId: row.id,
      fromState: outcome.fromState,
      toState: outcome.toState,
      event: event.type,
      actorId: event.actor.id,
      reason: event.reason ?? null,
      requestId: currentRequestId(),
    });
  }
  return outcome.toState;
}

/**
 * Asks the machine whether `event` may happen now, writing nothing. Used on its own for targetless
 * permission events (e.g. EDIT_ANALYSIS) that must neither bump a version nor appear in history.
 *
 * @throws TransitionRefusal when the machine refuses, so the caller's transaction rolls back.
 */
export function assertAllowed<C, F, E extends string>(
  workflow: Workflow<C, F, E>,
  entityType: WorkflowEntity,
  row: { id: number; state: string },
  context: C,
  event: WorkflowEvent<E, F>,
): Extract<TransitionOutcome, { ok: true }> {
  const outcome = evaluateTransition(workflow, row.state, context, event);
  if (outcome.ok) return outcome;
  throw refusal(entityType, row, event.type, {
    errorCode: TransitionErrorCode[outcome.errorCode],
    reason: outcome.reason,
    message: outcome.message,
  });
}

function refusal(
  entity: WorkflowEntity,
  row: { id: number; state: string },
  event: string,
  why: Pick<TransitionError, "errorCode" | "reason" | "message">,
): TransitionRefusal {
  return new TransitionRefusal(
    new TransitionError({ ...why, entity, entityId: row.id, fromState: row.state, event }),
  );
}

/**
 * Runs `work` in a transaction and turns a TransitionRefusal into its typed error result, after
 * the rollback. Anything else propagates.
 */
export async function attempt<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T | TransitionError> {
  try {
    return await inTransaction(dataSource, work);
  } catch (error) {
    if (error instanceof TransitionRefusal) return error.result;
    throw error;
  }
}

/** What the actor may do next, from the machine itself. */
export function nextEventsFor<C, F, E extends string>(
  workflow: Workflow<C, F, E>,
  state: string,
  context: C,
  actor: Actor | null,
  facts: F,
): E[] {
  if (!actor) return [];
  return availableEvents(workflow, state, context, actor, facts);
}

/** The pseudo-state before an object exists, so its creation appears in the log too. */
export const CREATED_FROM = "new";

/** Logs the creation of a workflow object as event CREATE from "new" to its initial state. */
export async function logCreation(
  manager: EntityManager,
  entityType: WorkflowEntity,
  entityId: number,
  initialState: string,
  actorId: number,
  reason: string | null = null,
): Promise<void> {
  await manager.insert(TransitionLog, {
    entityType,
    entityId,
    fromState: CREATED_FROM,
    toState: initialState,
    event: "CREATE",
    actorId,
    reason,
    requestId: currentRequestId(),
  });
}
