import { gql } from "graphql-request";
import { CauseCategory, IssueKind } from "../../src/common/enums";
import { ActionItem, Cause, Issue } from "../../src/entity";
import { createWorld, errorCodeOf, Person, startTestApp, tableCounts, TestApp, World } from "../support/test-app";

/**
 * Review meetings end to end: scheduling, the agenda previewed then frozen at HOLD, decisions that
 * act through the action-item workflows (and their refusals), closing with minutes, and the
 * carry-over of what was left open into the next meeting of the same kind.
 */

const MEETING_FIELDS = `
  id state period version nextEvents
  agenda { id section subjectType subjectId title resolved carriedFromItemId }
  decisions { id kind text done actionItemId adjustmentRequestId }
  carriedFrom { id }
`;
const MEETING = `
  __typename
  ... on ReviewMeeting { ${MEETING_FIELDS} }
  ... on TransitionError { errorCode reason entity event fromState }
`;
const DECISION = `
  __typename
  ... on ReviewDecision { id kind done actionItemId adjustmentRequestId }
  ... on TransitionError { errorCode reason entity event fromState }
`;

describe("review meetings", () => {
  let app: TestApp;
  let w: World;
  let issueId: number;
  let causeId: number;
  let overdueId: number;
  let atRiskId: number;
  let first: any;

  async function send(person: Person, doc: string, vars: object = {}): Promise<any> {
    return (await person.client.request<{ result: any }>(doc, vars)).result;
  }
  const schedule = (person: Person, input: object) =>
    send(person, gql`mutation ($input: ScheduleReviewMeetingInput!) { result: scheduleReviewMeeting(input: $input) { ${MEETING} } }`, { input });
  const act = (person: Person, field: string, id: string, extra = "") =>
    send(person, `mutation ($id: ID!) { result: ${field}(id: $id${extra}) { ${MEETING} } }`, { id });
  const decide = (person: Person, input: object) =>
    send(person, gql`mutation ($input: RecordDecisionInput!) { result: recordMeetingDecision(input: $input) { ${DECISION} } }`, { input });
  const meeting = async (id: string) =>
    (await w.quality.client.request<{ result: any }>(`query ($id: ID!) { result: reviewMeeting(id: $id) { __typename ${MEETING_FIELDS} } }`, { id })).result;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    app.clock.set(new Date("2026-11-19T10:00:00.000Z"));
    const issues = app.dataSource.getRepository(Issue);
    const issue = await issues.save(
      issues.create({
        kind: IssueKind.SYSTEMIC, title: "夜间报修响应慢", description: "d", urgent: true, important: true,
        departmentId: Number(w.serviceDept), assigneeId: Number(w.serviceLead.id), createdById: Number(w.quality.id),
        state: "analyzing", createdAt: new Date("2026-11-17T08:00:00Z"),
      }),
    );
    issueId = issue.id;
    const causes = app.dataSource.getRepository(Cause);
    causeId = (await causes.save(causes.create({ issueId, category: CauseCategory.METHOD, text: "夜间派单等早会", state: "confirmed", createdById: Number(w.quality.id) }))).id;
    const actions = app.dataSource.getRepository(ActionItem);
    const action = (description: string, row: Partial<ActionItem>) =>
      actions.save(actions.create({
        issueId, causeId, cycle: 1, description, metric: "响应时长", target: 2, ownerId: Number(w.engineer.id),
        departmentId: Number(w.serviceDept), state: "inProgress", ...row,
      } as Partial<ActionItem>));
    // Overdue on 11-19 (ended 11-15); at risk on 11-19: 4 of 5 days elapsed (80 %), 60 < 80 − 10.
    overdueId = (await action("X 夜班派单", { plannedStart: "2026-11-01", plannedEnd: "2026-11-15", progress: 20 })).id;
    atRiskId = (await action("Y 培训", { plannedStart: "2026-11-16", plannedEnd: "2026-11-20", progress: 60 })).id;
  });
  afterAll(() => app.stop());

  it("schedules a weekly meeting for the week of its day and previews the agenda", async () => {
    first = await schedule(w.quality, {
      kind: "WEEKLY", title: "第47周例会", scheduledAt: "2026-11-19T09:00:00.000Z", attendeeIds: [w.quality.id, w.serviceLead.id],
    });
    expect(first).toMatchObject({ __typename: "ReviewMeeting", state: "scheduled", period: "2026-W47" });
    expect(first.nextEvents).toEqual(["UPDATE", "HOLD", "CANCEL"]);
    // Order: new issues, overdue, at risk; a preview has no ids.
    expect(first.agenda.map((i: any) => [i.id, i.section, i.subjectType, Number(i.subjectId)])).toEqual([
      [null, "NEW_ISSUE", "ISSUE", issueId],
      [null, "OVERDUE_ACTION", "ACTION_ITEM", overdueId],
      [null, "AT_RISK_ACTION", "ACTION_ITEM", atRiskId],
    ]);
    expect(first.agenda[1].title).toBe("X 夜班派单 — 4 d overdue, 20%");
  });

  it("refuses scheduling and holding by someone who does not run meetings", async () => {
    const refused = await schedule(w.serviceLead, { kind: "WEEKLY", title: "x", scheduledAt: "2026-11-19T09:00:00.000Z" });
    expect(refused).toMatchObject({ __typename: "TransitionError", errorCode: "NOT_PERMITTED", reason: "actorMayManageMeetings" });
    const hold = await act(w.serviceLead, "holdReviewMeeting", first.id);
    expect(hold).toMatchObject({ __typename: "TransitionError", errorCode: "NOT_PERMITTED", event: "HOLD", fromState: "scheduled" });
    expect(await errorCodeOf(schedule(w.quality, { kind: "MONTHLY", title: "x", scheduledAt: "2026-11-19T09:00:00.000Z", period: "2026-W47" }))).toBe("BAD_USER_INPUT");
  });

  it("freezes the agenda when the meeting is held", async () => {
    expect(await act(w.quality, "closeReviewMeeting", first.id)).toMatchObject({ errorCode: "INVALID_TRANSITION", reason: "eventNotAcceptedInState" });
    const held = await act(w.quality, "holdReviewMeeting", first.id);
    expect(held.state).toBe("held");
    expect(held.agenda.every((item: any) => item.id !== null && item.resolved === false)).toBe(true);
    first = held;

    // New data after the meeting started does not change its agenda.
    const issues = app.dataSource.getRepository(Issue);
    await issues.save(issues.create({ kind: IssueKind.SYSTEMIC, title: "会后新问题", description: "d", createdById: Number(w.quality.id), state: "intake", createdAt: new Date("2026-11-19T11:00:00Z") }));
    expect((await meeting(first.id)).agenda).toEqual(held.agenda);
    expect(await act(w.quality, "holdReviewMeeting", first.id)).toMatchObject({ errorCode: "INVALID_TRANSITION" });
  });

  it("records decisions through the action-item workflows, refusals included", async () => {
    const added = await decide(w.quality, {
      meetingId: first.id, kind: "ADD_ACTION", text: "增设夜班调度",
      addAction: { issueId: String(issueId), causeId: String(causeId), description: "增设夜班调度员", metric: "夜间响应时长", target: 2, ownerId: w.engineer.id, plannedStart: "2026-11-23", plannedEnd: "2026-12-04" },
    });
    expect(added).toMatchObject({ __typename: "ReviewDecision", kind: "ADD_ACTION", done: false });
    const created = await app.dataSource.getRepository(ActionItem).findOneByOrFail({ id: Number(added.actionItemId) });
    expect(created).toMatchObject({ issueId, state: "draft", description: "增设夜班调度员" });

    // A draft action cannot be adjusted: the action item's machine refuses, nothing is recorded.
    const before = await tableCounts(app.dataSource);
    const refused = await decide(w.quality, {
      meetingId: first.id, kind: "REQUEST_ADJUSTMENT", text: "延期",
      adjustment: { actionItemId: added.actionItemId, reason: "人手不足", proposedPlannedEnd: "2026-12-20" },
    });
    expect(refused).toMatchObject({ __typename: "TransitionError", entity: "ACTION_ITEM", event: "REQUEST_ADJUSTMENT", fromState: "draft" });
    expect(await tableCounts(app.dataSource)).toEqual(before);

    const note = await decide(w.quality, { meetingId: first.id, kind: "NOTE", text: "技术部评估派单系统改造", ownerId: w.techLead.id, dueDay: "2026-11-30" });
    expect(note).toMatchObject({ kind: "NOTE", done: false, actionItemId: null });
    expect(await decide(w.serviceLead, { meetingId: first.id, kind: "NOTE", text: "x" })).toMatchObject({ errorCode: "NOT_PERMITTED", entity: "REVIEW_MEETING" });
    expect(await errorCodeOf(decide(w.quality, { meetingId: first.id, kind: "NOTE", text: "x", progress: { actionItemId: String(overdueId), progress: 50 } }))).toBe("BAD_USER_INPUT");
    expect(await errorCodeOf(decide(w.quality, { meetingId: first.id, kind: "ADD_ACTION", text: "x" }))).toBe("BAD_USER_INPUT");

    const m = await meeting(first.id);
    expect(m.decisions.map((d: any) => d.kind)).toEqual(["ADD_ACTION", "NOTE"]);
  });

  it("closes only with minutes, after which it accepts nothing", async () => {
    const newIssueItem = first.agenda[0];
    const resolved = await send(w.quality, gql`mutation ($itemId: ID!) { result: resolveAgendaItem(itemId: $itemId, resolution: "已分派给售后服务部") { ${MEETING} } }`, { itemId: newIssueItem.id });
    expect(resolved.agenda.map((i: any) => i.resolved)).toEqual([true, false, false]);

    expect(await act(w.quality, "closeReviewMeeting", first.id)).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "minutesRecorded" });
    const minuted = await send(w.quality, gql`mutation ($id: ID!) { result: updateReviewMeeting(id: $id, input: { minutes: "议定：增设夜班调度。" }) { ${MEETING} } }`, { id: first.id });
    expect(minuted.state).toBe("held");
    const closed = await act(w.manager, "closeReviewMeeting", first.id);
    expect(closed).toMatchObject({ state: "closed", nextEvents: [] });
    expect(await decide(w.quality, { meetingId: first.id, kind: "NOTE", text: "x" })).toMatchObject({ errorCode: "INVALID_TRANSITION", fromState: "closed" });

    const history = await w.quality.client.request<{ reviewMeeting: any }>(gql`query ($id: ID!) { reviewMeeting(id: $id) { history { event toState } } }`, { id: first.id });
    expect(history.reviewMeeting.history.map((h: any) => h.event)).toEqual(["CREATE", "HOLD", "DECIDE", "DECIDE", "RESOLVE_ITEM", "CLOSE"]);
  });

  it("carries unresolved items and open decisions over to the next meeting of the kind", async () => {
    // By the next week Y is done (it drops out of the data) while X is still overdue.
    await app.dataSource.getRepository(ActionItem).update({ id: atRiskId }, { state: "done", progress: 100, actualEnd: "2026-11-21" });
    app.clock.set(new Date("2026-11-26T10:00:00.000Z"));
    const monthly = await schedule(w.manager, { kind: "MONTHLY", title: "11月评审", scheduledAt: "2026-12-03T09:00:00.000Z", attendeeIds: [w.manager.id] });
    expect(monthly.period).toBe("2026-11"); // the month before the meeting
    const next = await schedule(w.quality, { kind: "WEEKLY", title: "第48周例会", scheduledAt: "2026-11-26T09:00:00.000Z", attendeeIds: [w.quality.id] });
    const held = await act(w.quality, "holdReviewMeeting", next.id);
    const [, oldX, oldY] = first.agenda;
    const [addDecision, noteDecision] = (await meeting(first.id)).decisions;
    expect(held.carriedFrom).toEqual({ id: first.id });
    expect(held.agenda.map((i: any) => [i.section, i.subjectType, Number(i.subjectId), i.carriedFromItemId])).toEqual([
      // Still raised by the data: the new item continues the old one.
      ["OVERDUE_ACTION", "ACTION_ITEM", overdueId, oldX.id],
      // No longer raised by the data but never resolved: back as it was.
      ["CARRIED_OVER", "ACTION_ITEM", atRiskId, oldY.id],
      // Decisions not carried out: the added action is a draft, the note is not marked done.
      ["OPEN_DECISION", "DECISION", Number(addDecision.id), null],
      ["OPEN_DECISION", "DECISION", Number(noteDecision.id), null],
    ]);
    expect(held.agenda[1].title).toBe(oldY.title);

    const done = await send(w.quality, gql`mutation ($id: ID!) { result: completeMeetingDecision(id: $id) { done } }`, { id: noteDecision.id });
    expect(done).toEqual({ done: true });
    expect(await errorCodeOf(send(w.quality, gql`mutation ($id: ID!) { result: completeMeetingDecision(id: $id) { done } }`, { id: addDecision.id }))).toBe("BAD_USER_INPUT");
  });

  it("needs two departments for a joint meeting and a reason to cancel", async () => {
    const joint = await schedule(w.quality, { kind: "JOINT", title: "跨部门协调会", scheduledAt: "2026-11-27T09:00:00.000Z", attendeeIds: [w.serviceLead.id, w.engineer.id] });
    expect(await act(w.quality, "holdReviewMeeting", joint.id)).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "jointMeetingSpansDepartments" });
    const widened = await send(w.quality, gql`mutation ($id: ID!, $ids: [ID!]) { result: updateReviewMeeting(id: $id, input: { attendeeIds: $ids }) { ${MEETING} } }`, { id: joint.id, ids: [w.serviceLead.id, w.techLead.id] });
    expect(widened.nextEvents).toContain("HOLD");
    const cancel = (reason: string) => send(w.quality, `mutation ($id: ID!, $reason: String!) { result: cancelReviewMeeting(id: $id, reason: $reason) { ${MEETING} } }`, { id: joint.id, reason });
    expect(await cancel(" ")).toMatchObject({ errorCode: "PRECONDITION_FAILED", reason: "reasonProvided" });
    expect(await cancel("改期")).toMatchObject({ state: "cancelled", agenda: [] });
  });
});
