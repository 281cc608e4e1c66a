import DataLoader from "dataloader";
import { DataSource, EntityTarget, In, ObjectLiteral } from "typeorm";
import type { Actor } from "../../../workflows/actor";
import { Resource, restrictToVisible } from "../../auth/policy";

/** The caller and the policy object type a loader restricts its rows to (src/auth/policy.ts). */
export interface LoaderScope {
  actor: Actor | null;
  resource: Resource;
}

/**
 * Loads rows by primary key in one `WHERE id IN (…)` per tick; results come back in key order
 * with `null` for ids that do not exist or, with a `scope`, that the caller may not see.
 */
export function byIdLoader<T extends ObjectLiteral & { id: number }>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  scope?: LoaderScope,
) {
  return new DataLoader<number, T | null>(async (ids) => {
    const query = dataSource.getRepository(target).createQueryBuilder("x").where("x.id IN (:...ids)", { ids: [...ids] });
    if (scope) restrictToVisible(query, "x", scope.actor, scope.resource);
    const rows = await query.getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Loads the children of many parents in one `WHERE column IN (…)`, each parent's list ordered by
 * id; a parent without children gets an empty list. With a `scope`, children the caller may not
 * see are left out (in SQL).
 */
export function childrenLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  column: keyof T & string,
  scope?: LoaderScope,
) {
  return new DataLoader<number, T[]>(async (parentIds) => {
    if (!scope) {
      const all = await dataSource
        .getRepository(target)
        .find({ where: { [column]: In([...parentIds]) } as never, order: { id: "ASC" } as never });
      return groupBy(parentIds, all, (row) => row[column] as number);
    }
    const query = dataSource
      .getRepository(target)
      .createQueryBuilder("x")
      .where(`x.${column} IN (:...parentIds)`, { parentIds: [...parentIds] })
      .orderBy("x.id", "ASC");
    restrictToVisible(query, "x", scope.actor, scope.resource);
    const rows = await query.getMany();
    return groupBy(parentIds, rows, (row) => row[column] as number);
  });
}

export function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
