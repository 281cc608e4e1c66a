import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { SURVEY_MANAGER_ROLES } from "../../../workflows/survey-campaign.machine";
import { Channel, WorkflowEntity } from "../../common/enums";
import { parseId, parseOptionalId } from "../../common/errors";
import {
  Customer,
  Feedback,
  ServiceTicket,
  SurveyCampaign,
  SurveyInvitation,
  SurveyTemplate,
  TransitionLog,
  User,
  VerificationCheck,
} from "../../entity";
import { requireActor, type RequestContext } from "../context";
import { PageArgs } from "../pagination";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";
import {
  CreateSurveyCampaignInput,
  SurveyAnswerInput,
  SurveyCampaignConnection,
  SurveyCampaignFilterInput,
  SurveyCampaignResult,
  SurveyCampaignStats,
  SurveyForm,
  SurveyInvitationConnection,
  SurveyInvitationFilterInput,
  SurveyInvitationResult,
  SurveyReceipt,
} from "../types/survey.types";

const TOKEN_ARG = {
  description: "The single-use token from the survey link (the `token` query parameter).",
} as const;

/** Survey campaigns: created, launched and closed by quality specialists, managers and admins. */
@Resolver(() => SurveyCampaign)
export class SurveyCampaignResolver {
  @Authorized([...SURVEY_MANAGER_ROLES])
  @Mutation(() => SurveyCampaign, {
    description: "Creates a survey campaign as a draft; launch it to start inviting.",
  })
  createSurveyCampaign(
    @Arg("input", {
      description: "Name, kind, template, channel and audience (region, ticket types, days since service).",
    })
    input: CreateSurveyCampaignInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyCampaigns.create(requireActor(ctx), {
      ...input,
      templateId: parseOptionalId(input.templateId, "input.templateId"),
      verificationCheckId: parseOptionalId(input.verificationCheckId, "input.verificationCheckId"),
    });
  }

