import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { parseId } from "../../common/errors";
import { customerRecipientOf, OutboxMessage } from "../../entity/outbox/outbox-message.entity";
import { PersonalText } from "../../privacy";
import { redactSecrets } from "../../notify/outbox";
import { RequestContext } from "../context";
import { PageArgs } from "../pagination";
import { OutboxFilter, OutboxMessageConnection } from "../types/outbox.types";

@Resolver(() => OutboxMessage)
export class OutboxResolver {
  @Authorized(["ADMIN", "QUALITY_SPECIALIST"])
  @Query(() => OutboxMessageConnection, {
    description: "Notifications in the outbox, newest first (admins and quality specialists). Addresses are not exposed.",
  })
  outboxMessages(
    @Args() page: PageArgs,
    @Arg("filter", () => OutboxFilter, {
      nullable: true,
      description: "Narrows the list (all notifications when omitted).",
    })
    filter: OutboxFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.outbox.list(filter ?? {}, page);
  }

  @Authorized(["ADMIN"])
  @Mutation(() => OutboxMessage, {
    description: "Retries a DEAD message with a fresh set of attempts, due now (admin). Other states are BAD_USER_INPUT.",
  })
  retryOutboxMessage(
    @Arg("id", () => ID, { description: "Id of the dead notification to send again." }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.outbox.retry(parseId(id, "id"));
  }

  @FieldResolver(() => String, {
    description: "Plain-text body, with survey links' tokens redacted (and the customer's personal data masked for roles without access).",
  })
  @PersonalText(customerRecipientOf)
  body(@Root() message: OutboxMessage): string {
    return redactSecrets(message.body);
  }
}
