import { IsEmail, MaxLength, MinLength, ArrayMinSize, ArrayMaxSize } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import type { Role } from "../../../workflows/actor";
import { RoleEnum } from "../../common/roles";
import { Department, User } from "../../entity";
import { ConnectionType } from "../pagination";

export const DepartmentConnection = ConnectionType(Department, "Department");
export const UserConnection = ConnectionType(User, "User");

@InputType({ description: "A new user." })
export class CreateUserInput {
  @Field({ description: "Display name." })
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field({ description: "Login e-mail, unique." })
  @IsEmail()
  @MaxLength(191)
  email: string;

  @Field(() => [RoleEnum], { description: "One or more roles." })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  roles: Role[];

  @Field(() => ID, { nullable: true, description: "Department the user belongs to." })
  departmentId?: string | null;
}
