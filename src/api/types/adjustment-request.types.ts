import { ArrayMaxSize, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { ArgsType, createUnionType, Field, Float, ID, InputType, Int } from "type-graphql";
import { TransitionError } from "../../common/error-results";
import { TEXT_LIMITS } from "../../common/validation";
import { AdjustmentRequest } from "../../entity";
import { ConnectionType, PageArgs } from "../pagination";
import { MAX_AMOUNT, MAX_FILTER_VALUES } from "./action-item.types";

export const AdjustmentRequestConnection = ConnectionType(AdjustmentRequest, "AdjustmentRequest");

export const AdjustmentRequestResult = createUnionType({
  name: "AdjustmentRequestResult",
  description: "The adjustment request after the event, or why the event was refused (nothing changed).",
  types: () => [AdjustmentRequest, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? "TransitionError" : "AdjustmentRequest"),
});

@InputType({
  description:
    "A request to change an action item's plan; at least one of proposedPlannedEnd, proposedOwnerId, " +
    "proposedTarget and proposedScope must be given.",
})
export class SubmitAdjustmentRequestInput {
  @Field(() => ID, { description: "The action item to adjust." })
  actionItemId: string;

  @Field({ description: "Why the plan cannot go ahead as agreed (force majeure, resources, …)." })
  @MaxLength(TEXT_LIMITS.longText)
  reason: string;

  @Field(() => String, { nullable: true, description: "New planned end day, YYYY-MM-DD." })
  proposedPlannedEnd?: string | null;

  @Field(() => ID, { nullable: true, description: "New owner." })
  proposedOwnerId?: string | null;

  @Field(() => Float, { nullable: true, description: "New target value of the metric." })
  @Min(-MAX_AMOUNT)
  @Max(MAX_AMOUNT)
  proposedTarget?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "New scope; replaces the action's description.",
  })
  @MaxLength(TEXT_LIMITS.longText)
  proposedScope?: string | null;

  @Field(() => String, { nullable: true, description: "Alternative plan offered meanwhile." })
  @MaxLength(TEXT_LIMITS.longText)
  alternativePlan?: string | null;
}

@ArgsType()
export class SubmitAdjustmentRequestArgs {
  @Field(() => SubmitAdjustmentRequestInput, {
    description: "The action item, why, and what should change (due date, owner, target, scope or an alternative plan).",
  })
  @ValidateNested()
  input: SubmitAdjustmentRequestInput;

  @Field(() => Int, {
    nullable: true,
    description: "The action item's version the request was written against.",
  })
  expectedVersion?: number | null;
}

@InputType({ description: "Filter for adjustment requests; all given conditions must hold." })
export class AdjustmentRequestFilter {
  @Field(() => [String], {
    nullable: true,
    description: "Only requests in one of these workflow states.",
  })
  @ArrayMaxSize(MAX_FILTER_VALUES)
  states?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only requests about actions of this department.",
  })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only requests about this action item." })
  actionItemId?: string | null;
}

@ArgsType()
export class AdjustmentRequestListArgs extends PageArgs {
  @Field(() => AdjustmentRequestFilter, {
    nullable: true,
    description: "Conditions; omitted means all.",
  })
  @ValidateNested()
  filter?: AdjustmentRequestFilter | null;
}
