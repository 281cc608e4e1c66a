import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CreatedAtColumn, UpdatedAtColumn, VersionCounterColumn } from "../columns";

/**
 * One problem keyword of the configurable taxonomy (响应慢 → slow_response) with the synonyms that
 * mean it. Tags are never deleted, only disabled, so counts of past periods keep their labels.
 */
@ObjectType({ description: "A problem keyword of the taxonomy comments are tagged with, with its synonyms." })
@Entity("keyword_tag")
export class KeywordTag {
  @Field(() => ID, { description: "Unique id of the keyword tag." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Stable code, e.g. slow_response; fixed once created." })
  @Column({ type: "varchar", length: 64, unique: true })
  code: string;

  @Field({ description: "Chinese label, e.g. 响应慢." })
  @Column({ type: "varchar", length: 100 })
  labelZh: string;

  @Field({ description: "English label, e.g. Slow response." })
  @Column({ type: "varchar", length: 100 })
  labelEn: string;

  @Field(() => [String], {
    description:
      "Words and phrases that mean this tag (Chinese or English, any width or case), matched on word boundaries.",
  })
  @Column({ type: "simple-json" })
  synonyms: string[];

  @Field(() => String, {
    nullable: true,
    description: "The survey dimension the keyword speaks about, e.g. responsiveness.",
  })
  @Column({ type: "varchar", length: 64, nullable: true })
  category: string | null;

  @Field({ description: "Whether the keyword signals a complaint (intake rules may act on it)." })
  @Column({ type: "boolean", default: false })
  complaint: boolean;

  @Field({ description: "Disabled tags tag nothing new; past tags stay counted." })
  @Column({ type: "boolean", default: true })
  enabled: boolean;

  @Field(() => Int, { description: "Optimistic-concurrency version; pass it back as expectedVersion." })
  @VersionCounterColumn()
  version: number;

  @Field({ description: "When the tag was created." })
  @CreatedAtColumn()
  createdAt: Date;

  @Field({ description: "Last change." })
  @UpdatedAtColumn()
  updatedAt: Date;
}
