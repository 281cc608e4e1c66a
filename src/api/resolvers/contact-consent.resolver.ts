import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { parseId } from "../../common/errors";
import { ContactConsent, Customer } from "../../entity";
import { contactAllowed } from "../../privacy/consent";
import { requireActor, type RequestContext } from "../context";
import { ContactConsentInput } from "../types/contact-consent.types";

/** Customers' contact consent: recorded at intake or later, shown on the customer. */
@Resolver(() => Customer)
export class ContactConsentResolver {
  @Authorized(["AGENT", "QUALITY_SPECIALIST", "OPERATIONS_MANAGER"])
  @Mutation(() => ContactConsent, {
    description:
      "Records a customer's later decision about being contacted (e.g. a refusal on a call-back); the latest " +
      "decision is in force: a refusal stops survey invitations, reminders, call-back tasks and change notices.",
  })
  recordContactConsent(
    @Arg("customerId", () => ID, { description: "Id of the customer who gave or refused consent." }) customerId: string,
    @Arg("input", {
      description: "The customer's decision, the channel it was given through and when.",
    })
    input: ContactConsentInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.contactConsent.record(requireActor(ctx), parseId(customerId, "customerId"), input);
  }

  @FieldResolver(() => ContactConsent, { nullable: true, description: "The contact decision in force; null if never asked." })
  contactConsent(@Root() customer: Customer, @Ctx() ctx: RequestContext) {
    return ctx.loaders.contactConsent.load(customer.id);
  }

  @FieldResolver(() => Boolean, {
    description: "Whether surveys, call-backs and change notices may reach the customer: false once they refused.",
  })
  async contactAllowed(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<boolean> {
    return contactAllowed(await ctx.loaders.contactConsent.load(customer.id));
  }

  @FieldResolver(() => [ContactConsent], { description: "Every contact decision recorded, oldest first." })
  contactConsentHistory(@Root() customer: Customer, @Ctx() ctx: RequestContext) {
    return ctx.services.contactConsent.history(customer.id);
  }
}
