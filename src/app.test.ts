import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { Type } from 'typebox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, createApp } from './app.js';
import { AppError, ERROR_CATALOG, type ErrorCode } from './platform/errors.js';
import { createMetricsRegistry } from './platform/metrics.js';
import type { ReadinessCheck, Service } from './platform/service.js';

const EchoBody = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    count: Type.Integer(),
  },
  // As the real services declare their bodies: unknown properties are refused.
  { additionalProperties: false },
);

/** A service with one route per error path the platform must render. */
const testService: Service = {
  name: 'test',
  registerRoutes(app) {
    app.post('/echo', { schema: { body: EchoBody } }, (request) => request.body);
    app.get('/boom', () => {
      throw new Error('secret internals');
    });
    app.get('/denied', () => {
      throw new AppError('forbidden', 'no');
    });
    app.get('/users/:id', (request) => request.params);
    app.get('/limited', () => {
      throw new AppError('rate_limited', 'slow down', { headers: { 'retry-after': '3' } });
    });
  },
};

function buildApp(readinessChecks: Readonly<Record<string, ReadinessCheck>> = {}, services: readonly Service[] = [testService]) {
  return createApp({ logger: pino({ level: 'silent' }), metrics: createMetricsRegistry(), services, readinessChecks });
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
}

/** Asserts an RFC 9457 answer with the catalog's code and returns its body. */
function expectProblem(response: LightMyRequestResponse, status: number, code: ErrorCode): ProblemBody {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<ProblemBody>();
  expect(body).toEqual({
    type: expect.stringContaining(code) as unknown,
    title: ERROR_CATALOG[code].title,
    status,
    code,
    detail: expect.any(String) as unknown,
  });
  expect(body.detail).not.toBe('');
  return body;
}

function postJson(app: FastifyInstance, url: string, payload: string) {
  return app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
}

