import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { describeWorkflow } from "../../workflows/runtime";
import {
  computeImprovement,
  VERIFICATION_CHECK_STATES,
  VerificationCheckEventType,
  VerificationCheckFacts,
  verificationCheckWorkflow,
} from "../../workflows/verification-check.machine";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { clockOf } from "../common/clock";
import { MetricDirection, VerificationStatus, WorkflowEntity } from "../common/enums";
import { badInput } from "../common/errors";
import { TransitionError } from "../common/error-results";
import { optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import { Feedback, FeedbackScore, Issue, IssueEvidence, VerificationCheck } from "../entity";
import { Resource, restrictToVisible } from "../auth/policy";
import { findOrFail, findVisibleOrFail, reload, whereStateIn } from "./common";
import { assertIssueAllows, lockIssue, sendIssueEvent } from "./issue.service";
import { applyTransition, attempt, logCreation, nextEventsFor } from "./workflow-runner";

export interface PlannedCheck {
  issueId: number;
  metric: string;
  dimension?: string | null;
  direction: MetricDirection;
  threshold: number;
  beforeFrom?: Date | null;
  beforeTo?: Date | null;
  baseline?: number | null;
  sourceNote?: string | null;
}

export interface CompletedCheck {
  afterFrom?: Date | null;
  afterTo?: Date | null;
  result?: number | null;
  sampleSize?: number | null;
  sourceNote?: string | null;
}

export interface VerificationCheckFilter {
  issueId?: number | null;
  states?: string[] | null;
}

/** A measured value and the number of responses behind it. */
interface Measurement {
  value: number | null;
  sampleSize: number;
}

interface Window {
  from: Date | null;
  to: Date | null;
}

const INITIAL_STATE = describeWorkflow(verificationCheckWorkflow).initial;
const VERDICTS: Partial<Record<string, "passed" | "failed">> = { passed: "passed", failed: "failed" };

/**
 * Measurements are stored as DECIMAL(14,4). Values are rounded to that scale before the machine
 * sees them, so the verdict is reproducible from the figures shown, on MySQL and SQLite alike.
 */
const DECIMAL_SCALE = 10_000;
const DECIMAL_LIMIT = 1e10;

/**
 * Verification checks, the "prove it worked" step of the loop. A check is planned with a baseline,
 * re-surveyed while the issue is verifying, and completed with a result; the machine computes the
 * verdict. A failed check sends the issue back to analysis in a new improvement cycle.
 */
export class VerificationCheckService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Plans a check of `issueId` for its current cycle. The issue machine's PLAN_VERIFICATION event
   * decides whether checks may be planned now and by whom. For a survey dimension the baseline is
   * computed from the affected customers' valid feedback, never typed in, so nobody can pick a
   * convenient baseline.
   */
  async plan(actor: Actor, input: PlannedCheck): Promise<VerificationCheck | TransitionError> {
    const metric = requireText(input.metric, "input.metric", TEXT_LIMITS.title);
    const sourceNote = optionalText(input.sourceNote, "input.sourceNote", TEXT_LIMITS.longText);
    const threshold = storedDecimal(input.threshold, "input.threshold");
    if (threshold <= 0) throw badInput("input.threshold", "must be above 0");
    const dimension = input.dimension ?? null;
    let window: Window;
    let enteredBaseline: number | null = null;
    if (dimension !== null) {
      if (input.baseline != null) {
        throw badInput("input.baseline", "is computed from the dimension's scores; it cannot be entered");
      }
      window = requiredWindow(input.beforeFrom, input.beforeTo, "input.beforeFrom", "input.beforeTo");
    } else {
      if (input.baseline == null) throw badInput("input.baseline", "is required without a dimension");
      if (sourceNote === null) throw badInput("input.sourceNote", "is required for an entered baseline");
      enteredBaseline = storedDecimal(input.baseline, "input.baseline");
      window = optionalWindow(input.beforeFrom, input.beforeTo, "input.beforeTo");
    }

    return attempt(this.dataSource, async (tx) => {
      const issue = await assertIssueAllows(tx, input.issueId, actor, "PLAN_VERIFICATION");
      let baseline: Measurement = { value: enteredBaseline, sampleSize: 0 };
      if (dimension !== null) {
        baseline = await measureDimension(tx, issue, dimension, window);
        if (baseline.sampleSize === 0) {
          throw badInput(
            "input.beforeFrom",
            "the affected customers gave no valid score on this dimension in the window",
          );
        }
      }
      const repo = tx.getRepository(VerificationCheck);
      const check = await repo.save(
        repo.create({
          issueId: issue.id,
          cycle: issue.cycle,
          metric,
          dimension,
          direction: input.direction,
          threshold,
          baseline: baseline.value,
          baselineSampleSize: dimension !== null ? baseline.sampleSize : null,
          result: null,
          sampleSize: null,
          sourceNote,
          beforeFrom: window.from,
          beforeTo: window.to,
          afterFrom: null,
          afterTo: null,
          state: INITIAL_STATE,
          createdById: actor.id,
          completedAt: null,
        }),
      );
      await logCreation(tx, WorkflowEntity.VERIFICATION_CHECK, check.id, check.state, actor.id, sourceNote);
      return reload(tx, VerificationCheck, check.id);
    });
  }

  /** Starts the re-survey; the machine allows it only while the issue is verifying. */
  startSurvey(
    actor: Actor,
    id: number,
    expectedVersion?: number | null,
  ): Promise<VerificationCheck | TransitionError> {
    return this.send(actor, id, "START_SURVEY", expectedVersion, null);
  }

  /** Cancels a planned or surveying check; the machine requires a reason. */
  cancel(
    actor: Actor,
    id: number,
    reason: string,
    expectedVersion?: number | null,
  ): Promise<VerificationCheck | TransitionError> {
    return this.send(actor, id, "CANCEL", expectedVersion, optionalText(reason, "reason", TEXT_LIMITS.longText));
  }

  /**
   * Completes a surveying check with the measurement after the improvement: computed over the
   * affected customers' valid feedback for a dimension check, entered with its source otherwise.
   * The machine decides passed or failed. A failed check, in the same transaction, sends the issue
   * VERIFICATION_FAILED (back to analysis) and starts a new improvement cycle.
   */
  async complete(
    actor: Actor,
    id: number,
    input: CompletedCheck,
    expectedVersion?: number | null,
  ): Promise<VerificationCheck | TransitionError> {
    const sourceNote = optionalText(input.sourceNote, "input.sourceNote", TEXT_LIMITS.longText);
    return attempt(this.dataSource, async (tx) => {
      const check = await findVisibleOrFail(
        tx,
        actor,
        VerificationCheck,
        Resource.VERIFICATION_CHECK,
        id,
        "VerificationCheck",
      );
      // The issue is locked before the check is written: issue first, like every issue event.
      const issue = await lockIssue(tx, check.issueId);
      let window: Window;
      let measurement: Measurement;
      if (check.dimension !== null) {
        if (input.result != null) {
          throw badInput("input.result", "is computed for a dimension check; it cannot be entered");
        }
        if (input.sampleSize != null) {
          throw badInput("input.sampleSize", "is counted for a dimension check; it cannot be entered");
        }
        window = requiredWindow(input.afterFrom, input.afterTo, "input.afterFrom", "input.afterTo");
        measurement = await measureDimension(tx, issue, check.dimension, window);
      } else {
        if (input.result == null) throw badInput("input.result", "is required without a dimension");
        if (input.sampleSize == null) throw badInput("input.sampleSize", "is required with an entered result");
        if (sourceNote === null) throw badInput("input.sourceNote", "is required for an entered result");
        window = optionalWindow(input.afterFrom, input.afterTo, "input.afterTo");
        measurement = { value: storedDecimal(input.result, "input.result"), sampleSize: input.sampleSize };
      }

      const toState = await applyTransition(tx, {
        workflow: verificationCheckWorkflow,
        entityType: WorkflowEntity.VERIFICATION_CHECK,
        target: VerificationCheck,
        row: check,
        context: {},
        event: { type: "COMPLETE", actor, facts: checkFacts(check, issue.state, measurement), reason: sourceNote },
        expectedVersion,
        set: {
          result: measurement.value,
          sampleSize: measurement.sampleSize,
          afterFrom: window.from,
          afterTo: window.to,
          completedAt: clockOf(tx).now(),
        },
      });
      // The machine has decided the verdict; a failure is what reopens the analysis.
      if (toState === "failed") {
        const improvement = computeImprovement({ ...check, result: measurement.value });
        await sendIssueEvent(tx, issue.id, actor, "VERIFICATION_FAILED", {
          reason:
            `verification check ${check.id} failed: ` +
            `improvement ${improvement} < threshold ${check.threshold}`,
          facts: { verificationFailed: true },
          set: { cycle: () => "cycle + 1" },
        });
      }
      return reload(tx, VerificationCheck, id);
    });
  }

  /** Verification checks `actor` may see, newest first. */
  list(
    actor: Actor | null,
    filter: VerificationCheckFilter,
    page: PageArgs,
  ): Promise<Connection<VerificationCheck>> {
    const query = this.dataSource.getRepository(VerificationCheck).createQueryBuilder("v");
    restrictToVisible(query, "v", actor, Resource.VERIFICATION_CHECK);
    if (filter.issueId) query.andWhere("v.issueId = :issueId", { issueId: filter.issueId });
    whereStateIn(query, "v", filter.states, VERIFICATION_CHECK_STATES);
    return paginate(query, "v", page);
  }

  /**
   * The events `actor` may send to the check now. COMPLETE carries its measurement as payload
   * (like a reason), so the preview assumes one is supplied; the stored baseline still counts.
   */
  nextEvents(
    check: VerificationCheck,
    issue: Issue | null,
    actor: Actor | null,
  ): VerificationCheckEventType[] {
    const payload: Measurement = {
      value: check.result ?? check.baseline,
      sampleSize: check.sampleSize ?? 1,
    };
    const facts = checkFacts(check, issue?.state ?? "", payload);
    return nextEventsFor(verificationCheckWorkflow, check.state, {}, actor, facts);
  }

  /** Improvement of the result over the baseline in the metric's direction; null until measured. */
  improvement(check: VerificationCheck): number | null {
    return computeImprovement(check);
  }

  /** "passed" or "failed" once the machine has decided; null before and for a cancelled check. */
  verdict(check: VerificationCheck): string | null {
    return VERDICTS[check.state] ?? null;
  }

  private send(
    actor: Actor,
    id: number,
    type: VerificationCheckEventType,
    expectedVersion: number | null | undefined,
    reason: string | null,
  ): Promise<VerificationCheck | TransitionError> {
    return attempt(this.dataSource, async (tx) => {
      const check = await findVisibleOrFail(
        tx,
        actor,
        VerificationCheck,
        Resource.VERIFICATION_CHECK,
        id,
        "VerificationCheck",
      );
      const issue = await lockIssue(tx, check.issueId);
      await applyTransition(tx, {
        workflow: verificationCheckWorkflow,
        entityType: WorkflowEntity.VERIFICATION_CHECK,
        target: VerificationCheck,
        row: check,
        context: {},
        event: { type, actor, facts: checkFacts(check, issue.state), reason },
        expectedVersion,
      });
      return reload(tx, VerificationCheck, id);
    });
  }
}

