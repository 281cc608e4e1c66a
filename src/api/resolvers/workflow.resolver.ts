import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { describeWorkflow } from "../../../workflows/runtime";
import { WORKFLOWS } from "../../../workflows";
import { parseOptionalId } from "../../common/errors";
import { TransitionLog, User } from "../../entity";
import { type RequestContext, requireActor } from "../context";
import { PageArgs } from "../pagination";
import { TransitionLogConnection, TransitionLogFilterInput, WorkflowDefinition } from "../types/workflow.types";

@Resolver(() => TransitionLog)
export class WorkflowResolver {
  @Query(() => [WorkflowDefinition], {
    description: "Every workflow machine's states, events and targets, generated from the machines.",
  })
  workflowDefinitions(): WorkflowDefinition[] {
    return Object.values(WORKFLOWS).map((workflow) => describeWorkflow(workflow));
  }

  @Authorized()
  @Query(() => TransitionLogConnection, { description: "The append-only transition log, newest first." })
  transitionLog(
    @Arg("filter", () => TransitionLogFilterInput, {
      nullable: true,
      description: "Narrows the log (every transition when omitted).",
    })
    filter: TransitionLogFilterInput | null,
    @Args() page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.transitionLog.list(
      requireActor(ctx),
      {
        ...filter,
        entityId: parseOptionalId(filter?.entityId, "filter.entityId"),
        actorId: parseOptionalId(filter?.actorId, "filter.actorId"),
      },
      page,
    );
  }

  @FieldResolver(() => User, { description: "Who sent the event." })
  actor(@Root() entry: TransitionLog, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(entry.actorId);
  }
}
