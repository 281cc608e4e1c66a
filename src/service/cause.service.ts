import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { CauseEventType, causeWorkflow } from "../../workflows/cause.machine";
import { CauseCategory, WorkflowEntity } from "../common/enums";
import { TransitionError } from "../common/error-results";
import { badInput } from "../common/errors";
import { requireText, TEXT_LIMITS } from "../common/validation";
import { Cause } from "../entity";
import { Resource } from "../auth/policy";
import { findVisibleOrFail, reload } from "./common";
import { assertIssueAllows, lockIssue } from "./issue.service";
import { applyTransition, attempt, logCreation } from "./workflow-runner";

/** The state every new cause starts in (the cause machine's initial state). */
const INITIAL_CAUSE_STATE = "hypothesis";

export interface NewCause {
  issueId: number;
  category: CauseCategory;
  text: string;
  parentId: number | null;
}

/** Fishbone causes of an issue and their judgement on evidence. */
export class CauseService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds a hypothesis to an issue's fishbone, optionally under a parent cause of the same issue
   * (a why-chain). Allowed when the issue machine accepts EDIT_ANALYSIS from the actor.
   */
  add(actor: Actor, input: NewCause): Promise<Cause | TransitionError> {
    const text = requireText(input.text, "input.text", TEXT_LIMITS.shortText);
    return attempt(this.dataSource, async (tx) => {
      const issue = await assertIssueAllows(tx, input.issueId, actor, "EDIT_ANALYSIS");
      if (input.parentId !== null) {
        const parent = await tx.getRepository(Cause).findOneBy({ id: input.parentId });
        if (!parent || parent.issueId !== issue.id) {
          throw badInput("input.parentId", `cause ${input.parentId} is not a cause of issue ${issue.id}`);
        }
      }
      const repo = tx.getRepository(Cause);
      const saved = await repo.save(
        repo.create({
          issueId: issue.id,
          parentId: input.parentId,
          category: input.category,
          text,
          state: INITIAL_CAUSE_STATE,
          evidence: null,
          createdById: actor.id,
        }),
      );
      await logCreation(tx, WorkflowEntity.CAUSE, saved.id, INITIAL_CAUSE_STATE, actor.id);
      return reload(tx, Cause, saved.id);
    });
  }

  /**
   * CONFIRM, REFUTE or REOPEN a cause. The evidence (or reopening reason) is both stored on the
   * cause and logged as the transition's reason; the cause machine requires it non-blank.
   */
  judge(
    actor: Actor,
    id: number,
    type: CauseEventType,
    evidence: string | null,
    expectedVersion: number | null,
  ): Promise<Cause | TransitionError> {
    return attempt(this.dataSource, (tx) =>
      sendCauseEvent(tx, id, actor, type, {
        reason: evidence,
        set: { evidence: evidence === null || evidence === "" ? null : evidence },
        expectedVersion,
      }),
    );
  }
}

/**
 * Sends one event to a cause inside the caller's transaction, with the context and facts the
 * cause machine needs from its issue (assignee, state). The issue row is locked (see lockIssue) so
 * that it cannot leave `analyzing`, nor count confirmed causes for PROPOSE_PLAN, mid-judgement.
 *
 * @throws TransitionRefusal when refused (use inside `attempt`); NOT_FOUND for a missing cause.
 */
export async function sendCauseEvent(
  tx: EntityManager,
  causeId: number,
  actor: Actor,
  type: CauseEventType,
  options: { reason?: string | null; set?: Record<string, unknown>; expectedVersion?: number | null },
): Promise<Cause> {
  const cause = await findVisibleOrFail(tx, actor, Cause, Resource.CAUSE, causeId, "Cause");
  const issue = await lockIssue(tx, cause.issueId);
  await applyTransition(tx, {
    workflow: causeWorkflow,
    entityType: WorkflowEntity.CAUSE,
    target: Cause,
    row: cause,
    context: { issueAssigneeId: issue.assigneeId },
    event: { type, actor, facts: { issueState: issue.state }, reason: options.reason ?? null },
    expectedVersion: options.expectedVersion,
    set: options.set,
  });
  return reload(tx, Cause, causeId);
}
