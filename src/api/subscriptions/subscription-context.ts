import type { RequestContext } from "../context";
import type { Loaders } from "../loaders";

/**
 * The context of one subscription. It lives as long as the subscription, so its loaders are
 * replaced before each event: a loader's cache would otherwise keep every row ever loaded and
 * answer later events with stale data.
 */
export interface SubscriptionContext extends RequestContext {
  renewLoaders(): void;
}

export interface SubscriptionArgs<A> {
  args: A;
  context: SubscriptionContext;
}

/**
 * The events of `events` the subscriber may see, as the queries decide it: before each event the
 * context's loaders are renewed (for the subscriber, so the same row scopes apply as to a query)
 * and `load` fetches the object the event is about; an event whose object does not load for this
 * subscriber is skipped.
 */
export function visibleEvents<T>(
  context: SubscriptionContext,
  events: AsyncIterableIterator<T>,
  load: (loaders: Loaders, event: T) => Promise<unknown>,
): AsyncIterableIterator<T> {
  const visible: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const step = await events.next();
        if (step.done) return step;
        context.renewLoaders();
        if ((await load(context.loaders, step.value)) != null) return step;
      }
    },
    return: () => events.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    throw: (error?: unknown) => events.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]: () => visible,
  };
  return visible;
}
