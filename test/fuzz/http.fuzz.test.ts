import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/app.js';
import { ERROR_CATALOG } from '../../src/platform/errors.js';
import { embeddedApp, type EmbeddedApp } from '../helpers.js';

/**
 * Every HTTP route under hostile input: random and near-valid JSON bodies, wrong types,
 * extreme numbers, unicode and lone surrogates, deep nesting, prototype-pollution keys,
 * random path parameters and query strings, garbage Authorization headers, wrong content
 * types and oversized bodies. The contract (API.md "Errors"): never a 5xx, every 4xx is
 * problem+json with a catalog code, and a rejected request changes no state.
 */

type Method = 'GET' | 'POST' | 'DELETE';
interface Route {
  method: Method;
  /** Fastify's path, `:name` for parameters. */
  path: string;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/api/v1/auth/register' },
  { method: 'POST', path: '/api/v1/auth/login' },
  { method: 'POST', path: '/api/v1/auth/refresh' },
  { method: 'POST', path: '/api/v1/auth/logout' },
  { method: 'GET', path: '/api/v1/me' },
  { method: 'GET', path: '/.well-known/jwks.json' },
  { method: 'GET', path: '/api/v1/actions' },
  { method: 'POST', path: '/api/v1/actions/:type/start' },
  { method: 'POST', path: '/api/v1/actions' },
  { method: 'POST', path: '/api/v1/server/actions' },
  { method: 'GET', path: '/api/v1/leaderboards' },
  { method: 'GET', path: '/api/v1/leaderboards/:board' },
  { method: 'GET', path: '/api/v1/leaderboards/:board/users' },
  { method: 'GET', path: '/api/v1/leaderboards/:board/users/:userId' },
  { method: 'GET', path: '/api/v1/leaderboards/:board/me' },
  { method: 'GET', path: '/api/v1/me/ranks' },
  { method: 'POST', path: '/api/v1/admin/users/:userId/ban' },
  { method: 'POST', path: '/api/v1/admin/users/:userId/unban' },
  { method: 'GET', path: '/api/v1/admin/users' },
  { method: 'GET', path: '/api/v1/admin/leaderboards/:board/export' },
  { method: 'GET', path: '/api/v1/admin/audit' },
  { method: 'POST', path: '/api/v1/admin/credentials' },
  { method: 'GET', path: '/api/v1/admin/credentials' },
  { method: 'DELETE', path: '/api/v1/admin/credentials/:name' },
  { method: 'GET', path: '/api/v1/admin/review' },
  { method: 'POST', path: '/api/v1/admin/review/:actionId/approve' },
  { method: 'POST', path: '/api/v1/admin/review/:actionId/reject' },
  { method: 'GET', path: '/api/v1/admin/webhooks/deliveries' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/openapi.json' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/assets/:name' },
  { method: 'GET', path: '/docs/:rest' },
];

/** Hidden from the OpenAPI document, so the coverage check cannot see them there. */
const UNDOCUMENTED = new Set(['GET /metrics', 'GET /openapi.json', 'GET /', 'GET /assets/:name', 'GET /docs/:rest']);

const CLIENT_CODES = new Set(Object.keys(ERROR_CATALOG).filter((code) => code !== 'internal_error'));

// ---------------------------------------------------------------------------- inputs

const pct = (text: string): string => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const nested = (depth: number, open: string, leaf: string, close: string): string => open.repeat(depth) + leaf + close.repeat(depth);
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '__defineGetter__'];
const LONE_SURROGATES = ['\uD800', '\uDFFF', 'a\uD83D', '\uDE00b'];

/** Values that break naive code: wrong types, extreme numbers, odd strings. */
const hostileScalar = fc.oneof(
  fc.constantFrom<unknown>(
    'click',
    'quest',
    'daily-bonus',
    'global',
    '',
    'ß'.repeat(70),
    'x'.repeat(5_000),
    '😀'.repeat(40),
    ...POLLUTION_KEYS,
    ...LONE_SURROGATES,
    1e308,
    -1e308,
    -0,
    2 ** 53 + 1,
    Number.MIN_VALUE,
    -1,
    0,
    null,
    true,
    false,
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{3,40}$/),
  fc.integer(),
  fc.double(),
);

/** Mostly `valid`, sometimes hostile: a request then gets past the first check it meets. */
const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostileScalar, weight: 1 });
const validName = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{3,32}$/), fc.constantFrom('fuzzer', 'FUZZER', 'root', 'victim'));
const validPassword = fc.oneof(fc.string({ minLength: 8, maxLength: 128 }), fc.constant('password-123'));
const idempotencyKey = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const extraKeys = fc.dictionary(fc.constantFrom(...POLLUTION_KEYS, 'points', 'score', 'roles', 'isAdmin'), hostileScalar, { maxKeys: 2 });

