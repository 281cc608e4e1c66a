import type { DataSource, EntityManager } from "typeorm";

/** Where "now" comes from. Deadlines and SLA milestones read it, so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move; tests inject it instead of sleeping. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date = new Date()) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
}

/**
 * The clock belongs to the database it writes to: every service, hook and sweeper that works on
 * a DataSource (or inside one of its transactions) reads the same clock without threading it
 * through every call. The system clock unless a test installed another.
 */
const clocks = new WeakMap<DataSource, Clock>();

export function useClock(dataSource: DataSource, clock: Clock): void {
  clocks.set(dataSource, clock);
}

export function clockOf(source: DataSource | EntityManager): Clock {
  const dataSource = "connection" in source ? source.connection : source;
  return clocks.get(dataSource) ?? systemClock;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
