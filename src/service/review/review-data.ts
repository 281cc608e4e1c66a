import { EntityManager, In } from "typeorm";
import { Quadrant } from "../../common/enums";
import { ActionItem, AdjustmentRequest, Cause, Customer, Department, Issue, ProgressUpdate, User } from "../../entity";
import { CustomerAliases, pseudonymiseDeep } from "../../privacy/aliases";
import { QUADRANT_PRIORITY } from "../../entity/issue/issue.entity";
import { daysBetween } from "./review-period";
import type { ActionTrackerRow, CategoryCount, QuadrantCount, ReviewCause, ReviewIssue } from "./types";

/**
 * Loading shared by the weekly and monthly reviews: issues with their fishbones, action tracker
 * rows with their latest progress and adjustment, counts for the charts. Each helper costs a
 * fixed number of statements whatever the number of rows.
 */

/** Action states with work still to do (draft is not yet part of an approved plan). */
export const OPEN_ACTION_STATES = ["approved", "inProgress", "blocked", "adjustmentPending", "cancelRequested"];

/** Issue states that are finished. */
export const FINISHED_ISSUE_STATES = ["closed", "cancelled"];

/** Names of departments and users, loaded once per review. */
export interface Names {
  department(id: number | null): string | null;
  user(id: number): string;
}

export async function loadNames(
  tx: EntityManager,
  departmentIds: Iterable<number | null>,
  userIds: Iterable<number>,
): Promise<Names> {
  const deptIds = [...new Set([...departmentIds].filter((id): id is number => id !== null))];
  const uIds = [...new Set(userIds)];
  const departments = deptIds.length ? await tx.getRepository(Department).findBy({ id: In(deptIds) }) : [];
  const users = uIds.length ? await tx.getRepository(User).findBy({ id: In(uIds) }) : [];
  const deptNames = new Map(departments.map((d) => [d.id, d.name]));
  const userNames = new Map(users.map((u) => [u.id, u.name]));
  return {
    department: (id) => (id === null ? null : (deptNames.get(id) ?? null)),
    user: (id) => userNames.get(id) ?? `#${id}`,
  };
}

/**
 * One alias registry per review transaction, so a customer has the same alias (客户A) in every
 * section of one document; reviews never show customers' names or numbers.
 */
const reviewAliases = new WeakMap<EntityManager, CustomerAliases>();

function aliasesOf(tx: EntityManager): CustomerAliases {
  let aliases = reviewAliases.get(tx);
  if (!aliases) {
    aliases = new CustomerAliases();
    reviewAliases.set(tx, aliases);
  }
  return aliases;
}

/** Issue titles as reviews show them: the complaining customer replaced by their alias. */
async function pseudonymousTitles(tx: EntityManager, issues: Issue[]): Promise<Map<number, string>> {
  const customerIds = [...new Set(issues.flatMap((issue) => (issue.customerId === null ? [] : [issue.customerId])))];
  const customers = customerIds.length ? await tx.getRepository(Customer).findBy({ id: In(customerIds) }) : [];
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const aliases = aliasesOf(tx);
  return new Map(
    issues.map((issue) => [
      issue.id,
      aliases.pseudonymise(issue.title, issue.customerId === null ? null : byId.get(issue.customerId)),
    ]),
  );
}

/** Every `issueId` mentioned anywhere in a review's data. */
function mentionedIssueIds(node: unknown, ids = new Set<number>()): Set<number> {
  if (Array.isArray(node)) node.forEach((child) => mentionedIssueIds(child, ids));
  else if (node && typeof node === "object" && !(node instanceof Date)) {
    for (const [key, child] of Object.entries(node)) {
      if (key === "issueId" && typeof child === "number") ids.add(child);
      else mentionedIssueIds(child, ids);
    }
  }
  return ids;
}