/** The facts the check machine decides on; `measurement` overrides the stored result. */
function checkFacts(
  check: VerificationCheck,
  issueState: string,
  measurement?: Measurement,
): VerificationCheckFacts {
  return {
    issueState,
    baseline: check.baseline,
    threshold: check.threshold,
    direction: check.direction,
    result: measurement ? measurement.value : check.result,
    sampleSize: measurement ? measurement.sampleSize : (check.sampleSize ?? 0),
  };
}

/**
 * The customers an issue affects: those whose feedback is linked to it as evidence, plus the
 * complaining customer of the issue itself.
 */
export async function affectedCustomerIds(tx: EntityManager, issue: Issue): Promise<number[]> {
  const rows = await tx
    .getRepository(IssueEvidence)
    .createQueryBuilder("e")
    .innerJoin(Feedback, "f", "f.id = e.feedbackId")
    .select("DISTINCT f.customerId", "customerId")
    .where("e.issueId = :issueId", { issueId: issue.id })
    .getRawMany<{ customerId: number | string }>();
  const ids = new Set(rows.map((row) => Number(row.customerId)));
  if (issue.customerId !== null) ids.add(issue.customerId);
  return [...ids];
}

/**
 * Average score of `dimension` over the affected customers' feedback received in [from, to),
 * leaving out feedback marked INVALID; sampleSize is the number of scores.
 */
