import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import { WorkflowEntity } from "../../common/enums";
import { parseOptionalId } from "../../common/errors";
import { Issue, TransitionLog } from "../../entity";
import type { ComplaintEvent, TransitionEvent } from "./live-events";
import type { Loaders } from "../loaders";
import { SubscriptionArgs, visibleEvents } from "./subscription-context";

/** How to load the object a transition is about, as the subscriber (null: not visible to them). */
const OBJECT_OF: Record<WorkflowEntity, (loaders: Loaders, id: number) => Promise<unknown>> = {
  [WorkflowEntity.ISSUE]: (loaders, id) => loaders.issue.load(id),
  [WorkflowEntity.CAUSE]: (loaders, id) => loaders.cause.load(id),
  [WorkflowEntity.ACTION_ITEM]: (loaders, id) => loaders.actionItem.load(id),
  [WorkflowEntity.ADJUSTMENT_REQUEST]: (loaders, id) => loaders.adjustmentRequest.load(id),
  [WorkflowEntity.VERIFICATION_CHECK]: (loaders, id) => loaders.verificationCheck.load(id),
  [WorkflowEntity.SURVEY_CAMPAIGN]: (loaders, id) => loaders.surveyCampaign.load(id),
  [WorkflowEntity.SURVEY_INVITATION]: (loaders, id) => loaders.surveyInvitation.load(id),
  [WorkflowEntity.REVIEW_MEETING]: (loaders, id) => loaders.reviewMeeting.load(id),
};

/**
 * Live updates over graphql-ws (same endpoint, /graphql). Events are sent after the change has
 * committed; only changes committed by this server process are seen (see LiveEvents).
 */
@Resolver()
export class LiveUpdateResolver {
  @Authorized()
  @Subscription(() => TransitionLog, {
    description:
      "Each workflow transition as it commits: of one machine (`entityType`), of one object " +
      "(`entityType` and `entityId`), or all of them — of the objects the caller may read.",
    subscribe: ({ args, context }: SubscriptionArgs<{ entityType?: WorkflowEntity | null; entityId?: string | null }>) =>
      visibleEvents(
        context,
        context.services.liveUpdates.transitions({
          entityType: args.entityType ?? null,
          entityId: parseOptionalId(args.entityId, "entityId"),
        }),
        (loaders, event) => OBJECT_OF[event.entityType](loaders, event.entityId),
      ),
  })
  transitionRecorded(
    @Root() event: TransitionEvent,
    @Arg("entityType", () => WorkflowEntity, { nullable: true, description: "Only this machine." })
    _entityType: WorkflowEntity | null,
    @Arg("entityId", () => ID, { nullable: true, description: "Only this object (needs entityType)." })
    _entityId: string | null,
  ): TransitionLog {
    return event as TransitionLog;
  }

  @Authorized()
  @Subscription(() => Issue, {
    description:
      "Each complaint the caller may read, as it is registered (a COMPLAINT issue in intake), for the complaint inbox.",
    subscribe: ({ context }: SubscriptionArgs<Record<string, never>>) =>
      visibleEvents(context, context.services.liveUpdates.complaints(), (loaders, event) =>
        loaders.issue.load(event.issueId),
      ),
  })
  complaintRegistered(@Root() event: ComplaintEvent, @Ctx() ctx: SubscriptionArgs<never>["context"]) {
    return ctx.loaders.issue.load(event.issueId);
  }
}
