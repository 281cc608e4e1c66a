import { GraphQLError } from "graphql";
import { DataSource, EntityManager, In, Not } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { ComplaintTier, IssueKind } from "../common/enums";
import { IntakeOutcome, RuleConditionMatch } from "../common/feedback-enums";
import { badInput } from "../common/errors";
import { TransitionErrorCode } from "../common/error-results";
import { requireText, TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import {
  Customer,
  Department,
  Feedback,
  IntakeIssueSlot,
  IntakeRule,
  IntakeRuleMatch,
  Issue,
  KeywordTag,
  SurveyDimension,
} from "../entity";
import { findOrFail, reload } from "./common";
import { describeScore, overallRating } from "./feedback-verification";
import { insertEvidence, insertIssue, lockIssue } from "./issue.service";
import { CATEGORY_CODE, loadTaxonomy } from "./keywords/keyword.service";
import { DEFAULT_DIMENSIONS } from "./reference.service";
import { systemActor } from "./system-actor";
import { customerLabel } from "../privacy/masking";

/**
 * Automatic intake (issue 3, item 5): configurable rules that turn recorded feedback into issues.
 *
 * A rule has conditions — overall rating ≤ N (the `overall` score, else the mean of the scores),
 * some dimension ≤ N, one of the listed keyword tags, any complaint keyword — combined with ALL
 * (every condition the rule sets must hold) or ANY (one is enough); conditions a rule leaves unset
 * are ignored. Enabled rules are tried by position, then id; the first that matches wins and the
 * others are not tried.
 *
 * The winning rule acts on a slot: `SYSTEMIC:<category>` (shared by all customers) or
 * `COMPLAINT:<category>:<customer>`. If the slot has an open issue (any state but closed and
 * cancelled) the feedback is attached to it as evidence; otherwise an issue is opened by the
 * system user with the rule's kind, tier, category and department, a generated Chinese title and
 * description, and the feedback as evidence. An open issue of the same kind, category (and
 * customer) opened by hand counts too.
 *
 * Concurrency: the slot row is upserted first (`INSERT … ON DUPLICATE KEY UPDATE` takes its
 * exclusive lock on MySQL/MariaDB), so intake for one slot is serialised across transactions and
 * processes; the slot's issue is then read with a locking read, which sees the latest committed
 * rows even under REPEATABLE READ. Two matching feedbacks recorded at once therefore open one
 * issue, and the second is linked to it. SQLite serialises write transactions anyway.
 *
 * Each action is logged in IntakeRuleMatch (rule, issue, OPENED or LINKED), one per feedback.
 */

/** States in which an issue no longer collects evidence from intake rules. */
const CLOSED_STATES = ["closed", "cancelled"];

/** Conditions take scores 1–4: "at most 5" would match every feedback. */
const MAX_THRESHOLD = 4;

/** Most keyword tags one rule may list. */
export const MAX_RULE_TAGS = 50;

export interface IntakeRuleFields {
  name: string;
  enabled: boolean;
  position: number | null;
  conditionMatch: RuleConditionMatch;
  overallAtMost: number | null;
  anyDimensionAtMost: number | null;
  keywordTags: string[];
  complaintKeyword: boolean;
  issueKind: IssueKind;
  complaintTier: ComplaintTier | null;
  category: string;
  departmentId: number | null;
}

export type IntakeRuleChanges = Partial<IntakeRuleFields>;

/** What a rule is judged on. */
export interface RuleFacts {
  scores: readonly { dimension: string; score: number }[];
  tagCodes: ReadonlySet<string>;
  /** Whether one of the tags is marked as a complaint keyword. */
  complaintTagged: boolean;
}

type RuleConditionField = "conditionMatch" | "overallAtMost" | "anyDimensionAtMost" | "keywordTags" | "complaintKeyword";

/** Whether the rule's conditions hold (pure; conditions the rule leaves unset are ignored). */
export function ruleMatches(
  rule: Pick<IntakeRule, RuleConditionField>,
  facts: RuleFacts,
): boolean {
  const results: boolean[] = [];
  if (rule.overallAtMost !== null) {
    const overall = overallRating(facts.scores);
    results.push(overall !== null && overall <= rule.overallAtMost);
  }
  if (rule.anyDimensionAtMost !== null) {
    results.push(facts.scores.some((score) => score.score <= rule.anyDimensionAtMost!));
  }
  if (rule.keywordTags.length > 0) results.push(rule.keywordTags.some((code) => facts.tagCodes.has(code)));
  if (rule.complaintKeyword) results.push(facts.complaintTagged);
  if (results.length === 0) return false;
  return rule.conditionMatch === RuleConditionMatch.ALL ? results.every(Boolean) : results.some(Boolean);
}

/** The slot a rule acts on for this feedback. */
export function slotKey(rule: Pick<IntakeRule, "issueKind" | "category">, customerId: number): string {
  return rule.issueKind === IssueKind.SYSTEMIC
    ? `${IssueKind.SYSTEMIC}:${rule.category}`
    : `${IssueKind.COMPLAINT}:${rule.category}:${customerId}`;
}

export interface IntakeInput {
  feedback: Feedback;
  scores: readonly { dimension: string; score: number }[];
  tagCodes: readonly string[];
  taxonomy: readonly KeywordTag[];
  now: Date;
}

/**
 * Runs the intake rules on recorded feedback inside its transaction (see the module comment).
 * Feedback a rule acted on already is left alone, so a retry cannot attach it twice.
 *
 * @returns what was done, or null when no enabled rule matched.
 */
export async function applyIntakeRules(tx: EntityManager, input: IntakeInput): Promise<IntakeRuleMatch | null> {
  const rules = await tx
    .getRepository(IntakeRule)
    .find({ where: { enabled: true }, order: { position: "ASC", id: "ASC" } });
  if (rules.length === 0) return null;
  const tagCodes = new Set(input.tagCodes);
  const complaintCodes = new Set(input.taxonomy.filter((tag) => tag.complaint).map((tag) => tag.code));
  const facts: RuleFacts = {
    scores: input.scores,
    tagCodes,
    complaintTagged: [...tagCodes].some((code) => complaintCodes.has(code)),
  };
  const rule = rules.find((candidate) => ruleMatches(candidate, facts));
  if (!rule) return null;
  if (await tx.getRepository(IntakeRuleMatch).existsBy({ feedbackId: input.feedback.id })) return null;

  const { feedback, now } = input;
  const actor = await systemActor(tx);
  const key = slotKey(rule, feedback.customerId);
  const slot = await lockSlot(tx, key, now);

  let issue = slot.issueId !== null ? await openIssue(tx, slot.issueId) : null;
  if (!issue) {
    const candidate = await tx.getRepository(Issue).findOne({
      select: { id: true },
      where: {
        kind: rule.issueKind,
        category: rule.category,
        state: Not(In(CLOSED_STATES)),
        ...(rule.issueKind === IssueKind.COMPLAINT ? { customerId: feedback.customerId } : {}),
      },
      order: { id: "ASC" },
    });
    if (candidate) issue = await openIssue(tx, candidate.id);
  }

  let outcome: IntakeOutcome;
  if (issue) {
    outcome = IntakeOutcome.LINKED;
  } else {
    const text = await issueText(tx, rule, input);
    issue = await insertIssue(tx, actor, {
      kind: rule.issueKind,
      title: text.title,
      description: text.description,
      customerId: rule.issueKind === IssueKind.COMPLAINT ? feedback.customerId : null,
      complaintTier: complaintTierOf(rule.issueKind, rule.complaintTier),
      departmentId: rule.departmentId,
      category: rule.category,
    });
    outcome = IntakeOutcome.OPENED;
  }
  await insertEvidence(tx, actor, issue.id, [feedback.id]);
  if (slot.issueId !== issue.id) {
    await tx.update(IntakeIssueSlot, { slotKey: key }, { issueId: issue.id, touchedAt: now });
  }
  const match = tx.getRepository(IntakeRuleMatch).create({
    feedbackId: feedback.id,
    ruleId: rule.id,
    ruleName: rule.name,
    issueId: issue.id,
    outcome,
    matchedAt: now,
  });
  await tx.getRepository(IntakeRuleMatch).insert(match);
  return match;
}

/**
 * Creates the slot row if needed and takes its exclusive lock (MySQL/MariaDB: the upsert locks the
 * row; the locking read then returns its latest committed value).
 */
async function lockSlot(tx: EntityManager, key: string, now: Date): Promise<IntakeIssueSlot> {
  await tx
    .createQueryBuilder()
    .insert()
    .into(IntakeIssueSlot)
    .values({ slotKey: key, issueId: null, touchedAt: now })
    .orUpdate(["touchedAt"], ["slotKey"])
    .execute();
  const query = tx.getRepository(IntakeIssueSlot).createQueryBuilder("s").where("s.slotKey = :key", { key });
  if (tx.connection.options.type !== "better-sqlite3") query.setLock("pessimistic_write");
  return query.getOneOrFail();
}

/** The issue, locked and current, if it still collects evidence. */
async function openIssue(tx: EntityManager, issueId: number): Promise<Issue | null> {
  const issue = await lockIssue(tx, issueId).catch(() => null);
  return issue && !CLOSED_STATES.includes(issue.state) ? issue : null;
}

/** Title and description of an issue a rule opens, in Chinese, from the rule and the feedback. */
async function issueText(
  tx: EntityManager,
  rule: IntakeRule,
  input: IntakeInput,
): Promise<{ title: string; description: string }> {
  const { feedback } = input;
  const customer = await tx.getRepository(Customer).findOneBy({ id: feedback.customerId });
  const category = await categoryLabel(tx, rule.category, input.taxonomy);
  const labels = new Map(input.taxonomy.map((tag) => [tag.code, tag.labelZh]));
  const tags = input.tagCodes.map((code) => labels.get(code) ?? code);
  const title =
    rule.issueKind === IssueKind.COMPLAINT
      ? `【自动立案】客户投诉：${customerLabel(customer, feedback.customerId)} · ${category}`
      : `【自动立案】系统性问题：${category}`;
  const description = [
    `由自动立案规则「${rule.name}」根据客户反馈 #${feedback.id} 创建。`,
    `客户：${customerLabel(customer, feedback.customerId)}`,
    `评分：${[...input.scores].sort((a, b) => a.dimension.localeCompare(b.dimension)).map(describeScore).join("，") || "无"}`,
    `评论：${feedback.comment ?? "（无）"}`,
    `关键词：${tags.join("、") || "无"}`,
    rule.issueKind === IssueKind.SYSTEMIC ? "同类反馈将作为证据关联到本问题，直至其关闭或取消。" : null,
  ]
    .filter((line) => line !== null)
    .join("\n");
  return { title: [...title].slice(0, TEXT_LIMITS.title).join(""), description };
}

/** 响应慢 for a tag code, 响应及时性 for a dimension code, else the code itself. */
async function categoryLabel(
  tx: EntityManager,
  category: string,
  taxonomy: readonly KeywordTag[],
): Promise<string> {
  const tag = taxonomy.find((candidate) => candidate.code === category);
  if (tag) return tag.labelZh;
  const known = DEFAULT_DIMENSIONS.find((dimension) => dimension.code === category);
  if (known) return known.name;
  const dimension = await tx
    .getRepository(SurveyDimension)
    .findOne({ where: { code: category }, order: { id: "ASC" } });
  return dimension?.name ?? category;
}

// ---------------------------------------------------------------------------------------------

/** Administration of the intake rules. */
export class IntakeRuleService {
  constructor(private readonly dataSource: DataSource) {}

  /** All rules in evaluation order. */
  list(): Promise<IntakeRule[]> {
    return this.dataSource.getRepository(IntakeRule).find({ order: { position: "ASC", id: "ASC" } });
  }

  /** Creates a rule; without a position it goes last. */
  async create(actor: Actor, input: IntakeRuleFields): Promise<IntakeRule> {
    return inTransaction(this.dataSource, async (tx) => {
      const values = await validateRule(tx, input, "input.");
      if (values.position === null) {
        const last = await tx.getRepository(IntakeRule).maximum("position");
        values.position = (last ?? 0) + 10;
      }
      const saved = await tx.getRepository(IntakeRule).save(
        tx.getRepository(IntakeRule).create({ ...values, position: values.position, createdById: actor.id }),
      );
      return reload(tx, IntakeRule, saved.id);
    });
  }

  /** Changes a rule; the merged rule is validated as a whole (errors name the input fields). */
  async update(id: number, changes: IntakeRuleChanges, expectedVersion: number | null): Promise<IntakeRule> {
    return inTransaction(this.dataSource, async (tx) => {
      const row = await findOrFail(tx, IntakeRule, id, "IntakeRule");
      if (expectedVersion != null && expectedVersion !== row.version) {
        throw versionConflict(id, `expected version ${expectedVersion}, but it is at version ${row.version}`);
      }
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const merged: IntakeRuleFields = { ...row, ...defined };
      // Turning a complaint rule systemic drops its tier unless the caller sets one (and is refused).
      if (merged.issueKind === IssueKind.SYSTEMIC && changes.complaintTier === undefined) {
        merged.complaintTier = null;
      }
      const values = await validateRule(tx, merged, "input.");
      const result = await tx
        .createQueryBuilder()
        .update(IntakeRule)
        .set({ ...values, position: values.position ?? row.position, version: () => "version + 1" })
        .where("id = :id AND version = :version", { id, version: row.version })
        .execute();
      if (result.affected !== 1) throw versionConflict(id, "another change committed first");
      return reload(tx, IntakeRule, id);
    });
  }

  /**
   * Deletes a rule. What it did stays recorded: the matches keep the rule's id and name, and the
   * issues and evidence it created are untouched. Returns whether a rule was deleted.
   */
  async delete(id: number): Promise<boolean> {
    return inTransaction(this.dataSource, async (tx) => {
      const result = await tx.getRepository(IntakeRule).delete({ id });
      return (result.affected ?? 0) > 0;
    });
  }
}

/** Checks a whole rule; returns it normalised. Field names are `${prefix}conditions.…`/`action.…`. */
async function validateRule(
  tx: EntityManager,
  input: IntakeRuleFields,
  prefix: string,
): Promise<IntakeRuleFields> {
  const name = requireText(input.name, `${prefix}name`, TEXT_LIMITS.name);
  const position = input.position;
  if (position !== null && (!Number.isInteger(position) || position < 0 || position > 1_000_000)) {
    throw badInput(`${prefix}position`, "must be an integer from 0 to 1000000");
  }
  const conditions = `${prefix}conditions.`;
  for (const field of ["overallAtMost", "anyDimensionAtMost"] as const) {
    const value = input[field];
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > MAX_THRESHOLD)) {
      throw badInput(`${conditions}${field}`, `must be an integer from 1 to ${MAX_THRESHOLD}`);
    }
  }
  if (input.keywordTags.length > MAX_RULE_TAGS) {
    throw badInput(`${conditions}keywordTags`, `at most ${MAX_RULE_TAGS} tags`);
  }
  const taxonomy = await loadTaxonomy(tx);
  const tagCodes = new Set(taxonomy.map((tag) => tag.code));
  input.keywordTags.forEach((code, i) => {
    if (!tagCodes.has(code)) {
      throw badInput(`${conditions}keywordTags.${i}`, `${code.slice(0, 64)} is not a keyword tag`);
    }
  });
  const keywordTags = [...new Set(input.keywordTags)];
  const thresholds = input.overallAtMost !== null || input.anyDimensionAtMost !== null;
  if (!thresholds && keywordTags.length === 0 && !input.complaintKeyword) {
    throw badInput(`${prefix}conditions`, "set at least one condition");
  }

  const action = `${prefix}action.`;
  if (input.issueKind === IssueKind.SYSTEMIC && input.complaintTier !== null) {
    throw badInput(`${action}complaintTier`, "only complaint rules have a tier");
  }
  const category = input.category.trim();
  if (!CATEGORY_CODE.test(category)) {
    throw badInput(`${action}category`, "must be a keyword tag or dimension code");
  }
  if (!tagCodes.has(category) && !(await isDimensionCode(tx, category))) {
    throw badInput(`${action}category`, `${category} is neither a keyword tag nor a survey dimension`);
  }
  const departmentId = input.departmentId;
  if (departmentId !== null && !(await tx.getRepository(Department).existsBy({ id: departmentId }))) {
    throw badInput(`${action}departmentId`, `department ${input.departmentId} does not exist`);
  }
  return {
    name,
    enabled: input.enabled,
    position: input.position,
    conditionMatch: input.conditionMatch,
    overallAtMost: input.overallAtMost,
    anyDimensionAtMost: input.anyDimensionAtMost,
    keywordTags,
    complaintKeyword: input.complaintKeyword,
    issueKind: input.issueKind,
    complaintTier: complaintTierOf(input.issueKind, input.complaintTier),
    category,
    departmentId: input.departmentId,
  };
}

/** Complaints default to tier 2 (a supervisor follows up); systemic issues have no tier. */
function complaintTierOf(kind: IssueKind, tier: ComplaintTier | null): ComplaintTier | null {
  return kind === IssueKind.COMPLAINT ? (tier ?? ComplaintTier.TIER_2) : null;
}

async function isDimensionCode(tx: EntityManager, code: string): Promise<boolean> {
  if (DEFAULT_DIMENSIONS.some((dimension) => dimension.code === code)) return true;
  return tx.getRepository(SurveyDimension).existsBy({ code });
}

function versionConflict(id: number, detail: string): GraphQLError {
  return new GraphQLError(`IntakeRule ${id}: ${detail}; reload and retry`, {
    extensions: { code: TransitionErrorCode.VERSION_CONFLICT, entity: "IntakeRule", id: String(id) },
  });
}
