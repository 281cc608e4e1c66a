import { Field, ID, ObjectType } from "type-graphql";
import { PersonalText } from "../../privacy/personal-data";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Channel, FeedbackSource, VerificationStatus } from "../../common/enums";
import { CreatedAtColumn, DateColumn, DateTimeColumn, EnumColumn, VersionCounterColumn } from "../columns";

@ObjectType({ description: "One piece of customer feedback: scores per dimension and a comment." })
@Entity("feedback")
@Index(["customerId", "receivedAt"])
@Index(["receivedAt"])
export class Feedback {
  @Field(() => ID, { description: "Unique id of the feedback." })
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
  @PersonalText((feedback: Feedback) => feedback.customerId)
  @Column({ type: "text", nullable: true })
  comment: string | null;

  @Field(() => VerificationStatus, { description: "Whether the feedback is trusted." })
  @EnumColumn(VerificationStatus)
  verificationStatus: VerificationStatus;

  @Field(() => String, { nullable: true, description: "Why the verification status was last set." })
  @Column({ type: "varchar", length: 500, nullable: true })
  verificationNote: string | null;

  /** Who last set the verification status (null while nobody has). */
  @Column({ type: "int", nullable: true })
  verifiedById: number | null;

  @Field(() => Date, { nullable: true, description: "Feedback to verify (待核实) must be verified by then." })
  @DateTimeColumn({ nullable: true })
  verificationDueAt: Date | null;

  /** The survey invitation this answers, when it came through one. */
  @Index()
  @Column({ type: "int", nullable: true })
  invitationId: number | null;

  /**
   * Identity of an imported row (the survey tool's response id, or a hash of the row), unique so
   * that importing the same export twice inserts nothing new.
   */
  @Column({ type: "varchar", length: 64, nullable: true, unique: true })
  importKey: string | null;

  @Field({ description: "When the customer gave the feedback." })
  @DateTimeColumn()
  receivedAt: Date;

  @Column({ type: "int" })
  recordedById: number;

  // The segment snapshot: what the feedback counts under in the analytics rollups, fixed when it
  // is recorded (src/service/analytics/rollups.ts), so that counts never move when a ticket or a
  // customer is edited later and the rollups can be corrected by subtracting exactly what was added.
  // Null only on rows recorded before the snapshot existed, until `qloop rollup rebuild` fills them.

  /** The UTC calendar day of receivedAt. */
  @DateColumn({ nullable: true })
  receivedDay: string | null;

  /** Department of the ticket; null without a ticket (or a ticket without a department). */
  @Column({ type: "int", nullable: true })
  segmentDepartmentId: number | null;

  /** Region of the ticket, else of the customer. */
  @Column({ type: "varchar", length: 64, nullable: true })
  segmentRegion: string | null;

  /** Type of the ticket (service type). */
  @Column({ type: "varchar", length: 32, nullable: true })
  segmentServiceType: string | null;

  /** NEW or RETURNING (the customer had a ticket opened before this feedback's ticket). */
  @Column({ type: "varchar", length: 16, nullable: true })
  segmentCustomerType: string | null;

  /** Engineer of the ticket. */
  @Column({ type: "varchar", length: 100, nullable: true })
  segmentEngineer: string | null;

  @Field({ description: "When it was recorded in qloop." })
  @CreatedAtColumn()
  createdAt: Date;

  @VersionCounterColumn()
  version: number;
}
