import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory, testClient } from './helpers.js';
import { startServerProcess, type ServerProcess } from './process.js';
import type { TestClient } from './support/test-client.js';
import { CLIENT_LIBRARY_DIR } from '../src/web/routes.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results', 'browser');
// Locally a machine without Chromium skips; in CI (.ci/run installs it) a missing browser fails.
const skip = !fs.existsSync(CHROMIUM) && process.env.CI !== 'true';

/** The default catalog's shape, with a shorter quest and sprint and an action that has a cooldown. */
const CATALOG = {
  actions: [
    { type: 'click', points: 1, mode: 'instant', cooldownMs: 0 },
    { type: 'quest', points: 50, mode: 'timed', minDurationMs: 1_200, maxDurationMs: 600_000, cooldownMs: 0 },
    { type: 'daily-bonus', points: 100, mode: 'instant', cooldownMs: 0, dailyCap: 1 },
    { type: 'boost', points: 10, mode: 'instant', cooldownMs: 60_000 },
    { type: 'sprint', points: 0, mode: 'timed', minDurationMs: 1_200, maxDurationMs: 600_000, cooldownMs: 0, metrics: { 'sprint-ms': 'duration' } },
    { type: 'match-result', mode: 'server', cooldownMs: 0, metrics: { 'match-score': { min: 0, max: 100_000, review: 50_000 } } },
  ],
};

/** Browser-generated lines for requests that failed while the server was down: not the page's errors. */
const SERVER_DOWN_NOISE = /^(Failed to load resource: (net::ERR_CONNECTION_REFUSED|the server responded with a status of 503)|WebSocket connection to '.*' failed)/;

/** The real server process (as `npm start` runs it, from source), ready when it logs its URL. */
function startServer(dataDir: string, catalogPath: string, port = 0): Promise<ServerProcess> {
  // The per-user bucket is off so the API-side rival can score fast; the page's clicks stay well under it anyway.
  return startServerProcess({ PORT: String(port), DATA_DIR: dataDir, ACTION_CATALOG: catalogPath, RATE_LIMIT_USER_PER_SEC: '0' });
}

/** Collects console errors and uncaught exceptions of a page. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

async function clickOverApi(api: TestClient, token: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const response = await api.act(token);
    expect(response.ok, `POST /api/v1/actions → ${response.status}`).toBe(true);
  }
}

/** A leaderboard row as the page shows it, read through the contract's data attributes. */
async function row(page: Page, userId: string): Promise<{ rank: number; score: number } | null> {
  return page.evaluate((id) => {
    const element = document.querySelector<HTMLElement>(`[data-testid="leaderboard"] [data-testid="leaderboard-row"][data-user-id="${id}"]`);
    return element ? { rank: Number(element.dataset.rank), score: Number(element.dataset.score) } : null;
  }, userId);
}

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

/** Waits for the page to get there (vitest's default of 1 s is short for a loaded CI machine). */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });

async function register(page: Page, username: string): Promise<void> {
  await page.getByTestId('auth-username').fill(username);
  await page.getByTestId('auth-password').fill('password-123');
  await page.getByTestId('auth-register').click();
  await poll(() => text(page, 'current-user')).toBe(username);
}

