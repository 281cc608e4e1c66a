import { ArrayMaxSize, ArrayMinSize, MaxLength } from "class-validator";
import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { KeywordSegment } from "../../common/feedback-enums";
import { KeywordTag } from "../../entity";
import { KEYWORD_LIMITS } from "../../service/keywords/keyword.service";
import { MAX_FILTER_TAGS } from "./feedback.types";

@InputType({ description: "A new keyword tag of the taxonomy." })
export class CreateKeywordTagInput {
  @Field({ description: "Stable lower-case code, e.g. noisy_installation; fixed once created." })
  @MaxLength(64)
  code: string;

  @Field({ description: "Chinese label, e.g. 安装噪音大." })
  @MaxLength(KEYWORD_LIMITS.label)
  labelZh: string;

  @Field({ description: "English label." })
  @MaxLength(KEYWORD_LIMITS.label)
  labelEn: string;

  @Field(() => [String], {
    description: `Synonyms (1–${KEYWORD_LIMITS.synonyms}, each at most ${KEYWORD_LIMITS.synonym} characters), Chinese or English.`,
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(KEYWORD_LIMITS.synonyms)
  synonyms: string[];

  @Field(() => String, { nullable: true, description: "Dimension code the keyword speaks about, e.g. responsiveness." })
  @MaxLength(64)
  category?: string | null;

  @Field({ defaultValue: false, description: "Whether the keyword signals a complaint. Default false." })
  complaint: boolean = false;

  @Field({ defaultValue: true, description: "Whether it tags new comments. Default true." })
  enabled: boolean = true;
}

@InputType({ description: "Changes to a keyword tag; fields left out keep their value. The code cannot change." })
export class UpdateKeywordTagInput {
  @Field(() => String, { nullable: true, description: "Chinese label." })
  @MaxLength(KEYWORD_LIMITS.label)
  labelZh?: string | null;

  @Field(() => String, { nullable: true, description: "English label." })
  @MaxLength(KEYWORD_LIMITS.label)
  labelEn?: string | null;

  @Field(() => [String], { nullable: true, description: "The new list of synonyms (replaces the old one)." })
  @ArrayMaxSize(KEYWORD_LIMITS.synonyms)
  synonyms?: string[] | null;

  @Field(() => String, { nullable: true, description: "Dimension code; an empty string clears it." })
  @MaxLength(64)
  category?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Whether the keyword signals a complaint." })
  complaint?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Disable to stop tagging new comments with it." })
  enabled?: boolean | null;
}

@InputType({ description: "Which keyword counts to compute." })
export class KeywordTagCountsInput {
  @Field({ description: "Start of the period (feedback received at or after it)." })
  from: Date;

  @Field({ description: "End of the period (exclusive)." })
  to: Date;

  @Field(() => KeywordSegment, { defaultValue: KeywordSegment.NONE, description: "Breakdown; default NONE." })
  segment: KeywordSegment = KeywordSegment.NONE;

  @Field(() => [String], { nullable: true, description: "Only these tags, by code (default: all)." })
  @ArrayMaxSize(MAX_FILTER_TAGS)
  tagCodes?: string[] | null;
}

@ObjectType({ description: "How often one keyword tag occurred in a segment." })
export class KeywordTagCount {
  @Field({ description: "Code of the tag." })
  tagCode: string;

  @Field(() => Int, { description: "Valid feedback in the segment whose comment carries the tag." })
  count: number;

  @Field(() => Float, { description: "count / feedbackCount of the segment (0–1, 4 decimals)." })
  share: number;
}

@ObjectType({ description: "Keyword counts of one segment (e.g. one region)." })
export class KeywordSegmentCounts {
  @Field(() => String, {
    nullable: true,
    description:
      "Segment value: region, ticket type, department id, channel, source or NEW/RETURNING; null for unknown (e.g. no ticket) and for segment NONE.",
  })
  key: string | null;

  @Field({ description: "Readable label (department name, 维修, 新客户, 全部 …)." })
  label: string;

  @Field(() => Int, { description: "Valid (not INVALID) feedback received in the period in this segment, tagged or not." })
  feedbackCount: number;

  @Field(() => [KeywordTagCount], { description: "Tags found, most frequent first; tags not found are left out." })
  tags: KeywordTagCount[];
}

@ObjectType({ description: "Keyword-tag frequencies of a period, per segment; INVALID feedback is left out." })
export class KeywordTagCountReport {
  @Field({ description: "Start of the period." })
  from: Date;

  @Field({ description: "End of the period (exclusive)." })
  to: Date;

  @Field(() => KeywordSegment, { description: "The breakdown." })
  segment: KeywordSegment;

  @Field(() => [KeywordSegmentCounts], { description: "One entry per segment value, largest first." })
  segments: KeywordSegmentCounts[];
}

export { KeywordTag };
