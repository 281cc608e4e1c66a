import type { Actor, Role } from "./actor";
import type { GuardReason } from "./runtime";

/**
 * Shared guard building blocks. Each machine names its guards itself (the name is what a refused
 * transition reports), but the checks behind "has one of these roles", "leads this department" and
 * "a reason was given" are written once here.
 */

/** The part of a guard's arguments the shared guards read; every workflow event has it. */
export interface GuardEventArgs {
  event: { actor: Actor; reason?: string | null; preview?: boolean };
}

/** True when the actor holds at least one of `roles`. */
export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.roles.some((role) => roles.includes(role));
}

/** True when the actor is a department lead of `departmentId` (a lead only leads their own). */
export function isDepartmentLeadOf(actor: Actor, departmentId: number | null): boolean {
  return (
    departmentId !== null &&
    actor.departmentId === departmentId &&
    actor.roles.includes("DEPARTMENT_LEAD")
  );
}

/** True when `userId` is set and is the actor (assignee, owner, requester checks). */
export function isActor(actor: Actor, userId: number | null): boolean {
  return userId !== null && actor.id === userId;
}

/** Builds a guard that passes when the event's actor holds one of `roles`. */
export function actorHasAnyRole(...roles: Role[]): (args: GuardEventArgs) => boolean {
  return ({ event }) => hasAnyRole(event.actor, roles);
}

/**
 * Passes when the event carries non-blank free text, or when it is a preview: next-event lists are
 * computed before the user has typed the reason, and must still offer the event.
 */
export function reasonProvided({ event }: GuardEventArgs): boolean {
  return event.preview === true || (typeof event.reason === "string" && event.reason.trim() !== "");
}

/** A guard reason for a lacking role or relation. */
export function notPermitted(message: string): GuardReason {
  return { code: "NOT_PERMITTED", message };
}

/** A guard reason for a data precondition or a missing payload. */
export function preconditionFailed(message: string): GuardReason {
  return { code: "PRECONDITION_FAILED", message };
}

const ROLE_LABELS: Record<Role, string> = {
  AGENT: "an agent",
  QUALITY_SPECIALIST: "a quality specialist",
  DEPARTMENT_LEAD: "a department lead",
  OPERATIONS_MANAGER: "an operations manager",
  ADMIN: "an admin",
};

/** The NOT_PERMITTED reason of a role guard built with `actorHasAnyRole(...roles)`. */
export function requiresAnyRole(...roles: Role[]): GuardReason {
  return notPermitted(`Only ${roles.map((role) => ROLE_LABELS[role]).join(" or ")} may do this.`);
}

/** The reason of every `reasonProvided` guard. */
export const REASON_REQUIRED: GuardReason = preconditionFailed(
  "A non-blank reason (comment, evidence or note) is required for this transition.",
);
