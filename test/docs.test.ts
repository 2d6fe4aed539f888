import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { embeddedApp } from './helpers.js';

/**
 * The documentation in the repository stays true to the product: docs/API.md lists exactly
 * the routes the app serves, no file points outside the repository, the README stays a front
 * door, and every relative link in README.md and docs/*.md leads somewhere.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (relative: string): string => fs.readFileSync(path.join(ROOT, relative), 'utf8');

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Routes that are served but kept out of the OpenAPI document, so the comparison cannot see
 * them there. docs/API.md still lists each one; `sample` is a URL that must not be a 404.
 */
const HIDDEN_ROUTES: ReadonlyArray<{ route: string; sample?: string; why: string }> = [
  { route: 'GET /', sample: '/', why: 'the browser page (HTML), not part of the JSON API' },
  { route: 'GET /assets/{name}', sample: '/assets/app.js', why: "the browser page's static files" },
  { route: 'GET /admin', sample: '/admin', why: 'the operator console (HTML)' },
  { route: 'GET /client/{name}', sample: '/client/index.js', why: "the client library's modules, for the page and the console" },
  { route: 'GET /openapi.json', sample: '/openapi.json', why: 'the OpenAPI document itself' },
  { route: 'GET /docs', sample: '/docs', why: 'the page that renders the OpenAPI document (added by @fastify/swagger-ui)' },
  { route: 'GET /metrics', sample: '/metrics', why: 'Prometheus text for scrapers, not a client route' },
  // A WebSocket upgrade handled beside Fastify by the realtime service, which embeddedApp does not run.
  { route: 'GET /ws', why: 'the WebSocket endpoint, described by its messages in API.md' },
];

/** Lines outside fenced code blocks, so shell comments and sample links there are ignored. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** `METHOD /path/{param}` from every table row whose first cell is such a code span. */
function documentedRoutes(markdown: string): { routes: Set<string>; malformed: string[] } {
  const routes = new Set<string>();
  const malformed: string[] = [];
  for (const line of proseLines(markdown)) {
    if (!line.startsWith('|')) continue;
    const firstCell = (line.split('|')[1] ?? '').trim();
    if (!new RegExp(`^\`(${HTTP_METHODS.join('|')}) `).test(firstCell)) continue;
    const match = new RegExp(`^\`(${HTTP_METHODS.join('|')}) (/[A-Za-z0-9._~/{}-]*)\`$`).exec(firstCell);
    if (match) routes.add(`${match[1]} ${match[2]}`);
    else malformed.push(firstCell); // e.g. a query string in the first cell: put it in another column
  }
  return { routes, malformed };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

function openApiRoutes(doc: OpenApiDocument): Set<string> {
  const routes = new Set<string>();
  for (const [route, operations] of Object.entries(doc.paths)) {
    for (const method of Object.keys(operations)) {
      if ((HTTP_METHODS as readonly string[]).includes(method.toUpperCase())) routes.add(`${method.toUpperCase()} ${route}`);
    }
  }
  return routes;
}

/** Every .md and .ts file of the repository, outside installed, built and version-control folders. */
function repositoryFiles(dir = ROOT): string[] {
  const skipped = new Set(['node_modules', 'dist', '.git', 'coverage', 'test-results', 'data']);
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : repositoryFiles(full);
    return /\.(md|ts)$/.test(entry.name) ? [full] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set(
    proseLines(markdown)
      .map((line) => /^#{1,6}\s+(.*)$/.exec(line)?.[1])
      .filter((heading): heading is string => heading !== undefined)
      .map(anchorOf),
  );
}

/** The target of every Markdown link and image in the prose. */
function linkTargets(markdown: string): string[] {
  const link = /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
  return proseLines(markdown).flatMap((line) => [...line.matchAll(link)].map(([, target = '']) => target));
}

/** http:, https:, mailto: and the like. */
const isUrl = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

const DOC_FILES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

describe('docs/API.md', () => {
  it('lists exactly the routes the app serves, each as a table row `METHOD /path/{param}`', async () => {
    const { app } = await embeddedApp({ adminUsers: ['admin'] });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
    const served = openApiRoutes(doc);
    const { routes: documented, malformed } = documentedRoutes(read('docs/API.md'));
    const hidden = new Set(HIDDEN_ROUTES.map(({ route }) => route));

    expect(malformed, 'route rows whose first cell is not `METHOD /path`').toEqual([]);
    expect([...served].filter((route) => !documented.has(route)), 'served but missing from docs/API.md').toEqual([]);
    expect([...documented].filter((route) => !served.has(route) && !hidden.has(route)), 'in docs/API.md but not served').toEqual([]);
    expect([...hidden].filter((route) => !documented.has(route)), 'hidden routes missing from docs/API.md').toEqual([]);
    expect([...hidden].filter((route) => served.has(route)), 'in the OpenAPI document now: drop from HIDDEN_ROUTES').toEqual([]);

    for (const { route, sample } of HIDDEN_ROUTES) {
      if (sample === undefined) continue;
      const response = await app.inject({ method: 'GET', url: sample });
      expect({ route, status: response.statusCode }).not.toEqual({ route, status: 404 });
    }
  });
});

describe('the documentation', () => {
  it('points at nothing outside the repository', () => {
    // Spelled in two parts so this file does not match itself.
    const outside = ['..', 'shared'].join('/');
    const offenders = repositoryFiles().filter((file) => fs.readFileSync(file, 'utf8').includes(outside));
    expect(offenders.map((file) => path.relative(ROOT, file))).toEqual([]);
  });

  it('keeps README.md a front door of at most 200 lines', () => {
    const lines = read('README.md').replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(200);
  });

  it('keeps the client package README free of links into the repository: npm shows it on its own', () => {
    const intoTheRepository = linkTargets(read('packages/client/README.md')).filter((target) => !isUrl(target) && !target.startsWith('#'));
    expect(intoTheRepository).toEqual([]);
  });

  it.each(DOC_FILES)('%s: every relative link leads to a file (and heading) that exists', (file) => {
    const broken: string[] = [];
    for (const target of linkTargets(read(file)).filter((target) => !isUrl(target))) {
      const [relative = '', fragment] = target.split('#');
      const resolved = relative === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), relative);
      if (!fs.existsSync(resolved)) {
        broken.push(`${target} (no such file)`);
        continue;
      }
      if (fragment && resolved.endsWith('.md') && !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(fragment)) {
        broken.push(`${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
