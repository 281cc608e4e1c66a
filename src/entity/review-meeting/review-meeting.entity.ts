import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import {
  CreatedAtColumn,
  DateTimeColumn,
  EnumColumn,
  StateColumn,
  UpdatedAtColumn,
  VersionCounterColumn,
} from "../columns";
import { ReviewMeetingKind } from "./review-meeting-enums";

@ObjectType({
  description:
    "A review meeting (weekly, monthly, joint): its agenda is generated from the data and frozen when it is held.",
})
@Entity("review_meeting")
@Index(["kind", "scheduledAt"])
export class ReviewMeeting {
  @Field(() => ID, { description: "Unique id of the review meeting." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => ReviewMeetingKind, { description: "WEEKLY, MONTHLY or JOINT." })
  @EnumColumn(ReviewMeetingKind)
  kind: ReviewMeetingKind;

  @Field({ description: "Title." })
  @Column({ type: "varchar", length: 200 })
  title: string;

  @Field({ description: "The period reviewed: an ISO week (2026-W47) or, for a monthly review, a month (2026-10)." })
  @Column({ type: "varchar", length: 16 })
  period: string;

  @Field({ description: "When the meeting is scheduled." })
  @DateTimeColumn()
  scheduledAt: Date;

  /** Attendees' user ids; resolved to `attendees`. */
  @Column({ type: "simple-array" })
  attendeeIds: string[];

  @Field(() => String, { nullable: true, description: "Minutes (会议纪要); required to close." })
  @Column({ type: "text", nullable: true })
  minutes: string | null;

  @Field(() => Date, { nullable: true, description: "When it was held: the agenda was frozen then." })
  @DateTimeColumn({ nullable: true })
  heldAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When it was closed." })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  /** The meeting whose unresolved items were carried into this one's agenda when it was held. */
  @Column({ type: "int", nullable: true })
  carriedFromMeetingId: number | null;

  @Field({ description: "Workflow state (see workflowDefinitions)." })
  @StateColumn()
  state: string;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Column({ type: "int" })
  createdById: number;

  @Field({ description: "When it was scheduled." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field({ description: "Last change." })
  @UpdatedAtColumn()
  updatedAt: Date;
}
