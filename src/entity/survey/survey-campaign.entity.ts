import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Channel, TicketType } from "../../common/enums";
import {
  CreatedAtColumn,
  DateTimeColumn,
  DecimalColumn,
  EnumColumn,
  StateColumn,
  VersionCounterColumn,
} from "../columns";
import { SurveyCampaignKind } from "./survey-enums";

/**
 * A survey campaign: which customers are asked (its kind and target filter), with which template,
 * over which channel, and the timing of its invitations. The timing is copied from the settings
 * when the campaign is created, so changing a setting later never changes a running campaign.
 */
@ObjectType({
  description:
    "A survey campaign: post-service (standing rule per completed ticket), periodic, special or re-survey. " +
    "Created as draft, launched (active), closed.",
})
@Entity("survey_campaign")
@Index(["kind", "state"])
export class SurveyCampaign {
  @Field(() => ID, { description: "Unique id of the survey campaign." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Campaign name, e.g. 2026 年 10 月 维修客户月度回访." })
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field(() => SurveyCampaignKind, { description: "How the campaign selects its customers." })
  @EnumColumn(SurveyCampaignKind)
  kind: SurveyCampaignKind;

  @Column({ type: "int" })
  templateId: number;

  @Field(() => Channel, {
    description: "How customers are asked: SMS, EMAIL and APP send a link; PHONE and VISIT create call-back tasks.",
  })
  @EnumColumn(Channel)
  channel: Channel;

  @Field(() => String, { nullable: true, description: "Only customers of this region (any region when null)." })
  @Column({ type: "varchar", length: 64, nullable: true })
  targetRegion: string | null;

  @Field(() => [TicketType], {
    nullable: true,
    description: "Only tickets of these types (any type when null).",
  })
  @Column({ type: "simple-json", nullable: true })
  ticketTypes: TicketType[] | null;

  @Field(() => Int, {
    nullable: true,
    description: "Periodic campaigns: customers whose ticket was completed in the last N days before launch.",
  })
  @Column({ type: "int", nullable: true })
  servedWithinDays: number | null;

  @Field(() => Date, { nullable: true, description: "Special campaigns: start of the incident window." })
  @DateTimeColumn({ nullable: true })
  incidentFrom: Date | null;

  @Field(() => Date, { nullable: true, description: "Special campaigns: end of the incident window (exclusive)." })
  @DateTimeColumn({ nullable: true })
  incidentTo: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: "Post-service campaigns: hours between the ticket's completion and the invitation (24–48).",
  })
  @Column({ type: "int", nullable: true })
  postServiceDelayHours: number | null;

  @Field(() => Int, { description: "Days an invitation can be answered after it was sent." })
  @Column({ type: "int" })
  expiryDays: number;

  @Field(() => Int, { description: "Days after sending when the one reminder goes to non-responders." })
  @Column({ type: "int" })
  reminderAfterDays: number;

  @Column({ type: "int", nullable: true })
  verificationCheckId: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Re-surveys: share of the affected customers asked, drawn at random (all when null).",
  })
  @DecimalColumn({ nullable: true })
  sampleRate: number | null;

  @Field({ description: "Workflow state: draft, active or closed (see workflowDefinitions)." })
  @StateColumn()
  state: string;

  @Field(() => Date, { nullable: true, description: "When the campaign was launched." })
  @DateTimeColumn({ nullable: true })
  launchedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the campaign was closed." })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Column({ type: "int" })
  createdById: number;

  @Field({ description: "When the campaign was created." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;
}
