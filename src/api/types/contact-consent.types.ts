import { Field, InputType } from "type-graphql";
import { Channel } from "../../common/enums";
import { ContactConsentDecision } from "../../privacy/consent";

@InputType({ description: "A customer's decision about being contacted for surveys, call-backs and change notices." })
export class ContactConsentInput {
  @Field(() => ContactConsentDecision, { description: "GRANTED or REFUSED." })
  decision: ContactConsentDecision;

  @Field(() => Channel, { description: "How the customer gave it (PHONE, WEB form, SMS reply, VISIT …)." })
  channel: Channel;

  @Field(() => Date, { nullable: true, description: "When the customer gave it; defaults to now (not in the future)." })
  givenAt?: Date | null;
}
