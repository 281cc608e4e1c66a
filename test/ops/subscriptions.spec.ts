import { Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { gql } from "graphql-request";
import { WorkflowEntity } from "../../src/common/enums";
import { Customer, TransitionLog } from "../../src/entity";
import { liveEventsOf, LiveTopic } from "../../src/api/subscriptions/live-events";
import { createWorld, Person, startTestApp, TestApp, World } from "../support/test-app";

/** Live updates over graphql-ws on /graphql: transitions and new complaints, after commit. */
describe("subscriptions", () => {
  let app: TestApp;
  let w: World;
  let customerId: string;
  /** Listeners on the bus without any subscription: the metrics' transition counter. */
  let baseline: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    customerId = String((await app.dataSource.getRepository(Customer).save({ name: "华东物流" })).id);
    baseline = liveEventsOf(app.dataSource).listenerCount("transition");
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    // The server ends a subscription when its socket closes; wait so counts start from zero.
    const bus = liveEventsOf(app.dataSource);
    while (bus.listenerCount("transition") > baseline || bus.listenerCount("complaint") > 0) await sleep(10);
  });
  afterAll(() => app.stop());

  const wsUrl = () => app.url.replace(/^http/, "ws");

  function connect(authorization: string | null, onClosed?: (event: { code: number }) => void): Client {
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      connectionParams: authorization === null ? {} : { authorization },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: onClosed ? { closed: (event) => onClosed(event as { code: number }) } : undefined,
    });
    clients.push(client);
    return client;
  }

  /**
   * Starts a subscription and waits until the server listens, so a change made right after is
   * seen (a change committed before the subscription starts is, correctly, not delivered).
   */
  async function subscribe(person: Person, query: string, topic: LiveTopic, variables: Record<string, unknown> = {}) {
    const bus = liveEventsOf(app.dataSource);
    const before = bus.listenerCount(topic);
    const events = connect(`Bearer ${person.token}`).iterate<any>({ query, variables });
    const first = events.next();
    const deadline = Date.now() + 5000;
    while (bus.listenerCount(topic) <= before) {
      if (Date.now() > deadline) throw new Error("the subscription never started");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let pending: Promise<IteratorResult<any>> | null = first;
    return {
      async next(): Promise<any> {
        const step = await withTimeout(pending ?? events.next(), 5000);
        pending = null;
        if (step.done) throw new Error("subscription ended");
        if (step.value.errors) throw new Error(JSON.stringify(step.value.errors));
        return step.value.data;
      },
      async noneWithin(ms: number): Promise<void> {
        const step = await Promise.race([pending ?? (pending = events.next()), sleep(ms).then(() => "quiet" as const)]);
        if (step !== "quiet") throw new Error(`unexpected event ${JSON.stringify(step)}`);
      },
    };
  }

  const TRANSITIONS = `subscription ($entityType: WorkflowEntity, $entityId: ID) {
    transitionRecorded(entityType: $entityType, entityId: $entityId) {
      entityType entityId fromState toState event actor { id }
    }
  }`;

  async function register(person: Person = w.agent, title = "客户投诉：维修响应慢") {
    const data = await person.client.request<{ registerComplaint: { id: string } }>(
      gql`mutation ($input: RegisterComplaintInput!) { registerComplaint(input: $input) { id } }`,
      {
        input: {
          customerId,
          channel: "PHONE",
          scores: [{ dimension: "responsiveness", score: 2 }],
          comment: "报修后等了两天才有人联系",
          title,
        },
      },
    );
    return data.registerComplaint.id;
  }

  async function triage(person: Person, id: string) {
    const data = await person.client.request<{ triageIssue: any }>(
      gql`mutation ($id: ID!, $input: TriageInput!) {
        triageIssue(id: $id, input: $input) { __typename ... on Issue { state } ... on TransitionError { errorCode } }
      }`,
      { id, input: { urgent: true, important: true, impact: "HIGH", departmentId: w.serviceDept } },
    );
    return data.triageIssue;
  }

  it("receives a transition made by another client", async () => {
    const id = await register();
    const feed = await subscribe(w.manager, TRANSITIONS, "transition", { entityType: "ISSUE", entityId: id });
    const metrics = await (await fetch(app.url.replace(/graphql$/, "metrics"))).text();
    expect(metrics).toMatch(/^qloop_subscriptions_open 1$/m);

    expect((await triage(w.quality, id)).state).toBe("triaged");

    expect((await feed.next()).transitionRecorded).toEqual({
      entityType: "ISSUE",
      entityId: id,
      fromState: "intake",
      toState: "triaged",
      event: "TRIAGE",
      actor: { id: w.quality.id },
    });
  });

  it("filters by object: another issue's transitions are not delivered", async () => {
    const watched = await register();
    const other = await register();
    const feed = await subscribe(w.manager, TRANSITIONS, "transition", { entityType: "ISSUE", entityId: watched });

    await triage(w.quality, other);
    await triage(w.quality, watched);

    const event = (await feed.next()).transitionRecorded;
    expect(event.entityId).toBe(watched);
    await feed.noneWithin(200);
  });

  it("sends nothing for a refused transition, which rolled back", async () => {
    const id = await register();
    await triage(w.quality, id);
    const feed = await subscribe(w.manager, TRANSITIONS, "transition", { entityType: "ISSUE", entityId: id });

    expect((await triage(w.quality, id)).errorCode).toBe("INVALID_TRANSITION");

    await feed.noneWithin(300);
  });

  it("delivers every machine's transitions without a filter, including creations", async () => {
    const feed = await subscribe(w.quality, TRANSITIONS, "transition");
    const id = await register();

    expect((await feed.next()).transitionRecorded).toMatchObject({ entityType: "ISSUE", entityId: id, event: "CREATE" });
  });

  const INBOX = `subscription { complaintRegistered { id kind state title createdBy { id } } }`;

  it("delivers each new complaint to the inbox with its issue", async () => {
    const feed = await subscribe(w.quality, INBOX, "complaint");
    const id = await register(w.agent, "客户投诉：上门迟到");

    expect((await feed.next()).complaintRegistered).toEqual({
      id,
      kind: "COMPLAINT",
      state: "intake",
      title: "客户投诉：上门迟到",
      createdBy: { id: w.agent.id },
    });
  });

  it("delivers only what the subscriber may read: an agent sees the complaints they registered", async () => {
    const feed = await subscribe(w.agent, INBOX, "complaint");
    await register(w.engineer, "别人的投诉");
    const own = await register(w.agent, "自己登记的投诉");

    expect((await feed.next()).complaintRegistered).toMatchObject({ id: own, title: "自己登记的投诉" });
  });

  it("delivers transitions only of objects the subscriber may read", async () => {
    const others = await register(w.engineer, "别人的投诉");
    const own = await register(w.agent, "自己登记的投诉");
    const feed = await subscribe(w.agent, TRANSITIONS, "transition", { entityType: "ISSUE" });

    await triage(w.quality, others);
    await triage(w.quality, own);

    expect((await feed.next()).transitionRecorded).toMatchObject({ entityId: own, event: "TRIAGE" });
  });

  it("refuses entityId without entityType as BAD_USER_INPUT", async () => {
    const client = connect(`Bearer ${w.quality.token}`);
    const step = await withTimeout(client.iterate<any>({ query: TRANSITIONS, variables: { entityId: "1" } }).next(), 5000);
    expect(step.value.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "entityType" });
  });

  describe("publishing after commit", () => {
    const row = (event: string) => ({
      entityType: WorkflowEntity.ISSUE,
      entityId: 999_999,
      fromState: "intake",
      toState: "triaged",
      event,
      actorId: Number(w.quality.id),
    });

    async function recorded(work: (seenSoFar: string[]) => Promise<unknown>): Promise<string[]> {
      const seen: string[] = [];
      const stop = liveEventsOf(app.dataSource).listen("transition", (event) => seen.push(event.event));
      try {
        await work(seen);
      } finally {
        stop();
      }
      return seen;
    }

    it("publishes a transition row once its transaction commits, not when it is written", async () => {
      let seenInside: string[] | null = null;
      const seen = await recorded((seenSoFar) =>
        app.dataSource.transaction(async (tx) => {
          await tx.insert(TransitionLog, row("COMMITTED"));
          seenInside = [...seenSoFar];
        }),
      );
      expect(seenInside).toEqual([]);
      expect(seen).toEqual(["COMMITTED"]);
    });

    it("never publishes a row whose transaction rolls back", async () => {
      const seen = await recorded(() =>
        app.dataSource
          .transaction(async (tx) => {
            await tx.insert(TransitionLog, row("ROLLED_BACK"));
            throw new Error("abort");
          })
          .catch(() => undefined),
      );
      expect(seen).toEqual([]);
    });

    it("drops only the rows of a rolled-back savepoint", async () => {
      const seen = await recorded(() =>
        app.dataSource.transaction(async (tx) => {
          await tx.insert(TransitionLog, row("OUTER"));
          await tx
            .transaction(async (inner) => {
              await inner.insert(TransitionLog, row("INNER"));
              throw new Error("abort the savepoint");
            })
            .catch(() => undefined);
        }),
      );
      expect(seen).toEqual(["OUTER"]);
    });
  });

  it("applies the HTTP request limits to subscription documents", async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(" ");
    const client = connect(`Bearer ${w.quality.token}`);
    // graphql-ws answers an operation refused before it runs with an error message, which the
    // client's iterator throws as the list of errors.
    const refused = await withTimeout(client.iterate<any>({ query: `subscription { complaintRegistered { ${aliases} } }` }).next(), 5000).then(
      () => null,
      (errors: { extensions?: { code?: string } }[]) => errors,
    );
    expect(refused?.[0].extensions?.code).toBe("TOO_MANY_ALIASES");
    expect(liveEventsOf(app.dataSource).openSubscriptions()).toBe(0);
  });

  it.each([
    ["no token", null],
    ["an unknown token", "Bearer qlp_not_a_real_token"],
  ])("closes the connection with 4401 Unauthorized on %s", async (_case, authorization) => {
    const closed = new Promise<number>((resolve) => connect(authorization, (event) => resolve(event.code)));
    expect(await withTimeout(closed, 5000)).toBe(4401);
  });
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
