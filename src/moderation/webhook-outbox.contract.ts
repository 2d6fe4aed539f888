import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from './webhook-events.js';
import type { WebhookOutbox } from './webhook-outbox.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const A = 'http://127.0.0.1:9001/hook';
const B = 'http://127.0.0.1:9002/hook';
const banned = (userId: string): WebhookEvent => ({ type: 'user.banned', data: { userId } });
const closed = (period: string): WebhookEvent => ({ type: 'period.closed', data: { board: 'daily', period, entries: [] } });

/**
 * The behaviour every `WebhookOutbox` adapter must share. `factory` gives a fresh, empty one
 * sending to `urls`; `twice` gives two views of one store, as two nodes (or two starts) see it.
 */
export function describeWebhookOutbox(name: string, factory: (urls: readonly string[]) => Promise<{ outbox: WebhookOutbox; other: WebhookOutbox }>): void {
  describe(`WebhookOutbox contract: ${name}`, () => {
    it('writes one delivery per receiver and event, pending in order, the same message id and body for every receiver', async () => {
      const { outbox } = await factory([A, B]);
      await outbox.enqueue([banned('u1'), banned('u2')], T0);
      const [a, b] = [await outbox.pendingFor(A, 10), await outbox.pendingFor(B, 10)];
      expect(a.map((row) => JSON.parse(row.body) as unknown)).toEqual([
        { type: 'user.banned', timestamp: new Date(T0).toISOString(), data: { userId: 'u1' } },
        { type: 'user.banned', timestamp: new Date(T0).toISOString(), data: { userId: 'u2' } },
      ]);
      expect(a.map((row) => [row.messageId, row.body])).toEqual(b.map((row) => [row.messageId, row.body]));
      expect(a[0]).toMatchObject({ attempts: 0, createdAt: T0, nextAttemptAt: 0 });
      expect(a[0]?.messageId).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(a[0]?.messageId).not.toBe(a[1]?.messageId);
      expect(await outbox.pendingFor(A, 1)).toEqual([a[0]]);
    });

    it('writes nothing without receivers', async () => {
      const { outbox } = await factory([]);
      await outbox.enqueue([banned('u1')], T0);
      expect(await outbox.deliveries(10, 0)).toEqual([]);
    });

    it('keeps a failed attempt pending for its retry, or gives it up; a delivered one leaves the queue; the log shows all, newest first', async () => {
      const { outbox } = await factory([A]);
      await outbox.enqueue([banned('u1'), banned('u2'), banned('u3')], T0);
      const [first, second, third] = await outbox.pendingFor(A, 10);
      await outbox.markAttemptFailed(first?.key as string, { error: 'HTTP 500', nextAttemptAt: T0 + 5_000, giveUp: false });
      expect((await outbox.pendingFor(A, 10))[0]).toMatchObject({ key: first?.key, attempts: 1, nextAttemptAt: T0 + 5_000 });
      await outbox.markDelivered(first?.key as string, T0 + 5_100);
      await outbox.markAttemptFailed(second?.key as string, { error: 'timed out after 5 s', nextAttemptAt: T0 + 9_000, giveUp: true });
      expect((await outbox.pendingFor(A, 10)).map((row) => row.key)).toEqual([third?.key]);
      expect(await outbox.deliveries(10, 0)).toEqual([
        { id: third?.messageId, type: 'user.banned', url: A, status: 'pending', attempts: 0, createdAt: T0 },
        { id: second?.messageId, type: 'user.banned', url: A, status: 'failed', attempts: 1, lastError: 'timed out after 5 s', createdAt: T0 },
        { id: first?.messageId, type: 'user.banned', url: A, status: 'delivered', attempts: 2, lastError: 'HTTP 500', createdAt: T0, deliveredAt: T0 + 5_100 },
      ]);
      expect((await outbox.deliveries(1, 1)).map((row) => row.id)).toEqual([second?.messageId]);

      // Settled rows of old events go, a batch at a time; a pending one stays whatever its age.
      await outbox.enqueue([banned('u4')], T0 + 10_000);
      expect(await outbox.forgetSettled(T0 + 1, 1)).toBe(1);
      expect(await outbox.forgetSettled(T0 + 1, 10)).toBe(1);
      expect(await outbox.forgetSettled(T0 + 20_000, 10)).toBe(0);
      expect((await outbox.deliveries(10, 0)).map((row) => row.status)).toEqual(['pending', 'pending']);
    });

    it('closes a period once, also when two nodes close it at once', async () => {
      const { outbox, other } = await factory([A]);
      expect(await outbox.isClosed('daily', '2026-11-26')).toBe(false);
      const outcomes = await Promise.all([outbox.closePeriod('daily', '2026-11-26', closed('2026-11-26'), T0), other.closePeriod('daily', '2026-11-26', closed('2026-11-26'), T0)]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await other.isClosed('daily', '2026-11-26')).toBe(true);
      expect(await outbox.closePeriod('daily', '2026-11-26', closed('2026-11-26'), T0 + 1)).toBe(false);
      expect((await outbox.pendingFor(A, 10)).map((row) => (JSON.parse(row.body) as { data: { period: string } }).data.period)).toEqual(['2026-11-26']);
    });

    it('remembers since when a board is watched, across nodes', async () => {
      const { outbox, other } = await factory([A]);
      expect(await outbox.watchedSince('daily', T0)).toBe(T0);
      expect(await other.watchedSince('daily', T0 + 99)).toBe(T0);
      expect(await other.watchedSince('weekly', T0 + 99)).toBe(T0 + 99);
    });

    it('lets one node at a time deliver to a receiver', async () => {
      const { outbox, other } = await factory([A]);
      const ran: string[] = [];
      let release: () => void = () => {};
      const holding = outbox.exclusively(A, () => new Promise<void>((resolve) => ((release = resolve), ran.push('first'))));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await other.exclusively(A, async () => void ran.push('second, while the first holds it')); // skipped
      await other.exclusively(B, async () => void ran.push('another receiver'));
      release();
      await holding;
      await other.exclusively(A, async () => void ran.push('after'));
      expect(ran).toEqual(['first', 'another receiver', 'after']);
    });
  });
}
