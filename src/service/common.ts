import { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { notFound } from "../common/errors";

/** Loads a row by id or throws NOT_FOUND naming the entity. */
export async function findOrFail<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  id: number,
  label: string,
): Promise<T> {
  const row = await manager.getRepository(target).findOneBy({ id } as never);
  if (!row) throw notFound(label, id);
  return row;
}

/** Reads the row again after a transition so the caller sees the committed columns. */
export async function reload<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  id: number,
): Promise<T> {
  return manager.getRepository(target).findOneByOrFail({ id } as never);
}
