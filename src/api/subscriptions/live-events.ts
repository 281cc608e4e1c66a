import { EventEmitter } from "node:events";
import {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from "typeorm";
import { IssueKind, WorkflowEntity } from "../../common/enums";
import { Issue, TransitionLog } from "../../entity";

/** A committed transition-log row, as it was inserted. */
export interface TransitionEvent {
  id: number;
  entityType: WorkflowEntity;
  entityId: number;
  fromState: string;
  toState: string;
  event: string;
  actorId: number;
  reason: string | null;
  createdAt: Date;
}

/** A committed new complaint issue. */
export interface ComplaintEvent {
  issueId: number;
}

export interface LiveEventMap {
  transition: TransitionEvent;
  complaint: ComplaintEvent;
}
export type LiveTopic = keyof LiveEventMap;

/**
 * In-process publish/subscribe of committed changes. Several serving processes would each see
 * only their own commits; they would need a shared bus (e.g. Redis pub/sub) behind this same
 * interface — not built, since one process serves a quality team comfortably.
 */
export class LiveEvents {
  private readonly emitter = new EventEmitter();
  private subscriptions = 0;

  constructor() {
    // One listener per open subscription: many meeting screens are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  publish<K extends LiveTopic>(topic: K, payload: LiveEventMap[K]): void {
    this.emitter.emit(topic, payload);
  }

  /** Calls `listener` for every event of `topic` (metrics use it); returns the unsubscribe. */
  listen<K extends LiveTopic>(topic: K, listener: (payload: LiveEventMap[K]) => void): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  /** Subscriptions open now (iterators not yet ended), for the metrics. */
  openSubscriptions(): number {
    return this.subscriptions;
  }

  /** Open listeners of `topic`, subscriptions and internal listeners (metrics) alike. */
  listenerCount(topic: LiveTopic): number {
    return this.emitter.listenerCount(topic);
  }

  /**
   * The events of `topic` that pass `accept`, as an async iterator for a GraphQL subscription.
   * Ending the iterator (the client unsubscribes or disconnects) removes the listener. Up to
   * `maxBuffered` events wait for a slow client; beyond that the subscription fails rather than
   * letting one stuck socket grow the process's memory.
   */
  subscribe<K extends LiveTopic>(
    topic: K,
    accept: (payload: LiveEventMap[K]) => boolean = () => true,
    maxBuffered = 1000,
  ): AsyncIterableIterator<LiveEventMap[K]> {
    const queue: LiveEventMap[K][] = [];
    let waiting: ((result: IteratorResult<LiveEventMap[K]>) => void) | null = null;
    let failure: Error | null = null;
    let finished = false;
    const listener = (payload: LiveEventMap[K]) => {
      if (finished || !accept(payload)) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ done: false, value: payload });
      } else if (queue.length < maxBuffered) {
        queue.push(payload);
      } else {
        failure = new Error(`subscription fell more than ${maxBuffered} events behind`);
        stop();
      }
    };
    const stop = () => {
      if (finished) return;
      finished = true;
      this.subscriptions -= 1;
      this.emitter.off(topic, listener);
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ done: true, value: undefined });
      }
    };
    this.emitter.on(topic, listener);
    this.subscriptions += 1;
    const iterator: AsyncIterableIterator<LiveEventMap[K]> = {
      next() {
        if (queue.length > 0) return Promise.resolve({ done: false, value: queue.shift()! });
        if (failure) return Promise.reject(failure);
        if (finished) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => {
          waiting = resolve;
        });
      },
      return() {
        queue.length = 0;
        stop();
        return Promise.resolve({ done: true, value: undefined });
      },
      throw(error?: unknown) {
        queue.length = 0;
        stop();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}

const registry = new WeakMap<DataSource, LiveEvents>();

/**
 * The bus of one database: created with the subscriber that feeds it on first use, so services,
 * the WebSocket server and the metrics of the same DataSource share it.
 */
export function liveEventsOf(dataSource: DataSource): LiveEvents {
  let events = registry.get(dataSource);
  if (!events) {
    events = new LiveEvents();
    registry.set(dataSource, events);
    dataSource.subscribers.push(new AfterCommitPublisher(events));
  }
  return events;
}

type Pending = { depth: number; publish: () => void };

/**
 * Publishes transition-log rows and new complaints once their transaction has committed — never
 * before, so a subscriber cannot see a change that is then rolled back (a refused transition, a
 * lost version race). Rows are held per query runner, tagged with the transaction depth they were
 * written at, so rolling back a savepoint drops only what was written inside it.
 */
class AfterCommitPublisher implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<object, Pending[]>();

  constructor(private readonly events: LiveEvents) {}

  afterInsert(event: InsertEvent<unknown>): void {
    const publish = this.publisherFor(event);
    if (!publish) return;
    const runner = event.queryRunner;
    if (!runner.isTransactionActive) {
      publish(); // autocommit: the row is committed already
      return;
    }
    const key = keyOf(runner);
    const list = this.pending.get(key) ?? [];
    list.push({ depth: depthOf(runner), publish });
    this.pending.set(key, list);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    // Releasing a savepoint also "commits"; only the outermost commit makes rows visible.
    if (runner.isTransactionActive) return;
    const list = this.pending.get(keyOf(runner));
    this.pending.delete(keyOf(runner));
    for (const item of list ?? []) item.publish();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    if (!runner.isTransactionActive) {
      this.pending.delete(keyOf(runner));
      return;
    }
    const depth = depthOf(runner);
    const list = this.pending.get(keyOf(runner));
    if (list) this.pending.set(keyOf(runner), list.filter((item) => item.depth <= depth));
  }

  private publisherFor(event: InsertEvent<unknown>): (() => void) | null {
    const target = event.metadata.target;
    if (target === TransitionLog) {
      const row = event.entity as Partial<TransitionLog>;
      const payload: TransitionEvent = {
        id: Number(row.id),
        entityType: row.entityType!,
        entityId: Number(row.entityId),
        fromState: row.fromState!,
        toState: row.toState!,
        event: row.event!,
        actorId: Number(row.actorId),
        reason: row.reason ?? null,
        createdAt: row.createdAt ?? new Date(),
      };
      return () => this.events.publish("transition", payload);
    }
    if (target === Issue) {
      const issue = event.entity as Partial<Issue>;
      if (issue.kind !== IssueKind.COMPLAINT) return null;
      const payload: ComplaintEvent = { issueId: Number(issue.id) };
      return () => this.events.publish("complaint", payload);
    }
    return null;
  }
}

/**
 * The database connection under the runner: a request that runs in one transaction may lend its
 * runner out wrapped in a Proxy (db/request-scope), and the wrapper and the runner must meet here.
 */
function keyOf(runner: QueryRunner): object {
  return (runner as unknown as { databaseConnection?: object }).databaseConnection ?? runner;
}

/** TypeORM keeps the savepoint depth on the runner without typing it publicly. */
function depthOf(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth?: number }).transactionDepth ?? 1;
}

/**
 * type-graphql insists on a `pubSub` in buildSchema as soon as any @Subscription exists, even
 * though ours use `subscribe` (the bus depends on the DataSource, the schema does not). Topic-based
 * subscriptions are not used; this one says so if someone adds one.
 */
export const topicPubSubUnused = {
  publish(): void {
    throw new Error("topic pub/sub is not used: publish through LiveEvents (liveEventsOf(dataSource))");
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error("topic subscriptions are not used: give @Subscription a `subscribe` function");
  },
};
