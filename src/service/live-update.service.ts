import { DataSource } from "typeorm";
import { WorkflowEntity } from "../common/enums";
import { badInput } from "../common/errors";
import { ComplaintEvent, LiveEvents, liveEventsOf, TransitionEvent } from "../api/subscriptions/live-events";

export interface TransitionSubscriptionFilter {
  entityType: WorkflowEntity | null;
  entityId: number | null;
}

/**
 * Live updates for meeting screens and inboxes: committed transitions and new complaints, as
 * async iterators for GraphQL subscriptions. Who may subscribe is decided like the matching
 * queries (`transitionLog`, `issues`): any signed-in user.
 */
export class LiveUpdateService {
  private readonly events: LiveEvents;

  constructor(dataSource: DataSource) {
    this.events = liveEventsOf(dataSource);
  }

  /** Transitions of one machine, of one object of it, or all of them. */
  transitions(filter: TransitionSubscriptionFilter): AsyncIterableIterator<TransitionEvent> {
    // Ids are per table: an id alone would mix an issue with an action item of the same number.
    if (filter.entityId !== null && filter.entityType === null) {
      throw badInput("entityType", "is required with entityId");
    }
    return this.events.subscribe(
      "transition",
      (event) =>
        (filter.entityType === null || event.entityType === filter.entityType) &&
        (filter.entityId === null || event.entityId === filter.entityId),
    );
  }

  complaints(): AsyncIterableIterator<ComplaintEvent> {
    return this.events.subscribe("complaint");
  }
}
