import { and, setup } from "xstate";
import { actorHasAnyRole, preconditionFailed, requiresAnyRole } from "./guards";
import type { GuardReason, Workflow, WorkflowEventUnion, WorkflowGuardArgs } from "./runtime";
import type { Role } from "./actor";

export const SURVEY_CAMPAIGN_STATES = ["draft", "active", "closed"] as const;
export type SurveyCampaignState = (typeof SURVEY_CAMPAIGN_STATES)[number];

export const SURVEY_CAMPAIGN_EVENT_TYPES = ["LAUNCH", "CLOSE"] as const;
export type SurveyCampaignEventType = (typeof SURVEY_CAMPAIGN_EVENT_TYPES)[number];

/** The campaign kinds, as stored (mirrors SurveyCampaignKind without importing the API layer). */
export type SurveyCampaignKindName = "POST_SERVICE" | "PERIODIC" | "SPECIAL" | "RESURVEY";

export type SurveyCampaignContext = Record<string, never>;

export interface SurveyCampaignFacts {
  kind: SurveyCampaignKindName;
  /** Customers the launch would invite (the target group, or the re-survey sample). */
  targetSize: number;
  /** State of the verification check a re-survey belongs to; null for other kinds. */
  verificationCheckState: string | null;
  /**
   * Post-service campaigns: another active post-service campaign covers some of the same tickets
   * (ticket types and region overlap). A ticket is surveyed once, so the two would compete.
   */
  overlapsActiveCampaign: boolean;
}

export type SurveyCampaignEvent = WorkflowEventUnion<SurveyCampaignEventType, SurveyCampaignFacts>;

type SurveyCampaignGuardArgs = WorkflowGuardArgs<SurveyCampaignContext, SurveyCampaignEvent>;

/** Who runs surveys: quality specialists, the operations manager and admins. */
export const SURVEY_MANAGER_ROLES: readonly Role[] = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"];

const surveyCampaignGuards = {
  actorRunsSurveys: actorHasAnyRole(...SURVEY_MANAGER_ROLES),
  // A post-service campaign invites as tickets complete, so it may start with nobody to ask.
  hasTargetGroup: ({ event }: SurveyCampaignGuardArgs) =>
    event.facts.kind === "POST_SERVICE" || event.facts.targetSize >= 1,
  // Re-surveying before the check's survey started would measure the process before the change.
  verificationCheckIsSurveying: ({ event }: SurveyCampaignGuardArgs) =>
    event.facts.kind !== "RESURVEY" || event.facts.verificationCheckState === "surveying",
  noOverlappingCampaign: ({ event }: SurveyCampaignGuardArgs) => !event.facts.overlapsActiveCampaign,
};

const surveyCampaignGuardReasons: Record<keyof typeof surveyCampaignGuards, GuardReason> = {
  actorRunsSurveys: requiresAnyRole(...SURVEY_MANAGER_ROLES),
  hasTargetGroup: preconditionFailed("The campaign's target group is empty."),
  verificationCheckIsSurveying: preconditionFailed(
    "A re-survey is launched only while its verification check is surveying.",
  ),
  noOverlappingCampaign: preconditionFailed(
    "Another active post-service campaign covers the same tickets; a ticket is surveyed once, so close it first.",
  ),
};

const closeTransition = { target: "closed", guard: "actorRunsSurveys" } as const;

/**
 * A survey campaign: draft → active → closed. LAUNCH invites the target group (or, for a
 * post-service campaign, starts inviting as tickets complete); CLOSE stops new invitations and
 * cancels those not yet sent, while invitations already sent keep their answer window.
 */
export const surveyCampaignMachine = setup({
  types: {
    context: {} as SurveyCampaignContext,
    events: {} as SurveyCampaignEvent,
  },
  guards: surveyCampaignGuards,
}).createMachine({
  id: "surveyCampaign",
  initial: "draft",
  context: {},
  states: {
    draft: {
      on: {
        LAUNCH: {
          target: "active",
          guard: and([
            "actorRunsSurveys",
            "verificationCheckIsSurveying",
            "hasTargetGroup",
            "noOverlappingCampaign",
          ]),
        },
        CLOSE: closeTransition,
      },
    },
    active: { on: { CLOSE: closeTransition } },
    closed: { type: "final" },
  },
});

/** The survey-campaign workflow as the services run it. */
export const surveyCampaignWorkflow: Workflow<
  SurveyCampaignContext,
  SurveyCampaignFacts,
  SurveyCampaignEventType
> = {
  name: "surveyCampaign",
  machine: surveyCampaignMachine,
  eventTypes: SURVEY_CAMPAIGN_EVENT_TYPES,
  guardReasons: surveyCampaignGuardReasons,
};
