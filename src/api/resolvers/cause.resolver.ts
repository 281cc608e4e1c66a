import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { causeWorkflow } from "../../../workflows/cause.machine";
import { WorkflowEntity } from "../../common/enums";
import { parseId, parseOptionalId } from "../../common/errors";
import { ActionItem, Cause, Issue, TransitionLog, User } from "../../entity";
import { guardedText } from "../../service/issue.service";
import { nextEventsFor } from "../../service/workflow-runner";
import { RequestContext, requireActor } from "../context";
import { AddCauseInput, CauseResult } from "../types/cause.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";


@Resolver(() => Cause)
export class CauseResolver {
  @Authorized()
  @Mutation(() => CauseResult, {
    description:
      "Adds a hypothesis to an issue's fishbone, while the issue machine allows EDIT_ANALYSIS to the caller.",
  })
  addCause(
    @Arg("input", {
      description: "The issue, the fishbone category (人机料法环测), the cause text and an optional parent cause (5 whys).",
    })
    input: AddCauseInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.causes.add(requireActor(ctx), {
      ...input,
      issueId: parseId(input.issueId, "input.issueId"),
      parentId: parseOptionalId(input.parentId, "input.parentId"),
    });
  }

  @Authorized()
  @Mutation(() => CauseResult, { description: "CONFIRM a hypothesis on evidence (issue analyzing)." })
  confirmCause(
    @Arg("id", () => ID, { description: "Id of the cause to confirm as a root cause." }) id: string,
    @Arg("evidence", {
      description: "What proves the cause (data, test, site check); must not be blank.",
    })
    evidence: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.causes.judge(
      requireActor(ctx),
      parseId(id, "id"),
      "CONFIRM",
      guardedText(evidence, "evidence"),
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => CauseResult, { description: "REFUTE a hypothesis on evidence (issue analyzing)." })
  refuteCause(
    @Arg("id", () => ID, { description: "Id of the cause to refute." }) id: string,
    @Arg("evidence", { description: "What disproves the cause; must not be blank." }) evidence: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.causes.judge(
      requireActor(ctx),
      parseId(id, "id"),
      "REFUTE",
      guardedText(evidence, "evidence"),
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => CauseResult, {
    description: "REOPEN a confirmed or refuted cause as a hypothesis again (issue analyzing).",
  })
  reopenCause(
    @Arg("id", () => ID, { description: "Id of the confirmed or refuted cause to reopen." }) id: string,
    @Arg("reason", { description: "Why the cause is looked at again; must not be blank." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.causes.judge(
      requireActor(ctx),
      parseId(id, "id"),
      "REOPEN",
      guardedText(reason, "reason"),
      expectedVersion,
    );
  }

  // The entity keeps `version` off the schema, but judging a cause takes expectedVersion, so a
  // client must be able to read it.
  @FieldResolver(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  version(@Root() cause: Cause): number {
    return cause.version;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who added the cause." })
  createdBy(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(cause.createdById);
  }

  @FieldResolver(() => Issue, { description: "The issue this cause explains." })
  issue(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    return ctx.loaders.issue.load(cause.issueId);
  }

  @FieldResolver(() => Cause, { nullable: true, description: "The cause this one explains (why-chain)." })
  parent(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    return cause.parentId ? ctx.loaders.cause.load(cause.parentId) : null;
  }

  @FieldResolver(() => [Cause], { description: "Sub-causes: the next 'why' down." })
  children(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    return ctx.loaders.causesByParent.load(cause.id);
  }

  @FieldResolver(() => [ActionItem], { description: "Action items traced to this cause." })
  actionItems(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    return ctx.loaders.actionItemsByCause.load(cause.id);
  }

  @FieldResolver(() => [TransitionLog], { description: "Every transition, oldest first." })
  history(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.CAUSE, entityId: cause.id });
  }

  @FieldResolver(() => [String], {
    description: "Events the caller may send now, decided by the cause machine on its issue's state.",
  })
  async nextEvents(@Root() cause: Cause, @Ctx() ctx: RequestContext) {
    const issue = await ctx.loaders.issue.load(cause.issueId);
    if (!issue) return [];
    const context = { issueAssigneeId: issue.assigneeId };
    return nextEventsFor(causeWorkflow, cause.state, context, ctx.actor, { issueState: issue.state });
  }
}
