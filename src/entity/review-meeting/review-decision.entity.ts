import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { CreatedAtColumn, DateColumn, DateTimeColumn, EnumColumn } from "../columns";
import { DecisionKind } from "./review-meeting-enums";

@ObjectType({
  description: "A meeting decision; decisions that change action items do so through the action-item workflows.",
})
@Entity("review_decision")
export class ReviewDecision {
  @Field(() => ID, { description: "Unique id of the meeting decision." })
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  meetingId: number;

  @Field(() => DecisionKind, { description: "What the decision does." })
  @EnumColumn(DecisionKind)
  kind: DecisionKind;

  @Field({ description: "The decision as minuted." })
  @Column({ type: "text" })
  text: string;

  /** Who carries it out (NOTE decisions). */
  @Column({ type: "int", nullable: true })
  ownerId: number | null;

  @Field(() => String, { nullable: true, description: "Day it is due (NOTE decisions)." })
  @DateColumn({ nullable: true })
  dueDay: string | null;

  /** The action item created or changed. */
  @Index()
  @Column({ type: "int", nullable: true })
  actionItemId: number | null;

  /** The adjustment request filed. */
  @Column({ type: "int", nullable: true })
  adjustmentRequestId: number | null;

  @Field(() => Date, { nullable: true, description: "When a NOTE decision was marked done." })
  @DateTimeColumn({ nullable: true })
  doneAt: Date | null;

  @Column({ type: "int" })
  createdById: number;

  @Field({ description: "When it was recorded." })
  @CreatedAtColumn()
  createdAt: Date;
}
