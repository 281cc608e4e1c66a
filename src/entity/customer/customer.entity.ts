import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { PersonalData } from "../../privacy/personal-data";
import { CreatedAtColumn } from "../columns";

@ObjectType({ description: "A customer who receives after-sales service." })
@Entity("customer")
export class Customer {
  @Field(() => ID, { description: "Unique id of the customer." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Customer name; masked (张**) for roles without access to personal data." })
  @PersonalData("name")
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field(() => String, { nullable: true, description: "Phone number; masked (138****5678) for roles without access to personal data." })
  @PersonalData("phone")
  @Column({ type: "varchar", length: 32, nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true, description: "Customer number in the CRM or service system, unique." })
  @Column({ type: "varchar", length: 64, nullable: true, unique: true })
  code: string | null;

  @Field(() => String, { nullable: true, description: "E-mail address for surveys and notices; masked for roles without access to personal data." })
  @PersonalData("email")
  @Column({ type: "varchar", length: 191, nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true, description: "Sales/service region." })
  @Column({ type: "varchar", length: 64, nullable: true })
  region: string | null;

  @Field({ description: "When the customer was recorded." })
  @CreatedAtColumn()
  createdAt: Date;
}
