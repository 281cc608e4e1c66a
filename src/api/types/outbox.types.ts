import { Field, InputType } from "type-graphql";
import { OutboxMessage } from "../../entity/outbox/outbox-message.entity";
import { MessageKind, MessageStatus } from "../../notify/message-kind";
import { ConnectionType } from "../pagination";

export const OutboxMessageConnection = ConnectionType(OutboxMessage, "OutboxMessage");

@InputType({ description: "Which outbox messages to list." })
export class OutboxFilter {
  @Field(() => MessageStatus, { nullable: true, description: "Only messages in this delivery state." })
  status?: MessageStatus | null;

  @Field(() => MessageKind, { nullable: true, description: "Only messages of this kind." })
  kind?: MessageKind | null;
}
