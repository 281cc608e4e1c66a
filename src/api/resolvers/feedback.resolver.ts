import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { VerificationStatus } from "../../common/enums";
import { parseId, parseOptionalId } from "../../common/errors";
import {
  Customer,
  Feedback,
  FeedbackFlag,
  FeedbackKeyword,
  FeedbackScore,
  FeedbackVerificationEntry,
  IntakeRule,
  IntakeRuleMatch,
  Issue,
  KeywordTag,
  ServiceTicket,
  SurveyTemplate,
  User,
} from "../../entity";
import { requireActor, type RequestContext } from "../context";
import { PageArgs } from "../pagination";
import {
  FeedbackConnection,
  FeedbackFilterInput,
  RecordFeedbackInput,
  SupplementFeedbackInput,
} from "../types/feedback.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Authorized(["AGENT", "QUALITY_SPECIALIST"])
  @Mutation(() => Feedback, { description: "Records survey or call-back feedback with its scores." })
  recordFeedback(
    @Arg("input", {
      description: "Customer, ticket, source, channel, scores and comment of the feedback.",
    })
    input: RecordFeedbackInput,
    @Ctx() ctx: RequestContext,
  ) {
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
      "Marks feedback TO_VERIFY (starting a deadline), VERIFIED or INVALID, with the reason; who, when and why " +
      "go to its verificationHistory, and a concluded verification cancels the deadline. UNVERIFIED cannot be " +
      "set. Nothing is deleted: invalid feedback stays queryable and is left out of statistics.",
  })
  setFeedbackVerification(
    @Arg("id", () => ID, { description: "Id of the feedback to verify." }) id: string,
    @Arg("status", () => VerificationStatus, {
      description: "TO_VERIFY, VERIFIED or INVALID.",
    })
    status: VerificationStatus,
    @Arg("note", { description: "Why: the call-back outcome, the ticket comparison, …" }) note: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    const actor = requireActor(ctx);
    return ctx.services.feedback.setVerification(actor, parseId(id, "id"), status, note, expectedVersion);
  }

  @Authorized(["AGENT", "QUALITY_SPECIALIST"])
  @Mutation(() => Feedback, {
    description:
      "Adds what a call-back brought in — the customer's missing comment and answers on unscored dimensions — " +
      "re-tags the comment, records who and why in the verification history and, by default, completes the verification.",
  })
  supplementFeedback(
    @Arg("id", () => ID, { description: "The feedback." }) id: string,
    @Arg("input", { description: "What the call-back brought in." }) input: SupplementFeedbackInput,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    const actor = requireActor(ctx);
    return ctx.services.feedback.supplementFeedback(actor, parseId(id, "id"), { ...input, expectedVersion });
  }

  @Authorized()
  @Query(() => Feedback, { nullable: true, description: "Feedback by id." })
  feedback(
    @Arg("id", () => ID, { description: "Id of the feedback to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.feedback.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => FeedbackConnection, { description: "Feedback, newest first." })
  feedbacks(
    @Args() page: PageArgs,
    @Arg("filter", () => FeedbackFilterInput, {
      nullable: true,
      description: "Narrows the list (all feedback when omitted).",
    })
    filter: FeedbackFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.feedback.list(
      requireActor(ctx),
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

  @FieldResolver(() => User, { nullable: true, description: "Who last concluded the verification (VERIFIED or INVALID)." })
  verifiedBy(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return feedback.verifiedById ? ctx.loaders.user.load(feedback.verifiedById) : null;
  }

  @FieldResolver(() => [FeedbackFlag], { description: "Why the feedback was flagged for verification; kept after it is verified." })
  flags(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.flagsByFeedback.load(feedback.id);
  }

  @FieldResolver(() => [FeedbackKeyword], { description: "Keyword tags found in the comment, by tag code." })
  keywords(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.keywordsByFeedback.load(feedback.id);
  }

  @FieldResolver(() => [FeedbackVerificationEntry], {
    description: "Append-only verification history: who marked, verified, supplemented, invalidated or escalated it, and why.",
  })
  verificationHistory(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.verificationHistoryByFeedback.load(feedback.id);
  }

  @FieldResolver(() => IntakeRuleMatch, {
    nullable: true,
    description: "The intake rule that acted on this feedback and the issue it opened or joined; null when none did.",
  })
  intakeRuleMatch(@Root() feedback: Feedback, @Ctx() ctx: RequestContext) {
    return ctx.loaders.intakeMatchByFeedback.load(feedback.id);
  }
}

@Resolver(() => FeedbackVerificationEntry)
export class FeedbackVerificationEntryResolver {
  @FieldResolver(() => User, { description: "Who did it (the system user qloop for automatic steps)." })
  actor(@Root() entry: FeedbackVerificationEntry, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(entry.actorId);
  }

  @FieldResolver(() => String, { nullable: true, description: "The comment a SUPPLEMENTED step added." })
  supplementedComment(@Root() entry: FeedbackVerificationEntry): string | null {
    return entry.supplement?.comment ?? null;
  }

  @FieldResolver(() => [FeedbackScore], { description: "The scores a SUPPLEMENTED step added (empty otherwise)." })
  supplementedScores(@Root() entry: FeedbackVerificationEntry) {
    return entry.supplement?.scores ?? [];
  }
}

@Resolver(() => FeedbackKeyword)
export class FeedbackKeywordResolver {
  @FieldResolver(() => KeywordTag, { nullable: true, description: "The tag of the taxonomy." })
  tag(@Root() keyword: FeedbackKeyword, @Ctx() ctx: RequestContext) {
    return ctx.loaders.keywordTagByCode.load(keyword.tagCode);
  }
}

/** What the intake rules did to an issue: the rule that opened it and the feedback they attached. */
@Resolver(() => Issue)
export class IssueIntakeResolver {
  @FieldResolver(() => [IntakeRuleMatch], {
    description:
      "Feedback the automatic intake rules opened this issue with (OPENED) or attached to it (LINKED), oldest first.",
  })
  intakeRuleMatches(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.intakeMatchesByIssue.load(issue.id);
  }
}

@Resolver(() => IntakeRuleMatch)
export class IntakeRuleMatchResolver {
  @FieldResolver(() => IntakeRule, { nullable: true, description: "The rule; null if it was deleted since (see ruleName)." })
  rule(@Root() match: IntakeRuleMatch, @Ctx() ctx: RequestContext) {
    return ctx.loaders.intakeRule.load(match.ruleId);
  }

  @FieldResolver(() => Issue, { nullable: true, description: "The issue opened or joined." })
  issue(@Root() match: IntakeRuleMatch, @Ctx() ctx: RequestContext) {
    return ctx.loaders.issue.load(match.issueId);
  }

  @FieldResolver(() => Feedback, { nullable: true, description: "The feedback the rule acted on." })
  feedback(@Root() match: IntakeRuleMatch, @Ctx() ctx: RequestContext) {
    return ctx.loaders.feedback.load(match.feedbackId);
  }
}
