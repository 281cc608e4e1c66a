import { gql } from "graphql-request";
import { Channel, CauseCategory, FeedbackSource, IssueKind, MetricDirection, VerificationStatus, WorkflowEntity } from "../../src/common/enums";
import {
  ActionItem,
  Cause,
  Customer,
  Feedback,
  FeedbackScore,
  Issue,
  IssueEvidence,
  ProgressUpdate,
  TransitionLog,
  VerificationCheck,
} from "../../src/entity";
import { createWorld, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Per-request DataLoaders keep a nested list at a fixed number of SQL statements: the count for
 * 2 issues and for 8 issues (each with its causes, actions, progress, checks, evidence, scores,
 * history and nextEvents) must be the same.
 */
describe("nested list queries", () => {
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
  });
  afterAll(() => app.stop());

  /** Seeds `count` issues, each with 3 causes × 3 actions, 2 progress updates per action, 2 checks and 2 feedback. */
  async function seed(count: number, marker: string) {
    const m = app.dataSource.manager;
    const owner = Number(w.engineer.id);
    const department = Number(w.serviceDept);
    for (let i = 0; i < count; i++) {
      const customer = await m.save(m.create(Customer, { name: `客户${marker}${i}`, phone: null, region: "华东" }));
      const issue = await m.save(
        m.create(Issue, {
          kind: IssueKind.SYSTEMIC,
          title: `${marker} issue ${i}`,
          description: "seeded",
          state: "inProgress",
          departmentId: department,
          assigneeId: Number(w.serviceLead.id),
          createdById: Number(w.quality.id),
        }),
      );
      for (let f = 0; f < 2; f++) {
        const feedback = await m.save(
          m.create(Feedback, {
            source: FeedbackSource.SURVEY,
            channel: Channel.SMS,
            customerId: customer.id,
            ticketId: null,
            templateId: null,
            comment: "响应慢",
            verificationStatus: VerificationStatus.UNVERIFIED,
            verificationNote: null,
            receivedAt: new Date("2026-09-01T00:00:00Z"),
            recordedById: Number(w.agent.id),
          }),
        );
        await m.insert(FeedbackScore, [
          { feedbackId: feedback.id, dimension: "responsiveness", score: 2 },
          { feedbackId: feedback.id, dimension: "overall", score: 3 },
        ]);
        await m.insert(IssueEvidence, { issueId: issue.id, feedbackId: feedback.id, linkedById: Number(w.quality.id) });
      }
      for (let c = 0; c < 3; c++) {
        const cause = await m.save(
          m.create(Cause, { issueId: issue.id, parentId: null, category: CauseCategory.METHOD, text: `cause ${c}`, state: "confirmed", evidence: "工单数据", createdById: Number(w.quality.id) }),
        );
        for (let a = 0; a < 3; a++) {
          const action = await m.save(
            m.create(ActionItem, {
              issueId: issue.id,
              causeId: cause.id,
              cycle: 1,
              description: `action ${a}`,
              metric: "响应时长",
              baseline: 4,
              target: 1,
              ownerId: owner,
              departmentId: department,
              plannedStart: "2026-09-01",
              plannedEnd: "2026-09-30",
              actualEnd: null,
              budget: null,
              state: "inProgress",
              completionNote: null,
            }),
          );
          await m.insert(ProgressUpdate, [
            { actionItemId: action.id, progress: 30, blockers: null, nextStep: "继续", authorId: owner },
            { actionItemId: action.id, progress: 60, blockers: "人手", nextStep: "继续", authorId: owner },
          ]);
        }
      }
      for (let v = 0; v < 2; v++) {
        await m.insert(VerificationCheck, {
          issueId: issue.id,
          cycle: 1,
          metric: "响应及时性",
          dimension: "responsiveness",
          direction: MetricDirection.HIGHER_IS_BETTER,
          threshold: 0.5,
          baseline: 3.2,
          state: "planned",
          createdById: Number(w.quality.id),
        });
      }
      await m.insert(TransitionLog, {
        entityType: WorkflowEntity.ISSUE,
        entityId: issue.id,
        fromState: "planApproval",
        toState: "inProgress",
        event: "APPROVE_PLAN",
        actorId: Number(w.manager.id),
        reason: null,
      });
    }
  }

  const NESTED = gql`
    query ($first: Int!) {
      issues(first: $first) {
        nodes {
          title
          nextEvents
          department { name }
          assignee { name }
          history { event actor { name } }
          evidence { comment customer { name } scores { dimension score } }
          causes {
            text
            nextEvents
            actionItems {
              description
              nextEvents
              owner { name department { name } }
              progressUpdates { progress author { name } }
            }
          }
          verificationChecks { metric baseline nextEvents }
        }
      }
    }
  `;

  async function statementsFor(first: number) {
    app.statements.length = 0;
    const data = await w.quality.client.request<{ issues: { nodes: any[] } }>(NESTED, { first });
    const count = app.statements.filter((sql) => !/^(BEGIN|COMMIT|START TRANSACTION)/i.test(sql)).length;
    return { count, nodes: data.issues.nodes };
  }

  it("issues the same number of statements for 2 issues as for 8", async () => {
    await seed(8, "N");
    // The bearer token is looked up once, then cached for a few seconds: warm it up first.
    await statementsFor(1);
    const small = await statementsFor(2);
    const large = await statementsFor(8);
    expect(small.nodes).toHaveLength(2);
    expect(large.nodes).toHaveLength(8);
    // The data really is nested all the way down (3 causes × 3 actions × 2 updates per issue).
    const firstIssue = large.nodes[0];
    expect(firstIssue.causes).toHaveLength(3);
    expect(firstIssue.causes[0].actionItems).toHaveLength(3);
    expect(firstIssue.causes[0].actionItems[0].progressUpdates).toHaveLength(2);
    expect(firstIssue.evidence[0].scores).toHaveLength(2);
    expect(firstIssue.verificationChecks).toHaveLength(2);
    expect(firstIssue.history[0].actor.name).toBe("Manager");
    expect(large.count).toBe(small.count);
    // A bound, not just equality: roughly one statement per relation level.
    expect(large.count).toBeLessThanOrEqual(25);
  });
});
