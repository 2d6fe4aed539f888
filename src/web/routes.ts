import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';

/**
 * The client's files, plain ES modules with no build step. Resolved from the package root so
 * the same folder serves both `tsx src/main.ts` (tests) and `node dist/main.js` (`npm start`).
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../src/web/public/', import.meta.url));
/** The client library's build (`npm run build:client`), which the page and the console import from `/client/`. */
export const CLIENT_LIBRARY_DIR = fileURLToPath(new URL('../../packages/client/dist/', import.meta.url));

// A fixed allow-list: a request names one of these or gets a 404, so no path can leave the folder.
const ASSET_TYPES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'leaderboard-table.js': 'text/javascript; charset=utf-8',
  'action-panel.js': 'text/javascript; charset=utf-8',
  'error-messages.js': 'text/javascript; charset=utf-8',
  'format.js': 'text/javascript; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console-audit.js': 'text/javascript; charset=utf-8',
  'console-boards.js': 'text/javascript; charset=utf-8',
  'console-credentials.js': 'text/javascript; charset=utf-8',
  'console-dom.js': 'text/javascript; charset=utf-8',
  'console-messages.js': 'text/javascript; charset=utf-8',
  'console-players.js': 'text/javascript; charset=utf-8',
  'console-review.js': 'text/javascript; charset=utf-8',
  'console-webhooks.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

/**
 * Everything a page needs is on this origin; `connect-src 'self'` covers same-origin ws:/wss:
 * (CSP 3). The one inline script allowed is the page's import map (which maps
 * `@live-leaderboard/client` to `/client/index.js`), by its hash.
 */
function contentSecurityPolicy(html: Buffer): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html.toString('utf8'))?.[1];
  const importMapSource = importMap === undefined ? '' : ` 'sha256-${createHash('sha256').update(importMap).digest('base64')}'`;
  return [
    "default-src 'self'",
    `script-src 'self'${importMapSource}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

function load(name: string, type: string, directory = PUBLIC_DIR): StaticFile {
  const body = fs.readFileSync(path.join(directory, name));
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Files are not fingerprinted, so browsers keep them but revalidate each time (`no-cache`):
 * a deploy is picked up at once, and an unchanged file costs a `304` without a body.
 */
function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply {
  void reply.headers({ 'cache-control': 'no-cache', etag: file.etag, 'x-content-type-options': 'nosniff' });
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(file.type).send(file.body);
}

/**
 * Every module of the built client library, by file name (its modules import each other as
 * `./name.js`). Empty when it is not built: `npm start` and the tests build it, and tools that
 * compose the app without a page (the contract generator, benchmarks) must not need it.
 */
function loadClientLibrary(): Map<string, StaticFile> {
  if (!fs.existsSync(CLIENT_LIBRARY_DIR)) return new Map();
  const modules = fs.readdirSync(CLIENT_LIBRARY_DIR).filter((name) => name.endsWith('.js'));
  return new Map(modules.map((name) => [name, load(name, 'text/javascript; charset=utf-8', CLIENT_LIBRARY_DIR)]));
}

/** `GET /`: the browser client, and `GET /assets/{name}`: its scripts, styles and icon, `GET /client/{name}`: the client library's modules. */
export function registerWebClient(app: FastifyInstance): void {
  // Read once at start: a few small files, and a missing one is a broken install worth failing on.
  const index = load('index.html', 'text/html; charset=utf-8');
  const indexPolicy = contentSecurityPolicy(index.body);
  const adminPage = load('admin.html', 'text/html; charset=utf-8');
  const adminPolicy = contentSecurityPolicy(adminPage.body);
  const assets = new Map(Object.entries(ASSET_TYPES).map(([name, type]) => [name, load(name, type)]));
  const library = loadClientLibrary();
  if (library.size === 0) app.log.warn(`the client library is not built (${CLIENT_LIBRARY_DIR}): the page cannot load; run npm run build`);

  app.get('/', { schema: { hide: true } }, (request, reply) => {
    void reply.headers({ 'content-security-policy': indexPolicy, 'referrer-policy': 'same-origin' });
    return send(request, reply, index);
  });
  // The operator console: the page is public, what it shows needs an admin's session.
  app.get('/admin', { schema: { hide: true } }, (request, reply) => {
    void reply.headers({ 'content-security-policy': adminPolicy, 'referrer-policy': 'same-origin' });
    return send(request, reply, adminPage);
  });
  app.get<{ Params: { name: string } }>('/client/:name', { schema: { hide: true } }, (request, reply) => {
    const file = library.get(request.params.name);
    if (!file) {
      const hint = library.size === 0 ? ' (it is not built: npm run build)' : '';
      throw new AppError('not_found', `The client library has no module "${request.params.name}"${hint}.`);
    }
    return send(request, reply, file);
  });
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, (request, reply) => {
    const file = assets.get(request.params.name);
    if (!file) throw new AppError('not_found', `There is no asset "${request.params.name}".`);
    return send(request, reply, file);
  });
}
