import { getShortestPaths, getSimplePaths } from "xstate/graph";
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
  SURVEY_INVITATION_EVENT_TYPES,
  surveyInvitationMachine,
  surveyInvitationWorkflow,
  windowIsOpen,
  type SurveyInvitationContext,
  type SurveyInvitationEvent,
  type SurveyInvitationEventType,
  type SurveyInvitationFacts,
} from "./survey-invitation.machine";

const system = actor([], 1);
const agent = actor(["AGENT"], 2);
const specialist = actor(["QUALITY_SPECIALIST"], 3);
const manager = actor(["OPERATIONS_MANAGER"], 4);

const SENT_AT = new Date("2026-10-01T08:00:00.000Z");
const EXPIRES_AT = new Date("2026-10-08T08:00:00.000Z");
const DAY = 24 * 3_600_000;
const at = (days: number) => new Date(SENT_AT.getTime() + days * DAY);

/** An e-mail invitation sent on 1 October, answered through its link on day 1. */
const facts: SurveyInvitationFacts = {
  now: at(1),
  expiresAt: EXPIRES_AT,
  callback: false,
  tokenPresented: true,
};
const callback = { callback: true, tokenPresented: false };

type Row = TransitionRow<SurveyInvitationContext, SurveyInvitationFacts, SurveyInvitationEventType>;

// One row per line keeps the table readable as a table, so Prettier leaves it alone.
// prettier-ignore
const rows: Row[] = [
  { behaviour: "sends a scheduled invitation", from: "scheduled", event: "SEND", actor: system, facts: { expiresAt: null }, expect: { toState: "sent" } },
  { behaviour: "marks an invitation without an address for its channel undeliverable, with the reason", from: "scheduled", event: "SKIP", actor: system, expect: { toState: "undeliverable" } },
  { behaviour: "rejects SKIP without a reason", from: "scheduled", event: "SKIP", actor: system, reason: null, expect: preconditionFailed("reasonProvided") },
  { behaviour: "cancels an invitation not yet sent when its campaign closes", from: "scheduled", event: "CANCEL", actor: specialist, expect: { toState: "cancelled" } },
  { behaviour: "rejects CANCEL without a reason", from: "scheduled", event: "CANCEL", actor: specialist, reason: "  ", expect: preconditionFailed("reasonProvided") },
  { behaviour: "rejects CANCEL of an invitation already sent: its window stays open", from: "sent", event: "CANCEL", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "rejects SEND of an invitation already sent", from: "sent", event: "SEND", actor: system, expect: NOT_ACCEPTED },
  { behaviour: "reminds a non-responder once, on day 3", from: "sent", event: "REMIND", actor: system, facts: { now: at(3) }, expect: { toState: "reminded" } },
  { behaviour: "rejects a second reminder", from: "reminded", event: "REMIND", actor: system, facts: { now: at(4) }, expect: NOT_ACCEPTED },
  { behaviour: "rejects a reminder after the window closed (a sweeper catching up)", from: "sent", event: "REMIND", actor: system, facts: { now: at(8) }, expect: preconditionFailed("windowOpen") },
  { behaviour: "rejects a reminder for a call-back task", from: "sent", event: "REMIND", actor: system, facts: { ...callback, now: at(3) }, expect: preconditionFailed("remindsCustomer") },
  { behaviour: "rejects REMIND before the invitation was sent", from: "scheduled", event: "REMIND", actor: system, expect: NOT_ACCEPTED },
  { behaviour: "accepts the answer of the token holder while the window is open", from: "sent", event: "RESPOND", actor: system, expect: { toState: "responded" } },
  { behaviour: "accepts the answer of a reminded customer", from: "reminded", event: "RESPOND", actor: system, facts: { now: at(5) }, expect: { toState: "responded" } },
  { behaviour: "accepts an answer one millisecond before the expiry", from: "reminded", event: "RESPOND", actor: system, facts: { now: new Date(EXPIRES_AT.getTime() - 1) }, expect: { toState: "responded" } },
  { behaviour: "rejects an answer at the expiry even before the EXPIRE job ran", from: "reminded", event: "RESPOND", actor: system, facts: { now: EXPIRES_AT }, expect: preconditionFailed("windowOpen") },
  { behaviour: "rejects an answer without the token", from: "sent", event: "RESPOND", actor: agent, facts: { tokenPresented: false }, expect: notPermitted("responderMayAnswer") },
  { behaviour: "accepts an agent's recorded answer of a call-back task", from: "sent", event: "RESPOND", actor: agent, facts: callback, expect: { toState: "responded" } },
  { behaviour: "accepts a quality specialist's recorded answer of a call-back task", from: "sent", event: "RESPOND", actor: specialist, facts: callback, expect: { toState: "responded" } },
  { behaviour: "rejects a call-back answer recorded by the operations manager", from: "sent", event: "RESPOND", actor: manager, facts: callback, expect: notPermitted("responderMayAnswer") },
  { behaviour: "rejects a token answer to a call-back task", from: "sent", event: "RESPOND", actor: system, facts: { ...callback, tokenPresented: true }, expect: notPermitted("responderMayAnswer") },
  { behaviour: "rejects a second answer", from: "responded", event: "RESPOND", actor: system, expect: NOT_ACCEPTED },
  { behaviour: "rejects an answer to an invitation never sent", from: "scheduled", event: "RESPOND", actor: system, expect: NOT_ACCEPTED },
  { behaviour: "expires a sent invitation when the window closes", from: "sent", event: "EXPIRE", actor: system, facts: { now: at(7) }, expect: { toState: "expired" } },
  { behaviour: "expires a reminded invitation when the window closes", from: "reminded", event: "EXPIRE", actor: system, facts: { now: at(9) }, expect: { toState: "expired" } },
  { behaviour: "rejects EXPIRE while the window is open", from: "reminded", event: "EXPIRE", actor: system, facts: { now: at(6) }, expect: preconditionFailed("windowClosed") },
  { behaviour: "rejects EXPIRE of an invitation without a window", from: "sent", event: "EXPIRE", actor: system, facts: { expiresAt: null, now: at(9) }, expect: preconditionFailed("windowClosed") },
  { behaviour: "rejects EXPIRE of an answered invitation", from: "responded", event: "EXPIRE", actor: system, facts: { now: at(9) }, expect: NOT_ACCEPTED },
];

