import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { parseId, parseOptionalId } from "../../common/errors";
import { Department, IntakeRule } from "../../entity";
import type { IntakeRuleChanges } from "../../service/intake-rule.service";
import { requireActor, type RequestContext } from "../context";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";
import {
  CreateIntakeRuleInput,
  IntakeRuleAction,
  IntakeRuleConditions,
  UpdateIntakeRuleInput,
} from "../types/feedback-intake-rule.types";

const RULE_EDITORS = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"];

/** Automatic intake rules: read by everyone signed in, edited by quality, operations and admins. */
@Resolver(() => IntakeRule)
export class IntakeRuleResolver {
  @Authorized()
  @Query(() => [IntakeRule], { description: "The intake rules in evaluation order (the first matching enabled rule wins)." })
  intakeRules(@Ctx() ctx: RequestContext) {
    return ctx.services.intakeRules.list();
  }

  @Authorized()
  @Query(() => IntakeRule, { nullable: true, description: "An intake rule by id." })
  intakeRule(@Arg("id", () => ID, { description: "The rule." }) id: string, @Ctx() ctx: RequestContext) {
    return ctx.loaders.intakeRule.load(parseId(id, "id"));
  }

  @Authorized(RULE_EDITORS)
  @Mutation(() => IntakeRule, { description: "Creates an intake rule." })
  createIntakeRule(
    @Arg("input", { description: "The new rule." }) input: CreateIntakeRuleInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { conditions, action } = input;
    return ctx.services.intakeRules.create(requireActor(ctx), {
      name: input.name,
      enabled: input.enabled,
      position: input.position ?? null,
      conditionMatch: conditions.match,
      overallAtMost: conditions.overallAtMost ?? null,
      anyDimensionAtMost: conditions.anyDimensionAtMost ?? null,
      keywordTags: conditions.keywordTags ?? [],
      complaintKeyword: conditions.complaintKeyword,
      issueKind: action.issueKind,
      complaintTier: action.complaintTier ?? null,
      category: action.category,
      departmentId: parseOptionalId(action.departmentId, "input.action.departmentId"),
    });
  }

  @Authorized(RULE_EDITORS)
  @Mutation(() => IntakeRule, { description: "Changes an intake rule; the result is validated as a whole." })
  updateIntakeRule(
    @Arg("id", () => ID, { description: "The rule." }) id: string,
    @Arg("input", { description: "The changes." }) input: UpdateIntakeRuleInput,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    const { conditions, action } = input;
    const changes: IntakeRuleChanges = {
      name: input.name ?? undefined,
      enabled: input.enabled ?? undefined,
      position: input.position ?? undefined,
      conditionMatch: conditions?.match ?? undefined,
      overallAtMost: conditions?.overallAtMost,
      anyDimensionAtMost: conditions?.anyDimensionAtMost,
      keywordTags: conditions?.keywordTags ?? undefined,
      complaintKeyword: conditions?.complaintKeyword ?? undefined,
      issueKind: action?.issueKind ?? undefined,
      complaintTier: action?.complaintTier,
      category: action?.category ?? undefined,
      departmentId:
        action?.departmentId === undefined
          ? undefined
          : parseOptionalId(action.departmentId, "input.action.departmentId"),
    };
    return ctx.services.intakeRules.update(parseId(id, "id"), changes, expectedVersion);
  }

  @Authorized(RULE_EDITORS)
  @Mutation(() => Boolean, {
    description:
      "Deletes an intake rule; returns whether it existed. Issues it opened and the record of what it did (intakeRuleMatch) stay.",
  })
  deleteIntakeRule(@Arg("id", () => ID, { description: "The rule." }) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.intakeRules.delete(parseId(id, "id"));
  }

  @FieldResolver(() => IntakeRuleConditions, { description: "When the rule applies." })
  conditions(@Root() rule: IntakeRule): IntakeRuleConditions {
    return {
      match: rule.conditionMatch,
      overallAtMost: rule.overallAtMost,
      anyDimensionAtMost: rule.anyDimensionAtMost,
      keywordTags: rule.keywordTags,
      complaintKeyword: rule.complaintKeyword,
    };
  }

  @FieldResolver(() => IntakeRuleAction, { description: "What the rule does." })
  action(@Root() rule: IntakeRule): IntakeRuleAction {
    return {
      issueKind: rule.issueKind,
      complaintTier: rule.complaintTier,
      category: rule.category,
      departmentId: rule.departmentId,
    };
  }
}

@Resolver(() => IntakeRuleAction)
export class IntakeRuleActionResolver {
  @FieldResolver(() => Department, { nullable: true, description: "Department of the issues it opens." })
  department(@Root() action: IntakeRuleAction, @Ctx() ctx: RequestContext) {
    return action.departmentId ? ctx.loaders.department.load(action.departmentId) : null;
  }
}
