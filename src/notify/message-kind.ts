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

registerEnumType(MessageKind, {
  name: "MessageKind",
  description: "Why a notification was sent.",
  valuesConfig: {
    SURVEY_INVITATION: { description: "Invites a customer to answer a survey." },
    SURVEY_REMINDER: { description: "Reminds a customer who has not answered a survey yet." },
    VERIFICATION_OVERDUE: { description: "Feedback to verify was not verified in time; sent to quality specialists." },
    SLA_ESCALATION: { description: "A complaint SLA stage was breached; sent to the escalation level's user." },
    ACTION_OVERDUE: { description: "An action item passed its due date; sent to its owner." },
    CHANGE_NOTICE: { description: "\"What we changed\": told to the customer when their issue closes." },
  },
});
registerEnumType(Transport, {
  name: "Transport",
  description: "How a notification is delivered.",
  valuesConfig: {
    EMAIL: { description: "E-mail." },
    WEBHOOK: { description: "A signed HTTP POST, e.g. to an SMS or app-push gateway." },
  },
});
registerEnumType(RecipientType, {
  name: "RecipientType",
  description: "Who receives a notification.",
  valuesConfig: {
    CUSTOMER: { description: "A customer; recipient is a Customer." },
    USER: { description: "A staff user; recipient is a User." },
  },
});
registerEnumType(MessageStatus, {
  name: "MessageStatus",
  description: "Delivery state of a notification.",
  valuesConfig: {
    PENDING: { description: "Waiting to be sent, or to be retried." },
    SENT: { description: "Handed to the transport successfully." },
    DEAD: { description: "Gave up after the last retry; kept with its error." },
  },
});
