/** What a scheduled job does when it falls due; each kind has one handler in handlers.ts. */
export enum JobKind {
  /** Send a survey invitation (post-service surveys wait 24–48 h after the ticket completes). */
  INVITATION_SEND = "INVITATION_SEND",
  /** The one reminder to a customer who has not answered after 3 days. */
  INVITATION_REMIND = "INVITATION_REMIND",
  /** Close the survey window (7 days by default). */
  INVITATION_EXPIRE = "INVITATION_EXPIRE",
  /** Feedback marked "to verify" (待核实) must be verified within 24 h. */
  FEEDBACK_VERIFY_DUE = "FEEDBACK_VERIFY_DUE",
  /** Complaint SLA stages: respond ≤ 1 h, plan ≤ 24 h, close ≤ 72 h. */
  SLA_RESPOND = "SLA_RESPOND",
  SLA_PLAN = "SLA_PLAN",
  SLA_CLOSE = "SLA_CLOSE",
  /** An action item passed its planned end without being done. */
  ACTION_OVERDUE = "ACTION_OVERDUE",
}

export enum JobStatus {
  PENDING = "PENDING",
  DONE = "DONE",
  /** No longer needed (the customer answered, the feedback was verified…). */
  CANCELLED = "CANCELLED",
  /** The handler kept failing; kept with its last error for an operator. */
  FAILED = "FAILED",
}
