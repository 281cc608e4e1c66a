import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import type { Role } from "../../../workflows/actor";
import { RoleEnum } from "../../common/roles";
import { CreatedAtColumn } from "../columns";

@ObjectType({ description: "A person who uses qloop." })
@Entity("app_user")
export class User {
  @Field(() => ID, { description: "Unique id of the user." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Display name." })
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field({ description: "Login e-mail, unique." })
  @Column({ type: "varchar", length: 191, unique: true })
  email: string;

  @Field(() => [RoleEnum], { description: "Roles; guards in the workflows decide what each may do." })
  @Column({ type: "simple-array" })
  roles: Role[];

  @Index()
  @Column({ type: "int", nullable: true })
  departmentId: number | null;

  @Field({ description: "When the user was created." })
  @CreatedAtColumn()
  createdAt: Date;
}
