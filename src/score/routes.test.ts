import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { embeddedApp, expectProblem, temporaryDirectory, type EmbeddedAppOptions } from '../../test/helpers.js';
import type { ScoreUpdated } from '../platform/events.js';
import type { SqliteDatabase } from '../platform/sqlite.js';
import { WalFlush, WalFlushError } from '../platform/wal-flush.js';
import type { ActionType } from './catalog.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

interface Receipt {
  action: { id: string; type: string; points: number; values: Record<string, number>; at: string };
  totals: Record<string, number>;
}

/** A test world: an app on a clock the test moves, and helpers to act as a player. */
async function world(options: EmbeddedAppOptions & { catalog?: ActionType[] } = {}) {
  let clock = T0;
  let catalogPath: string | undefined;
  if (options.catalog) {
    catalogPath = path.join(temporaryDirectory(), 'actions.json');
    fs.writeFileSync(catalogPath, JSON.stringify({ actions: options.catalog }));
  }
  const env = await embeddedApp({ ...options, catalogPath, now: () => clock });
  let keys = 0;
  const key = (): string => `key-${String(++keys).padStart(6, '0')}`;
  // The body exactly as given, malformed ones too.
  const act = (token: string, body: Record<string, unknown>, remoteAddress = '127.0.0.1') => env.client.post('/api/v1/actions', body, token, { remoteAddress });
  const start = (token: string, type: string) => env.client.start(token, type);
  return {
    ...env,
    key,
    act,
    start,
    advance: (ms: number) => (clock += ms),
    totals: (userId: string) => {
      env.storage.ledger.flushTotals(); // totals are written behind the ledger
      return boardTotals(env.db, userId);
    },
  };
}

function boardTotals(db: SqliteDatabase, userId: string): Record<string, number> {
  const rows = db.prepare<[string], { board: string; score: number }>('SELECT board, score FROM board_totals WHERE user_id = ?').all(userId);
  return Object.fromEntries(rows.map((row) => [row.board, row.score]));
}


const GET = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

describe('GET /api/v1/actions', () => {
  it('lists the catalog', async () => {
    const { app } = await world();
    const { actions } = (await GET(app, '/api/v1/actions')).json<{ actions: ActionType[] }>();
    expect(actions.map((action) => action.type)).toEqual(['click', 'quest', 'daily-bonus', 'sprint', 'match-result']);
    expect(actions[1]).toEqual({ type: 'quest', points: 50, mode: 'timed', minDurationMs: 2000, maxDurationMs: 600000, cooldownMs: 0 });
    expect(actions[3]?.metrics).toEqual({ 'sprint-ms': 'duration' });
    expect(actions[4]).toEqual({ type: 'match-result', points: 0, mode: 'server', cooldownMs: 0, metrics: { 'match-score': { min: 0, max: 100_000, review: 50_000 } } });
  });
});

