import { LiveEvents, TransitionEvent } from "../../src/api/subscriptions/live-events";
import { WorkflowEntity } from "../../src/common/enums";

/** The in-process bus behind subscriptions: filtering, ending, and a bound on slow subscribers. */
describe("LiveEvents", () => {
  const transition = (entityId: number): TransitionEvent => ({
    id: entityId,
    entityType: WorkflowEntity.ISSUE,
    entityId,
    fromState: "intake",
    toState: "triaged",
    event: "TRIAGE",
    actorId: 1,
    reason: null,
    createdAt: new Date(0),
  });

  it("queues accepted events in order for a subscriber that reads later", async () => {
    const bus = new LiveEvents();
    const events = bus.subscribe("transition", (event) => event.entityId % 2 === 0);
    for (const id of [1, 2, 3, 4]) bus.publish("transition", transition(id));
    expect((await events.next()).value.entityId).toBe(2);
    expect((await events.next()).value.entityId).toBe(4);
  });

  it("removes its listener when the subscriber stops, ending a pending read", async () => {
    const bus = new LiveEvents();
    const events = bus.subscribe("transition");
    const pending = events.next();
    expect(bus.listenerCount("transition")).toBe(1);
    await events.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(bus.listenerCount("transition")).toBe(0);
  });

  it("fails a subscriber that falls too far behind instead of buffering without bound", async () => {
    const bus = new LiveEvents();
    const events = bus.subscribe("transition", () => true, 2);
    for (const id of [1, 2, 3]) bus.publish("transition", transition(id));
    expect(bus.listenerCount("transition")).toBe(0);
    expect((await events.next()).value.entityId).toBe(1);
    expect((await events.next()).value.entityId).toBe(2);
    await expect(events.next()).rejects.toThrow("fell more than 2 events behind");
  });

  it("counts open subscriptions for the metrics, whichever way they end", async () => {
    const bus = new LiveEvents();
    const first = bus.subscribe("transition");
    const second = bus.subscribe("complaint");
    const slow = bus.subscribe("transition", () => true, 1);
    expect(bus.openSubscriptions()).toBe(3);
    await first.return!();
    await first.return!();
    bus.publish("transition", transition(1));
    bus.publish("transition", transition(2));
    expect(bus.openSubscriptions()).toBe(1);
    await second.throw!(new Error("client gone")).catch(() => undefined);
    expect(bus.openSubscriptions()).toBe(0);
    void slow;
  });
});
