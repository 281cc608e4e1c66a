import { ArrayMaxSize, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { ArgsType, createUnionType, Field, Float, ID, InputType, Int } from "type-graphql";
import { TransitionError } from "../../common/error-results";
import { TEXT_LIMITS } from "../../common/validation";
import { ActionItem } from "../../entity";
import { ConnectionType, PageArgs } from "../pagination";

/**
 * Metric values and budgets are DECIMAL(14,4) columns; bounding them here turns an out-of-range
 * number into BAD_USER_INPUT instead of a database error.
 */
export const MAX_AMOUNT = 1_000_000_000;

/** Most values a list filter accepts (GitHub/Shopify-style input array limit). */
export const MAX_FILTER_VALUES = 250;

export const ActionItemConnection = ConnectionType(ActionItem, "ActionItem");

export const ActionItemResult = createUnionType({
  name: "ActionItemResult",
  description: "The action item after the event, or why the event was refused (nothing changed).",
  types: () => [ActionItem, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? "TransitionError" : "ActionItem"),
});

@InputType({ description: "A new action item (改善措施) for an issue's plan, traced to one of its causes." })
export class AddActionItemInput {
  @Field(() => ID, { description: "The issue whose plan the action belongs to." })
  issueId: string;

  @Field(() => ID, { description: "The cause (of that issue) the action addresses." })
  causeId: string;

  @Field({ description: `What will be done, specifically (≤ ${TEXT_LIMITS.longText} characters).` })
  @MaxLength(TEXT_LIMITS.longText)
  description: string;

  @Field({ description: `The metric the action moves (≤ ${TEXT_LIMITS.title} characters).` })
  @MaxLength(TEXT_LIMITS.title)
  metric: string;

  @Field(() => Float, { nullable: true, description: "Metric value before the action." })
  @Min(-MAX_AMOUNT)
  @Max(MAX_AMOUNT)
  baseline?: number | null;

  @Field(() => Float, { description: "Target value of the metric." })
  @Min(-MAX_AMOUNT)
  @Max(MAX_AMOUNT)
  target: number;

  @Field(() => ID, { description: "The user who does the work." })
  ownerId: string;

  @Field(() => ID, {
    nullable: true,
    description: "Owning department; defaults to the owner's department.",
  })
  departmentId?: string | null;

  @Field({ description: "Planned start day, YYYY-MM-DD." })
  plannedStart: string;

  @Field({ description: "Planned end day (deadline), YYYY-MM-DD, not before the start." })
  plannedEnd: string;

  @Field(() => Float, {
    nullable: true,
    description: "Budget, ≥ 0; a budgeted action needs explicit approval.",
  })
  @Min(0)
  @Max(MAX_AMOUNT)
  budget?: number | null;
}

/**
 * The input wrapped in an args class so that class-validator reports nested failures with their
 * full path ("input.description"), the same names the service's own checks use.
 */
@ArgsType()
export class AddActionItemArgs {
  @Field(() => AddActionItemInput, {
    description: "The issue and root cause, the measure and its metric, owner, planned dates and budget.",
  })
  @ValidateNested()
  input: AddActionItemInput;
}

@InputType({ description: "A progress report: progress %, blockers (存在问题) and next step (下一步行动)." })
export class PostProgressInput {
  @Field(() => ID, { description: "The action item reported on." })
  actionItemId: string;

  @Field(() => Int, { description: "Progress in percent after this update, 0–100." })
  @Min(0)
  @Max(100)
  progress: number;

  @Field(() => String, { nullable: true, description: "What stands in the way." })
  @MaxLength(TEXT_LIMITS.longText)
  blockers?: string | null;

  @Field(() => String, { nullable: true, description: "Next step." })
  @MaxLength(TEXT_LIMITS.longText)
  nextStep?: string | null;
}

@ArgsType()
export class PostProgressArgs {
  @Field(() => PostProgressInput, { description: "The action item, percent complete, blockers and next step." })
  @ValidateNested()
  input: PostProgressInput;

  @Field(() => Int, {
    nullable: true,
    description: "The action item's version the report was written against.",
  })
  expectedVersion?: number | null;
}

@InputType({ description: "Filter for action items; all given conditions must hold." })
export class ActionItemFilter {
  @Field(() => ID, { nullable: true, description: "Only actions of this issue." })
  issueId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: "Only actions in one of these workflow states.",
  })
  @ArrayMaxSize(MAX_FILTER_VALUES)
  states?: string[] | null;

  @Field(() => ID, { nullable: true, description: "Only actions owned by this department." })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only actions of this owner." })
  ownerId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Planned end on or after this day, YYYY-MM-DD.",
  })
  plannedEndFrom?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Planned end on or before this day, YYYY-MM-DD.",
  })
  plannedEndTo?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only overdue actions (planned end passed, not done or cancelled); false: only the others.",
  })
  overdue?: boolean | null;
}

@ArgsType()
export class ActionItemListArgs extends PageArgs {
  @Field(() => ActionItemFilter, { nullable: true, description: "Conditions; omitted means all." })
  @ValidateNested()
  filter?: ActionItemFilter | null;
}