async function measureDimension(
  tx: EntityManager,
  issue: Issue,
  dimension: string,
  window: Window,
): Promise<Measurement> {
  const customerIds = await affectedCustomerIds(tx, issue);
  if (customerIds.length === 0) return { value: null, sampleSize: 0 };
  const row = await tx
    .getRepository(FeedbackScore)
    .createQueryBuilder("s")
    .innerJoin(Feedback, "f", "f.id = s.feedbackId")
    .select("COUNT(*)", "count")
    .addSelect("SUM(s.score)", "total")
    .where("s.dimension = :dimension", { dimension })
    .andWhere("f.customerId IN (:...customerIds)", { customerIds })
    .andWhere("f.verificationStatus <> :invalid", { invalid: VerificationStatus.INVALID })
    .andWhere("f.receivedAt >= :from AND f.receivedAt < :to", { from: window.from, to: window.to })
    .getRawOne<{ count: number | string; total: number | string | null }>();
  const count = Number(row?.count ?? 0);
  if (count === 0) return { value: null, sampleSize: 0 };
  // Scores are integers, so total * scale / count rounds once, exactly as a person would.
  const value = Math.round((Number(row!.total) * DECIMAL_SCALE) / count) / DECIMAL_SCALE;
  return { value, sampleSize: count };
}

function requiredWindow(
  from: Date | null | undefined,
  to: Date | null | undefined,
  fromField: string,
  toField: string,
): Window {
  if (!from) throw badInput(fromField, "is required with a dimension");
  if (!to) throw badInput(toField, "is required with a dimension");
  return optionalWindow(from, to, toField);
}

function optionalWindow(
  from: Date | null | undefined,
  to: Date | null | undefined,
  toField: string,
): Window {
  if (from && to && to.getTime() <= from.getTime()) {
    throw badInput(toField, "must be after the start of the window");
  }
  return { from: from ?? null, to: to ?? null };
}

/** A finite value the DECIMAL(14,4) columns can hold, rounded to their scale. */
function storedDecimal(value: number, field: string): number {
  if (!Number.isFinite(value) || Math.abs(value) >= DECIMAL_LIMIT) {
    throw badInput(field, `must be a number below ${DECIMAL_LIMIT} in magnitude`);
  }
  return Math.round(value * DECIMAL_SCALE) / DECIMAL_SCALE;
}
