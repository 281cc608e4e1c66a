import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import {
  CreatedAtColumn,
  DateColumn,
  DecimalColumn,
  StateColumn,
  UpdatedAtColumn,
  VersionCounterColumn,
} from "../columns";

@ObjectType({ description: "An improvement measure (改善措施), traced to a confirmed root cause." })
@Entity("action_item")
@Index(["departmentId", "state"])
@Index(["state", "plannedEnd"])
export class ActionItem {
  @Field(() => ID, { description: "Unique id of the action item." })
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  issueId: number;

  @Index()
  @Column({ type: "int" })
  causeId: number;

  @Field(() => Int, { description: "The issue cycle the action belongs to." })
  @Column({ type: "int" })
  cycle: number;

  @Field({ description: "What will be done, specifically." })
  @Column({ type: "text" })
  description: string;

  @Field({ description: "The metric the action moves, e.g. average response hours." })
  @Column({ type: "varchar", length: 200 })
  metric: string;

  @Field(() => Float, { nullable: true, description: "Metric value before the action." })
  @DecimalColumn({ nullable: true })
  baseline: number | null;

  @Field(() => Float, { description: "Target value of the metric." })
  @DecimalColumn()
  target: number;

  @Index()
  @Column({ type: "int" })
  ownerId: number;

  @Column({ type: "int" })
  departmentId: number;

  @Field({ description: "Planned start day." })
  @DateColumn()
  plannedStart: string;

  @Field({ description: "Planned end day (deadline)." })
  @DateColumn()
  plannedEnd: string;

  @Field(() => String, { nullable: true, description: "Day the action was completed." })
  @DateColumn({ nullable: true })
  actualEnd: string | null;

  @Field(() => Float, { nullable: true, description: "Budget; a budgeted action needs explicit approval." })
  @DecimalColumn({ nullable: true })
  budget: number | null;

  @Field(() => Int, { description: "Progress in percent, 0–100." })
  @Column({ type: "int", default: 0 })
  progress: number;

  @Field(() => String, { nullable: true, description: "Note written when the action was completed." })
  @Column({ type: "text", nullable: true })
  completionNote: string | null;

  @Field({ description: "Workflow state (see workflowDefinitions)." })
  @StateColumn()
  state: string;

  @Field(() => Int, { description: "Plan revision: +1 each time an approved adjustment changes the plan." })
  @Column({ type: "int", default: 1 })
  planRevision: number;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Field({ description: "When the action was drafted." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field({ description: "Last change." })
  @UpdatedAtColumn()
  updatedAt: Date;
}
