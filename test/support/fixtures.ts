import { CauseCategory, IssueKind } from "../../src/common/enums";
import { Cause, Issue } from "../../src/entity";
import type { TestApp, World } from "./test-app";

/**
 * Rows written straight to the database, for tests of one aggregate that need another in a given
 * state without depending on that aggregate's API.
 */

export function issueRow(w: World): Partial<Issue> {
  return {
    kind: IssueKind.SYSTEMIC,
    title: "核心客户报修响应超过 4 小时",
    description: "一个月内 12 次核心客户报修响应超过 4 小时",
    departmentId: Number(w.serviceDept),
    assigneeId: Number(w.serviceLead.id),
    createdById: Number(w.quality.id),
  };
}

export function causeRow(w: World): Partial<Cause> {
  return { category: CauseCategory.METHOD, text: "夜间派单需等次日早会", state: "confirmed", createdById: Number(w.quality.id) };
}

/**
 * An issue in analysis with a confirmed cause, written directly so these tests do not depend on
 * the issue and cause APIs; the action items themselves go through the API under test.
 */
export async function analysedIssue(app: TestApp, w: World): Promise<{ issueId: string; causeId: string }> {
  const issues = app.dataSource.getRepository(Issue);
  const issue = await issues.save(issues.create({ ...issueRow(w), state: "analyzing" }));
  const causes = app.dataSource.getRepository(Cause);
  const cause = await causes.save(causes.create({ ...causeRow(w), issueId: issue.id }));
  return { issueId: String(issue.id), causeId: String(cause.id) };
}
