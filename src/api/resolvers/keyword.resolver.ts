import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { parseId } from "../../common/errors";
import { KeywordTag } from "../../entity";
import type { RequestContext } from "../context";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";
import {
  CreateKeywordTagInput,
  KeywordTagCountReport,
  KeywordTagCountsInput,
  UpdateKeywordTagInput,
} from "../types/feedback-keyword.types";

/** The keyword taxonomy comments are tagged with, and keyword statistics. */
@Resolver(() => KeywordTag)
export class KeywordResolver {
  @Authorized()
  @Query(() => [KeywordTag], {
    description: "The keyword taxonomy (seeded with the default problem keywords on first use), enabled tags first.",
  })
  keywordTags(
    @Arg("includeDisabled", { defaultValue: false, description: "Include disabled tags." }) includeDisabled: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.keywords.listTags(includeDisabled);
  }

  @Authorized(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"])
  @Mutation(() => KeywordTag, {
    description: "Adds a keyword tag. It tags feedback recorded from now on; past comments keep their tags.",
  })
  createKeywordTag(
    @Arg("input", { description: "The new tag." }) input: CreateKeywordTagInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.keywords.createTag(input);
  }

  @Authorized(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"])
  @Mutation(() => KeywordTag, {
    description: "Changes a keyword tag (labels, synonyms, category, complaint flag, enabled). Applies to feedback recorded from now on.",
  })
  updateKeywordTag(
    @Arg("id", () => ID, { description: "The tag." }) id: string,
    @Arg("input", { description: "The changes." }) input: UpdateKeywordTagInput,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.keywords.updateTag(parseId(id, "id"), input, expectedVersion);
  }

  @Authorized()
  @Query(() => KeywordTagCountReport, {
    description:
      "How often each keyword tag occurred in the comments of feedback received in a period, per segment (region, ticket type, department, channel, source, new/returning customer). INVALID feedback is left out.",
  })
  keywordTagCounts(
    @Arg("input", { description: "Period, breakdown and tags." }) input: KeywordTagCountsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.keywords.counts(input);
  }
}
