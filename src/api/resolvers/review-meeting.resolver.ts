import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Role } from "../../../workflows/actor";
import { WorkflowEntity } from "../../common/enums";
import { parseId } from "../../common/errors";
import { ReviewAgendaItem, ReviewDecision, ReviewMeeting, TransitionLog, User } from "../../entity";
import { RequestContext, requireActor } from "../context";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";
import {
  RecordDecisionArgs,
  ReviewDecisionResult,
  ReviewMeetingConnection,
  ReviewMeetingListArgs,
  ReviewMeetingResult,
  ScheduleReviewMeetingArgs,
  toNewDecision,
  UpdateReviewMeetingArgs,
} from "../types/review-meeting.types";
import { REVIEW_READERS } from "../../common/roles";

/** Who may run meetings; the machine's guards say the same for every meeting event. */
const MEETING_MANAGERS: Role[] = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"];

const idsOf = (ids: string[], field: string) => ids.map((id, i) => parseId(id, `${field}.${i}`));

@Resolver(() => ReviewMeeting)
export class ReviewMeetingResolver {
  @Authorized(REVIEW_READERS)
  @Query(() => ReviewMeeting, { nullable: true, description: "A review meeting by id; null when there is none." })
  reviewMeeting(
    @Arg("id", () => ID, { description: "Id of the review meeting to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.reviewMeeting.load(parseId(id, "id"));
  }

  @Authorized(REVIEW_READERS)
  @Query(() => ReviewMeetingConnection, { description: "Review meetings, newest first." })
  reviewMeetings(@Args() { filter, ...page }: ReviewMeetingListArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.list({ kind: filter?.kind, states: filter?.states }, page);
  }

  @Authorized()
  @Mutation(() => ReviewMeetingResult, { description: "Schedules a weekly, monthly or joint review meeting." })
  scheduleReviewMeeting(@Args() { input }: ScheduleReviewMeetingArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.schedule(requireActor(ctx), {
      kind: input.kind,
      title: input.title,
      scheduledAt: input.scheduledAt,
      period: input.period ?? null,
      attendeeIds: idsOf(input.attendeeIds, "input.attendeeIds"),
    });
  }

  @Authorized()
  @Mutation(() => ReviewMeetingResult, { description: "UPDATE: title, time, attendees (scheduled); attendees, minutes (held)." })
  updateReviewMeeting(@Args() { id, input, expectedVersion }: UpdateReviewMeetingArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.update(
      requireActor(ctx),
      parseId(id, "id"),
      {
        title: input.title,
        scheduledAt: input.scheduledAt,
        attendeeIds: input.attendeeIds == null ? null : idsOf(input.attendeeIds, "input.attendeeIds"),
        minutes: input.minutes,
      },
      expectedVersion ?? null,
    );
  }

  @Authorized()
  @Mutation(() => ReviewMeetingResult, {
    description: "HOLD: the meeting takes place; its agenda (with the previous meeting's open items) is frozen.",
  })
  holdReviewMeeting(
    @Arg("id", () => ID, { description: "Id of the scheduled review meeting that is being held." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reviewMeetings.hold(requireActor(ctx), parseId(id, "id"), expectedVersion);
  }

  @Authorized()
  @Mutation(() => ReviewMeetingResult, { description: "RESOLVE_ITEM: marks an agenda item dealt with." })
  resolveAgendaItem(
    @Arg("itemId", () => ID, { description: "The agenda item." }) itemId: string,
    @Arg("resolution", { description: "How it was dealt with." }) resolution: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reviewMeetings.resolveItem(requireActor(ctx), parseId(itemId, "itemId"), resolution, expectedVersion);
  }

  @Authorized()
  @Mutation(() => ReviewDecisionResult, {
    description: "DECIDE: records a decision; ADD_ACTION, POST_PROGRESS and REQUEST_ADJUSTMENT go through the action-item workflows.",
  })
  recordMeetingDecision(@Args() { input }: RecordDecisionArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.decide(requireActor(ctx), parseId(input.meetingId, "input.meetingId"), toNewDecision(input));
  }

  @Authorized(MEETING_MANAGERS)
  @Mutation(() => ReviewDecision, { description: "Marks a NOTE decision done (decisions outlive their meeting)." })
  completeMeetingDecision(
    @Arg("id", () => ID, { description: "Id of the meeting decision that is done." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reviewMeetings.completeDecision(requireActor(ctx), parseId(id, "id"));
  }

  @Authorized()
  @Mutation(() => ReviewMeetingResult, { description: "CLOSE: ends a held meeting; needs the minutes." })
  closeReviewMeeting(
    @Arg("id", () => ID, { description: "Id of the review meeting to close." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reviewMeetings.close(requireActor(ctx), parseId(id, "id"), expectedVersion);
  }

  @Authorized()
  @Mutation(() => ReviewMeetingResult, { description: "CANCEL: calls a scheduled meeting off, with a reason." })
  cancelReviewMeeting(
    @Arg("id", () => ID, { description: "Id of the review meeting to cancel." }) id: string,
    @Arg("reason", { description: "Why (required)." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reviewMeetings.cancel(requireActor(ctx), parseId(id, "id"), reason, expectedVersion);
  }

  @FieldResolver(() => [ReviewAgendaItem], {
    description: "The agenda: frozen once held; before that a preview generated now (items without ids).",
  })
  agenda(@Root() meeting: ReviewMeeting, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.agenda(meeting);
  }

  @FieldResolver(() => [ReviewDecision], { description: "Decisions, oldest first." })
  decisions(@Root() meeting: ReviewMeeting, @Ctx() ctx: RequestContext) {
    return ctx.loaders.decisionsByMeeting.load(meeting.id);
  }

  @FieldResolver(() => [User], { description: "Attendees." })
  async attendees(@Root() meeting: ReviewMeeting, @Ctx() ctx: RequestContext) {
    const users = await ctx.loaders.user.loadMany(meeting.attendeeIds.map(Number));
    return users.filter((user): user is User => user !== null && !(user instanceof Error));
  }

  @FieldResolver(() => ReviewMeeting, {
    nullable: true,
    description: "The meeting whose unresolved items were carried into this agenda when it was held.",
  })
  carriedFrom(@Root() meeting: ReviewMeeting, @Ctx() ctx: RequestContext) {
    return meeting.carriedFromMeetingId === null ? null : ctx.loaders.reviewMeeting.load(meeting.carriedFromMeetingId);
  }

  @FieldResolver(() => [TransitionLog], { description: "Transitions, oldest first (decisions and resolutions included)." })
  history(@Root() meeting: ReviewMeeting, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.REVIEW_MEETING, entityId: meeting.id });
  }

  @FieldResolver(() => [String], { description: "Events the caller may send now, from the machine." })
  nextEvents(@Root() meeting: ReviewMeeting, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.nextEvents(meeting, ctx.actor);
  }
}

@Resolver(() => ReviewDecision)
export class ReviewDecisionResolver {
  @FieldResolver(() => User, { nullable: true, description: "NOTE: who carries it out." })
  owner(@Root() decision: ReviewDecision, @Ctx() ctx: RequestContext) {
    return decision.ownerId === null ? null : ctx.loaders.user.load(decision.ownerId);
  }

  @FieldResolver(() => ID, { nullable: true, description: "The action item it created or changed." })
  actionItemId(@Root() decision: ReviewDecision) {
    return decision.actionItemId;
  }

  @FieldResolver(() => ID, { nullable: true, description: "The adjustment request it filed." })
  adjustmentRequestId(@Root() decision: ReviewDecision) {
    return decision.adjustmentRequestId;
  }

  @FieldResolver(() => Boolean, {
    description:
      "Carried out: NOTE when marked done; ADD_ACTION when its action is done or cancelled; REQUEST_ADJUSTMENT " +
      "when the request is decided; POST_PROGRESS at once. Open decisions carry over to the next meeting.",
  })
  done(@Root() decision: ReviewDecision, @Ctx() ctx: RequestContext) {
    return ctx.services.reviewMeetings.isDecisionDone(decision);
  }
}
