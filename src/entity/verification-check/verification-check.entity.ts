import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { MetricDirection } from "../../common/enums";
import {
  CreatedAtColumn,
  DateTimeColumn,
  DecimalColumn,
  EnumColumn,
  StateColumn,
  VersionCounterColumn,
} from "../columns";

@ObjectType({
  description:
    "Proof that an improvement worked: the same metric before and after. The verdict is computed, never typed in.",
})
@Entity("verification_check")
@Index(["issueId", "cycle"])
export class VerificationCheck {
  @Field(() => ID, { description: "Unique id of the verification check." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  issueId: number;

  @Field(() => Int, { description: "The issue cycle this check verifies." })
  @Column({ type: "int" })
  cycle: number;

  @Field({ description: "What is measured, e.g. 响应及时性 average or share of late-response complaints." })
  @Column({ type: "varchar", length: 200 })
  metric: string;

  @Field(() => String, {
    nullable: true,
    description: "Survey dimension code when the metric is a survey score; baseline and result are then computed.",
  })
  @Column({ type: "varchar", length: 64, nullable: true })
  dimension: string | null;

  @Field(() => MetricDirection, { description: "Which way the metric improves." })
  @EnumColumn(MetricDirection)
  direction: MetricDirection;

  @Field(() => Float, { description: "Least improvement that counts as effective (default 0.5 points)." })
  @DecimalColumn()
  threshold: number;

  @Field(() => Float, { nullable: true, description: "Value before the improvement." })
  @DecimalColumn({ nullable: true })
  baseline: number | null;

  @Field(() => Int, { nullable: true, description: "Number of scores behind a computed baseline." })
  @Column({ type: "int", nullable: true })
  baselineSampleSize: number | null;

  @Field(() => Float, { nullable: true, description: "Value after the improvement." })
  @DecimalColumn({ nullable: true })
  result: number | null;

  @Field(() => Int, { nullable: true, description: "Number of responses behind the result." })
  @Column({ type: "int", nullable: true })
  sampleSize: number | null;

  @Field(() => String, { nullable: true, description: "Where entered figures come from." })
  @Column({ type: "text", nullable: true })
  sourceNote: string | null;

  @Field(() => Date, { nullable: true, description: "Start of the window before (computed baselines)." })
  @DateTimeColumn({ nullable: true })
  beforeFrom: Date | null;

  @Field(() => Date, { nullable: true, description: "End of the window before (exclusive)." })
  @DateTimeColumn({ nullable: true })
  beforeTo: Date | null;

  @Field(() => Date, { nullable: true, description: "Start of the window after (computed results)." })
  @DateTimeColumn({ nullable: true })
  afterFrom: Date | null;

  @Field(() => Date, { nullable: true, description: "End of the window after (exclusive)." })
  @DateTimeColumn({ nullable: true })
  afterTo: Date | null;

  @Field({ description: "planned, surveying, passed, failed or cancelled." })
  @StateColumn()
  state: string;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Column({ type: "int" })
  createdById: number;

  @Field({ description: "When the check was planned." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "When the verdict was reached." })
  @DateTimeColumn({ nullable: true })
  completedAt: Date | null;
}
