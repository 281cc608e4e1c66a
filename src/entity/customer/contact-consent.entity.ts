import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Channel } from "../../common/enums";
import { ContactConsentDecision } from "../../privacy/consent";
import { CreatedAtColumn, DateTimeColumn, EnumColumn } from "../columns";

/**
 * One consent decision as the customer gave it: append-only, so the history shows when and how
 * each decision was made; the latest record (highest id) is the one in force.
 */
@ObjectType({ description: "A customer's decision about being contacted (surveys, call-backs, change notices)." })
@Entity("contact_consent")
@Index(["customerId", "id"])
export class ContactConsent {
  @Field(() => ID, { description: "Unique id of the consent record." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  customerId: number;

  @Field(() => ContactConsentDecision, { description: "Granted or refused." })
  @EnumColumn(ContactConsentDecision)
  decision: ContactConsentDecision;

  @Field(() => Channel, { description: "How the decision was given (phone, web form, SMS reply, visit …)." })
  @EnumColumn(Channel)
  channel: Channel;

  @Field({ description: "When the customer gave the decision." })
  @DateTimeColumn()
  givenAt: Date;

  /** Who recorded it (null: an import or the survey page). */
  @Column({ type: "int", nullable: true })
  recordedById: number | null;

  /** The feedback it was recorded with, at intake. */
  @Column({ type: "int", nullable: true })
  feedbackId: number | null;

  @Field({ description: "When it was recorded." })
  @CreatedAtColumn()
  createdAt: Date;
}
