import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DateTimeColumn, EnumColumn } from "../columns";
import { SlaStage } from "./sla-stage";

/**
 * One escalation of a breached SLA stage: level 1 told the department head(s), level 2 the
 * operations manager(s). The unique (issue, stage, level) key makes each escalation happen once,
 * however many sweepers handle the same due job.
 */
@ObjectType({ description: "A breached complaint SLA stage escalated to a department head or the operations manager." })
@Entity("sla_escalation")
@Index(["issueId", "stage", "level"], { unique: true })
export class SlaEscalation {
  @Field(() => ID, { description: "Unique id of the escalation." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  issueId: number;

  @Field(() => SlaStage, { description: "The stage that was breached." })
  @EnumColumn(SlaStage)
  stage: SlaStage;

  @Field(() => Int, { description: "1: department head(s) told; 2: operations manager(s) told." })
  @Column({ type: "int" })
  level: number;

  @Field({ description: "When the stage was due." })
  @DateTimeColumn()
  dueAt: Date;

  @Field({ description: "When the escalation was sent to the outbox." })
  @DateTimeColumn()
  escalatedAt: Date;

  /** Department whose head(s) were told (level 1); null when none was known. */
  @Column({ type: "int", nullable: true })
  departmentId: number | null;

  /** Users notified; empty if nobody held the role (the escalation is still recorded). */
  @Column({ type: "simple-array" })
  recipientIds: string[];
}
