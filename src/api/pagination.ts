import { ClassType, Field, ArgsType, Int, ObjectType } from "type-graphql";
import { Max, Min } from "class-validator";
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { badInput } from "../common/errors";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: "Page size, 1–100." })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge already seen." })
  after?: string | null;
}

@ObjectType({ description: "Relay page information." })
export class PageInfo {
  @Field({ description: "Whether more items follow this page." })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge; pass it as `after`." })
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * A Relay connection type for `Node`, newest first. The edge/connection classes are named after
 * the node so the schema reads `IssueConnection`, `IssueEdge`.
 */
export function ConnectionType<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class Edge {
    @Field({ description: "Opaque cursor of this edge." })
    cursor: string;

    @Field(() => Node, { description: `The ${name}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects, newest first.` })
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge], { description: "Edges of this page." })
    edges: Edge[];

    @Field(() => [Node], { description: "The nodes of this page, without cursors." })
    nodes: T[];

    @Field(() => PageInfo, { description: "Where this page ends." })
    pageInfo: PageInfo;

    @Field(() => Int, { description: "Number of objects matching the filter, all pages together." })
    totalCount: number;
  }
  return ConnectionClass;
}

const CURSOR_PREFIX = "id:";

export function encodeCursor(id: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString();
  const id = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isInteger(id) || id < 1) {
    throw badInput("after", "is not a cursor returned by this API");
  }
  return id;
}

/**
 * Keyset pagination on the primary key, newest first: stable under inserts and cheap at any depth
 * (no OFFSET scans). `alias` is the query builder's main alias.
 */
export async function paginate<T extends ObjectLiteral & { id: number }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  page: PageArgs,
): Promise<Connection<T>> {
  const totalCount = await query.clone().getCount();
  if (page.after) query.andWhere(`${alias}.id < :afterId`, { afterId: decodeCursor(page.after) });
  const rows = await query
    .orderBy(`${alias}.id`, "DESC")
    .take(page.first + 1)
    .getMany();
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes,
    totalCount,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
