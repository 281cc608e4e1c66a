import { Extensions, MiddlewareFn, UseMiddleware } from "type-graphql";
import type { GraphQLField } from "graphql";
import type { Role } from "../../workflows/actor";
import { MASKS, PersonalDataKind, PersonalValues, scrubText } from "./masking";
import { mayReadPersonalData } from "./policy";

/** What the masking middleware needs of the request context (the API's RequestContext has it). */
interface PrivacyContext {
  actor?: { roles: readonly Role[] } | null;
  loaders?: { customer: { load(id: number): Promise<PersonalValues | null> } };
}

/** Field extension key marking personal data in the schema; the schema test looks for it. */
export const PERSONAL_DATA_EXTENSION = "personalData";

/**
 * Customers whose data this request may echo unmasked whatever the caller's role: the ones it
 * created itself, whose values the caller has just typed in. Keyed by the context object, so
 * nothing outlives the request.
 */
const echoedCustomers = new WeakMap<object, Set<number>>();

/** Lets this request's response show `customerId`'s data unmasked (the caller just entered it). */
export function allowEcho(context: object, customerId: number): void {
  const ids = echoedCustomers.get(context) ?? new Set<number>();
  ids.add(customerId);
  echoedCustomers.set(context, ids);
}

function mayRead(context: PrivacyContext, customerId: number | null | undefined): boolean {
  if (mayReadPersonalData(context?.actor?.roles)) return true;
  return customerId != null && (echoedCustomers.get(context)?.has(customerId) ?? false);
}

function maskValue(kind: PersonalDataKind): MiddlewareFn<PrivacyContext> {
  return async ({ root, context }, next) => {
    const value: unknown = await next();
    if (typeof value !== "string" || mayRead(context, (root as { id?: number })?.id)) return value;
    return MASKS[kind](value);
  };
}

/**
 * Marks a field holding a customer's name, phone or e-mail address: callers whose roles lack
 * access (see PERSONAL_DATA_ACCESS) get the masked value. The mark lives on the field itself, so
 * every query, nested path and future field returning the type is masked alike.
 */
export function PersonalData(kind: PersonalDataKind): PropertyDecorator & MethodDecorator {
  const mark = Extensions({ [PERSONAL_DATA_EXTENSION]: kind });
  const mask = UseMiddleware(maskValue(kind));
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    mark(target, key, descriptor as never);
    mask(target, key, descriptor as never);
  };
}

/**
 * Marks free text that may mention a customer (a title, a comment, a message body): for callers
 * without access, the related customer's name, phone and e-mail and any mobile number in the text
 * are masked. `customerOf` names the related customer of the parent object, if it has one.
 */
export function PersonalText<Parent>(customerOf: (parent: Parent) => number | null | undefined): PropertyDecorator & MethodDecorator {
  const mark = Extensions({ [PERSONAL_DATA_EXTENSION]: "text" });
  const scrub: MiddlewareFn<PrivacyContext> = async ({ root, context }, next) => {
    const value: unknown = await next();
    const customerId = customerOf(root as Parent);
    if (typeof value !== "string" || mayRead(context, customerId)) return value;
    // A context without loaders (e.g. a subscription's) still gets every mobile number masked.
    const customer = customerId == null ? null : await context.loaders?.customer.load(customerId);
    return scrubText(value, customer ? [customer] : []);
  };
  const mask = UseMiddleware(scrub);
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    mark(target, key, descriptor as never);
    mask(target, key, descriptor as never);
  };
}

/** The kind of personal data a schema field carries, if it is marked. */
export function personalDataKindOf(field: GraphQLField<unknown, unknown>): string | null {
  const kind = field.extensions?.[PERSONAL_DATA_EXTENSION];
  return typeof kind === "string" ? kind : null;
}
