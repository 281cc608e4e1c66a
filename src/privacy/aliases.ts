import { PersonalValues, scrubText } from "./masking";

/** 0 → A, 25 → Z, 26 → AA: spreadsheet-style letters, so any number of customers gets an alias. */
function letters(index: number): string {
  let n = index;
  let result = "";
  do {
    result = String.fromCharCode(65 + (n % 26)) + result;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return result;
}

/**
 * Pseudonyms for the customers one document mentions: 客户A, 客户B … in order of first mention,
 * the same customer always the same letter within the document. Reports are read in meetings and
 * forwarded, so they name no customer; the alias still shows that two complaints came from one.
 */
export class CustomerAliases {
  private readonly aliases = new Map<number, string>();

  aliasOf(customerId: number): string {
    let alias = this.aliases.get(customerId);
    if (!alias) {
      alias = `客户${letters(this.aliases.size)}`;
      this.aliases.set(customerId, alias);
    }
    return alias;
  }

  /** `text` with the customer's name, phone and e-mail replaced by their alias, other mobiles masked. */
  pseudonymise(text: string, customer: (PersonalValues & { id: number }) | null | undefined): string {
    if (!customer) return scrubText(text);
    let result = text;
    for (const value of [customer.email, customer.phone, customer.name]) {
      const trimmed = value?.trim();
      if (trimmed && Array.from(trimmed).length >= 2 && result.includes(trimmed)) {
        result = result.split(trimmed).join(this.aliasOf(customer.id));
      }
    }
    return scrubText(result);
  }
}

/**
 * A copy of `value` (plain objects, arrays, strings; Dates and other values kept as they are) with
 * every string pseudonymised for `customers`: the last pass over a report's data, so a name typed
 * into any title or note is replaced whatever section it ends up in.
 */
export function pseudonymiseDeep<T>(value: T, customers: readonly (PersonalValues & { id: number })[], aliases: CustomerAliases): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") {
      let text = node;
      for (const customer of customers) text = aliases.pseudonymise(text, customer);
      return customers.length === 0 ? aliases.pseudonymise(text, null) : text;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype) {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    }
    return node;
  };
  return walk(value) as T;
}
