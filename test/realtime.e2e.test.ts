import { once } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeOptions } from '../src/realtime/realtime-hub.js';
import { startServer, type RunningServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';
import { cheapHasher, temporaryDirectory, testClient } from './helpers.js';
import type { TestClient } from './support/test-client.js';

async function start(realtime: RealtimeOptions = {}, env: Record<string, string> = {}, now?: () => number): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', DATA_DIR: temporaryDirectory(), RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0', ...env });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), passwordHasher: cheapHasher(), realtime, now });
  onTestFinished(() => server.stop());
  return server;
}

/** A click as `token`, answered 201. */
async function click(api: TestClient, token: string): Promise<void> {
  expect((await api.act(token)).status).toBe(201);
}

describe('GET /ws', () => {
  it('answers subscribe with a snapshot of the current top, then pushes updates', async () => {
    const server = await start();
    const api = testClient(server.url);
    const ann = await api.player('ann');
    await click(api, ann.token);
    const client = await api.socket().open();
    client.send({ op: 'subscribe', board: 'global', limit: 5 });
    const snapshot = await client.next('snapshot');
    expect(snapshot).toMatchObject({ board: 'global', entries: [{ rank: 1, userId: ann.userId, username: 'ann', score: 1 }] });

    await click(api, ann.token);
    const update = await client.next('update');
    expect(update.seq).toBeGreaterThan(snapshot.seq);
    expect(update.entries).toEqual([{ rank: 1, userId: ann.userId, username: 'ann', score: 2 }]);
  });

  it('coalesces many changes inside one window: at most one update per window, the last carrying the latest state', async () => {
    const server = await start({ windowMs: 400 });
    const api = testClient(server.url);
    const ann = await api.player('ann');
    const client = await api.socket().open();
    client.send({ op: 'subscribe', board: 'global', limit: 10 });
    await client.next('snapshot');
    const started = performance.now();
    await Promise.all(Array.from({ length: 15 }, () => click(api, ann.token)));
    // The first change after a quiet spell goes out at once; the other 14 wait for the
    // window to pass and arrive together.
    const updates = [await client.next('update')];
    while (updates.at(-1)?.entries[0]?.score !== 15) updates.push(await client.next('update'));
    expect(updates.length).toBeLessThanOrEqual(2);
    if (updates.length === 2) expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.count('update')).toBe(0);
  });

  it('sends an authenticated connection its own rank on subscribed boards', async () => {
    const server = await start();
    const api = testClient(server.url);
    const ann = await api.player('ann');
    const client = await api.socket().open();
    client.send({ op: 'auth', token: ann.token });
    expect(await client.next('authenticated')).toEqual({ type: 'authenticated', userId: ann.userId });
    client.send({ op: 'subscribe', board: 'daily' });
    await client.next('snapshot');
    await click(api, ann.token);
    expect(await client.next('rank')).toEqual({ type: 'rank', board: 'daily', rank: 1, score: 1 });
  });

  it('answers ping with pong, and bad frames with errors while staying open', async () => {
    const server = await start();
    const api = testClient(server.url);
    const client = await api.socket().open();
    client.send({ op: 'ping' });
    expect(await client.next('pong')).toEqual({ type: 'pong' });
    for (const bad of ['not json', '[]', { op: 'dance' }, { op: 'subscribe' }, { op: 'subscribe', board: 'global', limit: 101 }, { op: 'auth', token: 'nope' }]) {
      client.send(bad);
      expect((await client.next('error')).code).toMatch(/invalid_request|unauthorized/);
    }
    client.send({ op: 'subscribe', board: 'yearly' });
    expect(await client.next('error')).toMatchObject({ code: 'not_found' });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('holds at most 10 subscriptions per connection', async () => {
    const server = await start({}, { BOARD_CONFIG: '' });
    const api = testClient(server.url);
    const client = await api.socket().open();
    for (const board of ['global', 'daily', 'weekly']) client.send({ op: 'subscribe', board });
    for (let i = 0; i < 3; i += 1) await client.next('snapshot');
    const limited = await start({ maxSubscriptions: 2 });
    const second = await testClient(limited.url).socket().open();
    second.send({ op: 'subscribe', board: 'global' });
    second.send({ op: 'subscribe', board: 'daily' });
    second.send({ op: 'subscribe', board: 'weekly' });
    expect(await second.next('error')).toMatchObject({ code: 'invalid_request' });
  });

  it('closes with 1008 after more than 20 bad frames in a minute', async () => {
    const server = await start();
    const api = testClient(server.url);
    const client = await api.socket().open();
    const closed = once(client.socket, 'close');
    for (let i = 0; i < 21; i += 1) client.send('garbage');
    const [code] = (await closed) as [number];
    expect(code).toBe(1008);
  });

  it('closes with 1009 on a frame over 4 KiB', async () => {
    const server = await start();
    const api = testClient(server.url);
    const client = await api.socket().open();
    const closed = once(client.socket, 'close');
    client.send({ op: 'auth', token: 'x'.repeat(5000) });
    const [code] = (await closed) as [number];
    expect(code).toBe(1009);
  });

  it('terminates a connection that does not answer heartbeats', async () => {
    const server = await start({ pingIntervalMs: 100 });
    const api = testClient(server.url);
    const silent = await api.socket({ autoPong: false }).open();
    const [code] = (await once(silent.socket, 'close')) as [number];
    expect(code).toBe(1006);
  });

  it('closes every socket with 1001 on shutdown', async () => {
    const server = await start();
    const api = testClient(server.url);
    const client = await api.socket().open();
    const closed = once(client.socket, 'close');
    await server.stop();
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
  });
});

describe('WS_ALLOWED_ORIGINS', () => {
  it('refuses an upgrade from another origin and accepts a listed one', async () => {
    const server = await start({}, { WS_ALLOWED_ORIGINS: 'https://game.example' });
    const api = testClient(server.url);
    const stranger = api.socket({ origin: 'https://evil.example' });
    const [error] = (await once(stranger.socket, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
    const friend = await api.socket({ origin: 'https://game.example' }).open();
    friend.send({ op: 'ping' });
    expect(await friend.next('pong')).toEqual({ type: 'pong' });
  });
});

describe('CORS_ORIGINS and the socket', () => {
  it('lets the pages allowed to call the API open the socket (and the server\'s own), and no other', async () => {
    const server = await start({}, { CORS_ORIGINS: 'https://game.example' });
    const api = testClient(server.url);
    const stranger = api.socket({ origin: 'https://evil.example' });
    const [error] = (await once(stranger.socket, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
    for (const origin of ['https://game.example', new URL(server.url).origin]) {
      const friend = await api.socket({ origin }).open();
      friend.send({ op: 'ping' });
      expect(await friend.next('pong')).toEqual({ type: 'pong' });
    }
  });
});

describe('a period reset', () => {
  it('turns the daily board over at 00:00 UTC for watchers and new subscribers alike, with nobody scoring', { timeout: 20_000 }, async () => {
    // A clock that runs in real time, starting 3 s before a Friday's midnight (UTC): the
    // server's own timer has to notice the reset.
    const offset = Date.UTC(2026, 10, 27, 23, 59, 57) - Date.now();
    const server = await start({}, {}, () => Date.now() + offset);
    const api = testClient(server.url);
    const ann = await api.player('ann');
    await click(api, ann.token);
    const watcher = await api.socket().open();
    watcher.send({ op: 'subscribe', board: 'daily', limit: 10 });
    watcher.send({ op: 'subscribe', board: 'global', limit: 10 });
    const daily = await watcher.next('snapshot');
    expect(daily).toMatchObject({ board: 'daily', entries: [{ userId: ann.userId, score: 1 }] });
    await watcher.next('snapshot');

    const reset = await watcher.next('update', 8_000);
    expect(reset).toMatchObject({ board: 'daily', entries: [] });
    expect(reset.seq).toBeGreaterThan(daily.seq);
    expect(Date.now() + offset).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 28));

    // Everyone agrees: the board's page, a new subscriber's snapshot; the all-time board did not move.
    const page = await api.board('daily');
    expect(page.total).toBe(0);
    const late = await api.socket().open();
    late.send({ op: 'subscribe', board: 'daily', limit: 10 });
    expect(await late.next('snapshot')).toMatchObject({ board: 'daily', seq: reset.seq, entries: [] });
    expect(watcher.count('update')).toBe(0);
  });
});
