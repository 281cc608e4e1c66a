import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { parseId, parseOptionalId } from "../../common/errors";
import { requireText, TEXT_LIMITS } from "../../common/validation";
import { Department, User } from "../../entity";
import type { RequestContext } from "../context";
import { PageArgs } from "../pagination";
import { CreateUserInput, DepartmentConnection, UserConnection } from "../types/directory.types";

@Resolver(() => User)
export class DirectoryResolver {
  @Authorized()
  @Query(() => User, { description: "The user behind the bearer token." })
  me(@Ctx() ctx: RequestContext): User {
    return ctx.user!;
  }

  @Authorized()
  @Query(() => DepartmentConnection, { description: "Departments, newest first." })
  departments(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.directory.listDepartments(page);
  }

  @Authorized()
  @Query(() => UserConnection, { description: "Users, newest first." })
  users(
    @Args() page: PageArgs,
    @Arg("departmentId", () => ID, { nullable: true, description: "Only users of this department." })
    departmentId: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.directory.listUsers({ departmentId: parseOptionalId(departmentId, "departmentId") }, page);
  }

  @Authorized()
  @Query(() => User, { nullable: true, description: "A user by id." })
  user(@Arg("id", () => ID, { description: "Id of the user to read." }) id: string, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(parseId(id, "id"));
  }

  @Authorized(["ADMIN"])
  @Mutation(() => Department, { description: "Creates a department (admin)." })
  createDepartment(
    @Arg("name", { description: "Unique name." }) name: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.directory.createDepartment(requireText(name, "name", TEXT_LIMITS.name));
  }

  @Authorized(["ADMIN"])
  @Mutation(() => User, { description: "Creates a user (admin). Tokens are issued with `qloop token create`." })
  createUser(
    @Arg("input", { description: "Name, e-mail, roles and department of the new user." }) input: CreateUserInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.directory.createUser({
      ...input,
      departmentId: parseOptionalId(input.departmentId, "input.departmentId"),
    });
  }

  @FieldResolver(() => Department, { nullable: true, description: "The user's department." })
  department(@Root() user: User, @Ctx() ctx: RequestContext) {
    return user.departmentId ? ctx.loaders.department.load(user.departmentId) : null;
  }
}

