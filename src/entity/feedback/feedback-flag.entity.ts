import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { FeedbackFlagReason } from "../../common/feedback-enums";
import { DateTimeColumn } from "../columns";

/**
 * Why a piece of feedback needs verifying. Flags are kept after the feedback is verified, as the
 * record of why it was looked at; one per reason.
 */
@ObjectType({ description: "A reason to verify feedback (extreme rating, low score without comment, ticket mismatch)." })
@Entity("feedback_flag")
@Index(["reason", "feedbackId"])
export class FeedbackFlag {
  @PrimaryColumn({ type: "int" })
  feedbackId: number;

  @Field(() => FeedbackFlagReason, { description: "The reason." })
  @PrimaryColumn({ type: "varchar", length: 32 })
  reason: FeedbackFlagReason;

  @Field({ description: "What was found, in words (scores, ticket times, the keyword)." })
  @Column({ type: "varchar", length: 500 })
  detail: string;

  @Field({ description: "When the flag was raised." })
  @DateTimeColumn()
  flaggedAt: Date;
}
