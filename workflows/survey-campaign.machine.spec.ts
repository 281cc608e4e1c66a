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
  surveyCampaignWorkflow,
  type SurveyCampaignContext,
  type SurveyCampaignEventType,
  type SurveyCampaignFacts,
} from "./survey-campaign.machine";

const specialist = actor(["QUALITY_SPECIALIST"], 1);
const manager = actor(["OPERATIONS_MANAGER"], 2);
const admin = actor(["ADMIN"], 3);
const agent = actor(["AGENT"], 4);
const lead = actor(["DEPARTMENT_LEAD"], 5, 1);

/** A periodic campaign whose target group holds 40 customers. */
const facts: SurveyCampaignFacts = {
  kind: "PERIODIC",
  targetSize: 40,
  verificationCheckState: null,
  overlapsActiveCampaign: false,
};

type Row = TransitionRow<SurveyCampaignContext, SurveyCampaignFacts, SurveyCampaignEventType>;

// prettier-ignore
const rows: Row[] = [
  { behaviour: "launches a periodic campaign with a target group", from: "draft", event: "LAUNCH", actor: specialist, expect: { toState: "active" } },
  { behaviour: "lets the operations manager launch a campaign", from: "draft", event: "LAUNCH", actor: manager, expect: { toState: "active" } },
  { behaviour: "lets an admin launch a campaign", from: "draft", event: "LAUNCH", actor: admin, expect: { toState: "active" } },
  { behaviour: "rejects LAUNCH by an agent", from: "draft", event: "LAUNCH", actor: agent, expect: notPermitted("actorRunsSurveys") },
  { behaviour: "rejects LAUNCH by a department lead", from: "draft", event: "LAUNCH", actor: lead, expect: notPermitted("actorRunsSurveys") },
  { behaviour: "rejects LAUNCH of a campaign whose target group is empty", from: "draft", event: "LAUNCH", actor: specialist, facts: { targetSize: 0 }, expect: preconditionFailed("hasTargetGroup") },
  { behaviour: "launches a post-service campaign before any ticket completed", from: "draft", event: "LAUNCH", actor: specialist, facts: { kind: "POST_SERVICE", targetSize: 0 }, expect: { toState: "active" } },
  { behaviour: "rejects a post-service campaign covering tickets an active one already surveys", from: "draft", event: "LAUNCH", actor: specialist, facts: { kind: "POST_SERVICE", targetSize: 0, overlapsActiveCampaign: true }, expect: preconditionFailed("noOverlappingCampaign") },
  { behaviour: "launches a re-survey while its verification check is surveying", from: "draft", event: "LAUNCH", actor: specialist, facts: { kind: "RESURVEY", targetSize: 3, verificationCheckState: "surveying" }, expect: { toState: "active" } },
  { behaviour: "rejects a re-survey of a check still planned", from: "draft", event: "LAUNCH", actor: specialist, facts: { kind: "RESURVEY", targetSize: 3, verificationCheckState: "planned" }, expect: preconditionFailed("verificationCheckIsSurveying") },
  { behaviour: "rejects a re-survey of a check already decided", from: "draft", event: "LAUNCH", actor: specialist, facts: { kind: "RESURVEY", targetSize: 3, verificationCheckState: "passed" }, expect: preconditionFailed("verificationCheckIsSurveying") },
  { behaviour: "rejects a second LAUNCH", from: "active", event: "LAUNCH", actor: specialist, expect: NOT_ACCEPTED },
  { behaviour: "closes an active campaign", from: "active", event: "CLOSE", actor: specialist, expect: { toState: "closed" } },
  { behaviour: "closes a draft never launched", from: "draft", event: "CLOSE", actor: manager, expect: { toState: "closed" } },
  { behaviour: "rejects CLOSE by an agent", from: "active", event: "CLOSE", actor: agent, expect: notPermitted("actorRunsSurveys") },
];

describe("survey campaign workflow", () => {
  runTransitionTable(surveyCampaignWorkflow, { context: {}, facts, reason: null }, rows);
  itAcceptsNoEventIn(surveyCampaignWorkflow, ["closed"], { context: {}, facts, actor: admin });
  itCoversEveryTransition(surveyCampaignWorkflow, rows);
});
