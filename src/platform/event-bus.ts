import type { BusEvent, BusEventOf, BusEventType } from './events.js';

export type EventHandler<T extends BusEventType> = (event: BusEventOf<T>) => void | Promise<void>;

/**
 * Port: how services tell each other what happened. Delivery is at least once, so
 * handlers must be idempotent (the leaderboard applies totals, never increments).
 */
export interface EventBus {
  /** Resolves once the bus has accepted the event (not once handlers have run). */
  publish(event: BusEvent): Promise<void>;
  /**
   * Publishes events in this order, as one unit where the adapter can: a network bus sends
   * them in one round trip, and a failure publishes none of them (the caller retries all).
   */
  publishAll(events: readonly BusEvent[]): Promise<void>;
  /** @returns a function that removes the handler */
  subscribe<T extends BusEventType>(type: T, handler: EventHandler<T>): () => void;
  close(): Promise<void>;
}
