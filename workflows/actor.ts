/** The roles a qloop user can hold; the workflow guards are written against these. */
export const ROLES = [
  "AGENT",
  "QUALITY_SPECIALIST",
  "DEPARTMENT_LEAD",
  "OPERATIONS_MANAGER",
  "ADMIN",
] as const;

export type Role = (typeof ROLES)[number];

/**
 * Who sends a workflow event. Services build it from the request context so that guards stay pure:
 * a guard never looks a user up, it only reads this value.
 */
export interface Actor {
  id: number;
  roles: readonly Role[];
  /** The department the actor belongs to; department leads only lead their own department. */
  departmentId: number | null;
}
