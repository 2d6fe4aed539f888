import type { EventBus, EventHandler } from './event-bus.js';
import type { BusEvent, BusEventType } from './events.js';
import type { Logger } from './logger.js';

type AnyHandler = (event: BusEvent) => void | Promise<void>;

/**
 * The embedded `EventBus`: handlers run on a later microtask, never inside `publish`, so
 * a publisher's transaction or loop is never re-entered by a subscriber.
 */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Map<BusEventType, Set<AnyHandler>>();

  constructor(private readonly logger?: Pick<Logger, 'error'>) {}

  async publish(event: BusEvent): Promise<void> {
    const handlers = this.handlers.get(event.type);
    if (!handlers) return;
    for (const handler of handlers) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => handler(event))
          .catch((error: unknown) => this.logger?.error({ err: error, event: event.type }, 'event handler failed'));
      });
    }
  }

  async publishAll(events: readonly BusEvent[]): Promise<void> {
    for (const event of events) await this.publish(event);
  }

  subscribe<T extends BusEventType>(type: T, handler: EventHandler<T>): () => void {
    let handlers = this.handlers.get(type);
    if (!handlers) this.handlers.set(type, (handlers = new Set()));
    const registered = handler as AnyHandler;
    handlers.add(registered);
    return () => handlers.delete(registered);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
