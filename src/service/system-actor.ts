import { EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { User } from "../entity";

/** The user qloop acts as when no person does: public survey answers, intake rules, the sweeper. */
export const SYSTEM_USER_EMAIL = "system@qloop.invalid";

/**
 * The system actor, created on first use. It holds no roles, so no workflow guard lets it approve
 * or decide anything; it only records what arrived and opens issues for people to triage.
 */
export async function systemActor(tx: EntityManager): Promise<Actor> {
  await tx
    .createQueryBuilder()
    .insert()
    .into(User)
    .values({ name: "qloop", email: SYSTEM_USER_EMAIL, roles: [], departmentId: null })
    .orIgnore()
    // Nothing to read back: on SQLite an ignored insert has no row id, and TypeORM would throw.
    .updateEntity(false)
    .execute();
  const user = await tx.getRepository(User).findOneByOrFail({ email: SYSTEM_USER_EMAIL });
  return { id: user.id, roles: [], departmentId: null };
}
