import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { WorkflowEntity } from "../../common/enums";
import { CreatedAtColumn, EnumColumn } from "../columns";

@ObjectType({ description: "One workflow transition: append-only, never updated or deleted." })
@Entity("transition_log")
@Index(["entityType", "entityId", "id"])
@Index(["actorId"])
export class TransitionLog {
  @Field(() => ID, { description: "Unique id of the transition-log entry." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => WorkflowEntity, { description: "Kind of entity that moved." })
  @EnumColumn(WorkflowEntity)
  entityType: WorkflowEntity;

  @Field(() => ID, { description: "Id of the entity that moved." })
  @Column({ type: "int" })
  entityId: number;

  @Field({ description: "State before." })
  @Column({ type: "varchar", length: 32 })
  fromState: string;

  @Field({ description: "State after (equal to fromState for events that record without moving)." })
  @Column({ type: "varchar", length: 32 })
  toState: string;

  @Field({ description: "The machine event, e.g. APPROVE_PLAN." })
  @Column({ type: "varchar", length: 32 })
  event: string;

  @Column({ type: "int" })
  actorId: number;

  @Field(() => String, { nullable: true, description: "Comment, evidence or reason given with the event." })
  @Column({ type: "text", nullable: true })
  reason: string | null;

  @Field({ description: "When it happened." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field(() => String, {
    nullable: true,
    description: "The API request that caused it (x-request-id); null for background jobs and older rows.",
  })
  @Column({ type: "varchar", length: 64, nullable: true })
  requestId: string | null;
}
