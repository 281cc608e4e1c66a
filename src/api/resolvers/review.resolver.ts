import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { REVIEW_READERS } from "../../common/roles";
import { RequestContext } from "../context";
import { MonthlyReview, WeeklyReview } from "../types/review.types";

@Resolver()
export class ReviewResolver {
  @Authorized(REVIEW_READERS)
  @Query(() => WeeklyReview, {
    description:
      "The weekly progress meeting pack for an ISO week: new issues by quadrant, actions due, overdue " +
      "and at risk, pending approvals and adjustments, blockers, complaint SLA breaches, the action tracker.",
  })
  weeklyReview(
    @Arg("week", { description: "ISO week, e.g. 2026-W47 (Monday–Sunday, UTC days)." }) week: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.weeklyReview.weeklyReview(week);
  }

  @Authorized(REVIEW_READERS)
  @Query(() => MonthlyReview, {
    description:
      "The monthly review of a calendar month: satisfaction analytics and 12-month trend, status by " +
      "department, verification results, issues returned to analysis, scorecards, case-library proposals.",
  })
  monthlyReview(
    @Arg("month", { description: "Calendar month, e.g. 2026-10 (UTC days)." }) month: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.monthlyReview.monthlyReview(month);
  }
}
