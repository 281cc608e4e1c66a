import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { CreatedAtColumn } from "../columns";

@ObjectType({ description: "A progress report on an action item: progress, blockers (存在问题), next step." })
@Entity("progress_update")
@Index(["actionItemId", "id"])
export class ProgressUpdate {
  @Field(() => ID, { description: "Unique id of the progress report." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  actionItemId: number;

  @Field(() => Int, { description: "Progress in percent after this update." })
  @Column({ type: "int" })
  progress: number;

  @Field(() => String, { nullable: true, description: "What stands in the way." })
  @Column({ type: "text", nullable: true })
  blockers: string | null;

  @Field(() => String, { nullable: true, description: "Next step." })
  @Column({ type: "text", nullable: true })
  nextStep: string | null;

  @Column({ type: "int" })
  authorId: number;

  @Field({ description: "When it was posted." })
  @CreatedAtColumn()
  createdAt: Date;
}
