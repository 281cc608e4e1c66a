import { EntityManager, In } from "typeorm";
import type { IssueFacts } from "../../workflows/issue.machine";
import { ActionItem, Cause, Issue, VerificationCheck } from "../entity";

/** IssueFacts plus the budgeted draft actions, which APPROVE_PLAN compares with its input. */
export interface IssueFactsSnapshot {
  facts: IssueFacts;
  budgetedDraftActionIds: number[];
}

const CLOSED_ACTION_STATES = new Set(["done", "cancelled"]);
const OPEN_CHECK_STATES = new Set(["planned", "surveying"]);

/**
 * Gathers, for each issue, the facts its machine's guards decide on. Used both inside transition
 * transactions (with the transaction's manager) and by the nextEvents loader, so the preview and
 * the real decision cannot disagree. Three statements whatever the number of issues.
 */
export async function loadIssueFacts(
  manager: EntityManager,
  issueIds: readonly number[],
): Promise<Map<number, IssueFactsSnapshot>> {
  const result = new Map<number, IssueFactsSnapshot>(
    issueIds.map((id) => [
      id,
      {
        budgetedDraftActionIds: [],
        facts: {
          confirmedRootCauseCount: 0,
          draftActionCount: 0,
          untracedDraftActionCount: 0,
          openActionCount: 0,
          unapprovedBudgetedActionCount: 0,
          passedVerificationCount: 0,
          openVerificationCount: 0,
          verificationFailed: false,
        },
      },
    ]),
  );
  if (issueIds.length === 0) return result;
  const ids = [...issueIds];

  const causes = await manager.getRepository(Cause).find({
    select: { id: true, issueId: true, state: true },
    where: { issueId: In(ids) },
  });
  const confirmedCauseIds = new Set<number>();
  for (const cause of causes) {
    if (cause.state !== "confirmed") continue;
    confirmedCauseIds.add(cause.id);
    result.get(cause.issueId)!.facts.confirmedRootCauseCount += 1;
  }

  const actions = await manager.getRepository(ActionItem).find({
    select: { id: true, issueId: true, causeId: true, state: true, budget: true },
    where: { issueId: In(ids) },
  });
  for (const action of actions) {
    const entry = result.get(action.issueId)!;
    if (!CLOSED_ACTION_STATES.has(action.state)) entry.facts.openActionCount += 1;
    if (action.state !== "draft") continue;
    entry.facts.draftActionCount += 1;
    if (!confirmedCauseIds.has(action.causeId)) entry.facts.untracedDraftActionCount += 1;
    if (action.budget !== null && action.budget > 0) entry.budgetedDraftActionIds.push(action.id);
  }

  const checks = await manager
    .getRepository(VerificationCheck)
    .createQueryBuilder("v")
    .innerJoin(Issue, "i", "i.id = v.issueId AND i.cycle = v.cycle")
    .select(["v.issueId", "v.state"])
    .where("v.issueId IN (:...ids)", { ids })
    .getMany();
  for (const check of checks) {
    const facts = result.get(check.issueId)!.facts;
    if (check.state === "passed") facts.passedVerificationCount += 1;
    if (OPEN_CHECK_STATES.has(check.state)) facts.openVerificationCount += 1;
  }
  return result;
}
