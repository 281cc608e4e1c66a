import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { parseId, parseOptionalId } from "../../common/errors";
import { Customer, Department, ServiceTicket, SurveyDimension, SurveyTemplate } from "../../entity";
import { allowEcho, refuseUnlessPersonalDataReader } from "../../privacy";
import { responseMinutes } from "../../service/reference.service";
import type { RequestContext } from "../context";
import { PageArgs } from "../pagination";
import {
  CreateCustomerInput,
  CreateServiceTicketInput,
  CreateSurveyTemplateInput,
  CustomerConnection,
  CustomerFilterInput,
  ServiceTicketConnection,
  ServiceTicketFilterInput,
  SurveyTemplateConnection,
} from "../types/reference.types";

/** Customers, service tickets and survey templates: created by staff, read by everyone. */
@Resolver()
export class ReferenceResolver {
  @Authorized(["AGENT", "QUALITY_SPECIALIST", "ADMIN"])
  @Mutation(() => Customer, { description: "Records a customer." })
  async createCustomer(
    @Arg("input", {
      description: "Name, contact details, region and optional contact consent of the new customer.",
    })
    input: CreateCustomerInput,
    @Ctx() ctx: RequestContext,
  ) {
    const customer = await ctx.services.reference.createCustomer({ ...input, recordedById: ctx.actor?.id ?? null });
    // The caller has just typed these values: echoing them back reveals nothing.
    allowEcho(ctx, customer.id);
    return customer;
  }

  @Authorized()
  @Query(() => Customer, { nullable: true, description: "A customer by id." })
  customer(
    @Arg("id", () => ID, { description: "Id of the customer to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.customer.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => CustomerConnection, { description: "Customers, newest first." })
  customers(
    @Args() page: PageArgs,
    @Arg("filter", () => CustomerFilterInput, {
      nullable: true,
      description: "Narrows the list (all customers when omitted).",
    })
    filter: CustomerFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    refuseUnlessPersonalDataReader(ctx.actor?.roles, "filter.nameContains", filter?.nameContains);
    return ctx.services.reference.listCustomers(filter ?? {}, page);
  }

  @Authorized(["AGENT", "QUALITY_SPECIALIST", "ADMIN"])
  @Mutation(() => ServiceTicket, { description: "Records a service ticket (工单)." })
  createServiceTicket(
    @Arg("input", {
      description: "Code, customer, type, region, engineer, department and times of the new service ticket (工单).",
    })
    input: CreateServiceTicketInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reference.createServiceTicket({
      ...input,
      customerId: parseId(input.customerId, "input.customerId"),
      departmentId: parseOptionalId(input.departmentId, "input.departmentId"),
    });
  }

  @Authorized(["AGENT", "QUALITY_SPECIALIST", "ADMIN"])
  @Mutation(() => ServiceTicket, {
    description:
      "Records that a ticket's service was completed (once); active post-service survey campaigns covering it " +
      "schedule the customer's invitation.",
  })
  completeServiceTicket(
    @Arg("id", () => ID, { description: "Id of the service ticket that was completed." }) id: string,
    @Arg("completedAt", () => Date, { nullable: true, description: "When the service was completed; default now." })
    completedAt: Date | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reference.completeServiceTicket(parseId(id, "id"), completedAt);
  }

  @Authorized()
  @Query(() => ServiceTicket, { nullable: true, description: "A service ticket by id." })
  serviceTicket(
    @Arg("id", () => ID, { description: "Id of the service ticket to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.serviceTicket.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => ServiceTicketConnection, { description: "Service tickets, newest first." })
  serviceTickets(
    @Args() page: PageArgs,
    @Arg("filter", () => ServiceTicketFilterInput, {
      nullable: true,
      description: "Narrows the list (all service tickets when omitted).",
    })
    filter: ServiceTicketFilterInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reference.listServiceTickets(
      {
        ...filter,
        customerId: parseOptionalId(filter?.customerId, "filter.customerId"),
        departmentId: parseOptionalId(filter?.departmentId, "filter.departmentId"),
      },
      page,
    );
  }

  @Authorized(["QUALITY_SPECIALIST", "ADMIN"])
  @Mutation(() => SurveyTemplate, { description: "Creates a survey template with its dimensions." })
  createSurveyTemplate(
    @Arg("input", {
      description: "Name, dimensions and open questions of the new survey template.",
    })
    input: CreateSurveyTemplateInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.reference.createSurveyTemplate(input);
  }

  @Authorized()
  @Query(() => SurveyTemplate, { nullable: true, description: "A survey template by id." })
  surveyTemplate(
    @Arg("id", () => ID, { description: "Id of the survey template to read." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.loaders.surveyTemplate.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => SurveyTemplateConnection, { description: "Survey templates, newest first." })
  surveyTemplates(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.reference.listSurveyTemplates(page);
  }
}

@Resolver(() => ServiceTicket)
export class ServiceTicketResolver {
  @FieldResolver(() => Customer, { description: "The customer served." })
  customer(@Root() ticket: ServiceTicket, @Ctx() ctx: RequestContext) {
    return ctx.loaders.customer.load(ticket.customerId);
  }

  @FieldResolver(() => Department, {
    nullable: true,
    description: "Department that handled the ticket.",
  })
  department(@Root() ticket: ServiceTicket, @Ctx() ctx: RequestContext) {
    return ticket.departmentId ? ctx.loaders.department.load(ticket.departmentId) : null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Minutes from opening to the first response; null until someone responded.",
  })
  responseMinutes(@Root() ticket: ServiceTicket): number | null {
    return responseMinutes(ticket);
  }
}

@Resolver(() => SurveyTemplate)
export class SurveyTemplateResolver {
  @FieldResolver(() => [SurveyDimension], { description: "Scored dimensions, in display order." })
  dimensions(@Root() template: SurveyTemplate, @Ctx() ctx: RequestContext) {
    // Dimensions are inserted in display order, so the loader's id order is the position order.
    return ctx.loaders.dimensionsByTemplate.load(template.id);
  }
}
