import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  MaxLength,
  Min,
  ValidateNested,
} from "class-validator";
import { createUnionType, Field, ID, InputType, Int } from "type-graphql";
import { ISSUE_STATES } from "../../../workflows/issue.machine";
import { Channel, ComplaintTier, Impact, IssueKind, Quadrant } from "../../common/enums";
import { TransitionError } from "../../common/error-results";
import { TEXT_LIMITS } from "../../common/validation";
import { Issue } from "../../entity";
import { ConnectionType } from "../pagination";
import { MAX_SCORES, ScoreInput } from "./feedback-input.types";
import { ContactConsentInput } from "./contact-consent.types";

export const IssueConnection = ConnectionType(Issue, "Issue");

/** Input arrays follow the usual public-API bound (GitHub, Shopify): at most 250 elements. */
export const MAX_INPUT_LIST = 250;

export const IssueResult = createUnionType({
  name: "IssueResult",
  description: "The issue after the event, or why the event was refused (nothing changed then).",
  types: () => [Issue, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? TransitionError : Issue),
});

@InputType({ description: "A customer's complaint: the feedback it carries and the issue it opens." })
export class RegisterComplaintInput {
  @Field(() => ID, { description: "The complaining customer." })
  customerId: string;

  @Field(() => ID, { nullable: true, description: "The service ticket complained about, if any." })
  ticketId?: string | null;

  @Field(() => Channel, { description: "Channel the complaint came in on." })
  channel: Channel;

  @Field(() => [ScoreInput], { description: "1–5 scores the customer gave, at least one." })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCORES)
  @ValidateNested({ each: true })
  scores: ScoreInput[];

  @Field(() => String, { nullable: true, description: "The customer's words." })
  @IsOptional()
  @MaxLength(TEXT_LIMITS.longText)
  comment?: string | null;

  @Field({ description: "Short title of the issue." })
  @MaxLength(TEXT_LIMITS.title)
  title: string;

  @Field(() => String, { nullable: true, description: "What happened; defaults to the comment." })
  @IsOptional()
  @MaxLength(TEXT_LIMITS.longText)
  description?: string | null;

  @Field(() => ComplaintTier, {
    defaultValue: ComplaintTier.TIER_2,
    description: "Escalation tier: TIER_1 is led by a department head, TIER_2 by a supervisor.",
  })
  tier: ComplaintTier = ComplaintTier.TIER_2;

  @Field(() => Date, { nullable: true, description: "When the complaint was received; default now." })
  receivedAt?: Date | null;

  @Field(() => ContactConsentInput, {
    nullable: true,
    description: "The customer's contact decision, when asked with the complaint (givenAt defaults to receivedAt).",
  })
  @ValidateNested()
  contactConsent?: ContactConsentInput | null;
}

@InputType({ description: "A problem record opened directly, usually a systemic problem." })
export class CreateIssueInput {
  @Field(() => IssueKind, { defaultValue: IssueKind.SYSTEMIC, description: "Default SYSTEMIC." })
  kind: IssueKind = IssueKind.SYSTEMIC;

  @Field({ description: "Short title." })
  @MaxLength(TEXT_LIMITS.title)
  title: string;

  @Field(() => String, { nullable: true, description: "What happens, how often, to whom." })
  @IsOptional()
  @MaxLength(TEXT_LIMITS.longText)
  description?: string | null;

  @Field(() => Int, { nullable: true, description: "Occurrences per month, when known." })
  @IsOptional()
  @IsInt()
  @Min(0)
  frequency?: number | null;

  @Field(() => Impact, { nullable: true, description: "Impact, if already known (else set at triage)." })
  impact?: Impact | null;

  @Field(() => ID, { nullable: true, description: "Responsible department, if already known." })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "The customer concerned, if one." })
  customerId?: string | null;

  @Field(() => [ID], { defaultValue: [], description: "Feedback to link as evidence (at most 250)." })
  @ArrayMaxSize(MAX_INPUT_LIST)
  evidenceFeedbackIds: string[];
}

@InputType({ description: "Triage: priority quadrant, impact, frequency and responsible department." })
export class TriageInput {
  @Field({ description: "Urgent?" })
  urgent: boolean;

  @Field({ description: "Important?" })
  important: boolean;

  @Field(() => Impact, { description: "Impact." })
  impact: Impact;

  @Field(() => Int, { nullable: true, description: "Occurrences per month; unchanged when omitted." })
  @IsOptional()
  @IsInt()
  @Min(0)
  frequency?: number | null;

  @Field(() => ID, { description: "Responsible department." })
  departmentId: string;

  @Field(() => ComplaintTier, { nullable: true, description: "Escalation tier; unchanged when omitted." })
  complaintTier?: ComplaintTier | null;
}

@InputType("IssueFilter", { description: "Filter for the issue list; all given conditions must hold." })
export class IssueFilter {
  @Field(() => [String], { nullable: true, description: "Only issues in one of these workflow states." })
  @IsOptional()
  @ArrayMaxSize(ISSUE_STATES.length)
  @IsIn([...ISSUE_STATES], { each: true })
  states?: string[] | null;

  @Field(() => IssueKind, { nullable: true, description: "Only complaints or only systemic issues." })
  kind?: IssueKind | null;

  @Field(() => ID, { nullable: true, description: "Only issues of this department." })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only issues assigned to this user." })
  assigneeId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only issues of this customer." })
  customerId?: string | null;

  @Field(() => Quadrant, { nullable: true, description: "Only issues in this priority quadrant." })
  quadrant?: Quadrant | null;

  @Field(() => Date, { nullable: true, description: "Created at or after this time." })
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Created before this time (exclusive)." })
  createdTo?: Date | null;
}
