import { ArrayMaxSize, ArrayMinSize, MaxLength, ValidateNested } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { Channel, FeedbackSource, VerificationStatus } from "../../common/enums";
import { FeedbackFlagReason } from "../../common/feedback-enums";
import { TEXT_LIMITS } from "../../common/validation";
import { Feedback } from "../../entity";
import { ConnectionType } from "../pagination";
import { MAX_SCORES, ScoreInput } from "./feedback-input.types";
import { ContactConsentInput } from "./contact-consent.types";

export const FeedbackConnection = ConnectionType(Feedback, "Feedback");

/** Most keyword tags one filter may name. */
export const MAX_FILTER_TAGS = 50;

@InputType({ description: "Feedback from a survey or a call-back (complaints use registerComplaint)." })
export class RecordFeedbackInput {
  @Field(() => ID, { description: "The customer who gave the feedback." })
  customerId: string;

  @Field(() => ID, { nullable: true, description: "The service ticket the feedback is about." })
  ticketId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The survey template answered; every score must then be one of its dimensions.",
  })
  templateId?: string | null;

  @Field(() => FeedbackSource, {
    defaultValue: FeedbackSource.CALLBACK,
    description: "How the feedback arrived; COMPLAINT is refused here.",
  })
  source: FeedbackSource = FeedbackSource.CALLBACK;

  @Field(() => Channel, { description: "Channel the customer used." })
  channel: Channel;

  @Field(() => [ScoreInput], { description: `1–5 scores, one per dimension (1–${MAX_SCORES}).` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCORES)
  @ValidateNested({ each: true })
  scores: ScoreInput[];

  @Field(() => String, {
    nullable: true,
    description: `Free-text comment (at most ${TEXT_LIMITS.longText}).`,
  })
  @MaxLength(TEXT_LIMITS.longText)
  comment?: string | null;

  @Field(() => Date, { nullable: true, description: "When the customer gave it; defaults to now." })
  receivedAt?: Date | null;

  @Field(() => ContactConsentInput, {
    nullable: true,
    description: "The customer's contact decision, when asked with this feedback (givenAt defaults to receivedAt).",
  })
  @ValidateNested()
  contactConsent?: ContactConsentInput | null;
}

@InputType({ description: "Filter for feedback." })
export class FeedbackFilterInput {
  @Field(() => ID, { nullable: true, description: "Only feedback of this customer." })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only feedback about this ticket." })
  ticketId?: string | null;

  @Field(() => FeedbackSource, { nullable: true, description: "Only feedback from this source." })
  source?: FeedbackSource | null;

  @Field(() => VerificationStatus, { nullable: true, description: "Only feedback with this status." })
  verificationStatus?: VerificationStatus | null;

  @Field(() => Date, { nullable: true, description: "Received at or after this time." })
  receivedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Received before this time (exclusive)." })
  receivedTo?: Date | null;

  @Field(() => [FeedbackFlagReason], {
    nullable: true,
    description: "Only feedback flagged for one of these reasons (an empty list matches nothing).",
  })
  @ArrayMaxSize(10)
  flags?: FeedbackFlagReason[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Only feedback whose comment carries one of these keyword tags, by code (an empty list matches nothing).",
  })
  @ArrayMaxSize(MAX_FILTER_TAGS)
  keywordTags?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only feedback still TO_VERIFY after its deadline; false: all other feedback.",
  })
  verificationOverdue?: boolean | null;
}

@InputType({ description: "What a call-back added to feedback: the customer's missing comment and answers." })
export class SupplementFeedbackInput {
  @Field(() => String, {
    nullable: true,
    description: `The customer's comment as heard on the call-back (at most ${TEXT_LIMITS.longText}); appended to the comment.`,
  })
  @MaxLength(TEXT_LIMITS.longText)
  comment?: string | null;

  @Field(() => [ScoreInput], {
    nullable: true,
    description: "Answers on dimensions the customer had not scored; scores already given are never rewritten.",
  })
  @ArrayMaxSize(MAX_SCORES)
  @ValidateNested({ each: true })
  scores?: ScoreInput[] | null;

  @Field({ description: `Who was called, when, and what came out of it (at most ${TEXT_LIMITS.shortText}); kept in the history.` })
  @MaxLength(TEXT_LIMITS.shortText)
  note: string;

  @Field({
    defaultValue: true,
    description: "Complete the verification as well (status VERIFIED, deadline cancelled). Default true.",
  })
  markVerified: boolean = true;
}
