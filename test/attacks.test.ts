import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ActionType } from '../src/score/catalog.js';
import { TicketSigner } from '../src/score/ticket-signer.js';
import { embeddedApp, expectProblem, temporaryDirectory, type EmbeddedApp } from './helpers.js';

/**
 * Attacks on auth and on scoring, end to end through HTTP (embedded). Covered elsewhere
 * and not repeated here:
 * - forged tokens at the verifier (alg none, HS256 with the public key, tampered payload,
 *   wrong aud/iss, missing claims, nbf, unknown kid, expiry): src/auth/token-verifier.test.ts;
 *   expired token → 401 token_expired on an action: src/score/routes.test.ts
 * - refresh-token reuse revoking the family, sequentially: src/auth/routes.test.ts
 * - ban through the admin route → 403 on POST /actions, and only an admin may ban:
 *   src/moderation/routes.test.ts "administration"
 * - missing, forged, foreign-user and other-type tickets, too_fast and too_slow, a ticket
 *   spent once under racing completions: src/score/routes.test.ts "timed actions"
 * - a daily cap against a burst of 10, cooldown with Retry-After, client-sent `points`
 *   refused: src/score/routes.test.ts; random bodies: test/fuzz/http.fuzz.test.ts
 * - login brute force (per-username and per-IP buckets): src/auth/login-limiter.test.ts
 */

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

async function world(options: { adminUsers?: string[]; catalog?: ActionType[] } = {}) {
  let clock = T0;
  let catalogPath: string | undefined;
  if (options.catalog) {
    catalogPath = path.join(temporaryDirectory(), 'actions.json');
    fs.writeFileSync(catalogPath, JSON.stringify({ actions: options.catalog }));
  }
  const env = await embeddedApp({ adminUsers: options.adminUsers, catalogPath, now: () => clock });
  return { ...env, advance: (ms: number) => (clock += ms) };
}

