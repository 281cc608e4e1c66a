import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DecimalColumn } from "../columns";

@ObjectType({ description: "A scored dimension (1–5) of a survey template." })
@Entity("survey_dimension")
@Index(["templateId", "code"], { unique: true })
export class SurveyDimension {
  @Field(() => ID, { description: "Unique id of the survey dimension." })
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  templateId: number;

  @Field({ description: "Stable code shared across templates, e.g. responsiveness." })
  @Column({ type: "varchar", length: 64 })
  code: string;

  @Field({ description: "Label shown to customers, e.g. 响应及时性." })
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field(() => Float, { description: "Weight of the dimension in weighted scores." })
  @DecimalColumn({ default: 1 })
  weight: number;

  @Field(() => Int, { description: "Display order." })
  @Column({ type: "int" })
  position: number;
}
