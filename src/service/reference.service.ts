import { DataSource, IsNull, SelectQueryBuilder } from "typeorm";
import { clockOf } from "../common/clock";
import { TicketType } from "../common/enums";
import { badInput } from "../common/errors";
import { optionalText, requireText, TEXT_LIMITS } from "../common/validation";
import { inTransaction } from "../db/transaction";
import { Customer, Department, ServiceTicket, SurveyDimension, SurveyTemplate } from "../entity";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { findOrFail } from "./common";
import { schedulePostServiceInvitations } from "./invitation-scheduling";
import { ConsentDecisionInput, recordConsent } from "./contact-consent.service";

export interface NewCustomer {
  name: string;
  phone?: string | null;
  email?: string | null;
  region?: string | null;
  /** The customer's contact decision, when asked at intake. */
  contactConsent?: ConsentDecisionInput | null;
  /** Who recorded the customer (the consent record names them). */
  recordedById?: number | null;
}

export interface CustomerFilter {
  region?: string | null;
  nameContains?: string | null;
}

export interface NewServiceTicket {
  code: string;
  customerId: number;
  type: TicketType;
  region?: string | null;
  engineer?: string | null;
  departmentId: number | null;
  openedAt: Date;
  firstResponseAt?: Date | null;
  completedAt?: Date | null;
}

export interface ServiceTicketFilter {
  customerId?: number | null;
  type?: TicketType | null;
  region?: string | null;
  departmentId?: number | null;
  openedFrom?: Date | null;
  openedTo?: Date | null;
}

export interface NewDimension {
  code: string;
  name: string;
  weight: number;
}

export interface NewSurveyTemplate {
  name: string;
  /** Null or undefined: the default dimensions. */
  dimensions?: NewDimension[] | null;
  openQuestions: string[];
}

/** Column widths of the reference tables, so inputs refuse what the columns cannot hold. */
export const REFERENCE_LIMITS = { phone: 32, email: 191, region: 64, engineer: 100, ticketCode: 64 } as const;

/** A template asks one or two open questions at most, so a survey stays short. */
export const MAX_OPEN_QUESTIONS = 2;

/** The dimensions every survey asks unless its template says otherwise (see DESIGN.md, the loop). */
export const DEFAULT_DIMENSIONS: readonly NewDimension[] = [
  { code: "responsiveness", name: "响应及时性", weight: 1 },
  { code: "resolution", name: "解决能力", weight: 1 },
  { code: "attitude", name: "服务态度", weight: 1 },
  { code: "compliance", name: "流程合规", weight: 1 },
  { code: "overall", name: "总体满意度", weight: 1 },
];

/** Minutes from opening a ticket to its first response; null while nobody has responded. */
export function responseMinutes(
  ticket: Pick<ServiceTicket, "openedAt" | "firstResponseAt">,
): number | null {
  if (!ticket.firstResponseAt) return null;
  return Math.floor((ticket.firstResponseAt.getTime() - ticket.openedAt.getTime()) / 60_000);
}

/**
 * Reference data the loop is measured against: customers, service tickets and survey templates.
 * These are records, not workflows: they are created and read, never moved through states.
 */