describe('createApp', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildApp({ database: () => undefined });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('routing errors', () => {
    it('answers a malformed percent-encoded URL with problem+json 400', async () => {
      expectProblem(await app.inject({ method: 'GET', url: '/users/%E0%A4%A' }), 400, 'invalid_request');
    });

    it('answers an over-long path parameter with problem+json 414', async () => {
      const response = await app.inject({ method: 'GET', url: `/users/${'x'.repeat(300)}` });
      expectProblem(response, 414, 'invalid_request');
      expect((await app.inject({ method: 'GET', url: '/users/abc' })).json()).toEqual({ id: 'abc' });
    });

    it('answers an unknown route with 404 not_found', async () => {
      const body = expectProblem(await app.inject({ method: 'GET', url: '/nope?x=1' }), 404, 'not_found');
      expect(body.detail).toContain('/nope');
      expect(body.detail).not.toContain('x=1');
    });

    it('answers an unknown method on a known path with 404 not_found', async () => {
      expectProblem(await app.inject({ method: 'DELETE', url: '/echo' }), 404, 'not_found');
      expectProblem(await app.inject({ method: 'PUT', url: '/healthz' }), 404, 'not_found');
    });
  });

  describe('request bodies', () => {
    it('echoes a valid body', async () => {
      const response = await postJson(app, '/echo', JSON.stringify({ name: 'ada', count: 3 }));
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ name: 'ada', count: 3 });
    });

    it('refuses an unknown property with 400 invalid_request naming it', async () => {
      const response = await postJson(app, '/echo', JSON.stringify({ name: 'ada', count: 3, role: 'admin' }));
      expect(expectProblem(response, 400, 'invalid_request').detail).toMatch(/additional properties/i);
    });

    it('rejects malformed JSON with 400 invalid_request', async () => {
      expectProblem(await postJson(app, '/echo', '{"name": "ada", "count": '), 400, 'invalid_request');
    });

    it('rejects an empty JSON body with 400 invalid_request', async () => {
      expectProblem(await postJson(app, '/echo', ''), 400, 'invalid_request');
    });

    it.each([
      ['a missing field', { name: 'ada' }, 'count'],
      ['count as a numeric string (bodies are not coerced)', { name: 'ada', count: '3' }, 'count'],
      ['count as a fraction', { name: 'ada', count: 1.5 }, 'count'],
      ['name as a number', { name: 42, count: 3 }, 'name'],
      ['an empty name', { name: '', count: 3 }, 'name'],
      ['an array instead of an object', [{ name: 'ada', count: 3 }], ''],
    ])('rejects %s with 400 invalid_request', async (_case, payload, field) => {
      const body = expectProblem(await postJson(app, '/echo', JSON.stringify(payload)), 400, 'invalid_request');
      expect(body.detail).toContain(field);
    });

    it(`rejects a body over ${BODY_LIMIT_BYTES} bytes with 413 payload_too_large`, async () => {
      const payload = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES), count: 1 });
      expectProblem(await postJson(app, '/echo', payload), 413, 'payload_too_large');
    });

    it('accepts a body just under the limit', async () => {
      const envelope = JSON.stringify({ name: '', count: 1 }).length;
      const payload = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES - envelope), count: 1 });
      expect(payload.length).toBe(BODY_LIMIT_BYTES);
      expect((await postJson(app, '/echo', payload)).statusCode).toBe(200);
    });

    it('rejects a body with a "__proto__" key with 400 invalid_request', async () => {
      const payload = '{"name": "ada", "count": 1, "__proto__": {"isAdmin": true}}';
      expectProblem(await postJson(app, '/echo', payload), 400, 'invalid_request');
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    });

    it('rejects a body with a "constructor.prototype" key with 400 invalid_request', async () => {
      const payload = '{"name": "ada", "count": 1, "constructor": {"prototype": {"isAdmin": true}}}';
      expectProblem(await postJson(app, '/echo', payload), 400, 'invalid_request');
    });
  });

  describe('thrown errors', () => {
    it('answers an unexpected error with 500 internal_error without leaking its message', async () => {
      const response = await app.inject({ method: 'GET', url: '/boom' });
      const body = expectProblem(response, 500, 'internal_error');
      expect(body.detail).not.toContain('secret internals');
      expect(response.body).not.toContain('secret internals');
    });

    it('renders an AppError with its catalog status and code', async () => {
      const body = expectProblem(await app.inject({ method: 'GET', url: '/denied' }), 403, 'forbidden');
      expect(body.detail).toBe('no');
    });

    it("carries an AppError's headers, e.g. Retry-After on a 429", async () => {
      const response = await app.inject({ method: 'GET', url: '/limited' });
      const body = expectProblem(response, 429, 'rate_limited');
      expect(body.detail).toBe('slow down');
      expect(response.headers['retry-after']).toBe('3');
    });
  });

  describe('operations', () => {
    it('GET /healthz answers 200 {status: "ok"}', async () => {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('GET /readyz answers 200 when every check passes', async () => {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    });

    it('GET /metrics records requests by route template and status', async () => {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/nope/123' })).statusCode).toBe(404);

      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      const lines = response.body.split('\n');
      const healthz = lines.filter((line) => line.startsWith('http_request_duration_seconds_bucket{'));
      expect(healthz.some((line) => line.includes('route="/healthz"') && line.includes('status_code="200"'))).toBe(true);
      // Raw URLs of unmatched requests never become label values.
      expect(response.body).not.toContain('/nope/123');
      expect(response.body).toContain('process_cpu_user_seconds_total');
    });

    it('GET /openapi.json serves an OpenAPI 3 document listing the routes', async () => {
      const response = await app.inject({ method: 'GET', url: '/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths)).toContain('/echo');
      expect(Object.keys(document.paths)).toContain('/healthz');
    });

    it('GET /docs serves an HTML page', async () => {
      let response = await app.inject({ method: 'GET', url: '/docs' });
      if (response.statusCode >= 300 && response.statusCode < 400) {
        const location = response.headers.location;
        expect(typeof location).toBe('string');
        response = await app.inject({ method: 'GET', url: new URL(String(location), 'http://localhost/docs').pathname });
      }
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<html');
    });

    it('GET / serves the browser client', async () => {
      const response = await app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<html');
    });
  });
});

describe('GET /readyz with a failing dependency', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 503 unavailable naming the check that threw', async () => {
    app = await buildApp({
      database: () => undefined,
      cache: () => {
        throw new Error('connection refused');
      },
    });
    const body = expectProblem(await app.inject({ method: 'GET', url: '/readyz' }), 503, 'unavailable');
    expect(body.detail).toContain('cache');
    expect(body.detail).toContain('connection refused');
    expect(body.detail).not.toContain('database');
  });

  it("runs a service's own readiness checks", async () => {
    const failing: Service = {
      name: 'broken',
      registerRoutes: () => undefined,
      readinessChecks: { 'broken-store': () => Promise.reject(new Error('no disk')) },
    };
    app = await buildApp({}, [testService, failing]);
    const body = expectProblem(await app.inject({ method: 'GET', url: '/readyz' }), 503, 'unavailable');
    expect(body.detail).toContain('broken-store');
  });

  it('answers 503 when a check never answers', { timeout: 10_000 }, async () => {
    app = await buildApp({ stuck: () => new Promise<void>(() => undefined) });
    const body = expectProblem(await app.inject({ method: 'GET', url: '/readyz' }), 503, 'unavailable');
    expect(body.detail).toContain('stuck');
  });
});
