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
import { ActionItem, AdjustmentRequest, TransitionLog, User } from "../../entity";
import { RequestContext, requireActor } from "../context";
import {
  AdjustmentRequestConnection,
  AdjustmentRequestListArgs,
  AdjustmentRequestResult,
  SubmitAdjustmentRequestArgs,
} from "../types/adjustment-request.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";


@Resolver(() => AdjustmentRequest)
export class AdjustmentRequestResolver {
  @Authorized()
  @Query(() => AdjustmentRequest, {
    nullable: true,
    description: "An adjustment request by id; null when there is none.",
  })
  adjustmentRequest(
    @Arg("id", () => ID, { description: "Id of the adjustment request to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.adjustmentRequest.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => AdjustmentRequestConnection, { description: "Adjustment requests, newest first." })
  adjustmentRequests(
    @Args() { filter, ...page }: AdjustmentRequestListArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.adjustmentRequests.list(
      requireActor(ctx),
      {
        states: filter?.states,
        departmentId: parseOptionalId(filter?.departmentId, "filter.departmentId"),
        actionItemId: parseOptionalId(filter?.actionItemId, "filter.actionItemId"),
      },
      page,
    );
  }

  @Authorized()
  @Mutation(() => AdjustmentRequestResult, {
    description:
      "Files an adjustment request and parks the action item (REQUEST_ADJUSTMENT); " +
      "expectedVersion is the action item's.",
  })
  submitAdjustmentRequest(
    @Args() { input, expectedVersion }: SubmitAdjustmentRequestArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.adjustmentRequests.submit(
      requireActor(ctx),
      {
        actionItemId: parseId(input.actionItemId, "input.actionItemId"),
        reason: input.reason,
        proposedPlannedEnd: input.proposedPlannedEnd ?? null,
        proposedOwnerId: parseOptionalId(input.proposedOwnerId, "input.proposedOwnerId"),
        proposedTarget: input.proposedTarget ?? null,
        proposedScope: input.proposedScope ?? null,
        alternativePlan: input.alternativePlan ?? null,
      },
      expectedVersion ?? null,
    );
  }

  @Authorized()
  @Mutation(() => AdjustmentRequestResult, {
    description: "REVIEW: a quality specialist takes the request under review.",
  })
  reviewAdjustmentRequest(
    @Arg("id", () => ID, { description: "Id of the adjustment request to take into review." }) id: string,
    @Arg("comment", () => String, { nullable: true, description: "Review comment." }) comment: string | null,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.adjustmentRequests.review(
      requireActor(ctx),
      parseId(id, "id"),
      comment,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => AdjustmentRequestResult, {
    description: "APPROVE: the operations manager approves; the changes are applied to the action item (new plan revision).",
  })
  approveAdjustmentRequest(
    @Arg("id", () => ID, { description: "Id of the adjustment request to approve." }) id: string,
    @Arg("comment", () => String, { nullable: true, description: "Decision comment." }) comment: string | null,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.adjustmentRequests.approve(
      requireActor(ctx),
      parseId(id, "id"),
      comment,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => AdjustmentRequestResult, {
    description: "REJECT: the operations manager refuses, with a comment; the plan is unchanged.",
  })
  rejectAdjustmentRequest(
    @Arg("id", () => ID, { description: "Id of the adjustment request to reject." }) id: string,
    @Arg("comment", { description: "Why the request is refused (required)." }) comment: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.adjustmentRequests.reject(
      requireActor(ctx),
      parseId(id, "id"),
      comment,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => AdjustmentRequestResult, {
    description: "WITHDRAW: the requester takes the request back.",
  })
  withdrawAdjustmentRequest(
    @Arg("id", () => ID, { description: "Id of the adjustment request to withdraw." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.adjustmentRequests.withdraw(
      requireActor(ctx),
      parseId(id, "id"),
      expectedVersion,
    );
  }

  @FieldResolver(() => ActionItem, { description: "The action item to adjust." })
  actionItem(@Root() request: AdjustmentRequest, @Ctx() ctx: RequestContext) {
    return ctx.loaders.actionItem.load(request.actionItemId);
  }

  @FieldResolver(() => User, { description: "Who filed the request." })
  requester(@Root() request: AdjustmentRequest, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(request.requesterId);
  }

  @FieldResolver(() => User, { nullable: true, description: "Proposed new owner." })
  proposedOwner(@Root() request: AdjustmentRequest, @Ctx() ctx: RequestContext) {
    return request.proposedOwnerId === null ? null : ctx.loaders.user.load(request.proposedOwnerId);
  }

  @FieldResolver(() => User, { nullable: true, description: "Owner before the approved change." })
  previousOwner(@Root() request: AdjustmentRequest, @Ctx() ctx: RequestContext) {
    return request.previousOwnerId === null ? null : ctx.loaders.user.load(request.previousOwnerId);
  }

  @FieldResolver(() => [TransitionLog], { description: "Transitions, oldest first." })
  history(@Root() request: AdjustmentRequest, @Ctx() ctx: RequestContext) {
    const entityType = WorkflowEntity.ADJUSTMENT_REQUEST;
    return ctx.loaders.history.load({ entityType, entityId: request.id });
  }

  @FieldResolver(() => [String], {
    description: "Events the caller may send now, from the machine.",
  })
  nextEvents(@Root() request: AdjustmentRequest, @Ctx() ctx: RequestContext) {
    return ctx.services.adjustmentRequests.nextEvents(request, ctx.actor);
  }
}
