import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DateTimeColumn, CreatedAtColumn, StateColumn, VersionCounterColumn } from "../columns";

/** An open question of the template with the customer's answer. */
@ObjectType({ description: "An open question and the customer's answer." })
export class OpenAnswer {
  @Field({ description: "The question as the template asked it." })
  question: string;

  @Field({ description: "The customer's answer." })
  answer: string;
}

/**
 * One customer asked once: by a link carrying a single-use token (SMS, e-mail, app) or as a
 * call-back task an agent completes (phone, visit).
 *
 * The raw token is created when the invitation is sent and exists only in the outbox messages that
 * carry the link (invitation and reminder); this row keeps its SHA-256 hash, so a database dump
 * reveals no usable link. `dedupeKey` makes "one invitation per customer and ticket" a unique
 * constraint: a relaunch or a retried job can never create a second one.
 */
@ObjectType({
  description:
    "A survey invitation: scheduled → sent → reminded → responded | expired (see workflowDefinitions).",
})
@Entity("survey_invitation")
@Index(["campaignId", "state"])
@Index(["state", "id"])
export class SurveyInvitation {
  @Field(() => ID, { description: "Unique id of the survey invitation." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  campaignId: number;

  @Index()
  @Column({ type: "int" })
  customerId: number;

  @Index()
  @Column({ type: "int", nullable: true })
  ticketId: number | null;

  /** `ticket:<id>` for post-service invitations, `campaign:<id>:customer:<id>` otherwise. */
  @Column({ type: "varchar", length: 191, unique: true })
  dedupeKey: string;

  /** SHA-256 (hex) of the single-use token; null until sent and for call-back tasks. */
  @Column({ type: "varchar", length: 64, nullable: true, unique: true })
  tokenHash: string | null;

  @Field({ description: "Workflow state (see workflowDefinitions)." })
  @StateColumn()
  state: string;

  @Field({ description: "When the invitation is (or was) due to be sent." })
  @DateTimeColumn()
  sendAt: Date;

  @Field(() => Date, { nullable: true, description: "When it was sent (or the call-back task opened)." })
  @DateTimeColumn({ nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the one reminder was sent." })
  @DateTimeColumn({ nullable: true })
  remindedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "End of the answer window; the token is refused from then on." })
  @DateTimeColumn({ nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the customer answered." })
  @DateTimeColumn({ nullable: true })
  respondedAt: Date | null;

  @Column({ type: "int", nullable: true })
  feedbackId: number | null;

  @Field(() => [OpenAnswer], {
    nullable: true,
    description: "The open questions with the customer's answers (the feedback comment joins the answers).",
  })
  @Column({ type: "simple-json", nullable: true })
  answers: OpenAnswer[] | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the invitation was not sent (no address for the channel) or was cancelled.",
  })
  @Column({ type: "varchar", length: 500, nullable: true })
  note: string | null;

  @Field({ description: "When the invitation was created." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;
}
