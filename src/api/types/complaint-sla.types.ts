import { ArgsType, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { SlaStage, SlaStageStatus } from "../../entity/sla/sla-stage";

@ObjectType({ description: "One stage of a complaint's SLA, judged at the time of the query." })
export class ComplaintSlaStage {
  @Field(() => SlaStage, { description: "RESPOND, PLAN or CLOSE." })
  stage: SlaStage;

  @Field({ description: "When the stage is (was) due." })
  dueAt: Date;

  @Field(() => Date, { nullable: true, description: "When the stage was reached; null while not reached." })
  reachedAt: Date | null;

  @Field(() => SlaStageStatus, { description: "MET, BREACHED, PENDING or NOT_APPLICABLE (cancelled before due)." })
  status: SlaStageStatus;
}

@ObjectType({
  description:
    "Attainment of one SLA stage over a set of complaints. met + breached + pending + notApplicable = complaints.",
})
export class SlaStageAttainment {
  @Field(() => SlaStage, { description: "The stage." })
  stage: SlaStage;

  @Field(() => Int, { description: "Reached by the due time." })
  met: number;

  @Field(() => Int, { description: "Reached late, or not reached although the due time has passed (as of the query)." })
  breached: number;

  @Field(() => Int, { description: "Not reached and not yet due: not counted in the rate." })
  pending: number;

  @Field(() => Int, { description: "Cancelled before the stage fell due: not counted in the rate." })
  notApplicable: number;

  @Field(() => Float, {
    nullable: true,
    description: "met / (met + breached), 0–1; null when no complaint's stage is settled yet.",
  })
  rate: number | null;
}

@ObjectType({ description: "SLA attainment of the complaints of one department (or of all in scope)." })
export class ComplaintSlaAttainment {
  /** Resolved to `department` by a field resolver. */
  departmentId: number | null;

  @Field(() => Int, { description: "Complaints registered in the period (the rates' population)." })
  complaints: number;

  @Field(() => SlaStageAttainment, { description: "First response (respond ≤ 1 h by default): the 1 h response rate." })
  respond: SlaStageAttainment;

  @Field(() => SlaStageAttainment, { description: "Plan proposed (≤ 24 h by default): the 24 h plan rate." })
  plan: SlaStageAttainment;

  @Field(() => SlaStageAttainment, { description: "Closed (≤ 72 h by default): the 72 h closure rate." })
  close: SlaStageAttainment;
}

@ObjectType({
  description:
    "Complaint SLA attainment for complaints registered in [from, to), judged as of `asOf` (now): " +
    "a stage counts once it is met or its due time has passed.",
})
export class ComplaintSlaAttainmentReport {
  @Field({ description: "Start of the period (inclusive), by complaint registration time." })
  from: Date;

  @Field({ description: "End of the period (exclusive)." })
  to: Date;

  @Field({ description: "The time stages were judged at." })
  asOf: Date;

  @Field(() => ComplaintSlaAttainment, { description: "All complaints in scope (the department asked for, or all)." })
  total: ComplaintSlaAttainment;

  @Field(() => [ComplaintSlaAttainment], {
    description: "One row per responsible department; department null = complaints not yet triaged to one.",
  })
  byDepartment: ComplaintSlaAttainment[];
}

@ArgsType()
export class ComplaintSlaAttainmentArgs {
  @Field({ description: "Start of the period (inclusive), by complaint registration time." })
  from: Date;

  @Field({ description: "End of the period (exclusive); must be after `from`." })
  to: Date;

  @Field(() => ID, { nullable: true, description: "Only complaints of this responsible department." })
  departmentId?: string | null;
}
