import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { WorkflowEntity } from "../../common/enums";
import { parseId, parseOptionalId } from "../../common/errors";
import {
  ActionItem,
  AdjustmentRequest,
  Cause,
  Department,
  Issue,
  ProgressUpdate,
  TransitionLog,
  User,
} from "../../entity";
import { RequestContext, requireActor } from "../context";
import {
  ActionItemConnection,
  ActionItemListArgs,
  ActionItemResult,
  AddActionItemArgs,
  PostProgressArgs,
} from "../types/action-item.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";


@Resolver(() => ActionItem)
export class ActionItemResolver {
  @Authorized()
  @Query(() => ActionItem, {
    nullable: true,
    description: "An action item by id; null when there is none.",
  })
  actionItem(
    @Arg("id", () => ID, { description: "Id of the action item to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.actionItem.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => ActionItemConnection, { description: "Action items, newest first." })
  actionItems(@Args() { filter, ...page }: ActionItemListArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.actionItems.list(
      requireActor(ctx),
      {
        ...filter,
        issueId: parseOptionalId(filter?.issueId, "filter.issueId"),
        departmentId: parseOptionalId(filter?.departmentId, "filter.departmentId"),
        ownerId: parseOptionalId(filter?.ownerId, "filter.ownerId"),
      },
      page,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "Drafts an action item into an issue's plan (while the issue is analysed).",
  })
  addActionItem(@Args() { input }: AddActionItemArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.actionItems.add(requireActor(ctx), {
      ...input,
      issueId: parseId(input.issueId, "input.issueId"),
      causeId: parseId(input.causeId, "input.causeId"),
      ownerId: parseId(input.ownerId, "input.ownerId"),
      departmentId: parseOptionalId(input.departmentId, "input.departmentId"),
      baseline: input.baseline ?? null,
      budget: input.budget ?? null,
    });
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "START: the owner side begins an approved action.",
  })
  startActionItem(
    @Arg("id", () => ID, { description: "Id of the action item to start." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.start(requireActor(ctx), parseId(id, "id"), expectedVersion);
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "UPDATE_PROGRESS: posts a progress report and sets the action's progress.",
  })
  postProgress(@Args() { input, expectedVersion }: PostProgressArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.actionItems.postProgress(
      requireActor(ctx),
      {
        actionItemId: parseId(input.actionItemId, "input.actionItemId"),
        progress: input.progress,
        blockers: input.blockers ?? null,
        nextStep: input.nextStep ?? null,
      },
      expectedVersion ?? null,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "BLOCK: work cannot go on; a reason is required.",
  })
  blockActionItem(
    @Arg("id", () => ID, { description: "Id of the action item that is blocked." }) id: string,
    @Arg("reason", { description: "What blocks the work." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.block(
      requireActor(ctx),
      parseId(id, "id"),
      reason,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, { description: "UNBLOCK: work resumes." })
  unblockActionItem(
    @Arg("id", () => ID, { description: "Id of the blocked action item to resume." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.unblock(requireActor(ctx), parseId(id, "id"), expectedVersion);
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "COMPLETE: accepted at 100% progress with a completion note; records the actual end.",
  })
  completeActionItem(
    @Arg("id", () => ID, { description: "Id of the action item to complete." }) id: string,
    @Arg("completionNote", { description: "What was done and how it went." }) completionNote: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.complete(
      requireActor(ctx),
      parseId(id, "id"),
      completionNote,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "REQUEST_CANCEL: asks the operations manager to cancel started work.",
  })
  requestActionItemCancellation(
    @Arg("id", () => ID, { description: "Id of the action item to cancel." }) id: string,
    @Arg("reason", { description: "Why the action should be dropped." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.requestCancellation(
      requireActor(ctx),
      parseId(id, "id"),
      reason,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "APPROVE_CANCEL: the operations manager cancels the action.",
  })
  approveActionItemCancellation(
    @Arg("id", () => ID, { description: "Id of the action item whose cancellation is approved." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.approveCancellation(
      requireActor(ctx),
      parseId(id, "id"),
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "REJECT_CANCEL: the operations manager refuses the cancellation, with a reason.",
  })
  rejectActionItemCancellation(
    @Arg("id", () => ID, { description: "Id of the action item whose cancellation is rejected." }) id: string,
    @Arg("reason", { description: "Why the work must go on." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.rejectCancellation(
      requireActor(ctx),
      parseId(id, "id"),
      reason,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => ActionItemResult, {
    description: "CANCEL: drops a draft action from the plan, with a reason.",
  })
  cancelDraftActionItem(
    @Arg("id", () => ID, { description: "Id of the draft action item to cancel." }) id: string,
    @Arg("reason", { description: "Why the draft is dropped." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.actionItems.cancelDraft(
      requireActor(ctx),
      parseId(id, "id"),
      reason,
      expectedVersion,
    );
  }

  @FieldResolver(() => Issue, { description: "The issue whose plan this action belongs to." })
  issue(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.issue.load(item.issueId);
  }

  @FieldResolver(() => Cause, { description: "The cause the action addresses." })
  cause(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.cause.load(item.causeId);
  }

  @FieldResolver(() => User, { description: "Who does the work." })
  owner(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(item.ownerId);
  }

  @FieldResolver(() => Department, { description: "The owning department." })
  department(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.department.load(item.departmentId);
  }

  @FieldResolver(() => [ProgressUpdate], { description: "Progress reports, oldest first." })
  progressUpdates(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.progressUpdatesByActionItem.load(item.id);
  }

  @FieldResolver(() => [AdjustmentRequest], { description: "Adjustment requests, oldest first." })
  adjustmentRequests(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.adjustmentRequestsByActionItem.load(item.id);
  }

  @FieldResolver(() => [TransitionLog], {
    description: "Transitions and progress reports, oldest first.",
  })
  history(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.ACTION_ITEM, entityId: item.id });
  }

  @FieldResolver(() => [String], {
    description: "Events the caller may send now, from the machine.",
  })
  nextEvents(@Root() item: ActionItem, @Ctx() ctx: RequestContext) {
    return ctx.services.actionItems.nextEvents(item, ctx.actor);
  }

  @FieldResolver(() => Boolean, {
    description: "Planned end has passed (UTC) and the action is neither done nor cancelled.",
  })
  overdue(@Root() item: ActionItem, @Ctx() ctx: RequestContext): boolean {
    return ctx.services.actionItems.isOverdue(item);
  }
}

@Resolver(() => ProgressUpdate)
export class ProgressUpdateResolver {
  @FieldResolver(() => User, { description: "Who posted the report." })
  author(@Root() update: ProgressUpdate, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(update.authorId);
  }
}
