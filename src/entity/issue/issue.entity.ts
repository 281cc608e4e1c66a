import { Field, ID, Int, ObjectType } from "type-graphql";
import { PersonalText } from "../../privacy/personal-data";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { ComplaintTier, Impact, IssueKind, Quadrant } from "../../common/enums";
import {
  CreatedAtColumn,
  DateTimeColumn,
  EnumColumn,
  StateColumn,
  UpdatedAtColumn,
  VersionCounterColumn,
} from "../columns";

@ObjectType({ description: "A problem record: one customer's complaint or a systemic problem." })
@Entity("issue")
@Index(["state", "id"])
@Index(["departmentId", "state"])
@Index(["category", "state"])
export class Issue {
  @Field(() => ID, { description: "Unique id of the issue." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => IssueKind, { description: "Complaint (inner loop) or systemic (outer loop)." })
  @EnumColumn(IssueKind)
  kind: IssueKind;

  @Field({ description: "Short title." })
  @PersonalText((issue: Issue) => issue.customerId)
  @Column({ type: "varchar", length: 200 })
  title: string;

  @Field({ description: "What happened and to whom." })
  @PersonalText((issue: Issue) => issue.customerId)
  @Column({ type: "text" })
  description: string;

  @Field(() => Int, { nullable: true, description: "Occurrences per month, when known." })
  @Column({ type: "int", nullable: true })
  frequency: number | null;

  @Field(() => Impact, { nullable: true, description: "Impact, set at triage." })
  @EnumColumn(Impact, { nullable: true })
  impact: Impact | null;

  @Field({ description: "Urgent, set at triage." })
  @Column({ type: "boolean", default: false })
  urgent: boolean;

  @Field({ description: "Important, set at triage." })
  @Column({ type: "boolean", default: false })
  important: boolean;

  @Field(() => ComplaintTier, { nullable: true, description: "Escalation tier of a complaint." })
  @EnumColumn(ComplaintTier, { nullable: true })
  complaintTier: ComplaintTier | null;

  @Column({ type: "int", nullable: true })
  departmentId: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Problem category (a keyword tag or dimension code); intake rules attach matching feedback to an open issue of the same category.",
  })
  @Column({ type: "varchar", length: 64, nullable: true })
  category: string | null;

  @Index()
  @Column({ type: "int", nullable: true })
  assigneeId: number | null;

  @Index()
  @Column({ type: "int", nullable: true })
  customerId: number | null;

  @Field({ description: "Workflow state (see workflowDefinitions)." })
  @StateColumn()
  state: string;

  @Field(() => Int, {
    description: "Improvement cycle: 1 at first, +1 each time a failed verification returns the issue to analysis.",
  })
  @Column({ type: "int", default: 1 })
  cycle: number;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Index()
  @Column({ type: "int" })
  createdById: number;

  @Field({ description: "When the issue was opened." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field({ description: "Last change." })
  @UpdatedAtColumn()
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: "When the issue was closed." })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Field(() => Quadrant, { description: "Urgent × important quadrant." })
  get quadrant(): Quadrant {
    return quadrantOf(this.urgent, this.important);
  }

  @Field(() => Int, { description: "Priority 1 (highest) to 4, derived from the quadrant." })
  get priority(): number {
    return QUADRANT_PRIORITY[this.quadrant];
  }
}

/** Priority follows the Eisenhower order: do first, schedule, delegate, drop. */
export const QUADRANT_PRIORITY: Record<Quadrant, number> = {
  [Quadrant.URGENT_IMPORTANT]: 1,
  [Quadrant.IMPORTANT_NOT_URGENT]: 2,
  [Quadrant.URGENT_NOT_IMPORTANT]: 3,
  [Quadrant.NEITHER]: 4,
};

export function quadrantOf(urgent: boolean, important: boolean): Quadrant {
  if (urgent && important) return Quadrant.URGENT_IMPORTANT;
  if (important) return Quadrant.IMPORTANT_NOT_URGENT;
  if (urgent) return Quadrant.URGENT_NOT_IMPORTANT;
  return Quadrant.NEITHER;
}

/** The inverse of quadrantOf, for filtering on the stored columns. */
export function flagsOfQuadrant(quadrant: Quadrant): { urgent: boolean; important: boolean } {
  return {
    urgent: quadrant === Quadrant.URGENT_IMPORTANT || quadrant === Quadrant.URGENT_NOT_IMPORTANT,
    important: quadrant === Quadrant.URGENT_IMPORTANT || quadrant === Quadrant.IMPORTANT_NOT_URGENT,
  };
}
