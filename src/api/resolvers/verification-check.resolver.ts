import { Arg, Args, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { WorkflowEntity } from "../../common/enums";
import { parseId, parseOptionalId } from "../../common/errors";
import { Issue, TransitionLog, VerificationCheck } from "../../entity";
import { requireActor, type RequestContext } from "../context";
import { PageArgs } from "../pagination";
import {
  CompleteVerificationInput,
  PlanVerificationCheckInput,
  VerificationCheckConnection,
  VerificationCheckFilterInput,
  VerificationCheckResult,
} from "../types/verification-check.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";


@Resolver(() => VerificationCheck)
export class VerificationCheckResolver {
  @Authorized()
  @Mutation(() => VerificationCheckResult, {
    description: "Plans a verification check of an issue's current cycle, capturing its baseline.",
  })
  planVerificationCheck(
    @Arg("input", {
      description: "The issue, the metric and its direction, the threshold and the baseline (before) window.",
    })
    input: PlanVerificationCheckInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.verificationChecks.plan(requireActor(ctx), {
      ...input,
      issueId: parseId(input.issueId, "input.issueId"),
    });
  }

  @Authorized()
  @Mutation(() => VerificationCheckResult, {
    description: "Starts the re-survey (the issue must be verifying).",
  })
  startVerificationSurvey(
    @Arg("id", () => ID, { description: "Id of the verification check whose re-survey starts." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.verificationChecks.startSurvey(requireActor(ctx), parseId(id, "id"), expectedVersion);
  }

  @Authorized()
  @Mutation(() => VerificationCheckResult, {
    description:
      "Completes the check with the measurement after; the verdict is computed. A failed check " +
      "sends the issue back to analysis in a new cycle.",
  })
  completeVerificationCheck(
    @Arg("id", () => ID, { description: "Id of the verification check to complete." }) id: string,
    @Arg("input", {
      description: "The after window and the measured result, or nothing to compute it from the data.",
    })
    input: CompleteVerificationInput,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.verificationChecks.complete(requireActor(ctx), parseId(id, "id"), input, expectedVersion);
  }

  @Authorized()
  @Mutation(() => VerificationCheckResult, {
    description: "Cancels a planned or surveying check, with a reason.",
  })
  cancelVerificationCheck(
    @Arg("id", () => ID, { description: "Id of the verification check to abandon." }) id: string,
    @Arg("reason", { description: "Why the check is abandoned." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.verificationChecks.cancel(requireActor(ctx), parseId(id, "id"), reason, expectedVersion);
  }

  @Authorized()
  @Query(() => VerificationCheck, { nullable: true, description: "A verification check by id." })
  verificationCheck(
    @Arg("id", () => ID, { description: "Id of the verification check to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.verificationCheck.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => VerificationCheckConnection, { description: "Verification checks, newest first." })
  verificationChecks(
    @Args() page: PageArgs,
    @Arg("filter", () => VerificationCheckFilterInput, {
      nullable: true,
      description: "Narrows the list (all checks when omitted).",
    })
    filter: VerificationCheckFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.verificationChecks.list(
      requireActor(ctx),
      { ...filter, issueId: parseOptionalId(filter?.issueId, "filter.issueId") },
      page,
    );
  }

  @FieldResolver(() => Issue, { description: "The issue whose improvement is verified." })
  issue(@Root() check: VerificationCheck, @Ctx() ctx: RequestContext) {
    return ctx.loaders.issue.load(check.issueId);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "Result minus baseline in the metric's improving direction; null until measured.",
  })
  improvement(@Root() check: VerificationCheck, @Ctx() ctx: RequestContext): number | null {
    return ctx.services.verificationChecks.improvement(check);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "passed or failed once the machine has decided; null before (and when cancelled).",
  })
  verdict(@Root() check: VerificationCheck, @Ctx() ctx: RequestContext): string | null {
    return ctx.services.verificationChecks.verdict(check);
  }

  @FieldResolver(() => [TransitionLog], {
    description: "Every transition of this check, oldest first.",
  })
  history(@Root() check: VerificationCheck, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.VERIFICATION_CHECK, entityId: check.id });
  }

  @FieldResolver(() => [String], { description: "Events the caller may send now, from the machine." })
  async nextEvents(@Root() check: VerificationCheck, @Ctx() ctx: RequestContext) {
    const issue = await ctx.loaders.issue.load(check.issueId);
    return ctx.services.verificationChecks.nextEvents(check, issue, ctx.actor);
  }
}
