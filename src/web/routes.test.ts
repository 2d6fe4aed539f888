import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProblemJson } from '../platform/problem-json.js';
import { PUBLIC_DIR, registerWebClient } from './routes.js';

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

  it('serves the operator console with the same policy: its import map is the one inline script', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin' });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'referrer-policy': 'same-origin' });
    expect(response.body).toContain('<script type="module" src="/assets/console.js">');
    expect(response.body).toContain('data-testid="admin-user-search"');
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(response.body)?.[1] ?? '';
    expect(JSON.parse(importMap)).toEqual({ imports: { '@live-leaderboard/client': '/client/index.js' } });
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain(`script-src 'self' 'sha256-${createHash('sha256').update(importMap).digest('base64')}';`);
    expect(policy).toContain("style-src 'self';");
    expect(policy).toContain("frame-ancestors 'none'");
    // Nothing else inline: every other script is a module file, and no element carries a style.
    expect([...response.body.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag)).toEqual(['<script type="importmap">', '<script type="module" src="/assets/console.js">']);
    expect(response.body).not.toMatch(/\sstyle=/);
    const again = await app.inject({ method: 'GET', url: '/admin', headers: { 'if-none-match': String(response.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  /** Every file `page` loads, transitively: its stylesheets, icons and scripts, and their imports (through its import map), each answered 200. */
  async function loadedBy(page: string): Promise<Set<string>> {
    const html = (await app.inject({ method: 'GET', url: page })).body;
    const importMap = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}') as { imports?: Record<string, string> };
    const queue = [...html.matchAll(/(?:src|href)="(\/(?:assets|client)\/[\w.-]+)"/g)].map((match) => String(match[1]));
    const seen = new Set<string>();
    for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, `${url}, loaded by ${page}`).toBe(200);
      if (!url.endsWith('.js')) continue;
      // Import and export statements, which begin a line: `import … from '…'`, `export … from '…'`, `import '…'`.
      for (const [, from, bare] of response.body.matchAll(/^(?:(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"])/gm)) {
        const specifier = String(from ?? bare);
        queue.push(importMap.imports?.[specifier] ?? new URL(specifier, `http://page${url}`).pathname);
      }
    }
    return seen;
  }

  it('serves every file the player page and the console load, transitively, and ships no file neither loads', async () => {
    const player = await loadedBy('/');
    const operator = await loadedBy('/admin');
    expect(player).toContain('/assets/app.js');
    expect(operator).toContain('/assets/console.js');
    // Both reach the client library through the import map, and its own modules through it.
    for (const loaded of [player, operator]) expect([...loaded].filter((url) => url.startsWith('/client/')).length).toBeGreaterThan(1);
    const files = fs.readdirSync(PUBLIC_DIR).filter((name) => !name.endsWith('.html'));
    expect(files.filter((name) => !player.has(`/assets/${name}`) && !operator.has(`/assets/${name}`))).toEqual([]);
  });

  it.each(['nope.js', '..%2Fsrc%2Fmain.ts', 'index.html', 'admin.html', '%2E%2E%2Fpackage.json'])('answers 404 problem+json for /assets/%s', async (name) => {
    const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found' });
  });

  it.each(['nope.js', 'index.d.ts', 'contract.generated.ts', '..%2Findex.ts', '%2E%2E%2F..%2Fpackage.json'])('answers 404 problem+json for /client/%s (built modules only)', async (name) => {
    const response = await app.inject({ method: 'GET', url: `/client/${name}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found' });
  });
});
