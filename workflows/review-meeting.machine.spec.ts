import {
  NOT_ACCEPTED,
  actor,
  itAcceptsNoEventIn,
  itCoversEveryTransition,
  notPermitted,
  preconditionFailed,
  runTransitionTable,
  type TransitionRow,
} from "../test/workflows/transition-table";
import {
  reviewMeetingWorkflow,
  type ReviewMeetingContext,
  type ReviewMeetingEventType,
  type ReviewMeetingFacts,
} from "./review-meeting.machine";

const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);
const admin = actor(["ADMIN"], 3);
const lead = actor(["DEPARTMENT_LEAD"], 4, 7);
const agent = actor(["AGENT"], 5, 7);

const context: ReviewMeetingContext = { kind: "WEEKLY" };
const joint = { kind: "JOINT" } as const;
const facts: ReviewMeetingFacts = { attendeeCount: 3, attendeeDepartmentCount: 1, minutesRecorded: true };

type Row = TransitionRow<ReviewMeetingContext, ReviewMeetingFacts, ReviewMeetingEventType>;

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  { behaviour: "edits a scheduled meeting as a quality specialist", from: "scheduled", event: "UPDATE", actor: specialist, expect: { toState: "scheduled", changesState: false } },
  { behaviour: "refuses edits by a department lead", from: "scheduled", event: "UPDATE", actor: lead, expect: notPermitted("actorMayManageMeetings") },
  { behaviour: "holds a weekly meeting with attendees", from: "scheduled", event: "HOLD", actor: specialist, expect: { toState: "held" } },
  { behaviour: "lets the operations manager hold a meeting", from: "scheduled", event: "HOLD", actor: manager, expect: { toState: "held" } },
  { behaviour: "lets an admin hold a meeting", from: "scheduled", event: "HOLD", actor: admin, expect: { toState: "held" } },
  { behaviour: "refuses HOLD by an agent", from: "scheduled", event: "HOLD", actor: agent, expect: notPermitted("actorMayManageMeetings") },
  { behaviour: "refuses HOLD without attendees", from: "scheduled", event: "HOLD", actor: specialist, facts: { attendeeCount: 0, attendeeDepartmentCount: 0 }, expect: preconditionFailed("hasAttendees") },
  { behaviour: "refuses HOLD of a joint meeting with one department", from: "scheduled", event: "HOLD", actor: specialist, context: joint, expect: preconditionFailed("jointMeetingSpansDepartments") },
  { behaviour: "holds a joint meeting with two departments", from: "scheduled", event: "HOLD", actor: specialist, context: joint, facts: { attendeeDepartmentCount: 2 }, expect: { toState: "held" } },
  { behaviour: "holds a monthly review whatever the departments", from: "scheduled", event: "HOLD", actor: manager, context: { kind: "MONTHLY" }, facts: { attendeeDepartmentCount: 0 }, expect: { toState: "held" } },
  { behaviour: "refuses HOLD of a meeting already held", from: "held", event: "HOLD", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "cancels a scheduled meeting with a reason", from: "scheduled", event: "CANCEL", actor: specialist, expect: { toState: "cancelled" } },
  { behaviour: "refuses CANCEL without a reason", from: "scheduled", event: "CANCEL", actor: specialist, reason: " ", expect: preconditionFailed("reasonProvided") },
  { behaviour: "refuses CANCEL by a department lead", from: "scheduled", event: "CANCEL", actor: lead, expect: notPermitted("actorMayManageMeetings") },
  { behaviour: "refuses CANCEL of a held meeting", from: "held", event: "CANCEL", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "edits the minutes of a held meeting", from: "held", event: "UPDATE", actor: specialist, expect: { toState: "held", changesState: false } },
  { behaviour: "resolves agenda items while held", from: "held", event: "RESOLVE_ITEM", actor: manager, expect: { toState: "held", changesState: false } },
  { behaviour: "refuses RESOLVE_ITEM before the meeting is held", from: "scheduled", event: "RESOLVE_ITEM", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "records decisions while held", from: "held", event: "DECIDE", actor: specialist, expect: { toState: "held", changesState: false } },
  { behaviour: "refuses DECIDE by a department lead", from: "held", event: "DECIDE", actor: lead, expect: notPermitted("actorMayManageMeetings") },
  { behaviour: "refuses DECIDE before the meeting is held", from: "scheduled", event: "DECIDE", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "closes a held meeting with minutes", from: "held", event: "CLOSE", actor: specialist, expect: { toState: "closed" } },
  { behaviour: "refuses CLOSE without minutes", from: "held", event: "CLOSE", actor: specialist, facts: { minutesRecorded: false }, expect: preconditionFailed("minutesRecorded") },
  { behaviour: "refuses CLOSE of a scheduled meeting", from: "scheduled", event: "CLOSE", actor: specialist, expect: NOT_ACCEPTED },
];

describe("review meeting workflow", () => {
  runTransitionTable(reviewMeetingWorkflow, { context, facts, reason: "room not available" }, rows);
  itAcceptsNoEventIn(reviewMeetingWorkflow, ["closed", "cancelled"], {
    context,
    facts: { ...facts, attendeeDepartmentCount: 2 },
    actor: actor(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"]),
  });
  itCoversEveryTransition(reviewMeetingWorkflow, rows);
});
