import { AuthChecker } from "type-graphql";
import type { Role } from "../../workflows/actor";
import { mayRun, OPERATIONS } from "../auth/policy";
import { forbidden, unauthenticated } from "../common/errors";
import type { RequestContext } from "./context";

const ROOT_TYPES = new Set(["Query", "Mutation"]);

/**
 * `@Authorized()` needs a valid token; `@Authorized(["ADMIN", …])` also one of the roles. A query
 * or mutation is also gated by its row of the policy table (src/auth/policy.ts): a role whose
 * scope there is NONE is FORBIDDEN before any service runs. Which objects a permitted caller
 * reaches is decided by the services; workflow rules are guards in the machines.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context, info }, roles) => {
  if (!context.user) throw unauthenticated();
  if (roles.length > 0 && !roles.some((role) => context.user!.roles.includes(role))) {
    throw forbidden(`requires one of the roles ${roles.join(", ")}`);
  }
  const operation = info.fieldName;
  if (ROOT_TYPES.has(info.parentType.name) && OPERATIONS[operation] && !mayRun(operation, context.user.roles)) {
    throw forbidden(`${operation} is not permitted to the roles ${context.user.roles.join(", ") || "(none)"}`);
  }
  return true;
};
