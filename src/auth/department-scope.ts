import { GraphQLError } from "graphql";
import type { Actor } from "../../workflows/actor";
import { ErrorCodes, forbidden } from "../common/errors";
import { OPERATIONS, scopesOf } from "./policy";

/**
 * Aggregate operations (analytics, SLA attainment) have no rows to filter: a caller whose scope
 * is OWN_DEPARTMENT is confined to one department's figures instead. This gives that department,
 * or null when the caller sees every department.
 *
 * @throws FORBIDDEN when the caller has no scope for the operation, or is confined to their
 *   department but belongs to none.
 */
export function confinedDepartment(actor: Actor, operation: string): number | null {
  const row = OPERATIONS[operation];
  const scopes = row && row.scopes !== "public" ? scopesOf(actor.roles, row.scopes) : [];
  if (row?.scopes === "public" || scopes.includes("ALL")) return null;
  if (scopes.includes("OWN_DEPARTMENT") && actor.departmentId !== null) return actor.departmentId;
  throw forbidden(`${operation} is not permitted to the roles ${actor.roles.join(", ") || "(none)"}`);
}

/** A FORBIDDEN naming the field that asked for another department's figures. */
export function otherDepartmentRefused(field: string, departmentId: number): GraphQLError {
  return new GraphQLError(`${field}: only the figures of your own department (${departmentId}) may be read`, {
    extensions: { code: ErrorCodes.FORBIDDEN, field },
  });
}

/**
 * The department a confined caller's request is narrowed to: `requested` when it is their own
 * department or absent, else FORBIDDEN naming `field`. Unconfined callers keep `requested`.
 */
export function narrowedDepartment(
  actor: Actor | null,
  operation: string,
  requested: number | null,
  field: string,
): number | null {
  if (!actor) return requested;
  const confined = confinedDepartment(actor, operation);
  if (confined === null) return requested;
  if (requested !== null && requested !== confined) throw otherDepartmentRefused(field, confined);
  return confined;
}

/** The part of an analytics segment filter this module reads; other fields fix other segments. */
export interface DepartmentFilter {
  department?: string | number | null;
}

/**
 * An analytics filter for a confined caller: their own department when none is given; their own
 * department as given; anything else (another department, or a segment across departments) is
 * FORBIDDEN naming `field`. Unconfined callers keep `filter`.
 */
export function narrowedSegmentFilter<F extends DepartmentFilter>(
  actor: Actor | null,
  operation: string,
  filter: F | null | undefined,
  field: string,
): F | { department: string } | null {
  if (!actor) return filter ?? null;
  const confined = confinedDepartment(actor, operation);
  if (confined === null) return filter ?? null;
  if (!filter) return { department: String(confined) };
  const others = Object.entries(filter).filter(([key, value]) => key !== "department" && value != null);
  if (others.length > 0 || (filter.department != null && String(filter.department) !== String(confined))) {
    throw otherDepartmentRefused(field, confined);
  }
  return { ...filter, department: String(confined) };
}