/** Bodies shaped like each route's real one, with hostile values and extra keys mixed in. */
function shapedBody(path: string, userIds: readonly string[]): fc.Arbitrary<string> {
  const withExtras = (record: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> =>
    fc
      .tuple(record, fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: extraKeys, weight: 1 }))
      .map(([fields, extras]) => JSON.stringify({ ...fields, ...extras }));
  if (path.startsWith('/api/v1/auth/register') || path.startsWith('/api/v1/auth/login')) {
    return withExtras(fc.record({ username: mostly(validName), password: mostly(validPassword) }, { requiredKeys: [] }));
  }
  if (path.startsWith('/api/v1/auth/')) {
    return withExtras(fc.record({ refreshToken: mostly(fc.string({ minLength: 1, maxLength: 600 })) }, { requiredKeys: [] }));
  }
  if (path === '/api/v1/actions') {
    return withExtras(
      fc.record(
        { type: mostly(fc.constantFrom('click', 'quest', 'daily-bonus')), idempotencyKey: mostly(idempotencyKey), ticket: mostly(fc.string({ maxLength: 600 })) },
        { requiredKeys: ['type', 'idempotencyKey'] },
      ),
    );
  }
  if (path === '/api/v1/server/actions') {
    // Values a game server might get wrong: strings, extremes, -0, out of bounds, extra and huge objects.
    const value = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom<unknown>(50_001, 100_001, -1, -0, 1e308, '42', null, true, [], {}), hostileScalar);
    const values = fc.oneof(
      fc.record({ 'match-score': value }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 20 }), value, { maxKeys: 5 }),
      fc.constant(Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`metric-${i}`, i]))),
    );
    return withExtras(
      fc.record(
        { userId: mostly(fc.constantFrom(...userIds, 'no-such-user')), type: mostly(fc.constantFrom('match-result', 'click', 'quest')), idempotencyKey: mostly(idempotencyKey), values: mostly(values) },
        { requiredKeys: ['userId', 'type', 'idempotencyKey'] },
      ),
    );
  }
  return fc.json({ maxDepth: 2 });
}

/** Raw texts no serializer would produce. */
const RAW_BODIES: readonly (string | Buffer)[] = [
  '',
  'null',
  '[]',
  '"click"',
  '1e999',
  '-0',
  '{',
  '{"username":"abc"',
  '{"__proto__":{"admin":true},"username":"abcd","password":"password-123"}',
  '{"constructor":{"prototype":{"admin":true}},"type":"click","idempotencyKey":"abcdefgh"}',
  '{"prototype":{"admin":true}}',
  '{"username":1e308,"password":-0}',
  '{"type":"click","idempotencyKey":"abcdefgh","points":9007199254740993}',
  '{"type":"click","idempotencyKey":"abcdefgh","type":"quest"}',
  '{"userId":"x","type":"match-result","idempotencyKey":"abcdefgh","values":{"match-score":1e309}}',
  '{"userId":"x","type":"match-result","idempotencyKey":"abcdefgh","values":{"match-score":NaN}}',
  '{"userId":"x","type":"match-result","idempotencyKey":"abcdefgh","values":{"match-score":-0}}',
  '{"username":"\\ud800abc","password":"\\udfffpassword"}',
  '{"refreshToken":"\\u0000"}',
  nested(1_000, '[', '1', ']'),
  nested(1_000, '{"a":', '1', '}'),
  nested(1_000, '{"username":', '"abc"', '}'),
  nested(20_000, '[', '', ']'),
  Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
  Buffer.from('{"username":"ab\xffcd","password":"password-123"}', 'latin1'),
];

const hostileBody = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withBigInt: false }).map((value) => JSON.stringify(value) ?? 'undefined'),
  fc.dictionary(fc.constantFrom(...POLLUTION_KEYS, 'username', 'type'), hostileScalar, { maxKeys: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(...RAW_BODIES),
);

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 4 },
  fc.constantFrom(
    undefined,
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/problem+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'garbage',
    ';;;',
  ),
);

/** A path parameter, already encoded for the URL (or deliberately badly encoded). */
function pathSegment(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...known), weight: 3 },
    fc.constantFrom(...POLLUTION_KEYS, '', '.', '..', 'x'.repeat(250), '%', '%zz', '%E0%A4%A', '%00', '..%2F..%2Fetc%2Fpasswd', '%2e%2e'),
    fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/),
    fc.string({ unit: 'binary', maxLength: 60 }).map(pct),
    // A lone surrogate as the raw UTF-8 bytes a broken encoder would send (ED A0 80 = U+D800).
    fc.constantFrom('%ED%A0%80', 'a%ED%BF%BFb', '%F0%9F%98'),
  );
}