export class ReferenceService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a customer, with their contact consent when it was asked. Text is trimmed; blank
   * optional fields are stored as null.
   */
  createCustomer(input: NewCustomer): Promise<Customer> {
    const customer = {
      name: requireText(input.name, "input.name", TEXT_LIMITS.name),
      phone: optionalText(input.phone, "input.phone", REFERENCE_LIMITS.phone),
      email: optionalText(input.email, "input.email", REFERENCE_LIMITS.email),
      region: optionalText(input.region, "input.region", REFERENCE_LIMITS.region),
    };
    return inTransaction(this.dataSource, async (tx) => {
      const saved = await tx.getRepository(Customer).save(tx.create(Customer, customer));
      if (input.contactConsent) {
        await recordConsent(tx, { ...input.contactConsent, customerId: saved.id, recordedById: input.recordedById ?? null });
      }
      return saved;
    });
  }

  listCustomers(filter: CustomerFilter, page: PageArgs): Promise<Connection<Customer>> {
    const query = this.dataSource.getRepository(Customer).createQueryBuilder("c");
    if (filter.region) query.andWhere("c.region = :region", { region: filter.region });
    if (filter.nameContains) whereContains(query, "c.name", filter.nameContains);
    return paginate(query, "c", page);
  }

  /**
   * Records a service ticket. The response and completion times cannot precede the opening (the
   * response-time statistics would turn negative), and the code is the service system's key.
   * A ticket recorded as completed gets its post-service survey invitation in the same transaction.
   */
  async createServiceTicket(input: NewServiceTicket): Promise<ServiceTicket> {
    const code = requireText(input.code, "input.code", REFERENCE_LIMITS.ticketCode);
    for (const field of ["firstResponseAt", "completedAt"] as const) {
      const value = input[field];
      if (value && value.getTime() < input.openedAt.getTime()) {
        throw badInput(`input.${field}`, "must not be before openedAt");
      }
    }
    const ticket = {
      code,
      customerId: input.customerId,
      type: input.type,
      region: optionalText(input.region, "input.region", REFERENCE_LIMITS.region),
      engineer: optionalText(input.engineer, "input.engineer", REFERENCE_LIMITS.engineer),
      departmentId: input.departmentId,
      openedAt: input.openedAt,
      firstResponseAt: input.firstResponseAt ?? null,
      completedAt: input.completedAt ?? null,
    };
    return saveUnique(
      () =>
        inTransaction(this.dataSource, async (tx) => {
          await findOrFail(tx, Customer, ticket.customerId, "Customer");
          if (ticket.departmentId !== null) await findOrFail(tx, Department, ticket.departmentId, "Department");
          const repo = tx.getRepository(ServiceTicket);
          if (await repo.existsBy({ code })) {
            throw badInput("input.code", `a ticket with code "${code}" exists already`);
          }
          const saved = await repo.save(repo.create(ticket));
          await schedulePostServiceInvitations(tx, saved);
          return saved;
        }),
      "input.code",
    );
  }

  /**
   * Records that the service of a ticket was completed (now by default). The completion is
   * written once: a conditional update on `completedAt IS NULL` refuses a second one, so a retried
   * request cannot move the date nor survey the customer twice. The post-service survey invitation
   * is scheduled in the same transaction.
   */
  completeServiceTicket(id: number, completedAt?: Date | null): Promise<ServiceTicket> {
    return inTransaction(this.dataSource, async (tx) => {
      const ticket = await findOrFail(tx, ServiceTicket, id, "ServiceTicket");
      const now = clockOf(tx).now();
      const at = completedAt ?? now;
      if (ticket.completedAt) throw badInput("id", `the ticket was completed at ${ticket.completedAt.toISOString()}`);
      if (at.getTime() < ticket.openedAt.getTime()) throw badInput("completedAt", "must not be before openedAt");
      if (ticket.firstResponseAt && at.getTime() < ticket.firstResponseAt.getTime()) {
        throw badInput("completedAt", "must not be before firstResponseAt");
      }
      // A minute of leeway for clocks that disagree slightly; a later time is a typo.
      if (at.getTime() > now.getTime() + 60_000) throw badInput("completedAt", "is in the future");
      const result = await tx.getRepository(ServiceTicket).update({ id, completedAt: IsNull() }, { completedAt: at });
      if (result.affected !== 1) throw badInput("id", "the ticket was completed by another request");
      const completed = await tx.getRepository(ServiceTicket).findOneByOrFail({ id });
      await schedulePostServiceInvitations(tx, completed);
      return completed;
    });
  }

  listServiceTickets(filter: ServiceTicketFilter, page: PageArgs): Promise<Connection<ServiceTicket>> {
    const query = this.dataSource.getRepository(ServiceTicket).createQueryBuilder("t");
    if (filter.customerId) query.andWhere("t.customerId = :customerId", { customerId: filter.customerId });
    if (filter.type) query.andWhere("t.type = :type", { type: filter.type });
    if (filter.region) query.andWhere("t.region = :region", { region: filter.region });
    if (filter.departmentId) query.andWhere("t.departmentId = :departmentId", { departmentId: filter.departmentId });
    if (filter.openedFrom) query.andWhere("t.openedAt >= :openedFrom", { openedFrom: filter.openedFrom });
    if (filter.openedTo) query.andWhere("t.openedAt < :openedTo", { openedTo: filter.openedTo });
    return paginate(query, "t", page);
  }

  /**
   * Creates a survey template with its dimensions in one transaction. Without dimensions the
   * template gets the five defaults, so every survey measures the same core dimensions.
   */
  async createSurveyTemplate(input: NewSurveyTemplate): Promise<SurveyTemplate> {
    const name = requireText(input.name, "input.name", TEXT_LIMITS.name);
    const dimensions = (input.dimensions ?? DEFAULT_DIMENSIONS).map((dimension, i) => ({
      code: dimension.code,
      name: requireText(dimension.name, `input.dimensions.${i}.name`, TEXT_LIMITS.name),
      weight: dimension.weight,
    }));
    const seen = new Set<string>();
    dimensions.forEach((dimension, i) => {
      if (seen.has(dimension.code)) throw badInput(`input.dimensions.${i}.code`, `${dimension.code} appears twice`);
      if (!(dimension.weight > 0)) throw badInput(`input.dimensions.${i}.weight`, "must be above 0");
      seen.add(dimension.code);
    });
    const openQuestions = input.openQuestions.map((question, i) =>
      requireText(question, `input.openQuestions.${i}`, TEXT_LIMITS.shortText),
    );
    if (openQuestions.length > MAX_OPEN_QUESTIONS) {
      throw badInput("input.openQuestions", `at most ${MAX_OPEN_QUESTIONS} open questions`);
    }

    return saveUnique(
      () =>
        inTransaction(this.dataSource, async (tx) => {
          const repo = tx.getRepository(SurveyTemplate);
          if (await repo.existsBy({ name })) {
            throw badInput("input.name", `a template named "${name}" exists already`);
          }
          const template = await repo.save(repo.create({ name, openQuestions }));
          await tx.getRepository(SurveyDimension).insert(
            dimensions.map((dimension, position) => ({ ...dimension, templateId: template.id, position })),
          );
          return template;
        }),
      "input.name",
    );
  }

  listSurveyTemplates(page: PageArgs): Promise<Connection<SurveyTemplate>> {
    return paginate(this.dataSource.getRepository(SurveyTemplate).createQueryBuilder("s"), "s", page);
  }
}

/**
 * `column LIKE %text%` with the wildcards of `text` taken literally. "!" is the escape character
 * because a backslash means different things in MySQL and SQLite string literals.
 */
function whereContains<T extends object>(
  query: SelectQueryBuilder<T>,
  column: string,
  text: string,
): void {
  const escaped = text.replace(/[!%_]/g, (char) => `!${char}`);
  query.andWhere(`${column} LIKE :contains ESCAPE '!'`, { contains: `%${escaped}%` });
}

/**
 * Runs an insert whose unique key was checked beforehand; a concurrent insert of the same key
 * that slips between check and write is reported as the same bad input, not as a server error.
 */
async function saveUnique<T>(work: () => Promise<T>, field: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw badInput(field, "exists already");
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } } | null)?.driverError;
  const code = driverError?.code ?? (error as { code?: string } | null)?.code;
  return code === "ER_DUP_ENTRY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
