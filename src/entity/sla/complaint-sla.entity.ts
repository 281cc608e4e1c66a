import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { ComplaintTier } from "../../common/enums";
import { CreatedAtColumn, DateTimeColumn, EnumColumn } from "../columns";

/**
 * The SLA clock of one complaint: when each stage is due and when it was reached. Written in the
 * transactions that create and move the complaint (intake hooks), read by the SLA jobs the
 * sweeper runs at each due time, and by the attainment report. Whether a stage was met or
 * breached is derived from these times, never stored twice.
 */
@ObjectType({ description: "The SLA clock of a complaint: due times and when each stage was reached." })
@Entity("complaint_sla")
@Index(["startedAt"])
@Index(["departmentId", "startedAt"])
export class ComplaintSla {
  @Field(() => ID, { description: "Unique id of the complaint SLA record." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int", unique: true })
  issueId: number;

  @Field(() => ComplaintTier, {
    nullable: true,
    description:
      "Tier whose limits apply; null until triage sets one (the stricter limits of both tiers apply meanwhile).",
  })
  @EnumColumn(ComplaintTier, { nullable: true })
  tier: ComplaintTier | null;

  /** The issue's department, kept in step with it (for per-department attainment). */
  @Column({ type: "int", nullable: true })
  departmentId: number | null;

  @Field({ description: "When the clock started: the complaint was registered." })
  @DateTimeColumn()
  startedAt: Date;

  @Field({ description: "First response due (the complaint must leave intake by then)." })
  @DateTimeColumn()
  respondDueAt: Date;

  @Field(() => Date, { nullable: true, description: "When the complaint left intake (was triaged)." })
  @DateTimeColumn({ nullable: true })
  respondedAt: Date | null;

  @Field({ description: "A plan must be proposed by then." })
  @DateTimeColumn()
  planDueAt: Date;

  @Field(() => Date, { nullable: true, description: "When a plan was first proposed (entered planApproval)." })
  @DateTimeColumn({ nullable: true })
  plannedAt: Date | null;

  @Field({ description: "The complaint must be closed by then." })
  @DateTimeColumn()
  closeDueAt: Date;

  @Field(() => Date, { nullable: true, description: "When the complaint was first closed." })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When the clock stopped because the complaint was cancelled; stages not due by then no longer count.",
  })
  @DateTimeColumn({ nullable: true })
  stoppedAt: Date | null;

  /** +1 whenever due times are recomputed (tier change); the jobs of older revisions are void. */
  @Field(() => Int, { description: "+1 each time the due times were recomputed after a tier change." })
  @Column({ type: "int", default: 1 })
  revision: number;

  @CreatedAtColumn()
  createdAt: Date;
}
