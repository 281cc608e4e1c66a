import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { requireActor, type RequestContext } from "../context";
import { IntakeSettings, UpdateIntakeSettingsInput } from "../types/feedback-settings.types";

/** Survey timing, verification and complaint-SLA settings. */
@Resolver()
export class IntakeSettingsResolver {
  @Authorized(["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN"])
  @Query(() => IntakeSettings, { description: "The intake settings in force." })
  intakeSettings(@Ctx() ctx: RequestContext) {
    return ctx.services.intakeSettings.get();
  }

  @Authorized(["OPERATIONS_MANAGER", "ADMIN"])
  @Mutation(() => IntakeSettings, {
    description: "Changes intake settings; each value is range-checked and nothing is written unless all are valid.",
  })
  updateIntakeSettings(
    @Arg("input", { description: "The values to change." }) input: UpdateIntakeSettingsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.intakeSettings.update(requireActor(ctx), input);
  }
}
