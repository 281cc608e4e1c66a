import { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { assertVisible, Resource } from "../auth/policy";
import { badInput, notFound } from "../common/errors";

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

/**
 * Loads a row the actor acts on: NOT_FOUND when it is missing and, with the same error, when the
 * authorisation policy puts it outside the actor's scope (src/auth/policy.ts).
 */
export async function findVisibleOrFail<T extends ObjectLiteral>(
  manager: EntityManager,
  actor: Actor,
  target: EntityTarget<T>,
  resource: Resource,
  id: number,
  label: string,
): Promise<T> {
  const row = await findOrFail(manager, target, id, label);
  await assertVisible(manager, actor, resource, id, label);
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

/**
 * Restricts a list query to `states` (validated against the machine's states, so a typo is bad
 * input rather than an empty page). An empty list matches nothing.
 */
export function whereStateIn<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  states: string[] | null | undefined,
  known: readonly string[],
): void {
  if (!states) return;
  states.forEach((state, i) => {
    if (!known.includes(state)) {
      throw badInput(`filter.states.${i}`, `"${state.slice(0, 40)}" is not a state of this workflow`);
    }
  });
  if (states.length === 0) query.andWhere("1 = 0");
  else query.andWhere(`${alias}.state IN (:...states)`, { states });
}
