import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { CauseCategory } from "../../common/enums";
import { CreatedAtColumn, EnumColumn, StateColumn, VersionCounterColumn } from "../columns";

@ObjectType({ description: "A fishbone (鱼骨图) cause: a hypothesis until confirmed or refuted with evidence." })
@Entity("cause")
export class Cause {
  @Field(() => ID, { description: "Unique id of the cause." })
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  issueId: number;

  @Index()
  @Column({ type: "int", nullable: true })
  parentId: number | null;

  @Field(() => CauseCategory, { description: "The bone of the fishbone it hangs on." })
  @EnumColumn(CauseCategory)
  category: CauseCategory;

  @Field({ description: "The cause, stated plainly." })
  @Column({ type: "varchar", length: 500 })
  text: string;

  @Field({ description: "hypothesis, confirmed or refuted." })
  @StateColumn()
  state: string;

  @Field(() => String, { nullable: true, description: "Evidence given when it was last confirmed, refuted or reopened." })
  @Column({ type: "text", nullable: true })
  evidence: string | null;

  @Column({ type: "int" })
  createdById: number;

  @Field({ description: "When the cause was added." })
  @CreatedAtColumn()
  createdAt: Date;

  @VersionCounterColumn()
  version: number;
}
