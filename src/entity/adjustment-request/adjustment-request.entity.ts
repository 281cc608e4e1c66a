import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import {
  CreatedAtColumn,
  DateColumn,
  DateTimeColumn,
  DecimalColumn,
  StateColumn,
  VersionCounterColumn,
} from "../columns";

@ObjectType({
  description:
    "A request to change an action item's plan (date, owner, target, scope). Approval applies it; the previous values are kept here.",
})
@Entity("adjustment_request")
@Index(["departmentId", "state"])
export class AdjustmentRequest {
  @Field(() => ID, { description: "Unique id of the adjustment request." })
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  actionItemId: number;

  /** Copied from the action item so leads' queues filter without a join. */
  @Column({ type: "int" })
  departmentId: number;

  @Column({ type: "int" })
  requesterId: number;

  @Field({ description: "Why the plan cannot go ahead as agreed." })
  @Column({ type: "text" })
  reason: string;

  @Field(() => String, { nullable: true, description: "Proposed new planned end day." })
  @DateColumn({ nullable: true })
  proposedPlannedEnd: string | null;

  @Column({ type: "int", nullable: true })
  proposedOwnerId: number | null;

  @Field(() => Float, { nullable: true, description: "Proposed new target value." })
  @DecimalColumn({ nullable: true })
  proposedTarget: number | null;

  @Field(() => String, { nullable: true, description: "Proposed new scope (replaces the description)." })
  @Column({ type: "text", nullable: true })
  proposedScope: string | null;

  @Field(() => String, { nullable: true, description: "Alternative plan offered meanwhile." })
  @Column({ type: "text", nullable: true })
  alternativePlan: string | null;

  @Field(() => String, { nullable: true, description: "Planned end before the change was applied." })
  @DateColumn({ nullable: true })
  previousPlannedEnd: string | null;

  @Column({ type: "int", nullable: true })
  previousOwnerId: number | null;

  @Field(() => Float, { nullable: true, description: "Target before the change was applied." })
  @DecimalColumn({ nullable: true })
  previousTarget: number | null;

  @Field(() => String, { nullable: true, description: "Description before the change was applied." })
  @Column({ type: "text", nullable: true })
  previousScope: string | null;

  @Field(() => Int, { nullable: true, description: "Plan revision of the action item this approval produced." })
  @Column({ type: "int", nullable: true })
  appliedRevision: number | null;

  @Field(() => String, { nullable: true, description: "Quality specialist's review comment." })
  @Column({ type: "text", nullable: true })
  reviewComment: string | null;

  @Field(() => String, { nullable: true, description: "Operations manager's decision comment." })
  @Column({ type: "text", nullable: true })
  decisionComment: string | null;

  @Field({ description: "Workflow state (see workflowDefinitions)." })
  @StateColumn()
  state: string;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Field({ description: "When it was submitted." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "When it was approved, rejected or withdrawn." })
  @DateTimeColumn({ nullable: true })
  decidedAt: Date | null;
}
