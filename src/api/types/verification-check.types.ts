import { ArrayMaxSize, IsPositive, Matches, MaxLength, Min } from "class-validator";
import { createUnionType, Field, Float, ID, InputType, Int } from "type-graphql";
import { VERIFICATION_CHECK_STATES } from "../../../workflows/verification-check.machine";
import { MetricDirection } from "../../common/enums";
import { TransitionError } from "../../common/error-results";
import { TEXT_LIMITS } from "../../common/validation";
import { VerificationCheck } from "../../entity";
import { ConnectionType } from "../pagination";
import { DIMENSION_CODE } from "./feedback-input.types";

export const VerificationCheckConnection = ConnectionType(VerificationCheck, "VerificationCheck");

export const VerificationCheckResult = createUnionType({
  name: "VerificationCheckResult",
  description: "The verification check after the event, or why the event was refused.",
  types: () => [VerificationCheck, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? TransitionError : VerificationCheck),
});

@InputType({
  description:
    "Plans the proof that an issue's improvement worked. With a survey dimension the baseline is " +
    "computed from the affected customers' feedback in [beforeFrom, beforeTo); otherwise it is " +
    "entered with its source.",
})
export class PlanVerificationCheckInput {
  @Field(() => ID, { description: "The issue whose improvement is verified." })
  issueId: string;

  @Field({ description: "What is measured, e.g. 响应及时性 平均分." })
  @MaxLength(TEXT_LIMITS.title)
  metric: string;

  @Field(() => String, {
    nullable: true,
    description: "Survey dimension code; baseline and result are then computed.",
  })
  @Matches(DIMENSION_CODE, { message: "dimension must be a code like responsiveness" })
  dimension?: string | null;

  @Field(() => MetricDirection, {
    defaultValue: MetricDirection.HIGHER_IS_BETTER,
    description: "Which way the metric improves.",
  })
  direction: MetricDirection = MetricDirection.HIGHER_IS_BETTER;

  @Field(() => Float, {
    defaultValue: 0.5,
    description: "Least improvement that counts as effective (> 0).",
  })
  @IsPositive()
  threshold: number = 0.5;

  @Field(() => Date, {
    nullable: true,
    description: "Start of the window before (required with a dimension).",
  })
  beforeFrom?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "End of the window before, exclusive (required with a dimension).",
  })
  beforeTo?: Date | null;

  @Field(() => Float, { nullable: true, description: "Entered baseline (only without a dimension)." })
  baseline?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Where an entered baseline comes from (required without a dimension).",
  })
  @MaxLength(TEXT_LIMITS.longText)
  sourceNote?: string | null;
}

@InputType({
  description:
    "The measurement after the improvement. With a dimension the result is computed from the " +
    "affected customers' feedback in [afterFrom, afterTo); otherwise it is entered with its source. " +
    "The verdict is always computed.",
})
export class CompleteVerificationInput {
  @Field(() => Date, {
    nullable: true,
    description: "Start of the window after (required with a dimension).",
  })
  afterFrom?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "End of the window after, exclusive (required with a dimension).",
  })
  afterTo?: Date | null;

  @Field(() => Float, { nullable: true, description: "Entered result (only without a dimension)." })
  result?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Responses behind an entered result (only without a dimension).",
  })
  @Min(0)
  sampleSize?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Where an entered result comes from (required without a dimension).",
  })
  @MaxLength(TEXT_LIMITS.longText)
  sourceNote?: string | null;
}

@InputType({ description: "Filter for verification checks." })
export class VerificationCheckFilterInput {
  @Field(() => ID, { nullable: true, description: "Only checks of this issue." })
  issueId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Only checks in one of these states (${VERIFICATION_CHECK_STATES.join(", ")}).`,
  })
  @ArrayMaxSize(VERIFICATION_CHECK_STATES.length)
  states?: string[] | null;
}
