import { registerEnumType } from "type-graphql";

/** A customer's answer to "may we contact you about this service (surveys, call-backs, notices)?". */
export enum ContactConsentDecision {
  GRANTED = "GRANTED",
  REFUSED = "REFUSED",
}

registerEnumType(ContactConsentDecision, {
  name: "ContactConsentDecision",
  description: "Whether the customer agreed to be contacted for surveys, call-backs and change notices.",
  valuesConfig: {
    GRANTED: { description: "The customer agreed to be contacted (同意联系)." },
    REFUSED: { description: "The customer refused to be contacted (拒绝联系): no surveys, call-backs or notices." },
  },
});

/** Why a customer is not contacted: the reason stored on a skipped invitation. */
export const CONTACT_REFUSED_REASON = "客户拒绝联系 (the customer refused to be contacted)";

/**
 * Contact is allowed unless the customer's latest recorded decision is a refusal: customers
 * recorded before consent was asked (no record) keep being surveyed as they were, so an upgrade
 * does not silently stop every survey; a refusal always wins over that default.
 */
export function contactAllowed(latest: { decision: ContactConsentDecision } | null | undefined): boolean {
  return latest?.decision !== ContactConsentDecision.REFUSED;
}
