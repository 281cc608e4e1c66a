import { ArrayMaxSize, MaxLength, ValidateNested } from "class-validator";
import { ArgsType, createUnionType, Field, ID, InputType, Int } from "type-graphql";
import { TransitionError } from "../../common/error-results";
import { badInput, parseId, parseOptionalId } from "../../common/errors";
import { TEXT_LIMITS } from "../../common/validation";
import { ReviewDecision, ReviewMeeting } from "../../entity";
import { DecisionKind, ReviewMeetingKind } from "../../entity/review-meeting/review-meeting-enums";
import type { NewDecision } from "../../service/review/review-meeting.service";
import { ConnectionType, PageArgs } from "../pagination";
import { AddActionItemInput, MAX_FILTER_VALUES, PostProgressInput } from "./action-item.types";
import { SubmitAdjustmentRequestInput } from "./adjustment-request.types";

export const ReviewMeetingConnection = ConnectionType(ReviewMeeting, "ReviewMeeting");

export const ReviewMeetingResult = createUnionType({
  name: "ReviewMeetingResult",
  description: "The meeting after the event, or why the event was refused (nothing changed).",
  types: () => [ReviewMeeting, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? "TransitionError" : "ReviewMeeting"),
});

export const ReviewDecisionResult = createUnionType({
  name: "ReviewDecisionResult",
  description:
    "The recorded decision, or why it was refused: by the meeting's workflow, or by the action item's or " +
    "adjustment request's workflow that would have carried it out (nothing recorded then).",
  types: () => [ReviewDecision, TransitionError] as const,
  resolveType: (value) => (value instanceof TransitionError ? "TransitionError" : "ReviewDecision"),
});

@InputType({ description: "A review meeting to schedule." })
export class ScheduleReviewMeetingInput {
  @Field(() => ReviewMeetingKind, { description: "WEEKLY, MONTHLY or JOINT." })
  kind: ReviewMeetingKind;

  @Field({ description: `Title (≤ ${TEXT_LIMITS.title} characters).` })
  @MaxLength(TEXT_LIMITS.title)
  title: string;

  @Field({ description: "When it takes place." })
  scheduledAt: Date;

  @Field(() => String, {
    nullable: true,
    description:
      "Period reviewed: ISO week (WEEKLY, JOINT; default the week of scheduledAt) or month (MONTHLY; default the month before scheduledAt).",
  })
  @MaxLength(16)
  period?: string | null;

  @Field(() => [ID], { description: "Attendees (at most 100); none by default." })
  @ArrayMaxSize(100)
  attendeeIds: string[] = [];
}

@InputType({ description: "Changes to a meeting; omitted fields stay. Title and time are fixed once held." })
export class UpdateReviewMeetingInput {
  @Field(() => String, { nullable: true, description: "New title." })
  @MaxLength(TEXT_LIMITS.title)
  title?: string | null;

  @Field(() => Date, { nullable: true, description: "New time." })
  scheduledAt?: Date | null;

  @Field(() => [ID], { nullable: true, description: "The attendees (replaces the list)." })
  @ArrayMaxSize(100)
  attendeeIds?: string[] | null;

  @Field(() => String, { nullable: true, description: "Minutes (会议纪要); an empty string clears them." })
  @MaxLength(20_000)
  minutes?: string | null;
}

@InputType({
  description:
    "A decision of a held meeting. Give exactly the part its kind needs: NOTE → ownerId/dueDay (optional); " +
    "ADD_ACTION → addAction; POST_PROGRESS → progress; REQUEST_ADJUSTMENT → adjustment.",
})
export class RecordDecisionInput {
  @Field(() => ID, { description: "The meeting." })
  meetingId: string;

  @Field(() => DecisionKind, { description: "What the decision does." })
  kind: DecisionKind;

  @Field({ description: "The decision as minuted." })
  @MaxLength(TEXT_LIMITS.longText)
  text: string;

  @Field(() => ID, { nullable: true, description: "NOTE: who carries it out." })
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: "NOTE: day it is due, YYYY-MM-DD." })
  dueDay?: string | null;

  @Field(() => AddActionItemInput, { nullable: true, description: "ADD_ACTION: the action item to draft." })
  @ValidateNested()
  addAction?: AddActionItemInput | null;

  @Field(() => PostProgressInput, { nullable: true, description: "POST_PROGRESS: the progress report." })
  @ValidateNested()
  progress?: PostProgressInput | null;

  @Field(() => SubmitAdjustmentRequestInput, { nullable: true, description: "REQUEST_ADJUSTMENT: the request." })
  @ValidateNested()
  adjustment?: SubmitAdjustmentRequestInput | null;
}

