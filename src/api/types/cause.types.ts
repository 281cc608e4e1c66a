import { MaxLength } from "class-validator";
import { createUnionType, Field, ID, InputType } from "type-graphql";
import { CauseCategory } from "../../common/enums";
import { TransitionError } from "../../common/error-results";
import { TEXT_LIMITS } from "../../common/validation";
import { Cause } from "../../entity";

export const CauseResult = createUnionType({
  name: "CauseResult",
  description: "The cause after the event, or why the event was refused (nothing changed then).",
  types: () => [Cause, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? TransitionError : Cause),
});

@InputType({ description: "A new fishbone cause (a hypothesis until judged on evidence)." })
export class AddCauseInput {
  @Field(() => ID, { description: "The issue being analysed." })
  issueId: string;

  @Field(() => CauseCategory, { description: "The bone it hangs on." })
  category: CauseCategory;

  @Field({ description: "The cause, stated plainly (at most 500 characters)." })
  @MaxLength(TEXT_LIMITS.shortText)
  text: string;

  @Field(() => ID, {
    nullable: true,
    description: "The cause this one explains (a why-chain); must belong to the same issue.",
  })
  parentId?: string | null;
}
