import { and, setup } from "xstate";
import {
  REASON_REQUIRED,
  actorHasAnyRole,
  preconditionFailed,
  reasonProvided,
  requiresAnyRole,
} from "./guards";
import type { GuardReason, Workflow, WorkflowEventUnion, WorkflowGuardArgs } from "./runtime";

export const REVIEW_MEETING_STATES = ["scheduled", "held", "closed", "cancelled"] as const;
export type ReviewMeetingState = (typeof REVIEW_MEETING_STATES)[number];

export const REVIEW_MEETING_EVENT_TYPES = [
  "UPDATE",
  "HOLD",
  "RESOLVE_ITEM",
  "DECIDE",
  "CLOSE",
  "CANCEL",
] as const;
export type ReviewMeetingEventType = (typeof REVIEW_MEETING_EVENT_TYPES)[number];

/** WEEKLY progress meeting, MONTHLY review, or JOINT cross-department meeting. */
export type ReviewMeetingKind = "WEEKLY" | "MONTHLY" | "JOINT";

export interface ReviewMeetingContext {
  kind: ReviewMeetingKind;
}

/** What the service counts before asking the machine. */
export interface ReviewMeetingFacts {
  /** Attendees listed for the meeting. */
  attendeeCount: number;
  /** Distinct departments among the attendees (people without a department do not count). */
  attendeeDepartmentCount: number;
  /** Minutes have been written (non-blank). */
  minutesRecorded: boolean;
}

export type ReviewMeetingEvent = WorkflowEventUnion<ReviewMeetingEventType, ReviewMeetingFacts>;

type ReviewMeetingGuardArgs = WorkflowGuardArgs<ReviewMeetingContext, ReviewMeetingEvent>;

/** Quality specialists drive the meetings, the operations manager chairs the monthly review. */
const MEETING_MANAGERS = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"] as const;

const reviewMeetingGuards = {
  actorMayManageMeetings: actorHasAnyRole(...MEETING_MANAGERS),
  hasAttendees: ({ event }: ReviewMeetingGuardArgs) => event.facts.attendeeCount >= 1,
  // A joint meeting exists to bring departments together: one department alone is a weekly meeting.
  jointMeetingSpansDepartments: ({ context, event }: ReviewMeetingGuardArgs) =>
    context.kind !== "JOINT" || event.facts.attendeeDepartmentCount >= 2,
  minutesRecorded: ({ event }: ReviewMeetingGuardArgs) => event.facts.minutesRecorded,
  reasonProvided,
};

const reviewMeetingGuardReasons: Record<keyof typeof reviewMeetingGuards, GuardReason> = {
  actorMayManageMeetings: requiresAnyRole(...MEETING_MANAGERS),
  hasAttendees: preconditionFailed("A meeting is held with at least one attendee."),
  jointMeetingSpansDepartments: preconditionFailed(
    "A joint meeting needs attendees from at least two departments.",
  ),
  minutesRecorded: preconditionFailed("A meeting is closed only once its minutes are written."),
  reasonProvided: REASON_REQUIRED,
};

/**
 * A review meeting (weekly progress meeting, monthly review, joint cross-department meeting).
 * Scheduled, it can be edited or cancelled with a reason; HOLD freezes its generated agenda (the
 * service writes the agenda rows in the same transaction) and opens it for item resolutions and
 * decisions; CLOSE needs the minutes. Unresolved items then carry over to the next meeting of
 * the same kind when that one is held.
 */
export const reviewMeetingMachine = setup({
  types: {
    context: {} as ReviewMeetingContext,
    events: {} as ReviewMeetingEvent,
    input: {} as ReviewMeetingContext,
  },
  guards: reviewMeetingGuards,
}).createMachine({
  id: "reviewMeeting",
  initial: "scheduled",
  context: ({ input }) => ({ ...input }),
  states: {
    scheduled: {
      on: {
        UPDATE: { guard: "actorMayManageMeetings" },
        HOLD: {
          target: "held",
          guard: and(["actorMayManageMeetings", "hasAttendees", "jointMeetingSpansDepartments"]),
        },
        CANCEL: { target: "cancelled", guard: and(["actorMayManageMeetings", "reasonProvided"]) },
      },
    },
    held: {
      on: {
        UPDATE: { guard: "actorMayManageMeetings" },
        RESOLVE_ITEM: { guard: "actorMayManageMeetings" },
        DECIDE: { guard: "actorMayManageMeetings" },
        CLOSE: { target: "closed", guard: and(["actorMayManageMeetings", "minutesRecorded"]) },
      },
    },
    closed: { type: "final" },
    cancelled: { type: "final" },
  },
});

/** The review-meeting workflow as the services run it. */
export const reviewMeetingWorkflow: Workflow<
  ReviewMeetingContext,
  ReviewMeetingFacts,
  ReviewMeetingEventType
> = {
  name: "reviewMeeting",
  machine: reviewMeetingMachine,
  eventTypes: REVIEW_MEETING_EVENT_TYPES,
  guardReasons: reviewMeetingGuardReasons,
};
