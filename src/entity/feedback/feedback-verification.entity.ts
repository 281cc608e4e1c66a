import { Field, ID, ObjectType } from "type-graphql";
import { PersonalText } from "../../privacy/personal-data";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { VerificationStatus } from "../../common/enums";
import { VerificationAction } from "../../common/feedback-enums";
import { DateTimeColumn, EnumColumn } from "../columns";

/** What a call-back added to feedback: the customer's missing comment and answers. */
export interface FeedbackSupplement {
  comment: string | null;
  scores: { dimension: string; score: number }[];
}

/**
 * One step of a feedback's verification: who marked, verified, supplemented or invalidated it,
 * when and why. Append-only: rows are never updated or deleted.
 */
@ObjectType({ description: "One step of a feedback's verification history: who, when, what and why." })
@Entity("feedback_verification")
@Index(["feedbackId", "id"])
export class FeedbackVerificationEntry {
  @Field(() => ID, { description: "Unique id of the verification-history entry." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  feedbackId: number;

  @Field(() => VerificationAction, { description: "What happened." })
  @EnumColumn(VerificationAction)
  action: VerificationAction;

  @Field(() => VerificationStatus, { description: "Verification status before." })
  @EnumColumn(VerificationStatus)
  fromStatus: VerificationStatus;

  @Field(() => VerificationStatus, { description: "Verification status after." })
  @EnumColumn(VerificationStatus)
  toStatus: VerificationStatus;

  /** The person, or the system user for automatic steps. */
  @Column({ type: "int" })
  actorId: number;

  @Field({ description: "Why: the call-back outcome, the ticket comparison, the rule that fired." })
  @PersonalText(() => null)
  @Column({ type: "text" })
  reason: string;

  /** What a SUPPLEMENTED step added. */
  @Column({ type: "simple-json", nullable: true })
  supplement: FeedbackSupplement | null;

  @Field({ description: "When it happened." })
  @DateTimeColumn()
  at: Date;

  @Field(() => String, {
    nullable: true,
    description: "The API request that caused it (x-request-id); null for automatic steps and older rows.",
  })
  @Column({ type: "varchar", length: 64, nullable: true })
  requestId: string | null;
}
