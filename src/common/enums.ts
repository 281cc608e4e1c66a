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

registerEnumType(TicketType, {
  name: "TicketType",
  description: "Kind of after-sales service.",
  valuesConfig: {
    REPAIR: { description: "Repair of a faulty product (维修)." },
    INSTALLATION: { description: "Installation of a product (安装)." },
    CONSULTATION: { description: "Advice or information only (咨询)." },
    COMPLAINT: { description: "Handling of a customer complaint (投诉)." },
    REVISIT: { description: "Return visit to the customer after an earlier service (回访)." },
  },
});
registerEnumType(FeedbackSource, {
  name: "FeedbackSource",
  description: "How feedback arrived.",
  valuesConfig: {
    SURVEY: { description: "Answer to a satisfaction survey (满意度调查)." },
    CALLBACK: { description: "Recorded by an agent during a call-back (回访)." },
    COMPLAINT: { description: "Came in as a complaint (投诉)." },
    IMPORT: { description: "Imported in bulk from a file or another system." },
  },
});
registerEnumType(Channel, {
  name: "Channel",
  description: "Channel the customer used.",
  valuesConfig: {
    SMS: { description: "Text message (短信)." },
    EMAIL: { description: "E-mail." },
    PHONE: { description: "Telephone call." },
    VISIT: { description: "In person, during an on-site visit (上门)." },
    APP: { description: "The mobile app." },
    WEB: { description: "The web site or the public survey page." },
  },
});
registerEnumType(VerificationStatus, {
  name: "VerificationStatus",
  description: "Whether feedback is trusted; INVALID feedback is kept but excluded from statistics.",
  valuesConfig: {
    UNVERIFIED: { description: "Accepted as received; not yet looked at." },
    TO_VERIFY: { description: "Needs a call-back or a check against the ticket before it is trusted (待核实)." },
    VERIFIED: { description: "Checked and trusted." },
    INVALID: { description: "Kept forever but excluded from statistics (无效)." },
  },
});
registerEnumType(IssueKind, {
  name: "IssueKind",
  description: "Complaint (inner loop) or systemic problem (outer loop).",
  valuesConfig: {
    COMPLAINT: { description: "One customer's complaint: the inner loop (recover this customer, SLA tiers)." },
    SYSTEMIC: { description: "A recurring problem seen across feedback: the outer loop (root cause, plan, verification)." },
  },
});
registerEnumType(Impact, {
  name: "Impact",
  description: "How much harm the problem does.",
  valuesConfig: {
    HIGH: { description: "High impact (高): serious harm to customers or the business." },
    MEDIUM: { description: "Medium impact (中): noticeable harm." },
    LOW: { description: "Low impact (低): minor harm or inconvenience." },
  },
});
registerEnumType(Quadrant, {
  name: "Quadrant",
  description: "Urgent × important priority quadrant.",
  valuesConfig: {
    URGENT_IMPORTANT: { description: "Urgent and important: do first (重要紧急)." },
    IMPORTANT_NOT_URGENT: { description: "Important, not urgent: plan it (重要不紧急)." },
    URGENT_NOT_IMPORTANT: { description: "Urgent, not important: handle quickly or delegate (紧急不重要)." },
    NEITHER: { description: "Neither urgent nor important: lowest priority (不重要不紧急)." },
  },
});
registerEnumType(ComplaintTier, {
  name: "ComplaintTier",
  description: "Complaint escalation tier.",
  valuesConfig: {
    TIER_1: { description: "Tier 1 (一级): led by a department head." },
    TIER_2: { description: "Tier 2 (二级): followed up by a supervisor." },
  },
});
registerEnumType(CauseCategory, {
  name: "CauseCategory",
  description: "Fishbone bone: man 人, machine 机, material 料, method 法, environment 环, measurement 测.",
  valuesConfig: {
    MAN: { description: "People: skills, training, attitude (人)." },
    MACHINE: { description: "Equipment and tools (机)." },
    MATERIAL: { description: "Parts and materials (料)." },
    METHOD: { description: "Procedures and rules (法)." },
    ENVIRONMENT: { description: "Surroundings: site, weather, season (环)." },
    MEASUREMENT: { description: "How things are measured or inspected (测)." },
  },
});
registerEnumType(MetricDirection, {
  name: "MetricDirection",
  description: "Which way a metric improves.",
  valuesConfig: {
    HIGHER_IS_BETTER: { description: "The metric improves as it rises (e.g. satisfaction score)." },
    LOWER_IS_BETTER: { description: "The metric improves as it falls (e.g. complaint rate, hours to respond)." },
  },
});
registerEnumType(WorkflowEntity, {
  name: "WorkflowEntity",
  description: "Entity kinds with a workflow.",
  valuesConfig: {
    ISSUE: { description: "An issue (complaint or systemic problem)." },
    CAUSE: { description: "A candidate root cause of an issue." },
    ACTION_ITEM: { description: "An action item of an issue's plan." },
    ADJUSTMENT_REQUEST: { description: "A request to change an action item's due date, owner or scope." },
    VERIFICATION_CHECK: { description: "A check that an issue's actions worked." },
    SURVEY_CAMPAIGN: { description: "A survey campaign." },
    SURVEY_INVITATION: { description: "One customer's invitation to a survey." },
    REVIEW_MEETING: { description: "A review meeting (weekly, monthly or joint)." },
  },
});
