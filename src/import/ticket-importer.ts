import { DataSource } from "typeorm";
import { clockOf } from "../common/clock";
import { TicketType } from "../common/enums";
import { TEXT_LIMITS } from "../common/validation";
import { Department, ServiceTicket } from "../entity";
import { REFERENCE_LIMITS } from "../service/reference.service";
import { cannotCreate, CustomerDraft, fold, insertCustomers, lookupCustomers, parseCustomer } from "./customers";
import { HandlerFactory, ImportOptions, ImportSummary, runImport } from "./pipeline";
import { RowError } from "./report";
import { RowContext } from "./row-context";
import { ImportInput } from "./row-source";
import { dateParam, insertSkippingDuplicates, selectWhereIn, tableOf } from "./sql";

/** Every column the importer writes; test/import checks it covers each NOT NULL column without a default. */
export const TICKET_COLUMNS = [
  "code",
  "customerId",
  "type",
  "region",
  "engineer",
  "departmentId",
  "openedAt",
  "firstResponseAt",
  "completedAt",
];

export interface TicketRow {
  row: number;
  code: string;
  customer: CustomerDraft;
  type: TicketType;
  region: string | null;
  engineer: string | null;
  departmentId: number | null;
  openedAt: Date;
  firstResponseAt: Date | null;
  completedAt: Date | null;
}

/**
 * Imports service tickets (工单) from an export of the service system, keyed by ticket code:
 * a ticket whose code exists already is counted as present and left as it is (qloop never
 * overwrites a record people may have corrected); the same code for another customer is
 * rejected. Customers are found and created as in the feedback import; a department is named
 * as in qloop and an unknown name rejects the row.
 */
export function importTickets(
  dataSource: DataSource,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return runImport(dataSource, input, "tickets", options, ticketHandler);
}

const ticketHandler: HandlerFactory<TicketRow> = async (dataSource, plan, options) => {
  const createCustomers = options.createCustomers ?? true;
  const now = clockOf(dataSource).now();
  // Departments are few: read once, so naming one costs no query per row or batch.
  const departments = new Map(
    (await dataSource.getRepository(Department).find()).map((d) => [d.name.trim().toLowerCase(), d.id]),
  );

  return {
    parse(row: RowContext): TicketRow | null {
      const code = row.text("ticketCode", REFERENCE_LIMITS.ticketCode, true);
      const customer = parseCustomer(row, false);
      const type = row.enumValue<TicketType>("ticketType", true);
      const region = row.text("region", REFERENCE_LIMITS.region);
      const engineer = row.text("engineer", REFERENCE_LIMITS.engineer);
      const departmentName = row.text("department", TEXT_LIMITS.name);
      const openedAt = row.date("openedAt", true);
      const firstResponseAt = row.date("firstResponseAt");
      const completedAt = row.date("completedAt");
      let departmentId: number | null = null;
      if (departmentName !== null) {
        departmentId = departments.get(departmentName.toLowerCase()) ?? null;
        if (departmentId === null) {
          row.reject("department", row.column("department"), departmentName, "no department has this name in qloop");
        }
      }
      for (const [field, at] of [["firstResponseAt", firstResponseAt], ["completedAt", completedAt]] as const) {
        if (at && openedAt && at < openedAt) {
          row.reject(field, row.column(field), at.toISOString(), "must not be before openedAt");
        }
      }
      if (row.errors.length > 0 || !code || !customer || !type || !openedAt) return null;
      return { row: row.row, code, customer, type, region, engineer, departmentId, openedAt, firstResponseAt, completedAt };
    },

    async write(tx, rows) {
      const ticketTable = tableOf(tx, ServiceTicket);
      const rejected: RowError[] = [];
      const customerIds = await lookupCustomers(
        tx,
        rows.map((r) => r.customer.code),
      );
      const existing = await selectWhereIn<{ code: string; customerId: number }>(
        tx,
        ticketTable,
        ["code", "customerId"],
        "code",
        [...new Set(rows.map((r) => r.code))],
      );
      // Ticket code → its customer: the id, or the folded code of a customer this batch creates;
      // for tickets in qloop and those earlier in this batch.
      const owner = new Map<string, number | string>(existing.map((t) => [fold(t.code), Number(t.customerId)]));
      const accepted: TicketRow[] = [];
      const toCreate = new Map<string, CustomerDraft>();
      let alreadyPresent = 0;
      for (const row of rows) {
        const customerKey = fold(row.customer.code);
        const customerId = customerIds.get(customerKey);
        const known = owner.get(fold(row.code));
        if (known !== undefined) {
          if (known === customerId || known === customerKey) alreadyPresent++;
          else {
            rejected.push({
              row: row.row,
              column: plan.layout.fields.ticketCode?.header ?? "",
              field: "ticketCode",
              value: row.code,
              reason: "a ticket with this code exists for another customer",
            });
          }
          continue;
        }
        if (customerId === undefined) {
          const reason = cannotCreate(row.customer, createCustomers);
          if (reason !== null) {
            rejected.push({
              row: row.row,
              column: plan.layout.fields.customerCode?.header ?? "",
              field: "customerCode",
              value: row.customer.code,
              reason,
            });
            continue;
          }
          if (!toCreate.has(customerKey)) toCreate.set(customerKey, row.customer);
        }
        owner.set(fold(row.code), customerId ?? customerKey);
        accepted.push(row);
      }
      const created = await insertCustomers(tx, [...toCreate.values()], now);
      for (const [code, id] of created.ids) customerIds.set(code, id);

      const date = dateParam(tx, ServiceTicket, "openedAt");
      await insertSkippingDuplicates(
        tx,
        ticketTable,
        TICKET_COLUMNS,
        accepted.map((r) => [
          r.code,
          customerIds.get(fold(r.customer.code)),
          r.type,
          r.region,
          r.engineer,
          r.departmentId,
          date(r.openedAt),
          date(r.firstResponseAt),
          date(r.completedAt),
        ]),
        "code",
      );
      return { inserted: accepted.length, alreadyPresent, customersCreated: created.created, rejected };
    },
  };
};
