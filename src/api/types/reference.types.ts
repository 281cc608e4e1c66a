import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsPositive,
  Matches,
  MaxLength,
  ValidateNested,
} from "class-validator";
import { Field, Float, ID, InputType } from "type-graphql";
import { TicketType } from "../../common/enums";
import { TEXT_LIMITS } from "../../common/validation";
import { Customer, ServiceTicket, SurveyTemplate } from "../../entity";
import { ConnectionType } from "../pagination";
import { MAX_OPEN_QUESTIONS, REFERENCE_LIMITS } from "../../service/reference.service";
import { DIMENSION_CODE, MAX_SCORES } from "./feedback-input.types";
import { ContactConsentInput } from "./contact-consent.types";

export const CustomerConnection = ConnectionType(Customer, "Customer");
export const ServiceTicketConnection = ConnectionType(ServiceTicket, "ServiceTicket");
export const SurveyTemplateConnection = ConnectionType(SurveyTemplate, "SurveyTemplate");

/** Digits with the separators people type in phone numbers; the column holds 32 characters. */
export const PHONE_PATTERN = /^[0-9+\- ]{1,32}$/;

@InputType({ description: "A new customer." })
export class CreateCustomerInput {
  @Field({ description: "Customer name, at most 100 characters." })
  @MaxLength(TEXT_LIMITS.name)
  name: string;

  @Field(() => String, { nullable: true, description: "Phone: digits, +, - and spaces; at most 32." })
  @Matches(PHONE_PATTERN, { message: "phone may contain only digits, +, - and spaces (at most 32)" })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "E-mail address for surveys and notices." })
  @IsEmail({}, { message: "email must be an e-mail address" })
  @MaxLength(REFERENCE_LIMITS.email)
  email?: string | null;

  @Field(() => String, { nullable: true, description: "Sales/service region." })
  @MaxLength(REFERENCE_LIMITS.region)
  region?: string | null;

  @Field(() => ContactConsentInput, {
    nullable: true,
    description: "The customer's contact decision, when asked at intake (when and how it was given).",
  })
  @ValidateNested()
  contactConsent?: ContactConsentInput | null;
}

@InputType({ description: "Filter for customers." })
export class CustomerFilterInput {
  @Field(() => String, { nullable: true, description: "Only customers of this region (exact)." })
  @MaxLength(REFERENCE_LIMITS.region)
  region?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only customers whose name contains this text; FORBIDDEN for roles without access to personal data.",
  })
  @MaxLength(TEXT_LIMITS.name)
  nameContains?: string | null;
}

@InputType({ description: "A service ticket imported or typed in from the service system." })
export class CreateServiceTicketInput {
  @Field({ description: "Ticket number from the service system, unique." })
  @MaxLength(REFERENCE_LIMITS.ticketCode)
  code: string;

  @Field(() => ID, { description: "The customer served." })
  customerId: string;

  @Field(() => TicketType, { description: "Kind of service." })
  type: TicketType;

  @Field(() => String, { nullable: true, description: "Region where the service took place." })
  @MaxLength(REFERENCE_LIMITS.region)
  region?: string | null;

  @Field(() => String, { nullable: true, description: "Engineer who served the customer." })
  @MaxLength(REFERENCE_LIMITS.engineer)
  engineer?: string | null;

  @Field(() => ID, { nullable: true, description: "Department that handled the ticket." })
  departmentId?: string | null;

  @Field({ description: "When the ticket was opened." })
  openedAt: Date;

  @Field(() => Date, { nullable: true, description: "First response to the customer; not before openedAt." })
  firstResponseAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "When the service was completed; not before openedAt." })
  completedAt?: Date | null;
}

@InputType({ description: "Filter for service tickets." })
export class ServiceTicketFilterInput {
  @Field(() => ID, { nullable: true, description: "Only tickets of this customer." })
  customerId?: string | null;

  @Field(() => TicketType, { nullable: true, description: "Only tickets of this kind." })
  type?: TicketType | null;

  @Field(() => String, { nullable: true, description: "Only tickets of this region." })
  @MaxLength(REFERENCE_LIMITS.region)
  region?: string | null;

  @Field(() => ID, { nullable: true, description: "Only tickets handled by this department." })
  departmentId?: string | null;

  @Field(() => Date, { nullable: true, description: "Opened at or after this time." })
  openedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Opened before this time (exclusive)." })
  openedTo?: Date | null;
}

@InputType({ description: "A scored dimension of a new survey template." })
export class DimensionInput {
  @Field({ description: "Stable code shared across templates, e.g. responsiveness." })
  @Matches(DIMENSION_CODE, { message: "code must be an identifier like responsiveness" })
  code: string;

  @Field({ description: "Label shown to customers, e.g. 响应及时性." })
  @MaxLength(TEXT_LIMITS.name)
  name: string;

  @Field(() => Float, { defaultValue: 1, description: "Weight in weighted scores, above 0." })
  @IsPositive()
  weight: number = 1;
}


@InputType({ description: "A new survey template." })
export class CreateSurveyTemplateInput {
  @Field({ description: "Template name, unique." })
  @MaxLength(TEXT_LIMITS.name)
  name: string;

  @Field(() => [DimensionInput], {
    nullable: true,
    description:
      "Scored dimensions, in display order. Omitted: the five defaults (responsiveness, resolution, " +
      "attitude, compliance, overall).",
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCORES)
  @ValidateNested({ each: true })
  dimensions?: DimensionInput[] | null;

  @Field(() => [String], { description: "Open questions asked after the scores (0–2); none by default." })
  @ArrayMaxSize(MAX_OPEN_QUESTIONS)
  @MaxLength(TEXT_LIMITS.shortText, { each: true })
  openQuestions: string[] = [];
}
