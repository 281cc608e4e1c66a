import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { ComplaintTier, IssueKind } from "../../common/enums";
import { RuleConditionMatch } from "../../common/feedback-enums";
import { CreatedAtColumn, EnumColumn, UpdatedAtColumn, VersionCounterColumn } from "../columns";

/**
 * An automatic intake rule: when recorded feedback meets its conditions, open an issue for it or
 * attach it to the open issue of the same category. Enabled rules are tried in `position` order
 * and the first that matches wins.
 */
@ObjectType({
  description:
    "An automatic intake rule: feedback meeting its conditions opens an issue, or is attached as evidence to the open issue of the same category.",
})
@Entity("intake_rule")
@Index(["enabled", "position"])
export class IntakeRule {
  @Field(() => ID, { description: "Unique id of the intake rule." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Name, shown in the issues it opens." })
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field({ description: "Disabled rules are skipped." })
  @Column({ type: "boolean", default: true })
  enabled: boolean;

  @Field(() => Int, { description: "Order of evaluation, lowest first; the first matching rule wins." })
  @Column({ type: "int" })
  position: number;

  @Field(() => RuleConditionMatch, { description: "Whether all set conditions must hold, or any one." })
  @EnumColumn(RuleConditionMatch)
  conditionMatch: RuleConditionMatch;

  @Field(() => Int, {
    nullable: true,
    description: "Condition: the overall rating is at most this (the overall score, else the mean of the scores).",
  })
  @Column({ type: "smallint", nullable: true })
  overallAtMost: number | null;

  @Field(() => Int, { nullable: true, description: "Condition: some dimension is scored at most this." })
  @Column({ type: "smallint", nullable: true })
  anyDimensionAtMost: number | null;

  @Field(() => [String], { description: "Condition: the comment carries one of these keyword tags (empty: not set)." })
  @Column({ type: "simple-json" })
  keywordTags: string[];

  @Field({ description: "Condition: the comment carries a keyword tag marked as a complaint keyword." })
  @Column({ type: "boolean", default: false })
  complaintKeyword: boolean;

  @Field(() => IssueKind, {
    description: "COMPLAINT: an issue for the feedback's customer; SYSTEMIC: one issue shared by all customers.",
  })
  @EnumColumn(IssueKind)
  issueKind: IssueKind;

  @Field(() => ComplaintTier, { nullable: true, description: "Tier of the complaints it opens." })
  @EnumColumn(ComplaintTier, { nullable: true })
  complaintTier: ComplaintTier | null;

  @Field({ description: "Category of the issues (a keyword tag or dimension code); feedback joins the open issue of it." })
  @Column({ type: "varchar", length: 64 })
  category: string;

  @Column({ type: "int", nullable: true })
  departmentId: number | null;

  @Column({ type: "int" })
  createdById: number;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Field({ description: "When the rule was created." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field({ description: "Last change." })
  @UpdatedAtColumn()
  updatedAt: Date;
}
