import { describe, expect, it } from 'vitest';
import type { EventBus } from './event-bus.js';
import type { BusEvent, ScoreUpdated } from './events.js';

export interface EventBusFixture {
  /** Two buses of one deployment: in-process both are the same one. */
  publisher: EventBus;
  subscriber: EventBus;
  /** Resolves once the subscriber's subscriptions are active. */
  ready: () => Promise<void>;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not delivered in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The behaviour every `EventBus` adapter must share. */
export function describeEventBus(name: string, factory: () => Promise<EventBusFixture> | EventBusFixture): void {
  describe(`EventBus contract: ${name}`, () => {
    const events: BusEvent[] = [
      { type: 'score.updated', actionId: '1', userId: 'u1', points: 1, at: 1, totals: [{ board: 'global', period: 'all', score: 1, reachedAt: 1 }] },
      { type: 'board.changed', board: 'global', seq: 1, top: [{ rank: 1, userId: 'u1', username: 'ada', score: 1 }] },
      { type: 'user.rank', userId: 'u1', board: 'global', rank: 1, score: 1 },
      { type: 'user.banned', userId: 'u2' },
      { type: 'user.unbanned', userId: 'u2' },
    ];

    it('carries every event type unchanged to a subscriber of that type only', async () => {
      const { publisher, subscriber, ready } = await factory();
      const received: BusEvent[] = [];
      for (const event of events) subscriber.subscribe(event.type, (e) => void received.push(e));
      await ready();
      for (const event of events) await publisher.publish(event);
      await until(() => received.length >= events.length);
      expect(received.sort((a, b) => a.type.localeCompare(b.type))).toEqual([...events].sort((a, b) => a.type.localeCompare(b.type)));
    });

    it('publishes a list of events in its order', async () => {
      const { publisher, subscriber, ready } = await factory();
      const received: string[] = [];
      subscriber.subscribe('user.rank', (e) => void received.push(e.userId));
      await ready();
      const ranks = Array.from({ length: 20 }, (_, i) => ({ type: 'user.rank', userId: `u${i}`, board: 'global', rank: i + 1, score: 1 }) as const);
      await publisher.publishAll(ranks);
      await publisher.publishAll([]);
      await until(() => received.length >= ranks.length);
      expect(received).toEqual(ranks.map((rank) => rank.userId));
    });

    it('stops delivering to an unsubscribed handler, and runs others whatever one throws', async () => {
      const { publisher, subscriber, ready } = await factory();
      const kept: ScoreUpdated[] = [];
      const dropped: ScoreUpdated[] = [];
      const unsubscribe = subscriber.subscribe('score.updated', (e) => void dropped.push(e));
      subscriber.subscribe('score.updated', () => {
        throw new Error('a failing handler');
      });
      subscriber.subscribe('score.updated', (e) => void kept.push(e));
      await ready();
      unsubscribe();
      const event = events[0] as ScoreUpdated;
      await publisher.publish({ ...event, actionId: 'after-unsubscribe' });
      await until(() => kept.some((e) => e.actionId === 'after-unsubscribe'));
      expect(dropped.filter((e) => e.actionId === 'after-unsubscribe')).toEqual([]);
    });
  });
}
