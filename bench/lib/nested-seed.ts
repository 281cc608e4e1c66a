import { DataSource, EntityManager, In } from "typeorm";
import { Channel, CauseCategory, FeedbackSource, IssueKind, MetricDirection, VerificationStatus } from "../../src/common/enums";
import { ActionItem, Cause, Customer, Feedback, Issue, IssueEvidence, VerificationCheck } from "../../src/entity";

/** How many of each level W2's nested list has per parent (issue 6: 20 × 3 × 3 × 2). */
export interface NestedShape {
  issues: number;
  causesPerIssue: number;
  actionsPerCause: number;
  checksPerIssue: number;
  feedbackPerIssue: number;
}

export const W2_SHAPE: NestedShape = { issues: 20, causesPerIssue: 3, actionsPerCause: 3, checksPerIssue: 2, feedbackPerIssue: 2 };

/** Who the seeded rows belong to: they must exist already. */
export interface NestedRefs {
  departmentId: number;
  userId: number;
}

/**
 * W2's query: a page of issues with each level of the closed loop below it. The fields are stored
 * columns (no per-row computed fields), so what is measured is loading and shaping the tree.
 */
export const NESTED_QUERY = `query W2($first: Int!) {
  issues(first: $first) {
    nodes {
      id title state
      causes { id category text state actionItems { id description state progress plannedEnd target } }
      verificationChecks { id metric state threshold baseline }
      evidence { id comment receivedAt }
    }
  }
}`;

const CHUNK = 500;

async function insertChunked<T>(manager: EntityManager, entity: new () => T, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await manager.insert(entity, rows.slice(i, i + CHUNK) as never);
}

/** Rows of `entity` whose `column` is one of `values`, ordered by id (read back after a bulk insert). */
async function readBack<T extends { id: number }>(
  manager: EntityManager,
  entity: new () => T,
  column: keyof T & string,
  values: (string | number)[],
): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    rows.push(
      ...(await manager.find(entity, { where: { [column]: In(values.slice(i, i + CHUNK)) } as never, order: { id: "ASC" } as never })),
    );
  }
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Seeds `shape.issues` issues (IN_PROGRESS, systemic), each with its causes, their action items,
 * its verification checks and its evidence feedback, by multi-row INSERTs through TypeORM (the
 * same on SQLite and MySQL). `marker` makes the titles unique, so several seeds can share a database.
 * Returns the issue ids, oldest first.
 */
export async function seedNested(dataSource: DataSource, shape: NestedShape, refs: NestedRefs, marker: string): Promise<number[]> {
  return dataSource.transaction(async (m) => {
    const customer = await m.save(m.create(Customer, { name: `客户 ${marker}`, phone: null, region: "华东" }));
    const titles = Array.from({ length: shape.issues }, (_, i) => `${marker} issue ${i}`);
    await insertChunked(
      m,
      Issue,
      titles.map((title, i) => ({
        kind: IssueKind.SYSTEMIC,
        title,
        description: "seeded for the nested-list benchmark",
        state: "inProgress",
        departmentId: refs.departmentId,
        assigneeId: refs.userId,
        createdById: refs.userId,
        urgent: i % 2 === 0,
        important: i % 3 === 0,
      })),
    );
    const issues = await readBack(m, Issue, "title", titles);
    const issueIds = issues.map((issue) => issue.id);

    await insertChunked(
      m,
      Cause,
      issueIds.flatMap((issueId) =>
        Array.from({ length: shape.causesPerIssue }, (_, c) => ({
          issueId,
          parentId: null,
          category: CauseCategory.METHOD,
          text: `原因 ${c}：派工规则不清`,
          state: "confirmed",
          evidence: "工单数据",
          createdById: refs.userId,
        })),
      ),
    );
    const causes = await readBack(m, Cause, "issueId", issueIds);
    await insertChunked(
      m,
      ActionItem,
      causes.flatMap((cause) =>
        Array.from({ length: shape.actionsPerCause }, (_, a) => ({
          issueId: cause.issueId,
          causeId: cause.id,
          cycle: 1,
          description: `措施 ${a}：调整派工`,
          metric: "响应时长",
          baseline: 4,
          target: 1,
          ownerId: refs.userId,
          departmentId: refs.departmentId,
          plannedStart: "2026-09-01",
          plannedEnd: "2026-09-30",
          actualEnd: null,
          budget: null,
          state: "inProgress",
          progress: 30 + a * 10,
          completionNote: null,
        })),
      ),
    );
    await insertChunked(
      m,
      VerificationCheck,
      issueIds.flatMap((issueId) =>
        Array.from({ length: shape.checksPerIssue }, () => ({
          issueId,
          cycle: 1,
          metric: "响应及时性",
          dimension: "responsiveness",
          direction: MetricDirection.HIGHER_IS_BETTER,
          threshold: 0.5,
          baseline: 3.2,
          state: "planned",
          createdById: refs.userId,
        })),
      ),
    );
    const comments = issueIds.flatMap((issueId) =>
      Array.from({ length: shape.feedbackPerIssue }, (_, f) => `${marker} ${issueId}/${f} 响应慢`),
    );
    await insertChunked(
      m,
      Feedback,
      comments.map((comment, i) => ({
        source: FeedbackSource.SURVEY,
        channel: Channel.SMS,
        customerId: customer.id,
        ticketId: null,
        templateId: null,
        comment,
        verificationStatus: VerificationStatus.UNVERIFIED,
        verificationNote: null,
        // Long before any month the analytics checks look at: these rows bypass the rollups.
        receivedAt: new Date(Date.UTC(2024, 0, 1 + (i % 28))),
        recordedById: refs.userId,
      })),
    );
    const feedback = await readBack(m, Feedback, "comment", comments);
    const issueOf = (comment: string | null) => Number(comment!.slice(marker.length + 1).split("/")[0]);
    await insertChunked(
      m,
      IssueEvidence,
      feedback.map((row) => ({ issueId: issueOf(row.comment), feedbackId: row.id, linkedById: refs.userId })),
    );
    return issueIds;
  });
}
