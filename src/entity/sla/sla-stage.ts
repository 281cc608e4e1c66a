import { registerEnumType } from "type-graphql";

/** The three promises a complaint carries (DESIGN "Complaint SLA"). */
export enum SlaStage {
  /** First response: the complaint left intake (triaged) — respond ≤ 1 h by default. */
  RESPOND = "RESPOND",
  /** A plan was proposed (the issue entered planApproval) — plan ≤ 24 h by default. */
  PLAN = "PLAN",
  /** The complaint was closed — close ≤ 72 h by default. */
  CLOSE = "CLOSE",
}

/** Where one stage of a complaint's SLA stands, judged at the time of asking. */
export enum SlaStageStatus {
  /** Not reached yet and not yet due. */
  PENDING = "PENDING",
  /** Reached at or before its due time. */
  MET = "MET",
  /** Reached after its due time, or still not reached although the due time has passed. */
  BREACHED = "BREACHED",
  /** The complaint was cancelled before this stage fell due: the stage no longer counts. */
  NOT_APPLICABLE = "NOT_APPLICABLE",
}

registerEnumType(SlaStage, {
  name: "SlaStage",
  description: "A complaint SLA stage: RESPOND (left intake), PLAN (plan proposed), CLOSE (closed).",
  valuesConfig: {
    RESPOND: { description: "First response: the complaint left intake (triaged); 1 h by default." },
    PLAN: { description: "A plan was proposed (the issue entered plan approval); 24 h by default." },
    CLOSE: { description: "The complaint was closed; 72 h by default." },
  },
});
registerEnumType(SlaStageStatus, {
  name: "SlaStageStatus",
  description: "Where an SLA stage stands at the time of the query.",
  valuesConfig: {
    PENDING: { description: "Not reached yet and not yet due." },
    MET: { description: "Reached at or before its due time." },
    BREACHED: { description: "Reached after its due time, or still not reached although the due time has passed." },
    NOT_APPLICABLE: { description: "The complaint was cancelled before this stage fell due: the stage no longer counts." },
  },
});

/** Escalation levels: the department head first, then the operations manager. */
export const ESCALATION_LEVEL = { DEPARTMENT_HEAD: 1, OPERATIONS_MANAGER: 2 } as const;
