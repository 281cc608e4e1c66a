import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { DateTimeColumn } from "../columns";

/**
 * A keyword tag found in a feedback comment. `receivedAt` repeats the feedback's receipt time so
 * that counts per period read this table by index without scanning feedback.
 */
@ObjectType({ description: "A keyword tag found in a feedback comment." })
@Entity("feedback_keyword")
@Index(["receivedAt", "tagCode"])
export class FeedbackKeyword {
  @PrimaryColumn({ type: "int" })
  feedbackId: number;

  @Field({ description: "Code of the keyword tag." })
  @PrimaryColumn({ type: "varchar", length: 64 })
  tagCode: string;

  @Field({ description: "The synonym found in the comment (normalised), e.g. 等了很久." })
  @Column({ type: "varchar", length: 100 })
  synonym: string;

  @Field({ description: "When the customer gave the feedback (copied from it)." })
  @DateTimeColumn()
  receivedAt: Date;
}