describe("survey invitation workflow", () => {
  runTransitionTable(surveyInvitationWorkflow, { context: {}, facts, reason: "客户没有电子邮箱" }, rows);
  itAcceptsNoEventIn(surveyInvitationWorkflow, ["responded", "expired", "undeliverable", "cancelled"], {
    context: {},
    facts: { ...facts, now: at(9) },
    actor: actor(["AGENT", "QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"]),
  });
  itCoversEveryTransition(surveyInvitationWorkflow, rows);
});

describe("windowIsOpen", () => {
  it.each([
    [at(0), true],
    [new Date(EXPIRES_AT.getTime() - 1), true],
    [EXPIRES_AT, false],
    [at(30), false],
  ])("judges an answer at %p as inside the window: %p", (now, open) => {
    expect(windowIsOpen({ now, expiresAt: EXPIRES_AT })).toBe(open);
  });

  it("is closed for an invitation that was never sent", () => {
    expect(windowIsOpen({ now: at(0), expiresAt: null })).toBe(false);
  });
});

describe("survey invitation reachability", () => {
  /** Every event, at every moment of interest, by every kind of sender. */
  const events: SurveyInvitationEvent[] = SURVEY_INVITATION_EVENT_TYPES.flatMap((type) =>
    [at(1), at(3), at(8)].flatMap((now) =>
      [system, agent].map((sender) => ({ type, actor: sender, facts: { ...facts, now }, reason: "why" }) as SurveyInvitationEvent),
    ),
  );
  const fromScheduled = surveyInvitationMachine.resolveState({ value: "scheduled", context: {} });
  const types = (path: { steps: { event: { type: string } }[] }) =>
    path.steps.map((step) => step.event.type).filter((type) => type !== "xstate.init");

  it("never sends more than one reminder on any path", () => {
    const paths = getSimplePaths(surveyInvitationMachine, { fromState: fromScheduled, events });
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(types(path).filter((type) => type === "REMIND").length).toBeLessThanOrEqual(1);
  });

  it("reaches responded only by a RESPOND inside the window", () => {
    const paths = getShortestPaths(surveyInvitationMachine, {
      fromState: fromScheduled,
      events,
      toState: (snapshot) => snapshot.value === "responded",
    });
    expect(paths.map(types)).toEqual([["SEND", "RESPOND"]]);
    const last = paths[0].steps.at(-1)!.event as SurveyInvitationEvent;
    expect(windowIsOpen(last.facts)).toBe(true);
  });
});
