import type { Actor } from "../../workflows/actor";
import type { User } from "../entity";
import type { Services } from "../service";
import type { Loaders } from "./loaders";
import type { Logger } from "../ops/logger";

/** Everything a resolver may touch for one request. */
export interface RequestContext {
  requestId: string;
  /** The authenticated user, or null for an anonymous request. */
  user: User | null;
  /** The user as the workflow guards see them. */
  actor: Actor | null;
  services: Services;
  loaders: Loaders;
  /** The request's logger: JSON lines carrying its requestId. */
  log: Logger;
}

export function actorOf(user: User): Actor {
  return { id: user.id, roles: user.roles, departmentId: user.departmentId };
}

/** The actor of a request that passed @Authorized, so it is never null there. */
export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new Error("requireActor used on a resolver without @Authorized");
  return ctx.actor;
}
