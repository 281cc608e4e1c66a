import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CreatedAtColumn } from "../columns";

@ObjectType({ description: "A questionnaire: scored dimensions plus one or two open questions." })
@Entity("survey_template")
export class SurveyTemplate {
  @Field(() => ID, { description: "Unique id of the survey template." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Template name, unique." })
  @Column({ type: "varchar", length: 100, unique: true })
  name: string;

  @Field(() => [String], { description: "Open questions asked after the scores." })
  @Column({ type: "simple-json" })
  openQuestions: string[];

  @Field({ description: "When the template was created." })
  @CreatedAtColumn()
  createdAt: Date;
}
