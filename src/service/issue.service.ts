import { GraphQLError } from "graphql";
import { DataSource, EntityManager, In } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { actionItemWorkflow } from "../../workflows/action-item.machine";
import {
  ISSUE_STATES,
  IssueContext,
  IssueEventType,
  IssueFacts,
  issueWorkflow,
} from "../../workflows/issue.machine";
import { Connection, PageArgs, paginate } from "../api/pagination";
import {
  Channel,
  ComplaintTier,
  FeedbackSource,
  Impact,
  IssueKind,
  Quadrant,
  WorkflowEntity,
} from "../common/enums";
import { clockOf } from "../common/clock";
import { TransitionError, TransitionErrorCode } from "../common/error-results";
import { badInput, notFound } from "../common/errors";
import { inTransaction } from "../db/transaction";
import { optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import {
  ActionItem,
  Customer,
  Department,
  Feedback,
  Issue,
  IssueEvidence,
  User,
} from "../entity";
import { flagsOfQuadrant } from "../entity/issue/issue.entity";
import { assertVisible, Resource, restrictToVisible } from "../auth/policy";
import { findOrFail, reload, whereStateIn } from "./common";
import { insertFeedback } from "./feedback.service";
import { afterIssueCreated, afterIssueTransition } from "./intake-hooks";
import { IssueFactsSnapshot, loadIssueFacts } from "./issue-facts";
import { applyTransition, assertAllowed, attempt, logCreation } from "./workflow-runner";
import { ConsentDecisionInput, recordConsentWithFeedback } from "./contact-consent.service";

/** The state every new issue starts in (the issue machine's initial state). */
const INITIAL_ISSUE_STATE = "intake";

// ---------------------------------------------------------------------------------------------
// Shared transition helpers: the verification-check and action-item services use these too, so
// that every issue event runs through one code path.
// ---------------------------------------------------------------------------------------------

/** Options of {@link sendIssueEvent}. */
export interface IssueEventOptions {
  /** Free text logged with the transition (comment, reason, summary); guards check non-blank. */
  reason?: string | null;
  /**
   * Replaces some of the facts loadIssueFacts gathered; a function receives the gathered snapshot
   * (e.g. APPROVE_PLAN derives the unapproved budget count from `budgetedDraftActionIds`).
   */
  facts?: Partial<IssueFacts> | ((snapshot: IssueFactsSnapshot) => Partial<IssueFacts>);
  /** Replaces some of the machine context (e.g. the new assignee before ASSIGN). */
  context?: Partial<IssueContext>;
  /**
   * Columns written in the same conditional update as the state; a function receives the issue
   * row as loaded, for values derived from it. Raw SQL works as `{ cycle: () => "cycle + 1" }`.
   */
  set?: Record<string, unknown> | ((issue: Issue) => Record<string, unknown>);
  /** The version the client saw; another current version is a VERSION_CONFLICT. */
  expectedVersion?: number | null;
}

/**
 * Loads an issue inside `tx`, locking its row (`FOR UPDATE`) on MySQL/MariaDB so that the facts
 * read next (causes, action items, checks) cannot change under a concurrent transaction that
 * takes the same lock: issue events, {@link assertIssueAllows}, cause judgements. An exclusive
 * lock is used throughout because MariaDB lacks `FOR SHARE` (TypeORM would emit it for any server
 * reporting version ≥ 8) and because analysis edits of one issue are rare enough to queue.
 * SQLite serialises write transactions already and has no row locks.
 *
 * @throws NOT_FOUND when the issue does not exist.
 */
export async function lockIssue(tx: EntityManager, issueId: number): Promise<Issue> {
  const query = tx.getRepository(Issue).createQueryBuilder("i").where("i.id = :issueId", { issueId });
  if (tx.connection.options.type !== "better-sqlite3") query.setLock("pessimistic_write");
  const issue = await query.getOne();
  if (!issue) throw notFound("Issue", issueId);
  return issue;
}

/** The machine context and facts of an issue, exactly as its transitions and previews use them. */
async function issueMachineInput(
  tx: EntityManager,
  issue: Issue,
  overrides: Pick<IssueEventOptions, "facts" | "context"> = {},
): Promise<{ context: IssueContext; facts: IssueFacts }> {
  const snapshot = (await loadIssueFacts(tx, [issue.id])).get(issue.id)!;
  const facts = typeof overrides.facts === "function" ? overrides.facts(snapshot) : overrides.facts;
  return {
    context: { assigneeId: issue.assigneeId, departmentId: issue.departmentId, ...overrides.context },
    facts: { ...snapshot.facts, ...facts },
  };
}

/**
 * Sends one event to an issue inside the caller's transaction: locks and loads the issue,
 * gathers its context and facts (loadIssueFacts, then `options` overrides), lets the issue
 * machine decide, and writes state + `set` columns + the transition-log row via applyTransition.
 *
 * Signature: `sendIssueEvent(tx, issueId, actor, type, { reason, facts, context, set,
 * expectedVersion })` → the issue as committed-to-be (re-read inside `tx`).
 *
 * @throws TransitionRefusal when the machine refuses or the version is stale (use inside
 *   `attempt` so it becomes a TransitionError result after rollback); NOT_FOUND for a missing
 *   issue.
 */
export async function sendIssueEvent(
  tx: EntityManager,
  issueId: number,
  actor: Actor,
  type: IssueEventType,
  options: IssueEventOptions = {},
): Promise<Issue> {
  const issue = await lockIssue(tx, issueId);
  await assertVisible(tx, actor, Resource.ISSUE, issueId, "Issue");
  const { context, facts } = await issueMachineInput(tx, issue, options);
  const set = typeof options.set === "function" ? options.set(issue) : options.set;
  const fromState = issue.state;
  await applyTransition(tx, {
    workflow: issueWorkflow,
    entityType: WorkflowEntity.ISSUE,
    target: Issue,
    row: issue,
    context,
    event: { type, actor, facts, reason: options.reason ?? null },
    expectedVersion: options.expectedVersion,
    set,
  });
  const updated = await reload(tx, Issue, issueId);
  if (updated.state !== fromState) {
    await afterIssueTransition(tx, { issue: updated, fromState, event: type, actor });
  }
  return updated;
}

/**
 * Checks that the issue machine allows a targetless permission event — EDIT_ANALYSIS (add causes,
 * draft action items) or PLAN_VERIFICATION — without writing anything: such edits must not bump
 * the issue's version nor appear in its history. Locks the issue row (see {@link lockIssue}) so
 * the issue cannot change state while the caller's edit commits.
 *
 * @returns the issue row.
 * @throws TransitionRefusal (entity ISSUE) when refused — use inside `attempt`; NOT_FOUND for a
 *   missing issue.
 */
export async function assertIssueAllows(
  tx: EntityManager,
  issueId: number,
  actor: Actor,
  type: "EDIT_ANALYSIS" | "PLAN_VERIFICATION",
): Promise<Issue> {
  const issue = await lockIssue(tx, issueId);
  await assertVisible(tx, actor, Resource.ISSUE, issueId, "Issue");
  const { context, facts } = await issueMachineInput(tx, issue);
  assertAllowed(issueWorkflow, WorkflowEntity.ISSUE, issue, context, { type, actor, facts });
  return issue;
}

/**
 * Trims free text that a machine guard judges (blank is the machine's PRECONDITION_FAILED, not
 * bad input) and refuses text over the long-text limit before anything is written.
 */
export function guardedText(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if ([...text].length > TEXT_LIMITS.longText) {
    throw badInput(field, `must be at most ${TEXT_LIMITS.longText} characters`);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------

export interface NewComplaint {
  customerId: number;
  ticketId: number | null;
  channel: Channel;
  scores: { dimension: string; score: number }[];
  comment?: string | null;
  title: string;
  description?: string | null;
  tier: ComplaintTier;
  receivedAt?: Date | null;
  /** The customer's contact decision, when asked with the complaint. */
  contactConsent?: ConsentDecisionInput | null;
}

export interface NewIssue {
  kind: IssueKind;
  title: string;
  description?: string | null;
  frequency?: number | null;
  impact?: Impact | null;
  departmentId: number | null;
  customerId: number | null;
  evidenceFeedbackIds: number[];
}

export interface Triage {
  urgent: boolean;
  important: boolean;
  impact: Impact;
  frequency?: number | null;
  departmentId: number;
  complaintTier?: ComplaintTier | null;
}

export interface IssueListFilter {
  states?: string[] | null;
  kind?: IssueKind | null;
  departmentId: number | null;
  assigneeId: number | null;
  customerId: number | null;
  quadrant?: Quadrant | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
}

type IssueOutcome = Promise<Issue | TransitionError>;

/** Problem records: complaints and systemic issues, their evidence and their lifecycle. */
export class IssueService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers a complaint in one transaction: the feedback (source COMPLAINT) with its scores, a
   * COMPLAINT issue in `intake` linked to it as evidence, and the issue's creation log row.
   */
  async registerComplaint(actor: Actor, input: NewComplaint): Promise<Issue> {
    const title = requireText(input.title, "input.title", TEXT_LIMITS.title);
    const comment = optionalText(input.comment, "input.comment", TEXT_LIMITS.longText);
    const description =
      optionalText(input.description, "input.description", TEXT_LIMITS.longText) ?? comment ?? "";
    return this.transaction(async (tx) => {
      const feedback = await insertFeedback(tx, actor, {
        customerId: input.customerId,
        ticketId: input.ticketId,
        templateId: null,
        source: FeedbackSource.COMPLAINT,
        channel: input.channel,
        scores: input.scores,
        comment,
        receivedAt: input.receivedAt ?? clockOf(tx).now(),
      }, { applyIntakeRules: false });
      const issue = await insertIssue(tx, actor, {
        kind: IssueKind.COMPLAINT,
        title,
        description,
        customerId: input.customerId,
        complaintTier: input.tier,
      });
      await insertEvidence(tx, actor, issue.id, [feedback.id]);
      await recordConsentWithFeedback(tx, actor.id, input.contactConsent, feedback);
      return issue;
    });
  }

  /** Opens an issue directly (usually systemic), optionally with feedback as evidence. */
  async createIssue(actor: Actor, input: NewIssue): Promise<Issue> {
    const title = requireText(input.title, "input.title", TEXT_LIMITS.title);
    const description = optionalText(input.description, "input.description", TEXT_LIMITS.longText);
    return this.transaction(async (tx) => {
      if (input.departmentId !== null) {
        await findOrFail(tx, Department, input.departmentId, "Department");
      }
      if (input.customerId !== null) await findOrFail(tx, Customer, input.customerId, "Customer");
      const feedbackIds = await this.existingFeedback(
        tx,
        input.evidenceFeedbackIds,
        "input.evidenceFeedbackIds",
      );
      const issue = await insertIssue(tx, actor, {
        kind: input.kind,
        title,
        description: description ?? "",
        frequency: input.frequency ?? null,
        impact: input.impact ?? null,
        departmentId: input.departmentId,
        customerId: input.customerId,
      });
      await insertEvidence(tx, actor, issue.id, feedbackIds);
      return issue;
    });
  }

  /**
   * Links feedback to an issue as evidence. Links are only ever added: existing links are kept
   * as they are (so a retry is harmless) and nothing is unlinked. A cancelled issue is final in
   * the issue machine, so its evidence is frozen: linking to it is refused with
   * INVALID_TRANSITION (event LINK_EVIDENCE, reason issueIsFinal).
   */
  async linkEvidence(actor: Actor, issueId: number, feedbackIds: number[]): Promise<Issue> {
    return this.transaction(async (tx) => {
      const issue = await lockIssue(tx, issueId);
      await assertVisible(tx, actor, Resource.ISSUE, issueId, "Issue");
      if (issueWorkflow.machine.states[issue.state]?.type === "final") {
        throw new GraphQLError(`issue ${issueId} is ${issue.state}; its evidence is frozen`, {
          extensions: {
            code: TransitionErrorCode.INVALID_TRANSITION,
            entity: WorkflowEntity.ISSUE,
            entityId: String(issueId),
            fromState: issue.state,
            event: "LINK_EVIDENCE",
            reason: "issueIsFinal",
          },
        });
      }
      const ids = await this.existingFeedback(tx, feedbackIds, "feedbackIds");
      await insertEvidence(tx, actor, issueId, ids);
      return reload(tx, Issue, issueId);
    });
  }

  /** TRIAGE: sets quadrant flags, impact, frequency, department (and tier) with the state. */
  triage(actor: Actor, id: number, input: Triage, expectedVersion: number | null): IssueOutcome {
    return attempt(this.dataSource, async (tx) => {
      await findOrFail(tx, Department, input.departmentId, "Department");
      const set: Record<string, unknown> = {
        urgent: input.urgent,
        important: input.important,
        impact: input.impact,
        departmentId: input.departmentId,
      };
      if (input.frequency != null) set.frequency = input.frequency;
      if (input.complaintTier != null) set.complaintTier = input.complaintTier;
      return sendIssueEvent(tx, id, actor, "TRIAGE", {
        context: { departmentId: input.departmentId },
        set,
        expectedVersion,
      });
    });
  }

  /** ASSIGN (first assignment or reassignment): the new assignee is judged by the machine. */
  assign(actor: Actor, id: number, assigneeId: number, expectedVersion: number | null): IssueOutcome {
    return attempt(this.dataSource, async (tx) => {
      await findOrFail(tx, User, assigneeId, "User");
      return sendIssueEvent(tx, id, actor, "ASSIGN", {
        context: { assigneeId },
        set: { assigneeId },
        expectedVersion,
      });
    });
  }

  /**
   * Sends an event that carries nothing but an optional reason: START_ANALYSIS, PROPOSE_PLAN,
   * START_VERIFICATION, REJECT_PLAN (comment), CANCEL (reason).
   */
  simpleEvent(
    actor: Actor,
    id: number,
    type: "START_ANALYSIS" | "PROPOSE_PLAN" | "START_VERIFICATION" | "REJECT_PLAN" | "CANCEL",
    options: { reason?: string | null; expectedVersion: number | null },
  ): IssueOutcome {
    return attempt(this.dataSource, (tx) => sendIssueEvent(tx, id, actor, type, options));
  }

  /**
   * APPROVE_PLAN: the operations manager must name every budgeted draft action explicitly. On
   * success every draft action item of the issue is approved in the same transaction (each by
   * its own machine); if any of them refuses, the whole approval rolls back.
   */
  approvePlan(
    actor: Actor,
    id: number,
    approvedBudgetActionItemIds: number[],
    comment: string | null,
    expectedVersion: number | null,
  ): IssueOutcome {
    return attempt(this.dataSource, async (tx) => {
      if (approvedBudgetActionItemIds.length > 0) {
        const own = await tx.getRepository(ActionItem).find({
          select: { id: true },
          where: { id: In(approvedBudgetActionItemIds), issueId: id },
        });
        const ownIds = new Set(own.map((row) => row.id));
        const stray = approvedBudgetActionItemIds.findIndex((itemId) => !ownIds.has(itemId));
        if (stray >= 0) {
          throw badInput(
            `approvedBudgetActionItemIds.${stray}`,
            `action item ${approvedBudgetActionItemIds[stray]} is not part of issue ${id}`,
          );
        }
      }
      const approved = new Set(approvedBudgetActionItemIds);
      const updated = await sendIssueEvent(tx, id, actor, "APPROVE_PLAN", {
        reason: comment,
        facts: ({ budgetedDraftActionIds }) => ({
          unapprovedBudgetedActionCount: budgetedDraftActionIds.filter((itemId) => !approved.has(itemId))
            .length,
        }),
        expectedVersion,
      });

      const drafts = await tx
        .getRepository(ActionItem)
        .find({ where: { issueId: id, state: "draft" }, order: { id: "ASC" } });
      for (const item of drafts) {
        await applyTransition(tx, {
          workflow: actionItemWorkflow,
          entityType: WorkflowEntity.ACTION_ITEM,
          target: ActionItem,
          row: item,
          context: { ownerId: item.ownerId, departmentId: item.departmentId, progress: item.progress },
          event: { type: "APPROVE", actor, facts: { adjustmentResolved: false }, reason: comment },
        });
      }
      return updated;
    });
  }

  /** CLOSE after a passed verification; records when. */
  close(actor: Actor, id: number, summary: string | null, expectedVersion: number | null): IssueOutcome {
    return attempt(this.dataSource, (tx) =>
      sendIssueEvent(tx, id, actor, "CLOSE", {
        reason: summary,
        set: { closedAt: clockOf(tx).now() },
        expectedVersion,
      }),
    );
  }

  /** REOPEN on recurrence: back to analysis in a new improvement cycle. */
  reopen(actor: Actor, id: number, reason: string | null, expectedVersion: number | null): IssueOutcome {
    return attempt(this.dataSource, (tx) =>
      sendIssueEvent(tx, id, actor, "REOPEN", {
        reason,
        set: { cycle: () => "cycle + 1", closedAt: null },
        expectedVersion,
      }),
    );
  }

  /** Issues `actor` may see, newest first, filtered as a list screen needs. */
  list(actor: Actor | null, filter: IssueListFilter, page: PageArgs): Promise<Connection<Issue>> {
    const query = this.dataSource.getRepository(Issue).createQueryBuilder("i");
    restrictToVisible(query, "i", actor, Resource.ISSUE);
    whereStateIn(query, "i", filter.states, ISSUE_STATES);
    if (filter.kind) query.andWhere("i.kind = :kind", { kind: filter.kind });
    if (filter.departmentId !== null) {
      query.andWhere("i.departmentId = :departmentId", { departmentId: filter.departmentId });
    }
    if (filter.assigneeId !== null) {
      query.andWhere("i.assigneeId = :assigneeId", { assigneeId: filter.assigneeId });
    }
    if (filter.customerId !== null) {
      query.andWhere("i.customerId = :customerId", { customerId: filter.customerId });
    }
    if (filter.quadrant) {
      query.andWhere("i.urgent = :urgent AND i.important = :important", flagsOfQuadrant(filter.quadrant));
    }
    if (filter.createdFrom) query.andWhere("i.createdAt >= :createdFrom", { createdFrom: filter.createdFrom });
    if (filter.createdTo) query.andWhere("i.createdAt < :createdTo", { createdTo: filter.createdTo });
    return paginate(query, "i", page);
  }

  /** Creation and linking have no machine event that could refuse them: a plain transaction. */
  private transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /** Checks every feedback id exists; returns them without duplicates, in input order. */
  private async existingFeedback(tx: EntityManager, ids: number[], field: string): Promise<number[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await tx.getRepository(Feedback).find({ select: { id: true }, where: { id: In(unique) } });
    const foundIds = new Set(found.map((row) => row.id));
    const missing = ids.findIndex((id) => !foundIds.has(id));
    if (missing >= 0) throw badInput(`${field}.${missing}`, `feedback ${ids[missing]} does not exist`);
    return unique;
  }
}

/**
 * Inserts a new issue in `intake` with its creation log row, inside the caller's transaction
 * (complaint registration, createIssue and intake rules share it).
 */
export async function insertIssue(
  tx: EntityManager,
  actor: Actor,
  values: Partial<Issue> & Pick<Issue, "kind" | "title" | "description">,
): Promise<Issue> {
  const repo = tx.getRepository(Issue);
  const saved = await repo.save(
    repo.create({ ...values, state: INITIAL_ISSUE_STATE, cycle: 1, createdById: actor.id }),
  );
  await logCreation(tx, WorkflowEntity.ISSUE, saved.id, INITIAL_ISSUE_STATE, actor.id);
  const issue = await reload(tx, Issue, saved.id);
  await afterIssueCreated(tx, issue, actor);
  return issue;
}

/** Adds evidence links, leaving links that exist already untouched (also under a race). */
export async function insertEvidence(tx: EntityManager, actor: Actor, issueId: number, feedbackIds: number[]) {
  if (feedbackIds.length === 0) return;
  await tx
    .createQueryBuilder()
    .insert()
    .into(IssueEvidence)
    .values(feedbackIds.map((feedbackId) => ({ issueId, feedbackId, linkedById: actor.id })))
    .orIgnore()
    .execute();
}
