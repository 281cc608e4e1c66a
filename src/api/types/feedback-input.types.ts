import { IsInt, Matches, Max, Min } from "class-validator";
import { Field, InputType, Int } from "type-graphql";

/** Dimension codes are short identifiers shared across templates, e.g. responsiveness. */
export const DIMENSION_CODE = /^[a-z][a-zA-Z0-9_]{0,63}$/;

/** Most scores one feedback may carry (a template has a handful of dimensions). */
export const MAX_SCORES = 20;

/**
 * A 1–5 score on one dimension. Used with `@ArrayMinSize(1) @ArrayMaxSize(MAX_SCORES)
 * @ValidateNested({ each: true })` on the list: type-graphql builds nested input instances, so
 * class-validator reaches each score and names it (scores.0.score).
 */
@InputType({ description: "A 1–5 score on one dimension." })
export class ScoreInput {
  @Field({ description: "Dimension code, e.g. responsiveness." })
  @Matches(DIMENSION_CODE, { message: "dimension must be a code like responsiveness" })
  dimension: string;

  @Field(() => Int, { description: "1 (very dissatisfied) to 5 (very satisfied)." })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;
}
