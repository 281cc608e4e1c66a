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

registerEnumType(ReviewMeetingKind, { name: "ReviewMeetingKind", description: "WEEKLY, MONTHLY or JOINT (cross-department)." });
registerEnumType(AgendaSection, { name: "AgendaSection", description: "The agenda section an item belongs to." });
registerEnumType(AgendaSubject, { name: "AgendaSubject", description: "The kind of object an agenda item is about." });
registerEnumType(DecisionKind, { name: "DecisionKind", description: "What a meeting decision does." });
