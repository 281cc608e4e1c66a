import type { GraphQLSchema } from "graphql";
import { buildSchema, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";

/**
 * W1's schema: issues and their causes from memory, as type-graphql classes (named W1… so they
 * never meet qloop's own types in type-graphql's global metadata). Every peer serves this schema.
 */
@ObjectType()
class W1Cause {
  @Field(() => ID) id!: string;
  @Field() category!: string;
  @Field() text!: string;
  @Field() state!: string;
}

@ObjectType()
class W1Issue {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() state!: string;
  @Field(() => Int) priority!: number;
  @Field(() => [W1Cause]) causes!: W1Cause[];
}

/** 20 issues × 3 causes, built once. */
export const W1_ISSUES: W1Issue[] = Array.from({ length: 20 }, (_, i) => ({
  id: String(i + 1),
  title: `客户投诉 ${i + 1}：维修响应慢`,
  state: ["intake", "analyzing", "inProgress", "verifying"][i % 4],
  priority: (i % 4) + 1,
  causes: Array.from({ length: 3 }, (_, c) => ({
    id: `${i + 1}.${c + 1}`,
    category: ["MAN", "METHOD", "MACHINE"][c],
    text: `原因 ${c + 1}：派工规则不清`,
    state: "confirmed",
  })),
}));

@Resolver()
class W1Resolver {
  @Query(() => [W1Issue])
  w1Issues(): W1Issue[] {
    return W1_ISSUES;
  }
}

export const W1_QUERY = "{ w1Issues { id title state priority causes { id category text state } } }";
export const W1_EXPECTED = JSON.stringify({ data: { w1Issues: W1_ISSUES } });

let schema: Promise<GraphQLSchema> | undefined;
export function w1Schema(): Promise<GraphQLSchema> {
  // type-graphql checks its global metadata, which holds qloop's @Authorized fields too.
  schema ??= buildSchema({ resolvers: [W1Resolver], authChecker: () => true });
  return schema;
}
