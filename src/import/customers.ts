import { EntityManager } from "typeorm";
import { TEXT_LIMITS } from "../common/validation";
import { Customer } from "../entity";
import { REFERENCE_LIMITS } from "../service/reference.service";
import { RowContext } from "./row-context";
import { canReturn, dateParam, insertReturningNew, insertSkippingDuplicates, selectWhereIn, tableOf } from "./sql";

/** The customer columns of a row: the code it is found by, and what it is created from when new. */
export interface CustomerDraft {
  code: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  region: string | null;
}

export const CUSTOMER_CODE_LIMIT = 64;
/** Every column the importer writes; test/import checks it covers each NOT NULL column without a default. */
export const CUSTOMER_COLUMNS = ["code", "name", "phone", "email", "region", "createdAt"];
const EMAIL_LIMIT = 191;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Codes (customer, ticket, response) are compared case-insensitively: MySQL's utf8mb4_unicode_ci
 * unique indexes treat C001 and c001 as one key, so the importer does the same on every database.
 */
export const fold = (code: string): string => code.toLowerCase();

export function parseCustomer(row: RowContext, nameRequired: boolean): CustomerDraft | null {
  const code = row.text("customerCode", CUSTOMER_CODE_LIMIT, true);
  const name = row.text("customerName", TEXT_LIMITS.name, nameRequired);
  const phone = row.text("phone", REFERENCE_LIMITS.phone);
  const region = row.text("region", REFERENCE_LIMITS.region);
  let email = row.text("email", EMAIL_LIMIT);
  if (email !== null && !EMAIL.test(email)) {
    email = row.reject("email", row.column("email"), email, "is not an e-mail address");
  }
  return code === null ? null : { code, name, phone, email, region };
}

/** Why a row naming an unknown customer cannot create it, or null when it can. */
export function cannotCreate(customer: CustomerDraft, createCustomers: boolean): string | null {
  if (!createCustomers) return "no customer has this code (creating customers is turned off)";
  if (customer.name === null) return "no customer has this code, and the row has no customer name to create one";
  return null;
}

/** Customer ids by folded code, in one query. */
export async function lookupCustomers(tx: EntityManager, codes: Iterable<string>): Promise<Map<string, number>> {
  // Asked as spelt (SQLite compares case-sensitively), matched folded (MySQL's collation folds).
  const unique = [...new Set(codes)];
  const table = tableOf(tx, Customer);
  const found = await selectWhereIn<{ id: number; code: string }>(tx, table, ["id", "code"], "code", unique);
  return new Map(found.map((c) => [fold(c.code), Number(c.id)]));
}

/**
 * Inserts customers, skipping codes that exist by now, and returns the ids of all of them by folded
 * code and how many it inserted. Where the INSERT returns what it inserted (MariaDB, SQLite) that
 * count is exact even when another import or batch inserts the same codes at the same moment (the
 * INSERT waits for it, then skips them); the codes not returned are then looked up.
 */
export async function insertCustomers(
  tx: EntityManager,
  drafts: CustomerDraft[],
  now: Date,
): Promise<{ ids: Map<string, number>; created: number }> {
  if (drafts.length === 0) return { ids: new Map(), created: 0 };
  const table = tableOf(tx, Customer);
  const createdAt = dateParam(tx, Customer, "createdAt")(now);
  // Validated by parseCustomer to the columns' lengths, as insertReturningNew requires.
  const rows = drafts.map((d) => [d.code, d.name, d.phone, d.email, d.region, createdAt]);
  if (!canReturn(tx)) {
    await insertSkippingDuplicates(tx, table, CUSTOMER_COLUMNS, rows, "code");
    const ids = await lookupCustomers(
      tx,
      drafts.map((d) => d.code),
    );
    return { ids, created: ids.size };
  }
  const inserted = await insertReturningNew<{ id: number; code: string }>(tx, table, CUSTOMER_COLUMNS, rows, ["id", "code"]);
  const ids = new Map(inserted.map((c) => [fold(c.code), Number(c.id)]));
  const others = drafts.filter((d) => !ids.has(fold(d.code))).map((d) => d.code);
  for (const [code, id] of await lookupCustomers(tx, others)) ids.set(code, id);
  return { ids, created: inserted.length };
}
