import { Webhook } from 'standardwebhooks';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { embeddedApp, type EmbeddedAppOptions } from '../../test/helpers.js';
import { openSqliteDatabase, type SqliteDatabase } from '../platform/sqlite.js';
import { dataDirFiles } from '../storage/data-dir.js';
import { WebhookReceiver, type ReceivedWebhook } from '../../test/support/webhook-receiver.js';

const SECRET = `whsec_${Buffer.from('a webhook key of thirty-two bytes').toString('base64')}`;
const T0 = Date.UTC(2026, 10, 27, 23, 59, 50); // Friday, ten seconds before midnight UTC
/** Fast polling and retries: a test sees minutes of backoff in milliseconds. */
const TIMINGS = { pollMs: 20, firstRetryMs: 50, maxRetryMs: 200, timeoutMs: 300, closeGraceMs: 1_000 };

interface Body {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** Since when the period closer watches `board` (read-only: the port's call would record it). */
function watchedSince(db: SqliteDatabase, board: string): number | undefined {
  return db.prepare<[string], { since: number }>('SELECT since FROM period_watch WHERE board = ?').get(board)?.since;
}

/** Verifies a delivery as a receiver would, with the official library, and reads it. */
function verified(request: ReceivedWebhook): Body {
  return new Webhook(SECRET).verify(request.body, request.headers) as Body;
}

async function webhookWorld(receivers: WebhookReceiver[], options: EmbeddedAppOptions = {}) {
  let clock = T0;
  const w = await embeddedApp({
    adminUsers: ['root'],
    now: () => clock,
    webhooks: { urls: receivers.map((receiver) => receiver.url), secret: SECRET, timings: TIMINGS },
    ...options,
  });
  const root = await w.player('root');
  const admin = (path: string) => w.client.post(path, undefined, root.token);
  const deliveries = async () => (await w.client.get('/api/v1/admin/webhooks/deliveries', root.token)).json<{ deliveries: Record<string, unknown>[] }>().deliveries;
  return { ...w, root, admin, deliveries, advance: (ms: number) => (clock += ms), setClock: (at: number) => (clock = at) };
}

describe('webhooks', () => {
  it('sends user.banned, user.unbanned and action.held, signed as Standard Webhooks, in order, to every receiver', async () => {
    const receivers = [await WebhookReceiver.start(), await WebhookReceiver.start()];
    const w = await webhookWorld(receivers);
    const ann = await w.player('ann');
    expect((await w.admin(`/api/v1/admin/users/${ann.userId}/ban`)).statusCode).toBe(204);
    // Banning a banned player changes nothing and tells no one.
    expect((await w.admin(`/api/v1/admin/users/${ann.userId}/ban`)).statusCode).toBe(204);
    expect((await w.admin(`/api/v1/admin/users/${ann.userId}/unban`)).statusCode).toBe(204);
    const { secret } = await w.credentials.create('match-server');
    const held = await w.client.serverAct(secret, { userId: ann.userId, type: 'match-result', idempotencyKey: 'match-0001', values: { 'match-score': 90_000 } });
    expect(held.statusCode).toBe(202);

    for (const receiver of receivers) {
      await vi.waitFor(() => expect(receiver.delivered()).toHaveLength(3), { timeout: 5_000, interval: 20 });
      const bodies = receiver.delivered().map(verified);
      expect(bodies.map((body) => [body.type, body.data.userId])).toEqual([
        ['user.banned', ann.userId],
        ['user.unbanned', ann.userId],
        ['action.held', ann.userId],
      ]);
      expect(bodies[2]?.data.action).toEqual({ ...held.json<{ action: object }>().action });
      expect(bodies[0]?.timestamp).toBe(new Date(T0).toISOString());
      expect(receiver.delivered()[0]?.headers['content-type']).toBe('application/json');
    }
    // One message id per event, shared by the receivers.
    const ids = (receiver: WebhookReceiver) => receiver.delivered().map((request) => request.headers['webhook-id']);
    expect(ids(receivers[0] as WebhookReceiver)).toEqual(ids(receivers[1] as WebhookReceiver));
    // A tampered body fails the receiver's check.
    const first = receivers[0]?.delivered()[0] as ReceivedWebhook;
    expect(() => new Webhook(SECRET).verify(first.body.replace('banned', 'unbanned'), first.headers)).toThrow();

    const log = await w.deliveries();
    expect(log).toHaveLength(6);
    expect(log.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1 && typeof delivery.deliveredAt === 'string')).toBe(true);
    expect(log[0]).toMatchObject({ type: 'action.held' });
    expect(log.at(-1)).toMatchObject({ type: 'user.banned' });
  });

  it('retries a failing receiver with the same id, holding later events behind, and gives every one once it answers', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.answerNext('fail', 'hang', 'redirect');
    const w = await webhookWorld([receiver]);
    const players = [await w.player('ann'), await w.player('bob')];
    for (const player of players) expect((await w.admin(`/api/v1/admin/users/${player.userId}/ban`)).statusCode).toBe(204);

    await vi.waitFor(() => expect(receiver.delivered()).toHaveLength(2), { timeout: 10_000, interval: 20 });
    expect(receiver.received.map((request) => request.answer)).toEqual(['fail', 'hang', 'redirect', 'ok', 'ok']);
    // Every attempt of the first event carried its id; the second event waited behind it.
    const firstId = receiver.received[0]?.headers['webhook-id'];
    expect(receiver.received.slice(0, 4).map((request) => request.headers['webhook-id'])).toEqual([firstId, firstId, firstId, firstId]);
    expect(receiver.delivered().map((request) => verified(request).data.userId)).toEqual(players.map((player) => player.userId));

    const [second, first] = await w.deliveries();
    expect(first).toMatchObject({ status: 'delivered', attempts: 4, lastError: 'HTTP 302 (redirects are not followed)' });
    expect(second).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(second).not.toHaveProperty('lastError');
    const metrics = (await w.client.get('/metrics')).body;
    expect(metrics).toMatch(/^webhook_delivery_attempts_total\{outcome="retrying"\} 3$/m);
    expect(metrics).toMatch(/^webhook_delivery_attempts_total\{outcome="delivered"\} 2$/m);
  });

  it('keeps everything for a receiver that is down, and delivers it in order when it comes back', async () => {
    const receiver = await WebhookReceiver.start();
    const w = await webhookWorld([receiver]);
    await receiver.down();
    const players = [await w.player('ann'), await w.player('bob'), await w.player('cid')];
    for (const player of players) await w.admin(`/api/v1/admin/users/${player.userId}/ban`);
    await vi.waitFor(async () => expect((await w.deliveries()).at(-1)).toMatchObject({ status: 'pending', attempts: 2 }), { timeout: 5_000, interval: 20 });
    expect((await w.deliveries()).at(-1)?.lastError).toMatch(/ECONNREFUSED|connect/);

    await receiver.up();
    await vi.waitFor(() => expect(receiver.delivered()).toHaveLength(3), { timeout: 5_000, interval: 20 });
    expect(receiver.delivered().map((request) => verified(request).data.userId)).toEqual(players.map((player) => player.userId));
    expect((await w.deliveries()).map((delivery) => delivery.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('announces a period end once, with the final top 100 — also after a restart across the end', async () => {
    const receiver = await WebhookReceiver.start();
    const w = await webhookWorld([receiver]);
    const [ann, bob] = [await w.player('ann'), await w.player('bob')];
    await w.click(ann.token, 3);
    await w.click(bob.token, 5);
    // The board is watched from before the end: the first poll records it.
    await vi.waitFor(() => expect(watchedSince(w.db, 'daily')).toBe(T0), { timeout: 2_000, interval: 20 });

    w.advance(10_000 + 1_500); // 1.5 s past midnight: more than the grace
    await vi.waitFor(() => expect(receiver.delivered().map((request) => verified(request).type)).toContain('period.closed'), { timeout: 5_000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200)); // more polls: still once
    const closed = receiver.delivered().map(verified).filter((body) => body.type === 'period.closed');
    expect(closed.map((body) => body.data)).toEqual([
      {
        board: 'daily',
        period: '2026-11-27',
        entries: [
          { rank: 1, userId: bob.userId, username: 'bob', score: 5 },
          { rank: 1 + 1, userId: ann.userId, username: 'ann', score: 3 },
        ],
      },
    ]);

    // Down across the next midnight: the restarted process announces it, once.
    const dataDir = w.dataDir;
    await w.close();
    const later = Date.UTC(2026, 10, 29, 0, 0, 5); // Sunday: Saturday the 28th ended while it was down
    const again = await embeddedApp({ adminUsers: ['root'], now: () => later, dataDir, webhooks: { urls: [receiver.url], secret: SECRET, timings: TIMINGS } });
    await vi.waitFor(() => expect(receiver.delivered().map(verified).filter((body) => body.type === 'period.closed')).toHaveLength(2), { timeout: 5_000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const periods = receiver.delivered().map(verified).filter((body) => body.type === 'period.closed').map((body) => body.data.period);
    expect(periods).toEqual(['2026-11-27', '2026-11-28']);
    await again.close();
  });

  it('records period ends while no receiver is configured, so turning webhooks on later announces none of them', async () => {
    let clock = T0;
    const quiet = await embeddedApp({ now: () => clock });
    await vi.waitFor(() => expect(watchedSince(quiet.db, 'daily')).toBe(T0), { timeout: 5_000, interval: 20 });
    clock += 10_000 + 2_500;
    await vi.waitFor(async () => expect(await quiet.storage.webhooks.isClosed('daily', '2026-11-27')).toBe(true), { timeout: 5_000, interval: 50 });
    const dataDir = quiet.dataDir;
    await quiet.close();

    const receiver = await WebhookReceiver.start();
    const loud = await embeddedApp({ now: () => clock, dataDir, webhooks: { urls: [receiver.url], secret: SECRET, timings: TIMINGS } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // many polls
    expect(receiver.received).toEqual([]);
    expect(await loud.storage.webhooks.deliveries(10, 0)).toEqual([]);
  });

  it('stops at once on shutdown, even mid-attempt to a hanging receiver, and counts no attempt cut short', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.answerNext('hang');
    const w = await webhookWorld([receiver], { webhooks: { urls: [receiver.url], secret: SECRET, timings: { ...TIMINGS, timeoutMs: 30_000 } } });
    const ann = await w.player('ann');
    await w.admin(`/api/v1/admin/users/${ann.userId}/ban`);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000, interval: 20 });
    const started = Date.now();
    await w.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    const db = openSqliteDatabase(dataDirFiles(w.dataDir).database);
    onTestFinished(() => void db.close());
    expect(db.prepare('SELECT status, attempts FROM webhook_deliveries').get()).toEqual({ status: 'pending', attempts: 0 });
  });
});
