import { ArrayMaxSize, ArrayMinSize, MaxLength, ValidateNested } from "class-validator";
import {
  createUnionType,
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from "type-graphql";
import { SURVEY_CAMPAIGN_STATES } from "../../../workflows/survey-campaign.machine";
import { SURVEY_INVITATION_STATES } from "../../../workflows/survey-invitation.machine";
import { Channel, TicketType } from "../../common/enums";
import { TransitionError } from "../../common/error-results";
import { TEXT_LIMITS } from "../../common/validation";
import { SurveyCampaign, SurveyInvitation } from "../../entity";
import { SurveyCampaignKind } from "../../entity/survey/survey-enums";
import { MAX_OPEN_QUESTIONS, REFERENCE_LIMITS } from "../../service/reference.service";
import { CAMPAIGN_LIMITS } from "../../service/survey-campaign.service";
import { OPEN_ANSWER_LIMIT } from "../../service/survey-invitation.service";
import { ConnectionType } from "../pagination";
import { MAX_SCORES, ScoreInput } from "./feedback-input.types";

export const SurveyCampaignConnection = ConnectionType(SurveyCampaign, "SurveyCampaign");
export const SurveyInvitationConnection = ConnectionType(SurveyInvitation, "SurveyInvitation");

export const SurveyCampaignResult = createUnionType({
  name: "SurveyCampaignResult",
  description: "The campaign after the event, or why the event was refused.",
  types: () => [SurveyCampaign, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? TransitionError : SurveyCampaign),
});

export const SurveyInvitationResult = createUnionType({
  name: "SurveyInvitationResult",
  description: "The invitation after the event, or why the event was refused.",
  types: () => [SurveyInvitation, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? TransitionError : SurveyInvitation),
});

@InputType({
  description:
    "A new survey campaign (created as draft). Each kind takes its own target fields: PERIODIC needs " +
    "servedWithinDays, SPECIAL the incident window, RESURVEY a verification check; POST_SERVICE, PERIODIC " +
    "and SPECIAL may narrow by region and ticket types. Timing not given comes from the survey settings.",
})
export class CreateSurveyCampaignInput {
  @Field({ description: "Campaign name, at most 100 characters." })
  @MaxLength(TEXT_LIMITS.name)
  name: string;

  @Field(() => SurveyCampaignKind, { description: "How the campaign selects its customers." })
  kind: SurveyCampaignKind;

  @Field(() => ID, {
    nullable: true,
    description:
      `Template asked (1–${MAX_OPEN_QUESTIONS} open questions); omitted: the standard template ` +
      "(six dimensions, two open questions).",
  })
  templateId?: string | null;

  @Field(() => Channel, {
    description: "SMS, EMAIL or APP send a link with a single-use token; PHONE or VISIT create call-back tasks.",
  })
  channel: Channel;

  @Field(() => String, { nullable: true, description: "Only customers of this region (exact)." })
  @MaxLength(REFERENCE_LIMITS.region)
  targetRegion?: string | null;

  @Field(() => [TicketType], { nullable: true, description: "Only tickets of these types; omitted: all types." })
  @ArrayMaxSize(Object.keys(TicketType).length)
  ticketTypes?: TicketType[] | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "PERIODIC: customers whose ticket was completed in the last N days before launch " +
      `(1–${CAMPAIGN_LIMITS.maxServedWithinDays}).`,
  })
  servedWithinDays?: number | null;

  @Field(() => Date, {
    nullable: true,
    description: "SPECIAL: start of the incident window (tickets opened from then).",
  })
  incidentFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "SPECIAL: end of the incident window, exclusive." })
  incidentTo?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      `POST_SERVICE: hours between the ticket's completion and the invitation ` +
      `(${CAMPAIGN_LIMITS.minDelayHours}–${CAMPAIGN_LIMITS.maxDelayHours}); ` +
      "omitted: settings.survey.postServiceDelayHours.",
  })
  postServiceDelayHours?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      `Days an invitation stays answerable (1–${CAMPAIGN_LIMITS.maxExpiryDays}); ` +
      "omitted: settings.survey.expiryDays.",
  })
  expiryDays?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Days after sending when non-responders get the one reminder (before the expiry); " +
      "omitted: settings.survey.reminderAfterDays.",
  })
  reminderAfterDays?: number | null;

  @Field(() => ID, {
    nullable: true,
    description: "RESURVEY: the verification check whose issue's affected customers are asked.",
  })
  verificationCheckId?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "RESURVEY: share of the affected customers asked, drawn at random (0 < rate ≤ 1; omitted: all).",
  })
  sampleRate?: number | null;
}

@InputType({ description: "Filter for survey campaigns." })
export class SurveyCampaignFilterInput {
  @Field(() => SurveyCampaignKind, { nullable: true, description: "Only campaigns of this kind." })
  kind?: SurveyCampaignKind | null;

