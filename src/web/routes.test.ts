import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProblemJson } from '../platform/problem-json.js';
import { registerWebClient } from './routes.js';

describe('the browser client files', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    installProblemJson(app);
    registerWebClient(app);
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves the page with a CSP that keeps everything on this origin', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.body).toContain('<script type="module" src="/assets/app.js">');
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['styles.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
  ])('serves %s as %s, revalidated by ETag', async (name, type) => {
    const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    const again = await app.inject({ method: 'GET', url: `/assets/${name}`, headers: { 'if-none-match': String(response.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves every module the page imports, transitively (the allow-list is complete)', async () => {
    const seen = new Set<string>();
    const queue = ['app.js'];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
      expect(response.statusCode, name).toBe(200);
      for (const match of response.body.matchAll(/^import .* from '\.\/([\w-]+\.js)';$/gm)) queue.push(String(match[1]));
    }
    expect(seen.size).toBe(7);
  });

  it.each(['nope.js', '..%2Fsrc%2Fmain.ts', 'index.html', '%2E%2E%2Fpackage.json'])('answers 404 problem+json for /assets/%s', async (name) => {
    const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found' });
  });
});
