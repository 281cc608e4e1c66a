import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Channel, FeedbackSource, VerificationStatus } from "../../common/enums";
import { CreatedAtColumn, DateTimeColumn, EnumColumn, VersionCounterColumn } from "../columns";

@ObjectType({ description: "One piece of customer feedback: scores per dimension and a comment." })
@Entity("feedback")
@Index(["customerId", "receivedAt"])
@Index(["receivedAt"])
export class Feedback {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => FeedbackSource, { description: "How the feedback arrived." })
  @EnumColumn(FeedbackSource)
  source: FeedbackSource;

  @Field(() => Channel, { description: "Channel the customer used." })
  @EnumColumn(Channel)
  channel: Channel;

  @Column({ type: "int" })
  customerId: number;

  @Index()
  @Column({ type: "int", nullable: true })
  ticketId: number | null;

  @Column({ type: "int", nullable: true })
  templateId: number | null;

  @Field(() => String, { nullable: true, description: "Free-text comment, as written." })
  @Column({ type: "text", nullable: true })
  comment: string | null;

  @Field(() => VerificationStatus, { description: "Whether the feedback is trusted." })
  @EnumColumn(VerificationStatus)
  verificationStatus: VerificationStatus;

  @Field(() => String, { nullable: true, description: "Why the verification status was last set." })
  @Column({ type: "varchar", length: 500, nullable: true })
  verificationNote: string | null;

  @Field({ description: "When the customer gave the feedback." })
  @DateTimeColumn()
  receivedAt: Date;

  @Column({ type: "int" })
  recordedById: number;

  @Field({ description: "When it was recorded in qloop." })
  @CreatedAtColumn()
  createdAt: Date;

  @VersionCounterColumn()
  version: number;
}