const ledgerRows = (env: EmbeddedApp, userId: string): number =>
  (env.db.prepare('SELECT COUNT(*) AS n FROM ledger WHERE user_id = ?').get(userId) as { n: number }).n;
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('auth attacks', () => {
  it('a banned user keeps a valid token but scores nothing with it, nor with a refreshed or fresh one', async () => {
    const w = await world({ adminUsers: ['root'] });
    const root = await w.player('root');
    const mallory = await w.player('mallory');

    expect((await w.client.post(`/api/v1/admin/users/${mallory.userId}/ban`, {}, root.token)).statusCode).toBe(204);
    // The token itself stays valid (tokens are stateless)…
    expect((await w.client.get('/api/v1/me', mallory.token)).statusCode).toBe(200);
    // …but every scoring route refuses it, as it refuses any newer token of the same user.
    const refreshed = (await w.client.post('/api/v1/auth/refresh', { refreshToken: mallory.refreshToken })).json<{ accessToken: string }>();
    const fresh = (await w.client.login('mallory')).json<{ accessToken: string }>();
    for (const token of [mallory.token, refreshed.accessToken, fresh.accessToken]) {
      expectProblem(await w.client.act(token, { type: 'click' }), 403, 'forbidden');
      expectProblem(await w.client.act(token, { type: 'daily-bonus' }), 403, 'forbidden');
      expectProblem(await w.client.start(token, 'quest'), 403, 'forbidden');
    }
    expect(ledgerRows(w, mallory.userId)).toBe(0);
  });

  it('lets exactly one of many racing refreshes of one token win, and then revokes the family', async () => {
    const w = await world();
    const { refreshToken } = await w.player('trudy');

    const answers = await Promise.all(Array.from({ length: 20 }, () => w.client.post('/api/v1/auth/refresh', { refreshToken })));
    const winners = answers.filter((answer) => answer.statusCode === 200);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((answer) => answer.statusCode !== 200)) expectProblem(loser, 401, 'unauthorized');
    // The losers were a reuse of a spent token: the winner's new token dies with the family.
    const next = winners[0]?.json<{ refreshToken: string }>().refreshToken ?? '';
    expectProblem(await w.client.post('/api/v1/auth/refresh', { refreshToken: next }), 401, 'unauthorized');
  });

  it('refuses forged admin tokens on the admin routes: alg none, a re-signed payload, HS256, a stranger key', async () => {
    const w = await world({ adminUsers: ['root'] });
    const victim = await w.player('victim');
    const mallory = await w.player('mallory');
    const [header = '', payload = '', signature = ''] = mallory.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const admin = { ...claims, roles: ['admin'] };
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    const jwks = (await w.client.get('/.well-known/jwks.json')).json<{ keys: { x: string }[] }>();
    const stranger = await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify']);
    const forged = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(admin)}.`,
      `${header}.${b64(admin)}.${signature}`,
      await new SignJWT(admin).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(jwks.keys[0]?.x ?? '')),
      await new SignJWT(admin).setProtectedHeader({ alg: 'EdDSA', kid }).sign(stranger.privateKey),
    ];
    for (const token of forged) {
      expectProblem(await w.client.post(`/api/v1/admin/users/${victim.userId}/ban`, {}, token), 401, 'unauthorized');
    }
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM banned_users').get()).toEqual({ n: 0 });
  });
});

describe('score cheating', () => {
  const quest: ActionType = { type: 'quest', points: 50, mode: 'timed', minDurationMs: 2_000, maxDurationMs: 600_000, cooldownMs: 0 };

  it('refuses a ticket backdated to skip the wait: re-encoded under the old signature, or signed with a guessed key', async () => {
    const w = await world({ catalog: [quest] });
    const { userId, token } = await w.player('eve');
    const started = (await w.client.start(token, 'quest')).json<{ ticket: string }>().ticket;
    const [body = '', signature = ''] = started.split('.');
    const [id = '', user = '', type = ''] = Buffer.from(body, 'base64url').toString().split('.');
    const backdated = Buffer.from([id, user, type, String(T0 - 60_000)].join('.')).toString('base64url');
    const guessedKey = new TicketSigner(randomBytes(32)).sign({ userId, type: 'quest', startedAt: T0 - 60_000 });
    const zeroKey = new TicketSigner(Buffer.alloc(32)).sign({ userId, type: 'quest', startedAt: T0 - 60_000 });

    for (const ticket of [`${backdated}.${signature}`, guessedKey, zeroKey]) {
      expectProblem(await w.client.act(token, { type: 'quest', ticket }), 422, 'ticket_invalid');
    }
    // The genuine ticket is still too fast, then counts once it is due.
    expectProblem(await w.client.act(token, { type: 'quest', ticket: started }), 422, 'too_fast');
    w.advance(2_000);
    expect((await w.client.act(token, { type: 'quest', ticket: started })).statusCode).toBe(201);
    expect(ledgerRows(w, userId)).toBe(1);
  });

  it('holds a daily cap of 1 against 50 parallel requests with different keys from two sessions', async () => {
    const w = await world();
    const first = await w.player('carl');
    const second = await w.player('carl');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => w.client.act(i % 2 ? first.token : second.token, { type: 'daily-bonus' })),
    );
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.statusCode !== 201)) expectProblem(refused, 429, 'daily_cap');
    expect(ledgerRows(w, first.userId)).toBe(1);
    w.storage.ledger.flushTotals();
    const totals = w.db.prepare('SELECT board, score FROM board_totals WHERE user_id = ? ORDER BY board').all(first.userId);
    expect(totals).toEqual([
      { board: 'daily', score: 100 },
      { board: 'global', score: 100 },
      { board: 'monthly', score: 100 },
      { board: 'weekly', score: 100 },
    ]);
  });

  it('holds a cooldown against 50 parallel requests with different keys', async () => {
    const w = await world({ catalog: [{ type: 'spin', points: 5, mode: 'instant', cooldownMs: 10_000 }] });
    const { userId, token } = await w.player('dora');
    const answers = await Promise.all(Array.from({ length: 50 }, () => w.client.act(token, { type: 'spin' })));
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.statusCode !== 201)) expectProblem(refused, 429, 'cooldown');
    expect(ledgerRows(w, userId)).toBe(1);
  });
});

describe('game servers and the review queue', () => {
  it("counts a game server's 30 racing retries of one held action once, and 20 racing approvals of it once", async () => {
    const w = await world({ adminUsers: ['root'] });
    const root = await w.player('root');
    const { userId } = await w.player('erin');
    const { secret } = await w.credentials.create('match-server');
    const send = () =>
      w.client.serverAct(secret, { userId, type: 'match-result', idempotencyKey: 'match-retried-1', values: { 'match-score': 80_000 } });
    const answers = await Promise.all(Array.from({ length: 30 }, send));
    expect(answers.filter((answer) => answer.statusCode === 202)).toHaveLength(1);
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(29);
    // Every replay is the held answer itself.
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(ledgerRows(w, userId)).toBe(1);

    const actionId = answers[0]?.json<{ action: { id: string } }>().action.id;
    const decisions = await Promise.all(Array.from({ length: 20 }, () => w.client.post(`/api/v1/admin/review/${actionId}/approve`, undefined, root.token)));
    expect(decisions.filter((answer) => answer.statusCode === 204)).toHaveLength(1);
    for (const refused of decisions.filter((answer) => answer.statusCode !== 204)) expectProblem(refused, 409, 'conflict');
    w.storage.ledger.flushTotals();
    expect(w.db.prepare("SELECT score FROM board_totals WHERE board = 'best-match' AND user_id = ?").all(userId)).toEqual([{ score: 80_000 }]);
  });
});
