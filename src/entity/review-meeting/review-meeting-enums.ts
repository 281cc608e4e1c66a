import { registerEnumType } from "type-graphql";

/** The kinds of review meeting (DESIGN step 7). */
export enum ReviewMeetingKind {
  /** Weekly progress meeting (周例会) over an ISO week. */
  WEEKLY = "WEEKLY",
  /** Monthly review (月度评审) over a calendar month, chaired by the operations manager. */
  MONTHLY = "MONTHLY",
  /** Joint cross-department meeting over an ISO week; attendees from two departments or more. */
  JOINT = "JOINT",
}

/** Where an agenda item comes from. */
export enum AgendaSection {
  SLA_BREACH = "SLA_BREACH",
  NEW_ISSUE = "NEW_ISSUE",
  PLAN_APPROVAL = "PLAN_APPROVAL",
  OVERDUE_ACTION = "OVERDUE_ACTION",
  AT_RISK_ACTION = "AT_RISK_ACTION",
  BLOCKER = "BLOCKER",
  DUE_ACTION = "DUE_ACTION",
  ADJUSTMENT_REQUEST = "ADJUSTMENT_REQUEST",
  RETURNED_TO_ANALYSIS = "RETURNED_TO_ANALYSIS",
  VERIFICATION = "VERIFICATION",
  CASE_LIBRARY = "CASE_LIBRARY",
  /** An unresolved item of the previous meeting that the data no longer raises by itself. */
  CARRIED_OVER = "CARRIED_OVER",
  /** A decision of the previous meeting that is not done yet. */
  OPEN_DECISION = "OPEN_DECISION",
}

/** What an agenda item is about. */
export enum AgendaSubject {
  ISSUE = "ISSUE",
  ACTION_ITEM = "ACTION_ITEM",
  ADJUSTMENT_REQUEST = "ADJUSTMENT_REQUEST",
  VERIFICATION_CHECK = "VERIFICATION_CHECK",
  DECISION = "DECISION",
}

/** What a meeting decision does. */
export enum DecisionKind {
  /** A recorded decision with an owner and a due day; marked done by hand. */
  NOTE = "NOTE",
  /** Drafts a new action item into an issue's plan (ActionItemService.add). */
  ADD_ACTION = "ADD_ACTION",
  /** Posts a progress report on an action item (ActionItemService.postProgress). */
  POST_PROGRESS = "POST_PROGRESS",
  /** Files an adjustment request for an action item (AdjustmentRequestService.submit). */
  REQUEST_ADJUSTMENT = "REQUEST_ADJUSTMENT",
}

registerEnumType(ReviewMeetingKind, {
  name: "ReviewMeetingKind",
  description: "WEEKLY, MONTHLY or JOINT (cross-department).",
  valuesConfig: {
    WEEKLY: { description: "Weekly progress meeting (周例会) over an ISO week." },
    MONTHLY: { description: "Monthly review (月度评审) over a calendar month, chaired by the operations manager." },
    JOINT: { description: "Joint cross-department meeting over an ISO week; attendees from two departments or more." },
  },
});
registerEnumType(AgendaSection, {
  name: "AgendaSection",
  description: "The agenda section an item belongs to.",
  valuesConfig: {
    SLA_BREACH: { description: "Complaints whose SLA stage was breached." },
    NEW_ISSUE: { description: "Issues opened in the period." },
    PLAN_APPROVAL: { description: "Plans waiting for approval." },
    OVERDUE_ACTION: { description: "Action items past their due date." },
    AT_RISK_ACTION: { description: "Action items whose progress lags the share of planned time used." },
    BLOCKER: { description: "Blocked action items." },
    DUE_ACTION: { description: "Action items due this week." },
    ADJUSTMENT_REQUEST: { description: "Adjustment requests waiting for a decision." },
    RETURNED_TO_ANALYSIS: { description: "Issues sent back to analysis, e.g. plan rejected or verification failed." },
    VERIFICATION: { description: "Verification check results of the month (baseline → result, verdict)." },
    CASE_LIBRARY: { description: "Issues proposed for the case library (案例库)." },
    CARRIED_OVER: { description: "An unresolved item of the previous meeting that the data no longer raises by itself." },
    OPEN_DECISION: { description: "A decision of the previous meeting that is not done yet." },
  },
});
registerEnumType(AgendaSubject, {
  name: "AgendaSubject",
  description: "The kind of object an agenda item is about.",
  valuesConfig: {
    ISSUE: { description: "The item is about an issue." },
    ACTION_ITEM: { description: "The item is about an action item." },
    ADJUSTMENT_REQUEST: { description: "The item is about an adjustment request." },
    VERIFICATION_CHECK: { description: "The item is about a verification check." },
    DECISION: { description: "The item is about a decision of an earlier meeting." },
  },
});
registerEnumType(DecisionKind, {
  name: "DecisionKind",
  description: "What a meeting decision does.",
  valuesConfig: {
    NOTE: { description: "A recorded decision with an owner and a due day; marked done by hand." },
    ADD_ACTION: { description: "Drafts a new action item into an issue's plan." },
    POST_PROGRESS: { description: "Posts a progress report on an action item." },
    REQUEST_ADJUSTMENT: { description: "Files an adjustment request for an action item." },
  },
});
