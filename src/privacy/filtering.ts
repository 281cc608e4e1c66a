import type { Role } from "../../workflows/actor";
import { GraphQLError } from "graphql";
import { ErrorCodes } from "../common/errors";
import { mayReadPersonalData } from "./policy";

/**
 * Filtering or sorting by a name or phone number lets a caller confirm a guess ("is 张三 a
 * customer?") without seeing it, so roles without access are refused, naming the argument.
 */
export function refuseUnlessPersonalDataReader(
  roles: readonly Role[] | null | undefined,
  argument: string,
  value: unknown,
): void {
  if (value === null || value === undefined || value === "") return;
  if (mayReadPersonalData(roles)) return;
  throw new GraphQLError(`${argument}: filtering or sorting by customers' personal data needs access to it`, {
    extensions: { code: ErrorCodes.FORBIDDEN, field: argument },
  });
}