describe('POST /api/v1/actions (instant)', () => {
  it('prices the action on the server, records it, and answers 201 with the new totals', async () => {
    const w = await world();
    const { userId, token } = await w.player('amy');
    const first = await w.act(token, { type: 'click', idempotencyKey: w.key() });
    expect(first.statusCode).toBe(201);
    const body = first.json<Receipt>();
    expect(body).toEqual({
      action: { id: expect.any(String) as string, type: 'click', points: 1, values: { points: 1 }, at: new Date(T0).toISOString() },
      totals: { global: 1, daily: 1, weekly: 1, monthly: 1 },
    });
    const second = await w.act(token, { type: 'click', idempotencyKey: w.key() });
    expect(second.json<Receipt>().totals).toEqual({ global: 2, daily: 2, weekly: 2, monthly: 2 });
    expect(Number(second.json<Receipt>().action.id)).toBeGreaterThan(Number(body.action.id));
    expect(w.totals(userId)).toEqual({ global: 2, daily: 2, weekly: 2, monthly: 2 });
  });

  it('replays a repeated idempotency key: 200, Idempotent-Replayed, the original body, nothing counted', async () => {
    const w = await world();
    const { userId, token } = await w.player('ben');
    const idempotencyKey = w.key();
    const original = await w.act(token, { type: 'click', idempotencyKey });
    await w.act(token, { type: 'click', idempotencyKey: w.key() });
    const replay = await w.act(token, { type: 'click', idempotencyKey });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(original.json());
    expect(w.totals(userId).global).toBe(2);
  });

  it('counts once when many requests with one key arrive together', async () => {
    const w = await world();
    const { userId, token } = await w.player('cat');
    const idempotencyKey = w.key();
    const responses = await Promise.all(Array.from({ length: 12 }, () => w.act(token, { type: 'click', idempotencyKey })));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.json<Receipt>().action.id)).size).toBe(1);
    expect(w.totals(userId).global).toBe(1);
  });

  it('keeps idempotency keys per user: the same key from two users counts twice', async () => {
    const w = await world();
    const a = await w.player('dan');
    const b = await w.player('eve');
    expect((await w.act(a.token, { type: 'click', idempotencyKey: 'shared-key-1' })).statusCode).toBe(201);
    expect((await w.act(b.token, { type: 'click', idempotencyKey: 'shared-key-1' })).statusCode).toBe(201);
  });

  it('judges a retry after a 4xx afresh: only an accepted action reserves its key', async () => {
    const w = await world();
    const { token } = await w.player('fay');
    const idempotencyKey = w.key();
    expectProblem(await w.act(token, { type: 'quest', idempotencyKey }), 422, 'ticket_required');
    expect((await w.act(token, { type: 'click', idempotencyKey })).statusCode).toBe(201);
  });

  it.each([
    ['a client-sent points field', { type: 'click', idempotencyKey: 'abcdefgh', points: 1000 }],
    ['a client-sent score field', { type: 'click', idempotencyKey: 'abcdefgh', score: 1000 }],
    ['any unknown field', { type: 'click', idempotencyKey: 'abcdefgh', extra: true }],
    ['a missing idempotency key', { type: 'click' }],
    ['a missing type', { idempotencyKey: 'abcdefgh' }],
    ['a too short key', { type: 'click', idempotencyKey: 'short' }],
    ['a too long key', { type: 'click', idempotencyKey: 'k'.repeat(65) }],
    ['a key with a space', { type: 'click', idempotencyKey: 'has space!' }],
    ['a numeric type', { type: 7, idempotencyKey: 'abcdefgh' }],
    ['an empty ticket', { type: 'quest', idempotencyKey: 'abcdefgh', ticket: '' }],
  ])('refuses %s with 400 invalid_request and changes nothing', async (_case, body) => {
    const w = await world();
    const { userId, token } = await w.player('gus');
    expectProblem(await w.act(token, body), 400, 'invalid_request');
    expect(w.totals(userId)).toEqual({});
  });

  it('answers 422 unknown_action for a type not in the catalog', async () => {
    const w = await world();
    const { userId, token } = await w.player('hal');
    expectProblem(await w.act(token, { type: 'teleport', idempotencyKey: w.key() }), 422, 'unknown_action');
    expect(w.totals(userId)).toEqual({});
  });

  it('answers 401 without a token and 401 token_expired with an expired one', async () => {
    const w = await world();
    const { token } = await w.player('ida');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/actions', payload: { type: 'click', idempotencyKey: w.key() } }), 401, 'unauthorized');
    w.advance(16 * 60_000);
    expectProblem(await w.act(token, { type: 'click', idempotencyKey: w.key() }), 401, 'token_expired');
  });

  it('refuses a banned user with 403 and counts again after unban', async () => {
    const w = await world();
    const { userId, token } = await w.player('jon');
    await w.bans?.ban(userId, new Date(T0));
    expectProblem(await w.act(token, { type: 'click', idempotencyKey: w.key() }), 403, 'forbidden');
    expectProblem(await w.start(token, 'quest'), 403, 'forbidden');
    expect(w.totals(userId)).toEqual({});
    await w.bans?.unban(userId);
    expect((await w.act(token, { type: 'click', idempotencyKey: w.key() })).statusCode).toBe(201);
  });
});

