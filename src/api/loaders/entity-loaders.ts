import DataLoader from "dataloader";
import { DataSource, EntityTarget, In, ObjectLiteral } from "typeorm";

/**
 * Loads rows by primary key in one `WHERE id IN (…)` per tick; results come back in key order
 * with `null` for ids that do not exist.
 */
export function byIdLoader<T extends ObjectLiteral & { id: number }>(dataSource: DataSource, target: EntityTarget<T>) {
  return new DataLoader<number, T | null>(async (ids) => {
    const rows = await dataSource.getRepository(target).findBy({ id: In([...ids]) } as never);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Loads the children of many parents in one `WHERE column IN (…)`, each parent's list ordered by
 * id; a parent without children gets an empty list.
 */
export function childrenLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  column: keyof T & string,
) {
  return new DataLoader<number, T[]>(async (parentIds) => {
    const rows = await dataSource
      .getRepository(target)
      .find({ where: { [column]: In([...parentIds]) } as never, order: { id: "ASC" } as never });
    return groupBy(parentIds, rows, (row) => row[column] as number);
  });
}

export function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
