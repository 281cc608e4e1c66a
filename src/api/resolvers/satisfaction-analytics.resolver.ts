import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { REVIEW_READERS } from "../../common/roles";
import { type RequestContext, requireActor } from "../context";
import {
  SatisfactionAnalytics,
  SatisfactionAnalyticsInput,
  SatisfactionTrend,
  SatisfactionTrendInput,
} from "../types/satisfaction-analytics.types";

/** Satisfaction analytics from the rollups. */
@Resolver()
export class SatisfactionAnalyticsResolver {
  @Authorized(REVIEW_READERS)
  @Query(() => SatisfactionAnalytics, {
    description:
      "Satisfaction analytics of a period (week, month, quarter or custom days), optionally for one segment " +
      "value and/or per segment: per dimension average, distribution 1–5, low and very-satisfied shares, the " +
      "five-level index (Σ score × count / 5N, 0–100) and grade, MoM and YoY change, the lowest dimensions, " +
      "keyword frequencies and responses. INVALID feedback is left out.",
  })
  satisfactionAnalytics(
    @Arg("input", { description: "Period, filter and grouping." }) input: SatisfactionAnalyticsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.analytics.analyse(input, requireActor(ctx));
  }

  @Authorized(REVIEW_READERS)
  @Query(() => SatisfactionTrend, {
    description:
      "Satisfaction per dimension per month for the months ending with endMonth (default 12), from the rollups.",
  })
  satisfactionTrend(
    @Arg("input", { description: "Last month, number of months and filter." }) input: SatisfactionTrendInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.analytics.trend(input, requireActor(ctx));
  }
}
