import { registerEnumType } from "type-graphql";
import { ROLES, Role } from "../../workflows/actor";

/** The workflow's role list as a GraphQL enum, so the schema and the guards cannot drift apart. */
export const RoleEnum = Object.fromEntries(ROLES.map((role) => [role, role])) as { [R in Role]: R };

registerEnumType(RoleEnum, {
  name: "Role",
  description: "What a user may do is decided by these roles in the workflow guards.",
  valuesConfig: {
    AGENT: { description: "Customer-service agent (客服专员)." },
    QUALITY_SPECIALIST: { description: "Quality specialist (质量专员)." },
    DEPARTMENT_LEAD: { description: "Department lead (部门负责人/组长/主管)." },
    OPERATIONS_MANAGER: { description: "Operations manager (运营经理): approves plans and adjustments." },
    ADMIN: { description: "Administrator: departments, users and tokens." },
  },
});

/**
 * Who may read satisfaction analytics, review packs and report documents: the roles of the
 * policy's REVIEW row (src/auth/policy.ts; the matrix test keeps the two equal). Review packs are
 * the joint cross-department review, so leads read them whole; their satisfaction analytics and
 * SLA attainment are narrowed to their own department by the policy.
 */
export const REVIEW_READERS: Role[] = ["QUALITY_SPECIALIST", "OPERATIONS_MANAGER", "ADMIN", "DEPARTMENT_LEAD"];