/**
 * The review's data with the customers of the issues it mentions replaced by their aliases in
 * every text (titles, notes, agenda lines) and other mobile numbers masked: reviews are shown to
 * department leads and forwarded, so they carry no personal data.
 */
export async function pseudonymiseReview<T>(tx: EntityManager, review: T): Promise<T> {
  const issueIds = [...mentionedIssueIds(review)];
  const issues = issueIds.length ? await tx.getRepository(Issue).findBy({ id: In(issueIds) }) : [];
  const customerIds = [...new Set(issues.flatMap((issue) => (issue.customerId === null ? [] : [issue.customerId])))];
  const customers = customerIds.length ? await tx.getRepository(Customer).findBy({ id: In(customerIds) }) : [];
  return pseudonymiseDeep(review, customers, aliasesOf(tx));
}

/** Highest priority first, then oldest first. */
export function byPriority(a: ReviewIssue, b: ReviewIssue): number {
  return a.priority - b.priority || a.id - b.id;
}

/** Issues as reviews show them, each with its fishbone (causes and sub-causes). */
export async function reviewIssues(tx: EntityManager, issues: Issue[], names: Names): Promise<ReviewIssue[]> {
  const ids = issues.map((issue) => issue.id);
  const causes = ids.length
    ? await tx.getRepository(Cause).find({ where: { issueId: In(ids) }, order: { id: "ASC" } })
    : [];
  const fishbones = fishbonesOf(causes);
  const titles = await pseudonymousTitles(tx, issues);
  return issues
    .map((issue) => ({
      id: issue.id,
      kind: issue.kind,
      title: titles.get(issue.id) ?? "",
      state: issue.state,
      quadrant: issue.quadrant,
      priority: issue.priority,
      impact: issue.impact,
      category: issue.category,
      departmentId: issue.departmentId,
      departmentName: names.department(issue.departmentId),
      cycle: issue.cycle,
      createdAt: issue.createdAt,
      causes: fishbones.get(issue.id) ?? [],
    }))
    .sort(byPriority);
}

/** Per issue, the top-level causes with their sub-cause trees. */
function fishbonesOf(causes: Cause[]): Map<number, ReviewCause[]> {
  const nodes = new Map<number, ReviewCause>(
    causes.map((c) => [c.id, { id: c.id, category: c.category, text: c.text, state: c.state, subCauses: [] }]),
  );
  const roots = new Map<number, ReviewCause[]>();
  for (const cause of causes) {
    const node = nodes.get(cause.id)!;
    const parent = cause.parentId === null ? undefined : nodes.get(cause.parentId);
    if (parent) parent.subCauses.push(node);
    else roots.set(cause.issueId, [...(roots.get(cause.issueId) ?? []), node]);
  }
  return roots;
}

/** The four quadrants in priority order, each with its count among `issues`. */
export function quadrantCounts(issues: { quadrant: Quadrant }[]): QuadrantCount[] {
  return (Object.keys(QUADRANT_PRIORITY) as Quadrant[])
    .sort((a, b) => QUADRANT_PRIORITY[a] - QUADRANT_PRIORITY[b])
    .map((quadrant) => ({ quadrant, count: issues.filter((issue) => issue.quadrant === quadrant).length }));
}

/**
 * Category counts, most frequent first (ties by code-point order of the name, the same on every
 * machine); issues without a category count as "none".
 */
export function categoryCounts(issues: { category: string | null }[]): CategoryCount[] {
  const counts = new Map<string, number>();
  for (const issue of issues) {
    const category = issue.category ?? "none";
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts]
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}

/**
 * Share of an action's planned days elapsed by the end of `reviewDay`, counting both planned days
 * inclusively: (reviewDay − plannedStart + 1) / (plannedEnd − plannedStart + 1), clamped to 0–1.
 * An action planned for 2026-11-16 … 2026-11-25 (10 days) has 0.4 elapsed at the end of 11-19.
 */