  @Field(() => [String], {
    nullable: true,
    description: `Only campaigns in one of these states (${SURVEY_CAMPAIGN_STATES.join(", ")}).`,
  })
  @ArrayMaxSize(SURVEY_CAMPAIGN_STATES.length)
  states?: string[] | null;
}

@InputType({ description: "Filter for survey invitations." })
export class SurveyInvitationFilterInput {
  @Field(() => ID, { nullable: true, description: "Only invitations of this campaign." })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only invitations of this customer." })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only invitations about this ticket." })
  ticketId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Only invitations in one of these states (${SURVEY_INVITATION_STATES.join(", ")}).`,
  })
  @ArrayMaxSize(SURVEY_INVITATION_STATES.length)
  states?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: only call-back tasks (phone and visit campaigns; open ones are in state sent or reminded); " +
      "false: only invitations sent as messages.",
  })
  callback?: boolean | null;
}

@InputType({ description: "The answers to a survey: one score per dimension, and the open answers." })
export class SurveyAnswerInput {
  @Field(() => [ScoreInput], {
    description: "Exactly one 1–5 score for each dimension of the survey, in any order.",
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCORES)
  @ValidateNested({ each: true })
  scores: ScoreInput[];

  @Field(() => [String], {
    nullable: true,
    description:
      `Answers to the open questions, in their order (at most ${MAX_OPEN_QUESTIONS}, each at most ` +
      `${OPEN_ANSWER_LIMIT} characters); an empty string skips a question.`,
  })
  @ArrayMaxSize(MAX_OPEN_QUESTIONS)
  @MaxLength(OPEN_ANSWER_LIMIT, { each: true })
  answers?: string[] | null;
}

export enum SurveyFormStatus {
  OPEN = "OPEN",
  ANSWERED = "ANSWERED",
  EXPIRED = "EXPIRED",
}
registerEnumType(SurveyFormStatus, {
  name: "SurveyFormStatus",
  description: "Whether the survey behind a link can still be answered.",
  valuesConfig: {
    OPEN: { description: "Answerable: submitSurveyResponse accepts the token." },
    ANSWERED: { description: "Answered already; the token is used." },
    EXPIRED: { description: "The survey window has closed." },
  },
});

@ObjectType({ description: "A dimension as the customer sees it." })
export class SurveyFormDimension {
  @Field({ description: "Code to send back in the score, e.g. responsiveness." })
  code: string;

  @Field({ description: "Label shown to the customer, e.g. 响应及时性." })
  name: string;
}

@ObjectType({ description: "The service a survey is about, as printed on the customer's ticket." })
export class SurveyFormService {
  @Field({ description: "Ticket number (工单号)." })
  ticketCode: string;

  @Field(() => TicketType, { description: "Kind of service." })
  type: TicketType;

  @Field(() => Date, { nullable: true, description: "When the service was completed." })
  completedAt: Date | null;
}

@ObjectType({
  description: "What a public survey page renders for a link: the questions and the service, nothing personal.",
})
export class SurveyForm {
  @Field(() => SurveyFormStatus, { description: "Whether it can still be answered." })
  status: SurveyFormStatus;

  @Field({ description: "Title of the questionnaire." })
  title: string;

  @Field(() => [SurveyFormDimension], { description: "Dimensions to score 1–5, in display order." })
  dimensions: SurveyFormDimension[];

  @Field(() => [String], { description: "Open questions, in order; answers are sent in this order." })
  openQuestions: string[];

  @Field({ description: "The link works until then." })
  expiresAt: Date;

  @Field(() => SurveyFormService, {
    nullable: true,
    description: "The service asked about, if the survey is about one.",
  })
  service: SurveyFormService | null;
}

@ObjectType({ description: "Confirmation that a survey answer was recorded." })
export class SurveyReceipt {
  @Field({ description: "When the answer was recorded." })
  respondedAt: Date;
}

@ObjectType({ description: "A campaign's invitations by state, and its response rate." })
export class SurveyCampaignStats {
  @Field(() => Int, { description: "Invitations created." })
  invited: number;

  @Field(() => Int, { description: "Waiting to be sent." })
  scheduled: number;

  @Field(() => Int, { description: "Sent (or reminded) and still answerable; for call-back tasks, still to call." })
  open: number;

  @Field(() => Int, { description: "Reminded and not yet answered." })
  reminded: number;

  @Field(() => Int, { description: "Answered." })
  responded: number;

  @Field(() => Int, { description: "Not answered in the window." })
  expired: number;

  @Field(() => Int, { description: "Never sent: no address for the channel (see the invitation's note)." })
  undeliverable: number;

  @Field(() => Int, { description: "Cancelled before sending because the campaign closed." })
  cancelled: number;

  @Field(() => Float, {
    nullable: true,
    description: "responded / (responded + open + expired): the share of customers reached who answered.",
  })
  responseRate: number | null;
}
