import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { EnumColumn } from "../columns";
import { AgendaSection, AgendaSubject } from "./review-meeting-enums";

@ObjectType({
  description:
    "One agenda item. Frozen rows once the meeting is held; before that a preview computed from the data (id null).",
})
@Entity("review_agenda_item")
@Index(["meetingId", "position"])
export class ReviewAgendaItem {
  @Field(() => ID, { nullable: true, description: "Null while the agenda is a preview of a scheduled meeting." })
  @PrimaryGeneratedColumn()
  id: number | null;

  @Column({ type: "int" })
  meetingId: number;

  @Field(() => Int, { description: "Order on the agenda, from 1." })
  @Column({ type: "int" })
  position: number;

  @Field(() => AgendaSection, { description: "The section it belongs to." })
  @EnumColumn(AgendaSection)
  section: AgendaSection;

  @Field(() => AgendaSubject, { description: "What kind of object it is about." })
  @EnumColumn(AgendaSubject)
  subjectType: AgendaSubject;

  @Field(() => ID, { description: "The id of that object." })
  @Column({ type: "int" })
  subjectId: number;

  @Field({ description: "One line for the agenda, as it read when frozen." })
  @Column({ type: "varchar", length: 500 })
  title: string;

  @Field(() => String, { nullable: true, description: "Figures behind the item as they stood when frozen." })
  @Column({ type: "text", nullable: true })
  detail: string | null;

  /** The unresolved item of the previous meeting this one continues. */
  @Field(() => ID, { nullable: true, description: "The previous meeting's unresolved item this continues." })
  @Column({ type: "int", nullable: true })
  carriedFromItemId: number | null;

  @Field({ description: "Whether the meeting dealt with it; unresolved items carry over." })
  @Column({ type: "boolean", default: false })
  resolved: boolean;

  @Field(() => String, { nullable: true, description: "How it was dealt with." })
  @Column({ type: "text", nullable: true })
  resolution: string | null;
}
