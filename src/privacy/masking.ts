/**
 * How customers' personal data looks to someone without access to it: enough to tell two
 * customers apart on a screen (张** / 138****5678), never enough to contact or identify them.
 * Pure functions: no I/O, no knowledge of roles.
 */

/** The personal data a customer record carries; all optional because callers hold parts. */
export interface PersonalValues {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** 张三丰 → 张**; one visible character, one star per hidden character (at least one). */
export function maskName(name: string): string {
  const characters = Array.from(name.trim());
  if (characters.length === 0) return "";
  return characters[0] + "*".repeat(Math.max(1, characters.length - 1));
}

/**
 * 13812345678 → 138****5678 and +86 138-1234-5678 → 138****5678: the first three and last four
 * digits of the national number. Shorter numbers keep only their last two digits, so no mask
 * ever shows more than half of a number.
 */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/[^0-9]/g, "");
  if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  if (digits.length === 0) return "";
  if (digits.length >= 10) return `${digits.slice(0, 3)}${"*".repeat(digits.length - 7)}${digits.slice(-4)}`;
  return "*".repeat(Math.max(1, digits.length - 2)) + digits.slice(-2);
}

/** liu.yang@example.com → l*******@example.com: the domain says nothing about the person. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return maskName(email);
  return maskName(email.slice(0, at)).padEnd(at, "*") + email.slice(at);
}

export type PersonalDataKind = "name" | "phone" | "email";

export const MASKS: Record<PersonalDataKind, (value: string) => string> = {
  name: maskName,
  phone: maskPhone,
  email: maskEmail,
};

/**
 * A mainland mobile number as people write it inside text: optional +86, then 1[3-9]x and eight
 * digits with optional spaces or dashes between groups; not part of a longer digit run.
 */
const MOBILE_IN_TEXT = /(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Free text (a title, a comment, a message body) with the given customers' names, phones and
 * e-mail addresses masked, and any other mobile number in it masked as well: people type phone
 * numbers into comments, and a number is personal whoever it belongs to.
 */
export function scrubText(text: string, customers: readonly PersonalValues[] = []): string {
  let result = text;
  for (const customer of customers) {
    for (const kind of ["email", "phone", "name"] as const) {
      const value = customer[kind]?.trim();
      // One-character names would mask every occurrence of a common character: leave those.
      if (!value || (kind === "name" && Array.from(value).length < 2)) continue;
      result = result.replace(new RegExp(escapeRegExp(value), "g"), MASKS[kind](value));
    }
  }
  return result.replace(MOBILE_IN_TEXT, (match) => maskPhone(match));
}

/**
 * How generated text (an automatic issue title, a staff e-mail) names a customer: masked name and
 * customer number. Such text is stored and travels (outbox, reports, mail servers), so it never
 * carries the full name; people with access open the customer record.
 */
export function customerLabel(customer: { name: string } | null | undefined, customerId: number): string {
  return customer ? `${maskName(customer.name)}（客户 #${customerId}）` : `客户 #${customerId}`;
}
