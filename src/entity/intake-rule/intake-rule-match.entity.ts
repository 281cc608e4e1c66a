import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { IntakeOutcome } from "../../common/feedback-enums";
import { DateTimeColumn, EnumColumn } from "../columns";

/** Which intake rule acted on a piece of feedback and what it did; at most one per feedback. */
@ObjectType({ description: "The intake rule that acted on a piece of feedback, and the issue it opened or joined." })
@Entity("intake_rule_match")
@Index(["issueId"])
@Index(["ruleId"])
export class IntakeRuleMatch {
  @PrimaryColumn({ type: "int" })
  feedbackId: number;

  /** The rule; it may have been deleted since, hence its name is kept too. */
  @Column({ type: "int" })
  ruleId: number;

  @Field({ description: "Name of the rule when it acted." })
  @Column({ type: "varchar", length: 100 })
  ruleName: string;

  @Column({ type: "int" })
  issueId: number;

  @Field(() => IntakeOutcome, { description: "Opened a new issue or linked to an open one." })
  @EnumColumn(IntakeOutcome)
  outcome: IntakeOutcome;

  @Field({ description: "When the rule acted." })
  @DateTimeColumn()
  matchedAt: Date;
}
