import { actor } from "../test/workflows/transition-table";
import { WORKFLOWS } from "./index";
import { issueWorkflow, type IssueContext, type IssueFacts } from "./issue.machine";
import { availableEvents, describeWorkflow, evaluateTransition } from "./runtime";
import { verificationCheckWorkflow } from "./verification-check.machine";

const context: IssueContext = { assigneeId: 10, departmentId: 3 };
const facts: IssueFacts = {
  confirmedRootCauseCount: 1,
  draftActionCount: 1,
  untracedDraftActionCount: 0,
  openActionCount: 0,
  unapprovedBudgetedActionCount: 0,
  passedVerificationCount: 0,
  openVerificationCount: 0,
  verificationFailed: false,
};

const manager = actor(["OPERATIONS_MANAGER"], 2);
const specialist = actor(["QUALITY_SPECIALIST"], 1);
const issueLead = actor(["DEPARTMENT_LEAD"], 20, 3);

describe("availableEvents", () => {
  it("offers a department lead nothing while a plan awaits approval", () => {
    expect(availableEvents(issueWorkflow, "planApproval", context, issueLead, facts)).toEqual([]);
  });

  it("offers the operations manager the plan decision, reason-bearing events included", () => {
    expect(availableEvents(issueWorkflow, "planApproval", context, manager, facts)).toEqual([
      "APPROVE_PLAN",
      "REJECT_PLAN",
      "CANCEL",
    ]);
  });

  it("withholds APPROVE_PLAN while a budgeted action is not explicitly approved", () => {
    const pending = { ...facts, unapprovedBudgetedActionCount: 2 };
    expect(availableEvents(issueWorkflow, "planApproval", context, manager, pending)).toEqual([
      "REJECT_PLAN",
      "CANCEL",
    ]);
  });

  it("offers the lead of the issue's department only the analysis edits", () => {
    expect(availableEvents(issueWorkflow, "analyzing", context, issueLead, facts)).toEqual([
      "EDIT_ANALYSIS",
    ]);
  });

  it("offers CLOSE only once a verification passed", () => {
    expect(availableEvents(issueWorkflow, "verifying", context, specialist, facts)).toEqual([
      "PLAN_VERIFICATION",
      "CANCEL",
    ]);
    const passed = { ...facts, passedVerificationCount: 1 };
    expect(availableEvents(issueWorkflow, "verifying", context, specialist, passed)).toEqual([
      "PLAN_VERIFICATION",
      "CLOSE",
      "CANCEL",
    ]);
  });

  it("offers nothing in a final state", () => {
    expect(availableEvents(issueWorkflow, "cancelled", context, manager, facts)).toEqual([]);
  });
});

describe("evaluateTransition", () => {
  it("does not let a preview bypass a data precondition", () => {
    const outcome = evaluateTransition(issueWorkflow, "verifying", context, {
      type: "CLOSE",
      actor: specialist,
      facts,
      preview: true,
    });
    expect(outcome).toMatchObject({ ok: false, reason: "hasPassedVerification" });
  });

  it("reports the message of the failing guard", () => {
    const outcome = evaluateTransition(issueWorkflow, "planApproval", context, {
      type: "APPROVE_PLAN",
      actor: specialist,
      facts,
    });
    expect(outcome).toEqual({
      ok: false,
      fromState: "planApproval",
      errorCode: "NOT_PERMITTED",
      reason: "actorIsOperationsManager",
      message: issueWorkflow.guardReasons.actorIsOperationsManager.message,
    });
  });

  it("refuses an event type the machine does not know as not accepted", () => {
    const outcome = evaluateTransition(issueWorkflow, "intake", context, {
      type: "FLY" as "TRIAGE",
      actor: specialist,
      facts,
    });
    expect(outcome).toMatchObject({ ok: false, errorCode: "INVALID_TRANSITION" });
  });

  it("throws for a stored state the machine does not have, which is corrupt data", () => {
    const triage = { type: "TRIAGE" as const, actor: specialist, facts };
    expect(() => evaluateTransition(issueWorkflow, "limbo", context, triage)).toThrow(/limbo/);
  });

  it("leaves the context it was given untouched", () => {
    const frozen = Object.freeze({ ...context });
    evaluateTransition(issueWorkflow, "triaged", frozen, { type: "ASSIGN", actor: manager, facts });
    expect(frozen).toEqual(context);
  });
});

