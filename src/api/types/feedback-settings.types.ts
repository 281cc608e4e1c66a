import { Field, Float, InputType, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Survey timing." })
export class SurveySettings {
  @Field(() => Int, { description: "Post-service surveys go out this many hours after the ticket completes (24–48 usual)." })
  postServiceDelayHours: number;

  @Field(() => Int, { description: "The one reminder to non-responders goes out after this many days." })
  reminderAfterDays: number;

  @Field(() => Int, { description: "The survey window: the token expires after this many days." })
  expiryDays: number;
}

@ObjectType({ description: "Feedback verification (待核实)." })
export class VerificationSettings {
  @Field(() => Float, { description: "Share (0–1) of extreme ratings (overall 1 or 5) sampled for a call-back." })
  extremeSampleRate: number;

  @Field(() => Int, { description: "Feedback to verify must be verified within this many hours, else it escalates." })
  verifyWithinHours: number;

  @Field(() => Int, { description: "Scores at or below this are low (1–4)." })
  lowScoreAtMost: number;

  @Field(() => Float, { description: "A ticket answered within this many hours counts as on time in the ticket check." })
  onTimeResponseHours: number;
}

@ObjectType({ description: "Deadlines of one complaint tier." })
export class SlaTierSettings {
  @Field(() => Int, { description: "Respond within this many minutes." })
  respondMinutes: number;

  @Field(() => Int, { description: "Plan within this many hours." })
  planHours: number;

  @Field(() => Int, { description: "Close within this many hours." })
  closeHours: number;
}

@ObjectType({ description: "Complaint SLA." })
export class SlaSettings {
  @Field(() => SlaTierSettings, { description: "Tier 1 (led by a department head)." })
  tier1: SlaTierSettings;

  @Field(() => SlaTierSettings, { description: "Tier 2 (followed up by a supervisor)." })
  tier2: SlaTierSettings;

  @Field(() => Int, { description: "A breach still open this long after the department head was told goes to the operations manager." })
  escalateToManagerAfterMinutes: number;
}

@ObjectType({ description: "The intake settings in force (stored values over the defaults)." })
export class IntakeSettings {
  @Field(() => SurveySettings, { description: "Survey timing." })
  survey: SurveySettings;

  @Field(() => VerificationSettings, { description: "Feedback verification." })
  verification: VerificationSettings;

  @Field(() => SlaSettings, { description: "Complaint SLA." })
  sla: SlaSettings;
}

@InputType({ description: "Survey timing changes; fields left out keep their value." })
export class SurveySettingsInput {
  @Field(() => Int, { nullable: true, description: "0–168." })
  postServiceDelayHours?: number | null;

  @Field(() => Int, { nullable: true, description: "1–30, before the window closes." })
  reminderAfterDays?: number | null;

  @Field(() => Int, { nullable: true, description: "1–90." })
  expiryDays?: number | null;
}

@InputType({ description: "Verification changes; fields left out keep their value." })
export class VerificationSettingsInput {
  @Field(() => Float, { nullable: true, description: "0–1 (0 samples nothing, 1 every extreme rating)." })
  extremeSampleRate?: number | null;

  @Field(() => Int, { nullable: true, description: "1–720." })
  verifyWithinHours?: number | null;

  @Field(() => Int, { nullable: true, description: "1–4." })
  lowScoreAtMost?: number | null;

  @Field(() => Float, { nullable: true, description: "Above 0, at most 720." })
  onTimeResponseHours?: number | null;
}

@InputType({ description: "Changes to one complaint tier; respond ≤ plan ≤ close must hold afterwards." })
export class SlaTierSettingsInput {
  @Field(() => Int, { nullable: true, description: "1–10080 minutes." })
  respondMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: "1–720 hours." })
  planHours?: number | null;

  @Field(() => Int, { nullable: true, description: "1–2160 hours." })
  closeHours?: number | null;
}

@InputType({ description: "Complaint SLA changes; fields left out keep their value." })
export class SlaSettingsInput {
  @Field(() => SlaTierSettingsInput, { nullable: true, description: "Tier 1." })
  tier1?: SlaTierSettingsInput | null;

  @Field(() => SlaTierSettingsInput, { nullable: true, description: "Tier 2." })
  tier2?: SlaTierSettingsInput | null;

  @Field(() => Int, { nullable: true, description: "1–10080 minutes." })
  escalateToManagerAfterMinutes?: number | null;
}

@InputType({ description: "Changes to the intake settings; sections and fields left out keep their value." })
export class UpdateIntakeSettingsInput {
  @Field(() => SurveySettingsInput, { nullable: true, description: "Survey timing." })
  survey?: SurveySettingsInput | null;

  @Field(() => VerificationSettingsInput, { nullable: true, description: "Feedback verification." })
  verification?: VerificationSettingsInput | null;

  @Field(() => SlaSettingsInput, { nullable: true, description: "Complaint SLA." })
  sla?: SlaSettingsInput | null;
}
