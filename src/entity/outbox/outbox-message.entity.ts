import { Field, ID, Int, ObjectType } from "type-graphql";
import { PersonalText } from "../../privacy/personal-data";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { MessageKind, MessageStatus, RecipientType, Transport } from "../../notify/message-kind";
import { CreatedAtColumn, DateTimeColumn, EnumColumn } from "../columns";

/**
 * A notification written in the same transaction as the change that caused it (transactional
 * outbox), then delivered by webhook or e-mail with retries. `dedupeKey` makes enqueueing
 * idempotent, so a job handled twice still yields one message.
 */
@ObjectType({ description: "A notification queued for delivery (invitation, reminder, escalation, notice)." })
@Entity("outbox_message")
@Index(["status", "nextAttemptAt"])
@Index(["recipientType", "recipientId"])
export class OutboxMessage {
  @Field(() => ID, { description: "Unique id of the notification." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => MessageKind, { description: "Why it was sent (invitation, reminder, escalation, notice …)." })
  @EnumColumn(MessageKind)
  kind: MessageKind;

  @Field(() => Transport, { description: "How it is delivered." })
  @EnumColumn(Transport)
  transport: Transport;

  @Field(() => RecipientType, { description: "Whether it goes to a customer or to a staff user." })
  @EnumColumn(RecipientType)
  recipientType: RecipientType;

  /** Customer or user id, by recipientType. */
  @Column({ type: "int" })
  recipientId: number;

  /** E-mail address or phone number the message goes to. */
  @Column({ type: "varchar", length: 191 })
  address: string;

  @Field({ description: "Subject line (e-mail) or title." })
  @PersonalText(customerRecipientOf)
  @Column({ type: "varchar", length: 200 })
  subject: string;

  @Field({ description: "Plain-text body." })
  @Column({ type: "text" })
  body: string;

  /** Structured data for the receiving system (ids, links, tokens). */
  @Column({ type: "simple-json" })
  payload: Record<string, unknown>;

  @Column({ type: "varchar", length: 191, unique: true })
  dedupeKey: string;

  @Field(() => MessageStatus, { description: "Delivery state: PENDING, SENT or DEAD (gave up)." })
  @EnumColumn(MessageStatus)
  status: MessageStatus;

  @Field(() => Int, { description: "Delivery attempts so far." })
  @Column({ type: "int", default: 0 })
  attempts: number;

  @Field({
    description:
      "PENDING: when the next delivery attempt is due (while a delivery is in flight, when its lease ends).",
  })
  @DateTimeColumn()
  nextAttemptAt: Date;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  @PersonalText(customerRecipientOf)
  @Column({ type: "text", nullable: true })
  lastError: string | null;

  @Field({ description: "When the message was queued." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "When it was delivered." })
  @DateTimeColumn({ nullable: true })
  sentAt: Date | null;
}

/** The customer a message goes to, if it goes to one: its subject and body may carry their name. */
export function customerRecipientOf(message: OutboxMessage): number | null {
  return message.recipientType === RecipientType.CUSTOMER ? message.recipientId : null;
}
