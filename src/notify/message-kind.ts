import { registerEnumType } from "type-graphql";

export enum MessageKind {
  SURVEY_INVITATION = "SURVEY_INVITATION",
  SURVEY_REMINDER = "SURVEY_REMINDER",
  /** Feedback to verify was not verified in time. */
  VERIFICATION_OVERDUE = "VERIFICATION_OVERDUE",
  /** A complaint SLA stage was breached. */
  SLA_ESCALATION = "SLA_ESCALATION",
  ACTION_OVERDUE = "ACTION_OVERDUE",
  /** "What we changed": told to the customer when their issue closes. */
  CHANGE_NOTICE = "CHANGE_NOTICE",
}

export enum Transport {
  EMAIL = "EMAIL",
  /** A signed HTTP POST, e.g. to an SMS or app-push gateway. */
  WEBHOOK = "WEBHOOK",
}

export enum RecipientType {
  CUSTOMER = "CUSTOMER",
  USER = "USER",
}

export enum MessageStatus {
  PENDING = "PENDING",
  SENT = "SENT",
  /** Gave up after the last retry; kept with its error. */
  DEAD = "DEAD",
}

registerEnumType(MessageKind, { name: "MessageKind", description: "Why a notification was sent." });
registerEnumType(Transport, { name: "Transport", description: "How a notification is delivered." });
registerEnumType(RecipientType, { name: "RecipientType", description: "Who receives a notification." });
registerEnumType(MessageStatus, { name: "MessageStatus", description: "Delivery state of a notification." });
