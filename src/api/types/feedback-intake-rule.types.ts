import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { ComplaintTier, IssueKind } from "../../common/enums";
import { RuleConditionMatch } from "../../common/feedback-enums";
import { TEXT_LIMITS } from "../../common/validation";
import { MAX_RULE_TAGS } from "../../service/intake-rule.service";

@ObjectType({ description: "When an intake rule applies. Conditions left unset are ignored." })
export class IntakeRuleConditions {
  @Field(() => RuleConditionMatch, { description: "ALL: every set condition must hold; ANY: one is enough." })
  match: RuleConditionMatch;

  @Field(() => Int, {
    nullable: true,
    description: "The overall rating (the overall score, else the mean of the scores) is at most this.",
  })
  overallAtMost: number | null;

  @Field(() => Int, { nullable: true, description: "Some dimension is scored at most this (1: any dimension = 1)." })
  anyDimensionAtMost: number | null;

  @Field(() => [String], { description: "The comment carries one of these keyword tags (empty: not set)." })
  keywordTags: string[];

  @Field({ description: "The comment carries a keyword tag marked as a complaint keyword." })
  complaintKeyword: boolean;
}

@ObjectType({ description: "What an intake rule does with matching feedback." })
export class IntakeRuleAction {
  @Field(() => IssueKind, {
    description: "COMPLAINT: one issue per customer and category; SYSTEMIC: one issue per category for all customers.",
  })
  issueKind: IssueKind;

  @Field(() => ComplaintTier, { nullable: true, description: "Tier of the complaints it opens." })
  complaintTier: ComplaintTier | null;

  @Field({ description: "Category of the issue (keyword tag or dimension code)." })
  category: string;

  departmentId: number | null;
}

@InputType({ description: "Conditions of an intake rule; set at least one." })
export class IntakeRuleConditionsInput {
  @Field(() => RuleConditionMatch, { defaultValue: RuleConditionMatch.ALL, description: "Default ALL." })
  match: RuleConditionMatch = RuleConditionMatch.ALL;

  @Field(() => Int, { nullable: true, description: "Overall rating at most this (1–4)." })
  overallAtMost?: number | null;

  @Field(() => Int, { nullable: true, description: "Some dimension scored at most this (1–4)." })
  anyDimensionAtMost?: number | null;

  @Field(() => [String], { nullable: true, description: `Keyword tag codes, any of which matches (at most ${MAX_RULE_TAGS}).` })
  keywordTags?: string[] | null;

  @Field({ defaultValue: false, description: "Match any complaint keyword. Default false." })
  complaintKeyword: boolean = false;
}

@InputType({ description: "What an intake rule does." })
export class IntakeRuleActionInput {
  @Field(() => IssueKind, { description: "COMPLAINT (per customer) or SYSTEMIC (shared)." })
  issueKind: IssueKind;

  @Field(() => ComplaintTier, { nullable: true, description: "Complaints only; default TIER_2." })
  complaintTier?: ComplaintTier | null;

  @Field({ description: "Category: a keyword tag code (e.g. slow_response) or a dimension code (e.g. attitude)." })
  @MaxLength(64)
  category: string;

  @Field(() => ID, { nullable: true, description: "Department the opened issues belong to." })
  departmentId?: string | null;
}

@InputType({ description: "A new intake rule." })
export class CreateIntakeRuleInput {
  @Field({ description: `Name (at most ${TEXT_LIMITS.name}), shown in the issues it opens.` })
  @MaxLength(TEXT_LIMITS.name)
  name: string;

  @Field({ defaultValue: true, description: "Default true." })
  enabled: boolean = true;

  @Field(() => Int, { nullable: true, description: "Evaluation order, lowest first (0–1000000); default: after the last rule." })
  position?: number | null;

  @Field(() => IntakeRuleConditionsInput, { description: "When it applies." })
  conditions: IntakeRuleConditionsInput;

  @Field(() => IntakeRuleActionInput, { description: "What it does." })
  action: IntakeRuleActionInput;
}

@InputType({ description: "Changes to conditions; fields left out keep their value, null clears a threshold." })
export class UpdateIntakeRuleConditionsInput {
  @Field(() => RuleConditionMatch, { nullable: true, description: "ALL or ANY." })
  match?: RuleConditionMatch | null;

  @Field(() => Int, { nullable: true, description: "Overall rating at most this (1–4); null clears it." })
  overallAtMost?: number | null;

  @Field(() => Int, { nullable: true, description: "Some dimension at most this (1–4); null clears it." })
  anyDimensionAtMost?: number | null;

  @Field(() => [String], { nullable: true, description: "Keyword tag codes (replaces the list)." })
  @ArrayMaxSize(MAX_RULE_TAGS)
  keywordTags?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Match any complaint keyword." })
  complaintKeyword?: boolean | null;
}

@InputType({ description: "Changes to the action; fields left out keep their value." })
export class UpdateIntakeRuleActionInput {
  @Field(() => IssueKind, { nullable: true, description: "COMPLAINT or SYSTEMIC." })
  issueKind?: IssueKind | null;

  @Field(() => ComplaintTier, { nullable: true, description: "Complaints only." })
  complaintTier?: ComplaintTier | null;

  @Field(() => String, { nullable: true, description: "Keyword tag or dimension code." })
  @MaxLength(64)
  category?: string | null;

  @Field(() => ID, { nullable: true, description: "Department; null clears it." })
  departmentId?: string | null;
}

@InputType({ description: "Changes to an intake rule; fields left out keep their value." })
export class UpdateIntakeRuleInput {
  @Field(() => String, { nullable: true, description: "Name." })
  @MaxLength(TEXT_LIMITS.name)
  name?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Enable or disable." })
  enabled?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Evaluation order." })
  position?: number | null;

  @Field(() => UpdateIntakeRuleConditionsInput, { nullable: true, description: "Condition changes." })
  conditions?: UpdateIntakeRuleConditionsInput | null;

  @Field(() => UpdateIntakeRuleActionInput, { nullable: true, description: "Action changes." })
  action?: UpdateIntakeRuleActionInput | null;
}