@InputType({ description: "Filter for review meetings." })
export class ReviewMeetingFilter {
  @Field(() => ReviewMeetingKind, { nullable: true, description: "Only meetings of this kind." })
  kind?: ReviewMeetingKind | null;

  @Field(() => [String], { nullable: true, description: "Only meetings in one of these states." })
  @ArrayMaxSize(MAX_FILTER_VALUES)
  states?: string[] | null;
}

@ArgsType()
export class ReviewMeetingListArgs extends PageArgs {
  @Field(() => ReviewMeetingFilter, { nullable: true, description: "Conditions; omitted means all." })
  @ValidateNested()
  filter?: ReviewMeetingFilter | null;
}

@ArgsType()
export class ScheduleReviewMeetingArgs {
  @Field(() => ScheduleReviewMeetingInput, {
    description: "Kind, title, time, period and attendees of the new review meeting.",
  })
  @ValidateNested()
  input: ScheduleReviewMeetingInput;
}

@ArgsType()
export class UpdateReviewMeetingArgs {
  @Field(() => ID, { description: "The meeting." })
  id: string;

  @Field(() => UpdateReviewMeetingInput, { description: "The changes: title, time, attendees or minutes." })
  @ValidateNested()
  input: UpdateReviewMeetingInput;

  @Field(() => Int, { nullable: true, description: "The version the client saw." })
  expectedVersion?: number | null;
}

@ArgsType()
export class RecordDecisionArgs {
  @Field(() => RecordDecisionInput, {
    description: "The meeting, the decision's kind, text, owner and due day, and the part for that kind.",
  })
  @ValidateNested()
  input: RecordDecisionInput;
}

/**
 * The service's decision from the GraphQL input: ids parsed, and exactly the part the kind needs
 * (a part for another kind is bad input rather than silently ignored).
 */
export function toNewDecision(input: RecordDecisionInput): NewDecision {
  const parts = { addAction: input.addAction, progress: input.progress, adjustment: input.adjustment };
  const wanted: Record<DecisionKind, keyof typeof parts | null> = {
    [DecisionKind.NOTE]: null,
    [DecisionKind.ADD_ACTION]: "addAction",
    [DecisionKind.POST_PROGRESS]: "progress",
    [DecisionKind.REQUEST_ADJUSTMENT]: "adjustment",
  };
  for (const [name, value] of Object.entries(parts)) {
    if (value != null && name !== wanted[input.kind]) throw badInput(`input.${name}`, `is not part of a ${input.kind} decision`);
  }
  const part = wanted[input.kind];
  if (part !== null && parts[part] == null) throw badInput(`input.${part}`, `is required for a ${input.kind} decision`);
  if (input.kind !== DecisionKind.NOTE && (input.ownerId != null || input.dueDay != null)) {
    throw badInput("input.ownerId", "ownerId and dueDay belong to NOTE decisions");
  }
  const text = input.text;
  switch (input.kind) {
    case DecisionKind.NOTE:
      return { kind: input.kind, text, ownerId: parseOptionalId(input.ownerId, "input.ownerId"), dueDay: input.dueDay ?? null };
    case DecisionKind.ADD_ACTION: {
      const a = input.addAction!;
      return {
        kind: input.kind,
        text,
        action: {
          ...a,
          issueId: parseId(a.issueId, "input.addAction.issueId"),
          causeId: parseId(a.causeId, "input.addAction.causeId"),
          ownerId: parseId(a.ownerId, "input.addAction.ownerId"),
          departmentId: parseOptionalId(a.departmentId, "input.addAction.departmentId"),
          baseline: a.baseline ?? null,
          budget: a.budget ?? null,
        },
      };
    }
    case DecisionKind.POST_PROGRESS: {
      const p = input.progress!;
      return {
        kind: input.kind,
        text,
        progress: {
          actionItemId: parseId(p.actionItemId, "input.progress.actionItemId"),
          progress: p.progress,
          blockers: p.blockers ?? null,
          nextStep: p.nextStep ?? null,
        },
      };
    }
    case DecisionKind.REQUEST_ADJUSTMENT: {
      const r = input.adjustment!;
      return {
        kind: input.kind,
        text,
        adjustment: {
          actionItemId: parseId(r.actionItemId, "input.adjustment.actionItemId"),
          reason: r.reason,
          proposedPlannedEnd: r.proposedPlannedEnd ?? null,
          proposedOwnerId: parseOptionalId(r.proposedOwnerId, "input.adjustment.proposedOwnerId"),
          proposedTarget: r.proposedTarget ?? null,
          proposedScope: r.proposedScope ?? null,
          alternativePlan: r.alternativePlan ?? null,
        },
      };
    }
  }
}