const queryValue = fc.oneof(
  fc.constantFrom('1e308', '1e999', '-0', '9007199254740993', 'NaN', 'Infinity', '-1', '0', '1', '10', '50', '100', '101', '', '0x10', ' 5', '5.5', 'true', '%', '%zz'),
  // Period keys of every kind, right and wrong: days, Mondays, months, a season's start.
  fc.constantFrom('all', '2026-11-27', '2026-11-23', '2026-02-30', '2026-11', '2026-13', '2026-12-01T00:00:00.000Z', '2026-12-01T00:00'),
  // Friends lists: ids, too many, empty ones, odd characters.
  fc.constantFrom('a,b,c', ',', 'a,,b', Array.from({ length: 101 }, (_, i) => `u${i}`).join(','), 'x'.repeat(65), '%00', 'a%2Cb'),
  fc.string({ unit: 'binary', maxLength: 30 }).map(pct),
);
const query = fc.oneof(
  { arbitrary: fc.constantFrom('', '', '?limit=5', '?limit=100&offset=1', '?radius=2', '?period=2026-11', '?ids=a,b'), weight: 5 },
  fc
    .array(fc.tuple(fc.constantFrom('limit', 'offset', 'radius', 'period', 'ids', 'limit[]', ...POLLUTION_KEYS, 'x'), queryValue), { maxLength: 4 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`)),
  fc.constantFrom('?', '?&&', '?=', '?limit=1&limit=2', '?limit=10&offset=5&radius=3', `?${'a=1&'.repeat(2_000)}`),
);

const printable = fc.stringMatching(/^[\x20-\x7e]{0,200}$/);

/** Authorization headers: none, garbage, malformed schemes, forged and real tokens. */
function authorization(tokens: { user: string; admin: string; server: string }): fc.Arbitrary<string | undefined> {
  const [header = '', payload = '', signature = ''] = tokens.user.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const forged = [
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, roles: ['admin'] })}.`,
    `${header}.${b64({ ...claims, roles: ['admin'] })}.${signature}`,
    `${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`,
    `${header}.${payload}.`,
    `${header}.${payload}`,
  ];
  return fc.oneof(
    { arbitrary: fc.constantFrom(`Bearer ${tokens.user}`, `Bearer ${tokens.admin}`, `Bearer ${tokens.server}`), weight: 6 },
    fc.constant(undefined),
    fc.constantFrom(`bearer ${tokens.user}`, `Bearer ${tokens.user} extra`, `Basic ${tokens.user}`),
    fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer  x', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(10_000)}`, 'Bearer ...', 'Bearer a.b.c'),
    fc.constantFrom(...forged).map((token) => `Bearer ${token}`),
    printable,
    printable.map((text) => `Bearer ${text}`),
  );
}

const remoteAddress = fc.oneof(fc.constant('127.0.0.1'), fc.ipV4(), fc.ipV6());

// ---------------------------------------------------------------------------- checks

/** Everything a request could change; audit rows are expected on rejections, so they are left out. */
function snapshot(env: EmbeddedApp): unknown {
  const count = (table: string): number => (env.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  // Totals are written behind the ledger: bring the table up to it first.
  env.storage.ledger.flushTotals();
  return {
    users: count('users'),
    refreshTokens: env.db.prepare('SELECT token_hash, spent_at FROM refresh_tokens ORDER BY token_hash').all(),
    families: env.db.prepare('SELECT * FROM refresh_token_families ORDER BY 1').all(),
    ledger: count('ledger'),
    totals: env.db.prepare('SELECT board, period, user_id, score FROM board_totals ORDER BY board, period, user_id').all(),
    usedTickets: count('used_tickets'),
    bans: count('banned_users'),
    credentials: env.db.prepare('SELECT name, secret_hash FROM server_credentials ORDER BY name').all(),
    decisions: env.db.prepare("SELECT id, status FROM ledger WHERE status <> 'accepted' ORDER BY id").all(),
    webhooks: count('webhook_deliveries'),
  };
}

function expectContractAnswer(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
  if (response.statusCode >= 400) {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{ code: string; status: number }>();
    expect(CLIENT_CODES).toContain(problem.code);
    expect(problem.status).toBe(response.statusCode);
  }
}

async function world(): Promise<EmbeddedApp & { tokens: { user: string; admin: string; server: string }; userId: string; victimId: string; heldId: string }> {
  // Login buckets at their shipped defaults; requests come from random addresses; webhooks
  // on (to a port nothing listens on: they stay pending), so bans and held actions write them.
  const env = await embeddedApp({
    adminUsers: ['root'],
    loginRateLimitUser: { perMin: 5, burst: 10 },
    loginRateLimitIp: { perMin: 60, burst: 30 },
    webhooks: { urls: ['http://127.0.0.1:9/fuzz'], secret: `whsec_${Buffer.alloc(24, 1).toString('base64')}`, timings: { pollMs: 60_000 } },
  });
  const user = await env.player('fuzzer');
  const admin = await env.player('root');
  const victim = await env.player('victim');
  const { secret } = await env.credentials.create('fuzz-server');
  // A held action for the review routes to find.
  const held = await env.client.serverAct(secret, { userId: victim.userId, type: 'match-result', idempotencyKey: 'fuzz-held-1', values: { 'match-score': 90_000 } });
  const heldId = held.json<{ action: { id: string } }>().action.id;
  return { ...env, tokens: { user: user.token, admin: admin.token, server: secret }, userId: user.userId, victimId: victim.userId, heldId };
}

/** `FUZZ_RUNS=2000` for a longer hunt; the default keeps the suite fast. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 80);

describe('every HTTP route under hostile input', () => {
  it('fuzzes every route the app serves', async () => {
    const { app } = await world();
    const documented = Object.entries((app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const fuzzed = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(fuzzed)).toEqual(new Set([...documented, ...UNDOCUMENTED]));
    for (const route of ROUTES) {
      if (route.path !== '/docs/:rest') expect(app.hasRoute({ method: route.method, url: route.path }), route.path).toBe(true);
    }
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: never 5xx, problem+json with a catalog code on 4xx, no state change when rejected',
    async (_name, route) => {
      const env = await world();
      const known = ['global', 'daily', 'weekly', 'monthly', 'fastest-sprint', 'best-match', 'click', 'quest', 'daily-bonus', 'sprint', 'match-result', env.userId, env.victimId, 'app.js', 'static', 'index.html', env.heldId, '1'];
      const params = route.path.split('/').filter((part) => part.startsWith(':'));

      await fc.assert(
        fc.asyncProperty(
          fc.array(pathSegment(known), { minLength: params.length, maxLength: params.length }),
          query,
          authorization(env.tokens),
          contentType,
          route.method === 'POST'
            ? fc.oneof({ arbitrary: shapedBody(route.path, [env.userId, env.victimId]), weight: 3 }, { arbitrary: hostileBody, weight: 2 })
            : fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, hostileBody),
          remoteAddress,
          async (segments, queryString, auth, type, payload, ip) => {
            let url = route.path;
            params.forEach((param, index) => (url = url.replace(param, segments[index] ?? '')));
            const headers: Record<string, string> = {};
            if (auth !== undefined) headers.authorization = auth;
            if (type !== undefined) headers['content-type'] = type;
            const before = snapshot(env);
            const response = await env.app.inject({ method: route.method, url: url + queryString, headers, payload, remoteAddress: ip });
            expectContractAnswer(response);
            if (response.statusCode >= 400) expect(snapshot(env)).toEqual(before);
          },
        ),
        { numRuns: NUM_RUNS },
      );
      // No body or query reached a prototype.
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    },
  );

  it('answers 413 payload_too_large to any body over 64 KiB, on every route that takes one, changing nothing', async () => {
    const env = await world();
    const big = [
      JSON.stringify({ username: 'fuzzer', password: 'p'.repeat(BODY_LIMIT_BYTES) }),
      JSON.stringify({ type: 'click', idempotencyKey: 'abcdefgh', ticket: 'x'.repeat(BODY_LIMIT_BYTES) }),
      nested(40_000, '[', '', ']'),
    ];
    for (const route of ROUTES.filter((candidate) => candidate.method === 'POST')) {
      const url = route.path.replace(':type', 'click').replace(':userId', env.victimId);
      for (const payload of big) {
        const before = snapshot(env);
        const response = await env.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${env.tokens.admin}`, 'content-type': 'application/json' },
          payload,
        });
        expect(response.statusCode, url).toBe(413);
        expectContractAnswer(response);
        expect(response.json()).toMatchObject({ code: 'payload_too_large' });
        expect(snapshot(env)).toEqual(before);
      }
    }
  });

  it('answers an unknown method or path with 404 problem+json', async () => {
    const env = await world();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'GET', 'POST'),
        fc.oneof(fc.constantFrom(...ROUTES.map((route) => route.path.replace(/:\w+/g, 'x'))), fc.string({ unit: 'binary', maxLength: 60 }).map((text) => `/${pct(text)}`)),
        async (method, url) => {
          const response = await env.app.inject({ method: method as 'GET', url });
          expectContractAnswer(response);
        },
      ),
      { numRuns: 150 },
    );
  });
});
