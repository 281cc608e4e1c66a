import path from "node:path";
import { DataSource } from "typeorm";
import { importCustomers, importTickets } from "../../src/import";
import { Customer, CUSTOMER_HEADERS, Ticket, TICKET_HEADERS, ticketRows, writeCsv } from "./survey-export";

/**
 * What a feedback import finds in qloop: `customers` and `tickets` (opened from `from` on), imported
 * through their own CSV exports written to `dir`, as an operator would before importing answers.
 */
export async function importReferenceData(
  dataSource: DataSource,
  dir: string,
  customers: readonly Customer[],
  tickets: readonly Ticket[],
  from: Date,
): Promise<void> {
  const customersFile = path.join(dir, "customers.csv");
  writeCsv(customersFile, CUSTOMER_HEADERS, customers.map((c) => [c.code, c.name, c.phone, c.region]));
  const ticketsFile = path.join(dir, "tickets.csv");
  writeCsv(ticketsFile, TICKET_HEADERS, ticketRows([...tickets], from));
  await importCustomers(dataSource, customersFile);
  await importTickets(dataSource, ticketsFile);
}
