import { registerEnumType } from "type-graphql";

/**
 * Domain enums. Values are stored as readable strings (varchar) so the same migration serves
 * MySQL and SQLite, and so a row read in a SQL console explains itself.
 */

export enum TicketType {
  REPAIR = "REPAIR",
  INSTALLATION = "INSTALLATION",
  CONSULTATION = "CONSULTATION",
  COMPLAINT = "COMPLAINT",
  REVISIT = "REVISIT",
}

export enum FeedbackSource {
  SURVEY = "SURVEY",
  CALLBACK = "CALLBACK",
  COMPLAINT = "COMPLAINT",
  IMPORT = "IMPORT",
}

export enum Channel {
  SMS = "SMS",
  EMAIL = "EMAIL",
  PHONE = "PHONE",
  VISIT = "VISIT",
  APP = "APP",
  WEB = "WEB",
}

export enum VerificationStatus {
  /** Accepted as received; not yet looked at. */
  UNVERIFIED = "UNVERIFIED",
  /** Needs a call-back or a check against the ticket before it is trusted (待核实). */
  TO_VERIFY = "TO_VERIFY",
  VERIFIED = "VERIFIED",
  /** Kept forever but excluded from statistics. */
  INVALID = "INVALID",
}

export enum IssueKind {
  /** One customer's complaint: the inner loop (recover this customer, SLA tiers). */
  COMPLAINT = "COMPLAINT",
  /** A recurring problem: the outer loop. */
  SYSTEMIC = "SYSTEMIC",
}

export enum Impact {
  HIGH = "HIGH",
  MEDIUM = "MEDIUM",
  LOW = "LOW",
}

export enum Quadrant {
  URGENT_IMPORTANT = "URGENT_IMPORTANT",
  IMPORTANT_NOT_URGENT = "IMPORTANT_NOT_URGENT",
  URGENT_NOT_IMPORTANT = "URGENT_NOT_IMPORTANT",
  NEITHER = "NEITHER",
}

export enum ComplaintTier {
  /** Led by a department head. */
  TIER_1 = "TIER_1",
  /** Followed up by a supervisor. */
  TIER_2 = "TIER_2",
}

export enum CauseCategory {
  MAN = "MAN",
  MACHINE = "MACHINE",
  MATERIAL = "MATERIAL",
  METHOD = "METHOD",
  ENVIRONMENT = "ENVIRONMENT",
  MEASUREMENT = "MEASUREMENT",
}

export enum MetricDirection {
  HIGHER_IS_BETTER = "HIGHER_IS_BETTER",
  LOWER_IS_BETTER = "LOWER_IS_BETTER",
}

export enum WorkflowEntity {
  ISSUE = "ISSUE",
  CAUSE = "CAUSE",
  ACTION_ITEM = "ACTION_ITEM",
  ADJUSTMENT_REQUEST = "ADJUSTMENT_REQUEST",
  VERIFICATION_CHECK = "VERIFICATION_CHECK",
  SURVEY_CAMPAIGN = "SURVEY_CAMPAIGN",
  SURVEY_INVITATION = "SURVEY_INVITATION",
  REVIEW_MEETING = "REVIEW_MEETING",
}

registerEnumType(TicketType, { name: "TicketType", description: "Kind of after-sales service." });
registerEnumType(FeedbackSource, { name: "FeedbackSource", description: "How feedback arrived." });
registerEnumType(Channel, { name: "Channel", description: "Channel the customer used." });
registerEnumType(VerificationStatus, {
  name: "VerificationStatus",
  description: "Whether feedback is trusted; INVALID feedback is kept but excluded from statistics.",
});
registerEnumType(IssueKind, { name: "IssueKind", description: "Complaint (inner loop) or systemic problem (outer loop)." });
registerEnumType(Impact, { name: "Impact", description: "How much harm the problem does." });
registerEnumType(Quadrant, { name: "Quadrant", description: "Urgent × important priority quadrant." });
registerEnumType(ComplaintTier, { name: "ComplaintTier", description: "Complaint escalation tier." });
registerEnumType(CauseCategory, {
  name: "CauseCategory",
  description: "Fishbone bone: man 人, machine 机, material 料, method 法, environment 环, measurement 测.",
});
registerEnumType(MetricDirection, { name: "MetricDirection", description: "Which way a metric improves." });
registerEnumType(WorkflowEntity, { name: "WorkflowEntity", description: "Entity kinds with a workflow." });
