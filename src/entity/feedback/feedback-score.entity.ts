import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryColumn } from "typeorm";

@ObjectType({ description: "A 1–5 score given on one dimension." })
@Entity("feedback_score")
@Index(["dimension", "feedbackId"])
export class FeedbackScore {
  @PrimaryColumn({ type: "int" })
  feedbackId: number;

  @Field({ description: "Dimension code, e.g. responsiveness." })
  @PrimaryColumn({ type: "varchar", length: 64 })
  dimension: string;

  @Field(() => Int, { description: "1 (very dissatisfied) to 5 (very satisfied)." })
  @Column({ type: "smallint" })
  score: number;
}
