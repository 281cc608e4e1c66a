import { and, setup } from "xstate";
import {
  REASON_REQUIRED,
  hasAnyRole,
  notPermitted,
  preconditionFailed,
  reasonProvided,
} from "./guards";
import type { GuardReason, Workflow, WorkflowEventUnion, WorkflowGuardArgs } from "./runtime";

export const SURVEY_INVITATION_STATES = [
  "scheduled",
  "sent",
  "reminded",
  "responded",
  "expired",
  "undeliverable",
  "cancelled",
] as const;
export type SurveyInvitationState = (typeof SURVEY_INVITATION_STATES)[number];

export const SURVEY_INVITATION_EVENT_TYPES = [
  "SEND",
  "REMIND",
  "RESPOND",
  "EXPIRE",
  "SKIP",
  "CANCEL",
] as const;
export type SurveyInvitationEventType = (typeof SURVEY_INVITATION_EVENT_TYPES)[number];

/** An invitation's window and channel arrive as facts, so the machine remembers nothing. */
export type SurveyInvitationContext = Record<string, never>;

export interface SurveyInvitationFacts {
  /** When the event happens, from the injected clock; the answer window is judged against it. */
  now: Date;
  /** End of the answer window; null until the invitation is sent. */
  expiresAt: Date | null;
  /** A call-back task (phone or visit campaign): an agent asks and records the answers. */
  callback: boolean;
  /** The answer came with the invitation's single-use token (the public survey page). */
  tokenPresented: boolean;
}

export type SurveyInvitationEvent = WorkflowEventUnion<
  SurveyInvitationEventType,
  SurveyInvitationFacts
>;

type SurveyInvitationGuardArgs = WorkflowGuardArgs<SurveyInvitationContext, SurveyInvitationEvent>;

/** Whether the answer window is open at `now`: sent, and `now` before the expiry. */
export function windowIsOpen(facts: Pick<SurveyInvitationFacts, "now" | "expiresAt">): boolean {
  return facts.expiresAt !== null && facts.now.getTime() < facts.expiresAt.getTime();
}

const surveyInvitationGuards = {
  // A message invitation is answered by whoever holds its link; a call-back task by the agent
  // (or quality specialist) who made the call, never by the token route.
  responderMayAnswer: ({ event }: SurveyInvitationGuardArgs) =>
    event.facts.callback
      ? hasAnyRole(event.actor, ["AGENT", "QUALITY_SPECIALIST"])
      : event.facts.tokenPresented,
  windowOpen: ({ event }: SurveyInvitationGuardArgs) => windowIsOpen(event.facts),
  windowClosed: ({ event }: SurveyInvitationGuardArgs) =>
    event.facts.expiresAt !== null && !windowIsOpen(event.facts),
  // Reminders are messages to the customer; a call-back task has nobody to remind.
  remindsCustomer: ({ event }: SurveyInvitationGuardArgs) => !event.facts.callback,
  reasonProvided,
};

const surveyInvitationGuardReasons: Record<keyof typeof surveyInvitationGuards, GuardReason> = {
  responderMayAnswer: notPermitted(
    "Only the holder of the invitation's link, or an agent or quality specialist for a call-back task, may answer.",
  ),
  windowOpen: preconditionFailed("The survey window has closed."),
  windowClosed: preconditionFailed("The survey window is still open."),
  remindsCustomer: preconditionFailed("A call-back task sends no reminder."),
  reasonProvided: REASON_REQUIRED,
};

const respondTransition = {
  target: "responded",
  guard: and(["responderMayAnswer", "windowOpen"]),
} as const;
const expireTransition = { target: "expired", guard: "windowClosed" } as const;

/**
 * A survey invitation: scheduled → sent → reminded → responded | expired. Exactly one reminder
 * (REMIND leaves `sent` and nothing re-enters it), answers only while the window is open, and an
 * invitation that cannot be delivered (no address for the channel) or whose campaign closed before
 * it was sent ends with the reason recorded. SEND, REMIND, EXPIRE and SKIP are sent by the system
 * when their durable job falls due; RESPOND by the customer's token or the call-back agent.
 */
export const surveyInvitationMachine = setup({
  types: {
    context: {} as SurveyInvitationContext,
    events: {} as SurveyInvitationEvent,
  },
  guards: surveyInvitationGuards,
}).createMachine({
  id: "surveyInvitation",
  initial: "scheduled",
  context: {},
  states: {
    scheduled: {
      on: {
        SEND: { target: "sent" },
        SKIP: { target: "undeliverable", guard: "reasonProvided" },
        CANCEL: { target: "cancelled", guard: "reasonProvided" },
      },
    },
    sent: {
      on: {
        REMIND: { target: "reminded", guard: and(["remindsCustomer", "windowOpen"]) },
        RESPOND: respondTransition,
        EXPIRE: expireTransition,
      },
    },
    reminded: {
      on: {
        RESPOND: respondTransition,
        EXPIRE: expireTransition,
      },
    },
    responded: { type: "final" },
    expired: { type: "final" },
    undeliverable: { type: "final" },
    cancelled: { type: "final" },
  },
});

/** The survey-invitation workflow as the services and jobs run it. */
export const surveyInvitationWorkflow: Workflow<
  SurveyInvitationContext,
  SurveyInvitationFacts,
  SurveyInvitationEventType
> = {
  name: "surveyInvitation",
  machine: surveyInvitationMachine,
  eventTypes: SURVEY_INVITATION_EVENT_TYPES,
  guardReasons: surveyInvitationGuardReasons,
};
