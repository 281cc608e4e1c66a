import type { Role } from "../../workflows/actor";

/**
 * Who sees customers' names, phone numbers and e-mail addresses unmasked. Agents are the
 * customers' contact (intake, complaints, call-backs) and quality specialists and the operations
 * manager verify feedback and complaints with them; department leads work on action items and
 * admins on users and tokens, neither needs to reach a customer, so they see masked values.
 * Anonymous callers (the survey page) see masked values too.
 */
export const PERSONAL_DATA_ACCESS: Record<Role, boolean> = {
  AGENT: true,
  QUALITY_SPECIALIST: true,
  OPERATIONS_MANAGER: true,
  DEPARTMENT_LEAD: false,
  ADMIN: false,
};

export const PERSONAL_DATA_READERS: Role[] = (Object.keys(PERSONAL_DATA_ACCESS) as Role[]).filter(
  (role) => PERSONAL_DATA_ACCESS[role],
);

/** Whether someone with these roles (none: anonymous) may see personal data unmasked. */
export function mayReadPersonalData(roles: readonly Role[] | null | undefined): boolean {
  return (roles ?? []).some((role) => PERSONAL_DATA_ACCESS[role]);
}
