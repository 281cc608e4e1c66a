import { registerEnumType } from "type-graphql";

/**
 * Enums of feedback verification, keyword tagging and automatic intake (issue 3). Stored as
 * readable strings like the domain enums in enums.ts.
 */

/** Why feedback was flagged for verification (DESIGN.md step 2). */
export enum FeedbackFlagReason {
  /** An extreme overall rating (1 or 5) drawn in the call-back sample. */
  EXTREME_SAMPLED = "EXTREME_SAMPLED",
  /** A low score without any comment (待核实): the customer is asked to say why. */
  LOW_SCORE_NO_COMMENT = "LOW_SCORE_NO_COMMENT",
  /** The customer's account of the response time contradicts the service ticket. */
  TICKET_MISMATCH = "TICKET_MISMATCH",
}

/** What a verification-history entry records. */
export enum VerificationAction {
  /** Put to verify (待核实), by a rule on arrival or by a person. */
  MARKED_TO_VERIFY = "MARKED_TO_VERIFY",
  VERIFIED = "VERIFIED",
  /** Marked invalid: kept, but left out of statistics. */
  INVALIDATED = "INVALIDATED",
  /** The customer's missing comment or answers were added after a call-back. */
  SUPPLEMENTED = "SUPPLEMENTED",
  /** Not verified by its deadline: the quality specialists were notified. */
  ESCALATED = "ESCALATED",
}

/** How keyword-tag counts are broken down. */
export enum KeywordSegment {
  NONE = "NONE",
  /** Region of the service ticket, else of the customer. */
  REGION = "REGION",
  TICKET_TYPE = "TICKET_TYPE",
  /** Department that handled the ticket. */
  DEPARTMENT = "DEPARTMENT",
  CHANNEL = "CHANNEL",
  SOURCE = "SOURCE",
  /** NEW or RETURNING customer (returning: had a ticket opened before this one). */
  CUSTOMER_TYPE = "CUSTOMER_TYPE",
}

/** How the conditions of an intake rule combine. */
export enum RuleConditionMatch {
  /** Every condition the rule sets must hold. */
  ALL = "ALL",
  /** One of the conditions the rule sets is enough. */
  ANY = "ANY",
}

/** What an intake rule did with the feedback it matched. */
export enum IntakeOutcome {
  /** Opened a new issue with the feedback as evidence. */
  OPENED = "OPENED",
  /** Linked the feedback as evidence to the open issue of the same category. */
  LINKED = "LINKED",
}

registerEnumType(FeedbackFlagReason, {
  name: "FeedbackFlagReason",
  description: "Why feedback was flagged for verification.",
  valuesConfig: {
    EXTREME_SAMPLED: { description: "Extreme overall rating (1 or 5) drawn in the call-back sample." },
    LOW_SCORE_NO_COMMENT: { description: "A low score without a comment (待核实)." },
    TICKET_MISMATCH: { description: "The customer's account of the response time contradicts the ticket." },
  },
});
registerEnumType(VerificationAction, {
  name: "VerificationAction",
  description: "What a verification-history entry records.",
  valuesConfig: {
    MARKED_TO_VERIFY: { description: "Put to verify (待核实), by a rule on arrival or by a person." },
    VERIFIED: { description: "Checked and trusted." },
    INVALIDATED: { description: "Marked invalid: kept, but left out of statistics." },
    SUPPLEMENTED: { description: "The customer's missing comment or answers were added after a call-back." },
    ESCALATED: { description: "Not verified by its deadline: the quality specialists were notified." },
  },
});
registerEnumType(KeywordSegment, {
  name: "KeywordSegment",
  description: "How keyword-tag counts are broken down.",
  valuesConfig: {
    NONE: { description: "No breakdown: one group." },
    REGION: { description: "Region of the service ticket, else of the customer." },
    TICKET_TYPE: { description: "Type of the service ticket." },
    DEPARTMENT: { description: "Department that handled the service ticket." },
    CHANNEL: { description: "Channel the feedback came through." },
    SOURCE: { description: "Source of the feedback (survey, call-back, complaint, import)." },
    CUSTOMER_TYPE: {
      description:
        "NEW or RETURNING: returning when the customer had a ticket opened before the feedback's ticket (or before the feedback, without a ticket).",
    },
  },
});
registerEnumType(RuleConditionMatch, {
  name: "RuleConditionMatch",
  description: "How the conditions of an intake rule combine.",
  valuesConfig: {
    ALL: { description: "Every condition the rule sets must hold." },
    ANY: { description: "One of the conditions the rule sets is enough." },
  },
});
registerEnumType(IntakeOutcome, {
  name: "IntakeOutcome",
  description: "What an intake rule did with the feedback it matched.",
  valuesConfig: {
    OPENED: { description: "Opened a new issue with the feedback as evidence." },
    LINKED: { description: "Linked the feedback as evidence to the open issue of the same category." },
  },
});
