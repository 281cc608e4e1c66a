import { DataSource } from "typeorm";
import { clockOf } from "../common/clock";
import { CustomerDraft, fold, insertCustomers, lookupCustomers, parseCustomer } from "./customers";
import { HandlerFactory, ImportOptions, ImportSummary, runImport } from "./pipeline";
import { RowContext } from "./row-context";
import { ImportInput } from "./row-source";

type CustomerRow = CustomerDraft & { row: number };

/**
 * Imports customers from a CRM export, keyed by customer code: a code qloop knows already is
 * counted as present and the customer left as it is (qloop never overwrites a record people may
 * have corrected), so a second import inserts nothing.
 */
export function importCustomers(
  dataSource: DataSource,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return runImport(dataSource, input, "customers", options, customerHandler);
}

const customerHandler: HandlerFactory<CustomerRow> = async (dataSource) => {
  const now = clockOf(dataSource).now();
  return {
    parse(row: RowContext): CustomerRow | null {
      const customer = parseCustomer(row, true);
      return customer && row.errors.length === 0 ? { row: row.row, ...customer } : null;
    },

    async write(tx, rows) {
      const known = await lookupCustomers(
        tx,
        rows.map((r) => r.code),
      );
      const fresh = new Map<string, CustomerDraft>();
      for (const row of rows) {
        const key = fold(row.code);
        if (!known.has(key) && !fresh.has(key)) fresh.set(key, row);
      }
      // Counted by what the INSERT inserted: another import may create some of them meanwhile.
      const { created } = await insertCustomers(tx, [...fresh.values()], now);
      return { inserted: created, alreadyPresent: rows.length - created, customersCreated: 0, rejected: [] };
    },
  };
};
