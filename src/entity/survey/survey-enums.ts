import { registerEnumType } from "type-graphql";

/** Why a survey campaign exists; each kind selects its customers differently. */
export enum SurveyCampaignKind {
  /** A standing rule: every completed ticket of the matching types is surveyed 24–48 h later. */
  POST_SERVICE = "POST_SERVICE",
  /** A monthly or quarterly survey of the customers served in the last N days. */
  PERIODIC = "PERIODIC",
  /** A survey after a major incident, of the customers served during the incident window. */
  SPECIAL = "SPECIAL",
  /** A re-survey of the customers an issue affected, to verify that its improvement worked. */
  RESURVEY = "RESURVEY",
}

registerEnumType(SurveyCampaignKind, {
  name: "SurveyCampaignKind",
  description: "Kind of survey campaign: post-service, periodic, special (after an incident) or re-survey.",
  valuesConfig: {
    POST_SERVICE: { description: "Every completed ticket of the matching types, 24–48 h after completion." },
    PERIODIC: { description: "Monthly/quarterly: customers served in the last N days." },
    SPECIAL: { description: "After a major incident: customers whose tickets were opened in the incident window." },
    RESURVEY: { description: "The affected customers of a verification check's issue." },
  },
});