describe('timed actions', () => {
  const catalog: ActionType[] = [
    { type: 'quest', points: 50, mode: 'timed', minDurationMs: 2000, maxDurationMs: 600_000, cooldownMs: 0 },
    { type: 'raid', points: 80, mode: 'timed', minDurationMs: 1000, maxDurationMs: 600_000, cooldownMs: 0 },
    { type: 'click', points: 1, mode: 'instant', cooldownMs: 0 },
  ];

  async function startedQuest(w: Awaited<ReturnType<typeof world>>, token: string, type = 'quest'): Promise<string> {
    const started = await w.start(token, type);
    expect(started.statusCode).toBe(201);
    const body = started.json<{ ticket: string; type: string; expiresAt: string }>();
    expect(body.type).toBe(type);
    return body.ticket;
  }

  it('start answers 201 with a ticket that expires after maxDurationMs', async () => {
    const w = await world({ catalog });
    const { token } = await w.player('kim');
    const started = await w.start(token, 'quest');
    expect(started.statusCode).toBe(201);
    expect(started.json()).toEqual({ ticket: expect.any(String) as string, type: 'quest', expiresAt: new Date(T0 + 600_000).toISOString() });
  });

  it('start of an instant type is 400 and of an unknown type 422 unknown_action', async () => {
    const w = await world({ catalog });
    const { token } = await w.player('lee');
    expectProblem(await w.start(token, 'click'), 400, 'invalid_request');
    expectProblem(await w.start(token, 'nope'), 422, 'unknown_action');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/actions/quest/start' }), 401, 'unauthorized');
  });

  it('completes after minDurationMs for the catalog points, once', async () => {
    const w = await world({ catalog });
    const { userId, token } = await w.player('max');
    const ticket = await startedQuest(w, token);
    w.advance(2_000);
    const done = await w.act(token, { type: 'quest', idempotencyKey: w.key(), ticket });
    expect(done.statusCode).toBe(201);
    expect(done.json<Receipt>().action.points).toBe(50);
    expectProblem(await w.act(token, { type: 'quest', idempotencyKey: w.key(), ticket }), 422, 'ticket_used');
    expect(w.totals(userId).global).toBe(50);
  });

  it('refuses too_fast without spending the ticket, which then completes when due', async () => {
    const w = await world({ catalog });
    const { token } = await w.player('ned');
    const ticket = await startedQuest(w, token);
    w.advance(1_999);
    expectProblem(await w.act(token, { type: 'quest', idempotencyKey: w.key(), ticket }), 422, 'too_fast');
    w.advance(1);
    expect((await w.act(token, { type: 'quest', idempotencyKey: w.key(), ticket })).statusCode).toBe(201);
  });

  it('refuses too_slow after maxDurationMs', async () => {
    const w = await world({ catalog });
    const { token } = await w.player('oli');
    const ticket = await startedQuest(w, token);
    w.advance(600_001);
    const fresh = await w.player('oli'); // the first token has expired by now
    expectProblem(await w.act(fresh.token, { type: 'quest', idempotencyKey: w.key(), ticket }), 422, 'too_slow');
  });

  it('keeps the expiry a ticket was issued with: raising maxDurationMs later revives no old ticket', async () => {
    const before = await world({ catalog });
    const { token } = await before.player('ola');
    const ticket = await startedQuest(before, token);
    await before.close();

    // Restarted with a ten times longer quest, 11 minutes after the start: within the new
    // limit, past the one the ticket was issued under (so its spent record may be gone too).
    const raised = catalog.map((action) => (action.type === 'quest' ? { ...action, maxDurationMs: 6_000_000 } : action));
    const after = await world({ catalog: raised, dataDir: before.dataDir });
    after.advance(660_000);
    const { token: fresh } = await after.player('ola');
    expectProblem(await after.act(fresh, { type: 'quest', idempotencyKey: after.key(), ticket }), 422, 'too_slow');
    // A ticket started under the new catalog gets the new limit.
    const ticket2 = await startedQuest(after, fresh);
    after.advance(660_000);
    const { token: later } = await after.player('ola');
    expect((await after.act(later, { type: 'quest', idempotencyKey: after.key(), ticket: ticket2 })).statusCode).toBe(201);
  });

  it('requires a ticket, and refuses forged, foreign-user and other-type tickets as ticket_invalid', async () => {
    const w = await world({ catalog });
    const me = await w.player('pam');
    const other = await w.player('quinn');
    const mine = await startedQuest(w, me.token);
    const theirs = await startedQuest(w, other.token);
    const raidTicket = await startedQuest(w, me.token, 'raid');
    w.advance(5_000);
    const complete = (ticket?: string) => w.act(me.token, { type: 'quest', idempotencyKey: w.key(), ...(ticket === undefined ? {} : { ticket }) });

    expectProblem(await complete(), 422, 'ticket_required');
    const [body = '', signature = ''] = mine.split('.');
    const flipped = `${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const forged of [flipped, `${body}x.${signature}`, 'garbage', 'a.b', mine.split('.')[0] ?? '']) {
      expectProblem(await complete(forged), 422, 'ticket_invalid');
    }
    expectProblem(await complete(theirs), 422, 'ticket_invalid');
    expectProblem(await complete(raidTicket), 422, 'ticket_invalid');
    expect((await complete(mine)).statusCode).toBe(201);
  });

  it('spends a ticket once even when its completions race', async () => {
    const w = await world({ catalog });
    const { userId, token } = await w.player('ray');
    const ticket = await startedQuest(w, token);
    w.advance(2_000);
    const responses = await Promise.all(Array.from({ length: 6 }, () => w.act(token, { type: 'quest', idempotencyKey: w.key(), ticket })));
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of responses.filter((r) => r.statusCode !== 201)) expectProblem(r, 422, 'ticket_used');
    expect(w.totals(userId).global).toBe(50);
  });

  it('replays a completed timed action on a retry with the same key, though its ticket is spent', async () => {
    const w = await world({ catalog });
    const { token } = await w.player('sue');
    const ticket = await startedQuest(w, token);
    w.advance(2_000);
    const idempotencyKey = w.key();
    const first = await w.act(token, { type: 'quest', idempotencyKey, ticket });
    const retry = await w.act(token, { type: 'quest', idempotencyKey, ticket });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
  });
});

describe('cooldowns and daily caps', () => {
  const catalog: ActionType[] = [
    { type: 'spin', points: 5, mode: 'instant', cooldownMs: 10_000 },
    { type: 'daily-bonus', points: 100, mode: 'instant', cooldownMs: 0, dailyCap: 1 },
  ];

  it('refuses an action inside its cooldown with 429 cooldown and Retry-After', async () => {
    const w = await world({ catalog });
    const { userId, token } = await w.player('tom');
    expect((await w.act(token, { type: 'spin', idempotencyKey: w.key() })).statusCode).toBe(201);
    w.advance(3_500);
    const early = await w.act(token, { type: 'spin', idempotencyKey: w.key() });
    expectProblem(early, 429, 'cooldown');
    expect(early.headers['retry-after']).toBe('7');
    w.advance(6_500);
    expect((await w.act(token, { type: 'spin', idempotencyKey: w.key() })).statusCode).toBe(201);
    expect(w.totals(userId).global).toBe(10);
  });

  it('holds a daily cap against a burst of parallel requests, and reopens at 00:00 UTC', async () => {
    const w = await world({ catalog });
    const { userId, token } = await w.player('uma');
    const burst = await Promise.all(Array.from({ length: 10 }, () => w.act(token, { type: 'daily-bonus', idempotencyKey: w.key() })));
    expect(burst.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const refused = burst.filter((r) => r.statusCode !== 201);
    for (const r of refused) expectProblem(r, 429, 'daily_cap');
    expect(refused[0]?.headers['retry-after']).toBe(String(12 * 3600));
    expect(w.totals(userId).global).toBe(100);

    w.advance(12 * 3600_000);
    const tomorrow = await w.player('uma');
    const next = await w.act(tomorrow.token, { type: 'daily-bonus', idempotencyKey: w.key() });
    expect(next.statusCode).toBe(201);
    expect(next.json<Receipt>().totals).toEqual({ global: 200, daily: 100, weekly: 200, monthly: 200 });
  });
});

describe('rate limits', () => {
  it('gives each user a token bucket, with RateLimit-* headers and a 429 that counts nothing', async () => {
    const w = await world({ rateLimitUser: { perSec: 1, burst: 2 } });
    const { userId, token } = await w.player('vic');
    const first = await w.act(token, { type: 'click', idempotencyKey: w.key() });
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
    await w.act(token, { type: 'click', idempotencyKey: w.key() });
    const limited = await w.act(token, { type: 'click', idempotencyKey: w.key() });
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers).toMatchObject({ 'retry-after': '1', 'ratelimit-limit': '2', 'ratelimit-remaining': '0' });
    expect(w.totals(userId).global).toBe(2);

    const other = await w.player('wes');
    expect((await w.act(other.token, { type: 'click', idempotencyKey: w.key() })).statusCode).toBe(201);
    w.advance(1_000);
    expect((await w.act(token, { type: 'click', idempotencyKey: w.key() })).statusCode).toBe(201);
  });

  it('gives each client IP a token bucket across users', async () => {
    const w = await world({ rateLimitIp: { perSec: 1, burst: 2 } });
    const a = await w.player('xia');
    const b = await w.player('yan');
    expect((await w.act(a.token, { type: 'click', idempotencyKey: w.key() }, '10.0.0.1')).statusCode).toBe(201);
    expect((await w.act(b.token, { type: 'click', idempotencyKey: w.key() }, '10.0.0.1')).statusCode).toBe(201);
    expectProblem(await w.act(b.token, { type: 'click', idempotencyKey: w.key() }, '10.0.0.1'), 429, 'rate_limited');
    expect((await w.act(b.token, { type: 'click', idempotencyKey: w.key() }, '10.0.0.2')).statusCode).toBe(201);
  });
});

describe('what an action leaves behind', () => {
  it('publishes score.updated with the new totals and when they were reached', async () => {
    const w = await world();
    const { userId, token } = await w.player('zed');
    const received = new Promise<ScoreUpdated>((resolve) => w.bus.subscribe('score.updated', resolve));
    const response = await w.act(token, { type: 'click', idempotencyKey: w.key() });
    const event = await received;
    const version = Number(response.json<Receipt>().action.id);
    expect(event).toEqual({
      type: 'score.updated',
      actionId: String(version),
      userId,
      points: 1,
      values: { points: 1 },
      at: T0,
      totals: [
        { board: 'global', period: 'all', score: 1, reachedAt: T0, version },
        { board: 'daily', period: '2026-11-27', score: 1, reachedAt: T0, version },
        { board: 'weekly', period: '2026-11-23', score: 1, reachedAt: T0, version },
        { board: 'monthly', period: '2026-11', score: 1, reachedAt: T0, version },
      ],
    });
  });

  it('audits every rejection with its code, user and IP, and counts it in /metrics', async () => {
    const w = await world();
    const { userId, token } = await w.player('abe');
    await w.act(token, { type: 'teleport', idempotencyKey: w.key() });
    await w.act(token, { type: 'quest', idempotencyKey: w.key() });
    await w.act(token, { type: 'click', idempotencyKey: w.key() });
    await w.audit?.flush();
    const rows = w.db.prepare('SELECT event, user_id, ip, action_type, code FROM audit_log ORDER BY id').all();
    expect(rows).toEqual([
      { event: 'action.rejected', user_id: userId, ip: '127.0.0.1', action_type: 'teleport', code: 'unknown_action' },
      { event: 'action.rejected', user_id: userId, ip: '127.0.0.1', action_type: 'quest', code: 'ticket_required' },
    ]);
    const metrics = (await GET(w.app, '/metrics')).body;
    expect(metrics).toContain('score_actions_rejected_total{code="unknown_action"} 1');
    expect(metrics).toContain('score_actions_accepted_total{type="click"} 1');
  });

  it('answers 503 when the disk flush fails after the commit; the retry finds the action, and its event still goes out', async () => {
    const w = await world();
    const { userId, token } = await w.player('eve');
    const published: ScoreUpdated[] = [];
    w.bus.subscribe('score.updated', (event: ScoreUpdated) => void published.push(event));
    const flush = vi.spyOn(WalFlush.prototype, 'flush').mockRejectedValueOnce(new WalFlushError(new Error('EIO: i/o error, fdatasync')));
    try {
      const idempotencyKey = w.key();
      const failed = await w.act(token, { type: 'click', idempotencyKey });
      expectProblem(failed, 503, 'unavailable');
      expect(failed.headers['retry-after']).toBe('1');

      const retried = await w.act(token, { type: 'click', idempotencyKey });
      expect(retried.statusCode).toBe(200);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(w.totals(userId)).toMatchObject({ global: 1 });
      // Never handed to the relay in memory: it drained the outbox table instead.
      await vi.waitFor(() => expect(published.map((event) => event.userId)).toEqual([userId]));
    } finally {
      flush.mockRestore();
    }
  });

  it('times every ledger transaction in /metrics, beside its batch size', async () => {
    const w = await world();
    const { token } = await w.player('ida');
    await w.act(token, { type: 'click', idempotencyKey: w.key() });
    const metrics = (await GET(w.app, '/metrics')).body;
    const count = (name: string) => Number(new RegExp(`^${name}_count (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(count('score_commit_batch_size')).toBeGreaterThanOrEqual(1);
    expect(count('score_commit_duration_seconds')).toBe(count('score_commit_batch_size'));
    expect(Number(/^score_commit_duration_seconds_sum (\S+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  });
});

describe('metric values (catalog v2)', () => {
  it("measures a timed action's duration on the server: a speed-run time on the fastest-sprint board, lowest kept", async () => {
    const w = await world();
    const { userId, token } = await w.player('sam');
    const sprint = async (ms: number) => {
      const { ticket } = (await w.start(token, 'sprint')).json<{ ticket: string }>();
      w.advance(ms);
      return w.act(token, { type: 'sprint', idempotencyKey: w.key(), ticket });
    };
    const first = await sprint(5_432);
    expect(first.statusCode).toBe(201);
    expect(first.json<Receipt>().action.values).toEqual({ points: 10, 'sprint-ms': 5_432 });
    expect(first.json<Receipt>().totals).toEqual({ global: 10, daily: 10, weekly: 10, monthly: 10, 'fastest-sprint': 5_432 });
    const slower = await sprint(7_000);
    expect(slower.json<Receipt>().totals['fastest-sprint']).toBe(5_432);
    const faster = await sprint(4_100);
    expect(faster.json<Receipt>().totals['fastest-sprint']).toBe(4_100);
    await w.settled();
    const entry = (await GET(w.app, `/api/v1/leaderboards/fastest-sprint/users/${userId}`)).json<{ score: number; rank: number }>();
    expect(entry).toMatchObject({ rank: 1, score: 4_100 });
  });

  it('refuses a game-server action from a player: 403, nothing counted', async () => {
    const w = await world();
    const { userId, token } = await w.player('gus');
    expectProblem(await w.act(token, { type: 'match-result', idempotencyKey: w.key() }), 403, 'forbidden');
    expectProblem(await w.start(token, 'match-result'), 400, 'invalid_request');
    expect(w.totals(userId)).toEqual({});
  });

  it('refuses values a player sends, as any unknown field', async () => {
    const w = await world();
    const { token } = await w.player('val');
    expectProblem(await w.act(token, { type: 'click', idempotencyKey: w.key(), values: { points: 1000 } }), 400, 'invalid_request');
  });
});

describe('POST /api/v1/server/actions (a game server)', () => {
  async function serverWorld(options: EmbeddedAppOptions = {}) {
    const w = await world(options);
    const { secret } = await w.credentials.create('match-server');
    const send = (body: Record<string, unknown>, bearer = secret) =>
      w.client.request({ method: 'POST', path: '/api/v1/server/actions', body, headers: { authorization: `Bearer ${bearer}` } });
    return { ...w, secret, send };
  }

  it('counts a match result for a player as a player action would: its board, 201, replay on a repeated key', async () => {
    const w = await serverWorld();
    const { userId } = await w.player('pia');
    const first = await w.send({ userId, type: 'match-result', idempotencyKey: 'match-0001', values: { 'match-score': 4_200 } });
    expect(first.statusCode).toBe(201);
    expect(first.json<Receipt>()).toEqual({
      action: { id: expect.any(String) as string, type: 'match-result', points: 0, values: { 'match-score': 4_200 }, at: new Date(T0).toISOString() },
      totals: { 'best-match': 4_200 },
    });
    const replay = await w.send({ userId, type: 'match-result', idempotencyKey: 'match-0001', values: { 'match-score': 9_000 } });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    // An instant action too, for any existing player.
    const click = await w.send({ userId, type: 'click', idempotencyKey: 'click-0001' });
    expect(click.statusCode).toBe(201);
    expect(w.totals(userId)).toMatchObject({ 'best-match': 4_200, global: 1 });
  });

  it('holds a value above the review threshold: 202, recorded, on no board', async () => {
    const w = await serverWorld();
    const { userId } = await w.player('hal');
    const held = await w.send({ userId, type: 'match-result', idempotencyKey: 'match-0002', values: { 'match-score': 60_000 } });
    expect(held.statusCode).toBe(202);
    expect(held.json()).toMatchObject({ action: { status: 'held', values: { 'match-score': 60_000 } }, totals: {} });
    expect(w.totals(userId)).toEqual({});
    expect(w.db.prepare("SELECT status FROM ledger WHERE idempotency_key = 'match-0002'").get()).toEqual({ status: 'held' });
  });

  it('refuses what the contract refuses, counting nothing', async () => {
    const w = await serverWorld();
    const player = await w.player('ivy');
    const { userId } = player;
    const body = (values: unknown, type = 'match-result') => ({ userId, type, idempotencyKey: `bad-${Math.random().toString(36).slice(2, 10)}`, values });
    expectProblem(await w.send(body({})), 400, 'invalid_request');
    expectProblem(await w.send(body({ 'match-score': 10, kills: 1 })), 400, 'invalid_request');
    expectProblem(await w.send(body({ 'match-score': '10' })), 400, 'invalid_request');
    // Spelled out: JSON.stringify writes -0 as 0.
    const raw = (json: string) =>
      w.app.inject({ method: 'POST', url: '/api/v1/server/actions', headers: { authorization: `Bearer ${w.secret}`, 'content-type': 'application/json' }, payload: json });
    expectProblem(await raw(`{"userId":"${userId}","type":"match-result","idempotencyKey":"neg-zero-1","values":{"match-score":-0}}`), 400, 'invalid_request');
    expectProblem(await raw(`{"userId":"${userId}","type":"match-result","idempotencyKey":"too-big-01","values":{"match-score":1e309}}`), 400, 'invalid_request');
    expectProblem(await w.send(body({ 'match-score': 100_001 })), 422, 'implausible_value');
    expectProblem(await w.send(body({ 'match-score': -1 })), 422, 'implausible_value');
    expectProblem(await w.send(body({ points: 5 }, 'click')), 400, 'invalid_request');
    expectProblem(await w.send(body(undefined, 'quest')), 400, 'invalid_request');
    expectProblem(await w.send(body(undefined, 'teleport')), 422, 'unknown_action');
    expectProblem(await w.send({ ...body({ 'match-score': 1 }), userId: 'nobody' }), 404, 'not_found');
    expectProblem(await w.send({ ...body({ 'match-score': 1 }), points: 100 }), 400, 'invalid_request');
    // A player's token, a wrong, malformed or revoked secret: 401.
    expectProblem(await w.send(body({ 'match-score': 1 }), player.token), 401, 'unauthorized');
    expectProblem(await w.send(body({ 'match-score': 1 }), `llb_sk_${'A'.repeat(43)}`), 401, 'unauthorized');
    expectProblem(await w.send(body({ 'match-score': 1 }), 'llb_sk_short'), 401, 'unauthorized');
    expectProblem(await w.client.post('/api/v1/server/actions', body({ 'match-score': 1 })), 401, 'unauthorized');
    // A server secret on a player route: 401.
    expectProblem(await w.act(w.secret, { type: 'click', idempotencyKey: w.key() }), 401, 'unauthorized');
    await w.credentials.revoke('match-server');
    expectProblem(await w.send(body({ 'match-score': 1 })), 401, 'unauthorized');
    expect(w.totals(userId)).toEqual({});
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM ledger').get()).toEqual({ n: 0 });
  });

  it('refuses actions for a banned player', async () => {
    const w = await serverWorld();
    const { userId } = await w.player('ban');
    await w.bans.ban(userId, new Date(T0));
    expectProblem(await w.send({ userId, type: 'match-result', idempotencyKey: 'match-0003', values: { 'match-score': 5 } }), 403, 'forbidden');
  });

  it('gives each credential its own token bucket', async () => {
    const w = await serverWorld({ rateLimitServer: { perSec: 1, burst: 2 } });
    const other = (await w.credentials.create('other-server')).secret;
    const { userId } = await w.player('rex');
    const click = (n: number, bearer?: string) => w.send({ userId, type: 'click', idempotencyKey: `bucket-${n}-xyz` }, bearer);
    expect((await click(1)).statusCode).toBe(201);
    expect((await click(2)).statusCode).toBe(201);
    const limited = await click(3);
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await click(4, other)).statusCode).toBe(201);
  });
});
