import { AuthChecker } from "type-graphql";
import type { Role } from "../../workflows/actor";
import { forbidden, unauthenticated } from "../common/errors";
import type { RequestContext } from "./context";

/**
 * `@Authorized()` needs a valid token; `@Authorized(["ADMIN", …])` also one of the roles.
 * Workflow rules are not here: they are guards in the machines.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  if (!context.user) throw unauthenticated();
  if (roles.length > 0 && !roles.some((role) => context.user!.roles.includes(role))) {
    throw forbidden(`requires one of the roles ${roles.join(", ")}`);
  }
  return true;
};