  @Authorized()
  @Mutation(() => SurveyCampaignResult, {
    description:
      "Launches a draft campaign. Periodic, special and re-survey campaigns invite their target group now " +
      "(one invitation per customer, sent right away); a post-service campaign invites each ticket of its " +
      "types 24–48 h after it completes.",
  })
  launchSurveyCampaign(
    @Arg("id", () => ID, { description: "Id of the draft survey campaign to launch." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyCampaigns.launch(requireActor(ctx), parseId(id, "id"), expectedVersion);
  }

  @Authorized()
  @Mutation(() => SurveyCampaignResult, {
    description:
      "Closes a campaign: no new invitations, and those not yet sent are cancelled. Invitations already sent " +
      "stay answerable until they expire.",
  })
  closeSurveyCampaign(
    @Arg("id", () => ID, { description: "Id of the survey campaign to close." }) id: string,
    @Arg("reason", () => String, { nullable: true, description: "Why the campaign is closed (optional)." })
    reason: string | null,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyCampaigns.close(requireActor(ctx), parseId(id, "id"), reason, expectedVersion);
  }

  @Authorized()
  @Query(() => SurveyCampaign, { nullable: true, description: "A survey campaign by id." })
  surveyCampaign(
    @Arg("id", () => ID, { description: "Id of the survey campaign to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.surveyCampaign.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => SurveyCampaignConnection, { description: "Survey campaigns, newest first." })
  surveyCampaigns(
    @Args() page: PageArgs,
    @Arg("filter", () => SurveyCampaignFilterInput, {
      nullable: true,
      description: "Narrows the list (all campaigns when omitted).",
    })
    filter: SurveyCampaignFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyCampaigns.list(filter ?? {}, page);
  }

  @FieldResolver(() => SurveyTemplate, { description: "The questionnaire asked." })
  template(@Root() campaign: SurveyCampaign, @Ctx() ctx: RequestContext) {
    return ctx.loaders.surveyTemplate.load(campaign.templateId);
  }

  @FieldResolver(() => VerificationCheck, {
    nullable: true,
    description: "Re-surveys: the verification check the answers feed.",
  })
  verificationCheck(@Root() campaign: SurveyCampaign, @Ctx() ctx: RequestContext) {
    return campaign.verificationCheckId ? ctx.loaders.verificationCheck.load(campaign.verificationCheckId) : null;
  }

  @FieldResolver(() => User, { description: "Who created the campaign." })
  createdBy(@Root() campaign: SurveyCampaign, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(campaign.createdById);
  }

  @FieldResolver(() => SurveyCampaignStats, { description: "Invitations by state and the response rate." })
  stats(@Root() campaign: SurveyCampaign, @Ctx() ctx: RequestContext) {
    return ctx.loaders.invitationStats.load(campaign.id);
  }

  @FieldResolver(() => [TransitionLog], { description: "Every transition of this campaign, oldest first." })
  history(@Root() campaign: SurveyCampaign, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.SURVEY_CAMPAIGN, entityId: campaign.id });
  }

  @FieldResolver(() => [String], {
    description: "Events the caller may send now, from the machine (LAUNCH assumes a non-empty target group).",
  })
  async nextEvents(@Root() campaign: SurveyCampaign, @Ctx() ctx: RequestContext) {
    const check = campaign.verificationCheckId
      ? await ctx.loaders.verificationCheck.load(campaign.verificationCheckId)
      : null;
    return ctx.services.surveyCampaigns.nextEvents(campaign, check, ctx.actor);
  }
}

/** Invitations and call-back tasks, for staff. */
@Resolver(() => SurveyInvitation)
export class SurveyInvitationResolver {
  @Authorized()
  @Query(() => SurveyInvitation, { nullable: true, description: "A survey invitation by id." })
  surveyInvitation(
    @Arg("id", () => ID, { description: "Id of the survey invitation to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.surveyInvitation.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => SurveyInvitationConnection, {
    description:
      "Survey invitations, newest first. Call-back tasks to work on: filter { callback: true, states: [\"sent\"] }.",
  })
  surveyInvitations(
    @Args() page: PageArgs,
    @Arg("filter", () => SurveyInvitationFilterInput, {
      nullable: true,
      description: "Narrows the list (all invitations when omitted).",
    })
    filter: SurveyInvitationFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyInvitations.list(
      {
        ...filter,
        campaignId: parseOptionalId(filter?.campaignId, "filter.campaignId"),
        customerId: parseOptionalId(filter?.customerId, "filter.customerId"),
        ticketId: parseOptionalId(filter?.ticketId, "filter.ticketId"),
      },
      page,
    );
  }

  @Authorized()
  @Mutation(() => SurveyInvitationResult, {
    description:
      "Records the answers a customer gave on a call-back task (phone or visit campaign), as CALLBACK feedback. " +
      "Agents and quality specialists, while the task's window is open.",
  })
  recordCallbackAnswer(
    @Arg("id", () => ID, { description: "The call-back task (invitation)." }) id: string,
    @Arg("input", {
      description: "The customer's scores and open answers, as taken on the call-back.",
    })
    input: SurveyAnswerInput,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyInvitations.recordCallbackAnswer(
      requireActor(ctx),
      parseId(id, "id"),
      input,
      expectedVersion,
    );
  }

  @FieldResolver(() => SurveyCampaign, { description: "The campaign that invited the customer." })
  campaign(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return ctx.loaders.surveyCampaign.load(invitation.campaignId);
  }

  @FieldResolver(() => Customer, { description: "The customer asked." })
  customer(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return ctx.loaders.customer.load(invitation.customerId);
  }

  @FieldResolver(() => ServiceTicket, { nullable: true, description: "The service ticket the survey is about." })
  ticket(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return invitation.ticketId ? ctx.loaders.serviceTicket.load(invitation.ticketId) : null;
  }

  @FieldResolver(() => Feedback, { nullable: true, description: "The feedback the answer was recorded as." })
  feedback(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return invitation.feedbackId ? ctx.loaders.feedback.load(invitation.feedbackId) : null;
  }

  @FieldResolver(() => Channel, { description: "The campaign's channel." })
  async channel(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.surveyCampaign.load(invitation.campaignId))!.channel;
  }

  @FieldResolver(() => Boolean, {
    description: "A call-back task (phone or visit): an agent asks and records the answers; no link is sent.",
  })
  async callback(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return ctx.services.surveyInvitations.isCallback(await ctx.loaders.surveyCampaign.load(invitation.campaignId));
  }

  @FieldResolver(() => [TransitionLog], { description: "Every transition of this invitation, oldest first." })
  history(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.SURVEY_INVITATION, entityId: invitation.id });
  }

  @FieldResolver(() => [String], {
    description: "Events the caller may send now, from the machine (RESPOND: record a call-back's answers).",
  })
  async nextEvents(@Root() invitation: SurveyInvitation, @Ctx() ctx: RequestContext) {
    const campaign = await ctx.loaders.surveyCampaign.load(invitation.campaignId);
    return ctx.services.surveyInvitations.nextEvents(invitation, campaign, ctx.actor);
  }
}

/** The public survey page: no login, the link's token is the only credential. */
@Resolver()
export class PublicSurveyResolver {
  @Query(() => SurveyForm, {
    description:
      "Opens the survey behind a link, without login: its dimensions, open questions, the service asked about " +
      "and whether it can still be answered. No personal data. Unknown token: error code TOKEN_UNKNOWN.",
  })
  surveyByToken(@Arg("token", TOKEN_ARG) token: string, @Ctx() ctx: RequestContext) {
    return ctx.services.surveyInvitations.openSurvey(token);
  }

  @Mutation(() => SurveyReceipt, {
    description:
      "Answers a survey, without login. A token is accepted once, while its window is open; refusals carry the " +
      "error codes TOKEN_UNKNOWN, TOKEN_USED and TOKEN_EXPIRED. Every dimension needs exactly one score; bad " +
      "input is BAD_USER_INPUT naming the field and records nothing.",
  })
  submitSurveyResponse(
    @Arg("token", TOKEN_ARG) token: string,
    @Arg("input", { description: "The customer's scores and open answers." }) input: SurveyAnswerInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.surveyInvitations.submit(token, input);
  }
}
