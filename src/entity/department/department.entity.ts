import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CreatedAtColumn } from "../columns";

@ObjectType({ description: "An organisational unit that owns issues and action items." })
@Entity("department")
export class Department {
  @Field(() => ID, { description: "Unique id of the department." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Display name, unique, e.g. 售后服务部." })
  @Column({ type: "varchar", length: 100, unique: true })
  name: string;

  @Field({ description: "When the department was created." })
  @CreatedAtColumn()
  createdAt: Date;
}
