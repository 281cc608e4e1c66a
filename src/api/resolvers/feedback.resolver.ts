import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { VerificationStatus } from "../../common/enums";
import { parseId, parseOptionalId } from "../../common/errors";
import { Customer, Feedback, FeedbackScore, ServiceTicket, SurveyTemplate, User } from "../../entity";
import { requireActor, type RequestContext } from "../context";
import { PageArgs } from "../pagination";
import { FeedbackConnection, FeedbackFilterInput, RecordFeedbackInput } from "../types/feedback.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Authorized(["AGENT", "QUALITY_SPECIALIST"])
  @Mutation(() => Feedback, { description: "Records survey or call-back feedback with its scores." })
  recordFeedback(@Arg("input") input: RecordFeedbackInput, @Ctx() ctx: RequestContext) {
    return ctx.services.feedback.recordFeedback(requireActor(ctx), {
      ...input,
      customerId: parseId(input.customerId, "input.customerId"),
      ticketId: parseOptionalId(input.ticketId, "input.ticketId"),
      templateId: parseOptionalId(input.templateId, "input.templateId"),
    });
  }

  @Authorized(["AGENT", "QUALITY_SPECIALIST"])
  @Mutation(() => Feedback, {
    description:
      "Marks feedback as to verify, verified or invalid, with the reason. Nothing is deleted: " +
      "invalid feedback stays queryable and is left out of statistics.",
  })
  setFeedbackVerification(
    @Arg("id", () => ID) id: string,
    @Arg("status", () => VerificationStatus) status: VerificationStatus,
    @Arg("note", { description: "Why: the call-back outcome, the ticket comparison, …" }) note: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.feedback.setVerification(parseId(id, "id"), status, note, expectedVersion);
  }

  @Authorized()
  @Query(() => Feedback, { nullable: true, description: "Feedback by id." })
  feedback(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.loaders.feedback.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => FeedbackConnection, { description: "Feedback, newest first." })
  feedbacks(
    @Args() page: PageArgs,
    @Arg("filter", () => FeedbackFilterInput, { nullable: true }) filter: FeedbackFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.feedback.list(
      {
        ...filter,
        customerId: parseOptionalId(filter?.customerId, "filter.customerId"),
        ticketId: parseOptionalId(filter?.ticketId, "filter.ticketId"),
      },
      page,
    );
  }

  @FieldResolver(() => Customer, { description: "The customer who gave the feedback." })
  customer(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.customer.load(feedback.customerId);
  }

  @FieldResolver(() => ServiceTicket, {
    nullable: true,
    description: "The service ticket it is about.",
  })
  ticket(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return feedback.ticketId ? ctx.loaders.serviceTicket.load(feedback.ticketId) : null;
  }

  @FieldResolver(() => SurveyTemplate, { nullable: true, description: "The survey template answered." })
  template(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return feedback.templateId ? ctx.loaders.surveyTemplate.load(feedback.templateId) : null;
  }

  @FieldResolver(() => [FeedbackScore], { description: "The scores, by dimension code." })
  scores(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.scoresByFeedback.load(feedback.id);
  }

  @FieldResolver(() => User, { description: "Who recorded it in qloop." })
  recordedBy(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(feedback.recordedById);
  }

  @FieldResolver(() => Int, {
    description: "Optimistic-concurrency version; pass it back as expectedVersion to setFeedbackVerification.",
  })
  version(@Root() feedback: Feedback): number {
    return feedback.version;
  }
}