describe("describeWorkflow", () => {
  it("describes the adjustment request machine from the machine itself", () => {
    expect(describeWorkflow(WORKFLOWS.adjustmentRequest)).toEqual({
      name: "adjustmentRequest",
      initial: "submitted",
      states: [
        {
          name: "submitted",
          final: false,
          transitions: [
            { event: "REVIEW", target: "underReview", guards: ["actorIsQualitySpecialist"] },
            { event: "WITHDRAW", target: "withdrawn", guards: ["actorIsRequester"] },
          ],
        },
        {
          name: "underReview",
          final: false,
          transitions: [
            { event: "APPROVE", target: "approved", guards: ["actorIsOperationsManager"] },
            {
              event: "REJECT",
              target: "rejected",
              guards: ["actorIsOperationsManager", "reasonProvided"],
            },
            { event: "WITHDRAW", target: "withdrawn", guards: ["actorIsRequester"] },
          ],
        },
        { name: "approved", final: true, transitions: [] },
        { name: "rejected", final: true, transitions: [] },
        { name: "withdrawn", final: true, transitions: [] },
      ],
    });
  });

  it("keeps closed issues reopenable and shows targetless and self transitions", () => {
    const states = new Map(describeWorkflow(issueWorkflow).states.map((s) => [s.name, s]));
    expect(states.get("closed")?.final).toBe(false);
    expect(states.get("cancelled")?.final).toBe(true);
    expect(states.get("analyzing")?.transitions).toContainEqual({
      event: "EDIT_ANALYSIS",
      target: null,
      guards: ["actorMayEditAnalysis"],
    });
    expect(states.get("assigned")?.transitions).toContainEqual({
      event: "ASSIGN",
      target: "assigned",
      guards: ["actorIsQualitySpecialistOrOperationsManager", "hasDepartment", "hasAssignee"],
    });
  });

  it("shows both verdicts of COMPLETE, the pass guarded by the threshold", () => {
    const surveying = describeWorkflow(verificationCheckWorkflow).states.find(
      (s) => s.name === "surveying",
    );
    const complete = surveying?.transitions.filter((t) => t.event === "COMPLETE");
    expect(complete?.map((t) => t.target)).toEqual(["passed", "failed"]);
    expect(complete?.[0].guards).toContain("meetsThreshold");
    expect(complete?.[1].guards).not.toContain("meetsThreshold");
  });
});

describe.each(Object.values(WORKFLOWS))("the $name workflow", (wf) => {
  const description = describeWorkflow(wf);
  const transitions = description.states.flatMap((s) => s.transitions);

  it("names its workflow as the WORKFLOWS key and the machine id", () => {
    expect(WORKFLOWS[wf.name as keyof typeof WORKFLOWS]).toBe(wf);
    expect(wf.machine.id).toBe(wf.name);
  });

  it("lists exactly the events its machine handles", () => {
    expect([...new Set(transitions.map((t) => t.event))].sort()).toEqual([...wf.eventTypes].sort());
  });

  it("explains every guard it uses and uses every guard it explains", () => {
    const used = [...new Set(transitions.flatMap((t) => t.guards))].sort();
    expect(used).toEqual(Object.keys(wf.guardReasons).sort());
    expect(Object.keys(wf.machine.implementations.guards).sort()).toEqual(used);
  });

  it("puts the role guard first wherever a transition has one", () => {
    for (const t of transitions) {
      const roleGuards = t.guards.filter((g) => wf.guardReasons[g].code === "NOT_PERMITTED");
      if (roleGuards.length > 0) expect(t.guards[0]).toBe(roleGuards[0]);
      expect(roleGuards.length).toBeLessThanOrEqual(1);
    }
  });
});