describe.skipIf(skip)('the browser client, in Chromium', () => {
  let browser: Browser;
  let catalogPath: string;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    catalogPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'll-browser-')), 'actions.json');
    fs.writeFileSync(catalogPath, JSON.stringify(CATALOG));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (catalogPath) fs.rmSync(path.dirname(catalogPath), { recursive: true, force: true });
  });

  it('plays, shows the board change live on another page, and recovers from a server restart without a reload', { timeout: 90_000 }, async () => {
    const dataDir = temporaryDirectory();
    let server = await startServer(dataDir, catalogPath);
    let api = testClient(server.url);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    onTestFinished(() => context.close());

    const watcher = await context.newPage();
    const player = await context.newPage();
    const watcherErrors = consoleErrors(watcher);
    const playerErrors = consoleErrors(player);
    await watcher.goto(server.url);
    await player.goto(server.url);
    await poll(() => text(watcher, 'connection-status')).toBe('live');
    await poll(() => watcher.getByTestId('board-select').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['global', 'daily', 'weekly', 'monthly', 'fastest-sprint', 'best-match']);
    // A game server's action has no button: players cannot submit it.
    expect(await player.getByTestId('action-match-result').count()).toBe(0);

    // The player registers and scores; the watcher (logged out) sees the row appear.
    await register(player, 'ada');
    await expect(player.getByTestId('auth-logout').isVisible()).resolves.toBe(true);
    const ada = await api.player('ada'); // registered by the page: this logs in
    for (let i = 0; i < 3; i += 1) await player.getByTestId('action-click').click();
    await poll(() => row(watcher, ada.userId)).toEqual({ rank: 1, score: 3 });
    await poll(() => player.getByTestId('my-rank').textContent()).toMatch(/#1\b.*\b3 pts/);

    // Another player passes her: her row moves to rank 2 on both pages (with a brief animation),
    // and her own rank follows.
    await watcher.evaluate(() => {
      const moved: string[] = [];
      Object.assign(window, { moved });
      new MutationObserver((records) => {
        for (const { target } of records) {
          const element = target as HTMLElement;
          if (element.classList.contains('dropped') || element.classList.contains('climbed')) moved.push(`${element.dataset.userId}:${element.className}`);
        }
      }).observe(document.querySelector('[data-testid="leaderboard"]') as Node, { subtree: true, attributeFilter: ['class'] });
    });
    const bob = await api.player('bob');
    await clickOverApi(api, bob.token, 10);
    await poll(() => row(watcher, ada.userId)).toEqual({ rank: 2, score: 3 });
    await poll(() => row(watcher, bob.userId)).toEqual({ rank: 1, score: 10 });
    expect(await watcher.evaluate(() => (window as unknown as { moved: string[] }).moved.join(' '))).toContain(`${ada.userId}:`);
    await poll(() => player.getByTestId('my-rank').textContent()).toMatch(/#2\b/);

    // The timed quest shows its progress, completes by itself, and takes her back to the top.
    await player.getByTestId('action-quest').click();
    await poll(() => player.getByRole('progressbar', { name: 'Quest progress' }).isVisible()).toBe(true);
    await poll(() => row(watcher, ada.userId)).toEqual({ rank: 1, score: 53 });
    await poll(() => player.getByTestId('my-rank').textContent()).toMatch(/#1\b.*\b53 pts/);
    await poll(() => player.getByRole('progressbar', { name: 'Quest progress' }).isVisible()).toBe(false);

    // A cooldown shows as a countdown on its button, which refuses clicks meanwhile.
    await player.getByTestId('action-boost').click();
    await poll(() => row(watcher, ada.userId)).toEqual({ rank: 1, score: 63 });
    await poll(() => player.getByTestId('action-boost').textContent()).toMatch(/Ready in \d+s/);
    expect(await player.getByTestId('action-boost').getAttribute('aria-disabled')).toBe('true');

    // The other boards are live too.
    await player.getByTestId('board-select').selectOption('weekly');
    await poll(() => row(player, ada.userId)).toEqual({ rank: 1, score: 63 });

    // A speed run: the server measures it, and the speed-run board writes it as a time,
    // lowest first, under a "Time" column.
    await player.getByTestId('board-select').selectOption('fastest-sprint');
    await player.getByTestId('action-sprint').click();
    await poll(async () => (await row(player, ada.userId))?.rank).toBe(1);
    const run = (await row(player, ada.userId))?.score ?? 0;
    expect(run).toBeGreaterThanOrEqual(1_200);
    expect(run).toBeLessThan(60_000);
    expect(await player.locator('#value-head').textContent()).toBe('Time');
    const shown = await player.locator(`[data-testid="leaderboard-row"][data-user-id="${ada.userId}"] .cell-score`).textContent();
    expect(shown).toBe(`${(run / 1000).toFixed(3)}s`);
    await poll(() => player.locator('#board-meta').textContent()).toMatch(/lowest first/);
    await poll(() => player.getByTestId('my-rank').textContent()).toMatch(new RegExp(`#1\\b.*${(run / 1000).toFixed(3).replace('.', '\\.')}s`));

    await player.screenshot({ path: path.join(SCREENSHOTS, 'leaderboard.png') });
    await player.setViewportSize({ width: 375, height: 812 });
    await player.screenshot({ path: path.join(SCREENSHOTS, 'leaderboard-phone.png'), fullPage: true });
    await player.setViewportSize({ width: 1280, height: 900 });
    await player.getByTestId('board-select').selectOption('global');

    expect(watcherErrors).toEqual([]);
    expect(playerErrors).toEqual([]);

    // The server restarts on the same port and data: both pages notice, come back by themselves
    // (no reload: the marker set on the window survives), and keep updating.
    await watcher.evaluate(() => Object.assign(window, { sameDocument: true }));
    await server.stop();
    await poll(() => text(watcher, 'connection-status')).toMatch(/^(offline|connecting)$/);
    await poll(() => text(player, 'connection-status')).toMatch(/^(offline|connecting)$/);
    server = await startServer(dataDir, catalogPath, server.port);
    api = testClient(server.url);
    await expect.poll(() => text(watcher, 'connection-status'), { timeout: 25_000 }).toBe('live');
    await expect.poll(() => text(player, 'connection-status'), { timeout: 25_000 }).toBe('live');
    expect(await watcher.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    await player.getByTestId('action-click').click();
    await poll(() => row(watcher, ada.userId)).toEqual({ rank: 1, score: 64 });
    await clickOverApi(api, bob.token, 60);
    await poll(() => row(watcher, bob.userId)).toEqual({ rank: 1, score: 70 });
    await poll(() => row(watcher, ada.userId)).toEqual({ rank: 2, score: 64 });
    await poll(() => player.getByTestId('my-rank').textContent()).toMatch(/#2\b.*\b64 pts/);

    expect(watcherErrors.filter((line) => !SERVER_DOWN_NOISE.test(line))).toEqual([]);
    expect(playerErrors.filter((line) => !SERVER_DOWN_NOISE.test(line))).toEqual([]);
  });

  it('resumes after a short network drop with an empty delta, not the whole list again; a change is a delta', { timeout: 60_000 }, async () => {
    const server = await startServer(temporaryDirectory(), catalogPath);
    const api = testClient(server.url);
    const context = await browser.newContext();
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const frames: { socket: number; type: string; changes?: number }[] = [];
    let sockets = 0;
    page.on('websocket', (socket) => {
      const index = (sockets += 1);
      socket.on('framereceived', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; changes?: unknown[] };
        frames.push({ socket: index, type: message.type, ...(message.changes && { changes: message.changes.length }) });
      });
    });
    const cid = await api.player('cid');
    await clickOverApi(api, cid.token, 2);
    await page.goto(server.url);
    await poll(() => row(page, cid.userId)).toEqual({ rank: 1, score: 2 });
    expect(frames.filter((frame) => frame.socket === 1).map((frame) => frame.type)).toEqual(['snapshot']);

    // The network comes back after a drop: the page reconnects at once and resumes from its seq.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await poll(async () => frames.filter((frame) => frame.socket === 2)).toEqual([{ socket: 2, type: 'delta', changes: 0 }]);
    await clickOverApi(api, cid.token, 1);
    await poll(() => row(page, cid.userId)).toEqual({ rank: 1, score: 3 });
    expect(frames.filter((frame) => frame.socket === 2).map((frame) => [frame.type, frame.changes])).toEqual([
      ['delta', 0],
      ['delta', 1],
    ]);
  });

  it('shows the players around the logged-in player live, and follows the board shown', { timeout: 60_000 }, async () => {
    const server = await startServer(temporaryDirectory(), catalogPath);
    const api = testClient(server.url);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const errors = consoleErrors(page);
    // Five players at 50, 40, 30, 20, 10.
    const others = await Promise.all(['p50', 'p40', 'p30', 'p20', 'p10'].map((name) => api.player(name)));
    for (const [i, other] of others.entries()) await clickOverApi(api, other.token, 50 - i * 10);
    await page.goto(server.url);
    await register(page, 'dot');
    const dot = await api.player('dot');
    const around = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-testid="around-me"] [data-testid="around-row"]'), (row) => `${row.dataset.rank}:${row.dataset.score}`),
      );
    await poll(around).toEqual([]);
    await clickOverApi(api, dot.token, 25); // between 30 and 20: rank 4
    await poll(around).toEqual(['2:40', '3:30', '4:25', '5:20', '6:10']);
    expect(await page.locator(`[data-testid="around-row"][data-user-id="${dot.userId}"]`).getAttribute('class')).toContain('is-me');
    // Someone far below climbs past her: her rank and her neighbours change without her acting.
    await clickOverApi(api, (others[4] as (typeof others)[0]).token, 21); // 10 → 31: rank 3
    await poll(around).toEqual(['3:31', '4:30', '5:25', '6:20']);
    // Another board: the panel follows it (she is on every points board with the same score).
    await page.getByTestId('board-select').selectOption('weekly');
    await poll(around).toEqual(['3:31', '4:30', '5:25', '6:20']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'around-me.png') });
    expect(errors).toEqual([]);
  });

  /** The game page's script: the library from the game's own origin, the API on the leaderboard's. */
  const GAME_SCRIPT = `
    import { createClient, LeaderboardError } from '/lib/index.js';
    window.runGame = async (base) => {
      const client = createClient({ baseUrl: base });
      try {
        const top = await client.boards.top('global');
        // The live list over a cross-origin WebSocket (its origin check follows CORS_ORIGINS).
        const live = await new Promise((resolve) => {
          const subscription = client.live.subscribe({ board: 'global', limit: 10, onChange: (list) => (subscription.close(), resolve(list.entries.map((entry) => entry.username))) });
        });
        const me = await client.auth.login({ username: 'eve', password: 'password-123' });
        const first = await fetch(base + '/api/v1/leaderboards/global');
        const again = await fetch(base + '/api/v1/leaderboards/global', { headers: { 'if-none-match': first.headers.get('etag') ?? '' }, cache: 'no-store' });
        return { ok: true, top: top.entries.map((entry) => entry.username), live, me: me.username, revalidated: again.status };
      } catch (error) {
        return { ok: false, code: error instanceof LeaderboardError ? error.code : String(error) };
      } finally {
        client.close();
      }
    };
  `;

  it('lets a game page on an allowed origin use the client library against the API (live list, login, a board revalidated to 304); the browser refuses another origin', { timeout: 60_000 }, async () => {
    // Two pages of a "game" on other local ports, each serving its own copy of the client library
    // (as a game that installed @live-leaderboard/client would); only the first is in CORS_ORIGINS.
    const servePage = (title: string) =>
      http.createServer((request, response) => {
        if (request.url === '/game.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(GAME_SCRIPT);
        const library = /^\/lib\/([\w.-]+\.js)$/.exec(request.url ?? '');
        if (!library) {
          return void response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${title}</title><script type="module" src="/game.js"></script>`);
        }
        const file = path.join(CLIENT_LIBRARY_DIR, String(library[1]));
        if (!fs.existsSync(file)) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file));
      });
    const game = servePage('game');
    const other = servePage('other');
    for (const page of [game, other]) await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void (game.close(), other.close()));
    const origin = (page: http.Server) => `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    const server = await startServerProcess({ PORT: '0', DATA_DIR: temporaryDirectory(), ACTION_CATALOG: catalogPath, CORS_ORIGINS: origin(game) });
    onTestFinished(async () => void (await server.stop()));
    const api = testClient(server.url);
    const eve = await api.player('eve');
    await clickOverApi(api, eve.token, 2);
    const context = await browser.newContext();
    onTestFinished(() => context.close());

    const call = (page: Page) => page.evaluate((base) => (window as unknown as { runGame(base: string): Promise<unknown> }).runGame(base), server.url);
    const allowed = await context.newPage();
    await allowed.goto(origin(game));
    expect(await call(allowed)).toEqual({ ok: true, top: ['eve'], live: ['eve'], me: 'eve', revalidated: 304 });
    // The browser withholds the answer from a page on another origin: to the library, the server is unreachable.
    const refused = await context.newPage();
    await refused.goto(origin(other));
    expect(await call(refused)).toEqual({ ok: false, code: 'network' });
  });

  it('shows a human message for each refused request, and logs in and out', { timeout: 60_000 }, async () => {
    const server = await startServer(temporaryDirectory(), catalogPath);
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(server.url);
    await poll(() => text(page, 'connection-status')).toBe('live');
    await testClient(server.url).player('grace');

    await page.getByTestId('auth-username').fill('grace');
    await page.getByTestId('auth-password').fill('wrong-password');
    await page.getByTestId('auth-password').press('Enter');
    await poll(() => text(page, 'error')).toBe('Wrong username or password.');

    await page.getByTestId('auth-register').click();
    await poll(() => text(page, 'error')).toBe('That username is taken. Pick another one.');

    await page.getByTestId('auth-password').fill('short');
    await page.getByTestId('auth-login').click();
    await poll(() => text(page, 'error')).toMatch(/passwords 8–128 characters/);

    await page.getByTestId('auth-password').fill('password-123');
    await page.getByTestId('auth-login').click();
    await poll(() => text(page, 'current-user')).toBe('grace');
    expect(await text(page, 'error')).toBe('');
    expect(await page.getByTestId('my-rank').textContent()).toMatch(/Not ranked yet/);

    // The daily cap: the second bonus is refused on the button itself.
    await page.getByTestId('action-daily-bonus').click();
    await poll(() => page.getByTestId('my-rank').textContent()).toMatch(/#1\b.*\b100 pts/);
    await poll(() => page.getByTestId('action-daily-bonus').textContent()).toMatch(/Back in \d+[hm] /);

    // A reload keeps the session (refresh token in sessionStorage); logging out ends it.
    await page.reload();
    await poll(() => text(page, 'current-user')).toBe('grace');
    // …and reads the returning player's standing afresh.
    await poll(() => page.getByTestId('my-rank').textContent()).toMatch(/#1\b.*\b100 pts/);
    await page.getByTestId('auth-logout').click();
    await poll(() => page.getByTestId('auth-login').isVisible()).toBe(true);
    expect(await text(page, 'current-user')).toBe('');
    await page.reload();
    await poll(() => text(page, 'connection-status')).toBe('live');
    expect(await page.getByTestId('auth-login').isVisible()).toBe(true);

    // Chromium logs every refused fetch itself, and the page's scripts log nothing: the lines are
    // the two refusals above. An unranked player's rank is read from /api/v1/me/ranks, which
    // answers an empty list, not the 404 of …/{board}/me.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
