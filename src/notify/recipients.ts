import { EntityManager } from "typeorm";
import type { Role } from "../../workflows/actor";
import { Customer, Issue, User } from "../entity";
import { scrubText } from "../privacy/masking";
import { MessageKind, RecipientType, Transport } from "./message-kind";
import { enqueueMessage } from "./outbox";

/**
 * Users holding `role`, optionally only those of one department, in id order. Roles are stored as
 * a comma-separated list; LIKE narrows the rows in SQL and the exact check happens here (no role
 * name is a substring of another today, but the check must not depend on that).
 */
export async function usersWithRole(tx: EntityManager, role: Role, departmentId?: number | null): Promise<User[]> {
  const query = tx
    .getRepository(User)
    .createQueryBuilder("u")
    .where("u.roles LIKE :pattern", { pattern: `%${role}%` })
    .orderBy("u.id", "ASC");
  if (departmentId !== undefined) {
    if (departmentId === null) return [];
    query.andWhere("u.departmentId = :departmentId", { departmentId });
  }
  const users = await query.getMany();
  return users.filter((user) => user.roles.includes(role));
}

/** The heads (DEPARTMENT_LEAD) of a department; empty when it has none or no department is known. */
export function departmentLeads(tx: EntityManager, departmentId: number | null): Promise<User[]> {
  return usersWithRole(tx, "DEPARTMENT_LEAD", departmentId);
}

/** Everyone with the OPERATIONS_MANAGER role. */
export function operationsManagers(tx: EntityManager): Promise<User[]> {
  return usersWithRole(tx, "OPERATIONS_MANAGER");
}

export interface UserNotice {
  kind: MessageKind;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  /** Unique per notice; the user id is appended so each recipient gets it once. */
  dedupePrefix: string;
}

/**
 * Staff e-mail quotes issue titles, which agents often write with the customer's name in them;
 * mail leaves qloop and goes to people without access to personal data (department leads,
 * engineers), so the customer of the issue the notice is about is masked, as is any mobile number.
 */
async function withoutCustomerData(tx: EntityManager, notice: UserNotice): Promise<{ subject: string; body: string }> {
  const issueId = notice.payload.issueId;
  const issue = typeof issueId === "number" ? await tx.getRepository(Issue).findOneBy({ id: issueId }) : null;
  const customer = issue?.customerId ? await tx.getRepository(Customer).findOneBy({ id: issue.customerId }) : null;
  const customers = customer ? [customer] : [];
  return { subject: scrubText(notice.subject, customers), body: scrubText(notice.body, customers) };
}

/**
 * Queues one e-mail per user (duplicates in `users` collapse), each with its own dedupe key
 * `<prefix>:u<userId>`, in the caller's transaction. Users are staff: their login e-mail is
 * their address.
 */
export async function enqueueForUsers(
  tx: EntityManager,
  users: User[],
  notice: UserNotice,
  now: Date,
): Promise<number[]> {
  const unique = [...new Map(users.map((user) => [user.id, user])).values()];
  const { subject, body } = await withoutCustomerData(tx, notice);
  for (const user of unique) {
    await enqueueMessage(
      tx,
      {
        kind: notice.kind,
        transport: Transport.EMAIL,
        recipientType: RecipientType.USER,
        recipientId: user.id,
        address: user.email,
        subject,
        body,
        payload: notice.payload,
        dedupeKey: `${notice.dedupePrefix}:u${user.id}`,
      },
      now,
    );
  }
  return unique.map((user) => user.id);
}