export function elapsedShare(plannedStart: string, plannedEnd: string, reviewDay: string): number {
  const planned = daysBetween(plannedStart, plannedEnd) + 1;
  const elapsed = daysBetween(plannedStart, reviewDay) + 1;
  return Math.min(1, Math.max(0, elapsed / planned));
}

/** "2026-11-30 → 2026-12-15 (approved)": what an adjustment request changes, and where it stands. */
function adjustmentSummary(request: AdjustmentRequest, item: ActionItem, names: Names): string {
  const changes: string[] = [];
  if (request.proposedPlannedEnd !== null) {
    // Until approved, the date being replaced is still the action's own planned end.
    changes.push(`${request.previousPlannedEnd ?? item.plannedEnd} → ${request.proposedPlannedEnd}`);
  }
  if (request.proposedOwnerId !== null) changes.push(`→ ${names.user(request.proposedOwnerId)}`);
  if (request.proposedTarget !== null) changes.push(`target → ${request.proposedTarget}`);
  if (request.proposedScope !== null) changes.push("scope changed");
  return `${changes.join("; ")} (${request.state})`;
}

/**
 * Tracker rows (template 3) of `items`, judged on `reviewDay`: latest progress update (blockers,
 * next step) and latest adjustment request of each, loaded in one statement each.
 */
export async function trackerRows(
  tx: EntityManager,
  items: ActionItem[],
  reviewDay: string,
): Promise<ActionTrackerRow[]> {
  const ids = items.map((item) => item.id);
  if (ids.length === 0) return [];
  const issues = await tx.getRepository(Issue).findBy({ id: In([...new Set(items.map((i) => i.issueId))]) });
  const updates = await tx
    .getRepository(ProgressUpdate)
    .find({ where: { actionItemId: In(ids) }, order: { id: "DESC" } });
  const requests = await tx
    .getRepository(AdjustmentRequest)
    .find({ where: { actionItemId: In(ids) }, order: { id: "DESC" } });
  const latestUpdate = firstBy(updates, (u) => u.actionItemId);
  const latestRequest = firstBy(requests, (r) => r.actionItemId);
  const names = await loadNames(
    tx,
    items.map((i) => i.departmentId),
    [...items.map((i) => i.ownerId), ...requests.flatMap((r) => (r.proposedOwnerId === null ? [] : [r.proposedOwnerId]))],
  );
  const issueTitles = await pseudonymousTitles(tx, issues);
  return items
    .map((item) => {
      const update = latestUpdate.get(item.id);
      const request = latestRequest.get(item.id);
      const open = OPEN_ACTION_STATES.includes(item.state);
      return {
        actionItemId: item.id,
        issueId: item.issueId,
        issueTitle: issueTitles.get(item.issueId) ?? "",
        measure: item.description,
        departmentId: item.departmentId,
        departmentName: names.department(item.departmentId) ?? "",
        ownerId: item.ownerId,
        ownerName: names.user(item.ownerId),
        plannedStart: item.plannedStart,
        plannedEnd: item.plannedEnd,
        actualEnd: item.actualEnd,
        progress: item.progress,
        state: item.state,
        elapsedShare: elapsedShare(item.plannedStart, item.plannedEnd, reviewDay),
        daysOverdue: open ? Math.max(0, daysBetween(item.plannedEnd, reviewDay)) : 0,
        blockers: update?.blockers ?? null,
        adjustment: request ? adjustmentSummary(request, item, names) : null,
        nextStep: update?.nextStep ?? null,
        lastProgressAt: update?.createdAt ?? null,
      };
    })
    .sort((a, b) => a.plannedEnd.localeCompare(b.plannedEnd) || a.actionItemId - b.actionItemId);
}

/** The first row per key of rows already in the wanted order. */
function firstBy<T>(rows: T[], keyOf: (row: T) => number): Map<number, T> {
  const first = new Map<number, T>();
  for (const row of rows) if (!first.has(keyOf(row))) first.set(keyOf(row), row);
  return first;
}
