import { once } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeOptions } from '../src/realtime/realtime-hub.js';
import type { ServerMessage } from '../src/realtime/protocol.js';
import { startServer, type RunningServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';
import { cheapHasher, temporaryDirectory } from './helpers.js';

async function start(realtime: RealtimeOptions = {}, env: Record<string, string> = {}, now?: () => number): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', DATA_DIR: temporaryDirectory(), RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0', ...env });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), passwordHasher: cheapHasher(), realtime, now });
  onTestFinished(() => server.stop());
  return server;
}

/** A WebSocket client that queues what it receives, so a test can await the next message of a type. */
class Client {
  readonly socket: WebSocket;
  private readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, options);
    this.socket.on('message', (data) => {
      this.inbox.push(JSON.parse((data as Buffer).toString()) as ServerMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    onTestFinished(() => this.socket.terminate());
  }

  async open(): Promise<this> {
    if (this.socket.readyState !== WebSocket.OPEN) await once(this.socket, 'open');
    return this;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next received message of `type` (earlier ones of other types are skipped). */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 5_000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
  }

  count(type: ServerMessage['type']): number {
    return this.inbox.filter((message) => message.type === type).length;
  }
}

async function player(url: string, username: string): Promise<{ token: string; userId: string }> {
  const body = JSON.stringify({ username, password: 'password-123' });
  const headers = { 'content-type': 'application/json' };
  await fetch(`${url}/api/v1/auth/register`, { method: 'POST', headers, body });
  const { accessToken } = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers, body })).json()) as { accessToken: string };
  const me = (await (await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { id: string };
  return { token: accessToken, userId: me.id };
}

let keys = 0;
async function click(url: string, token: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ type: 'click', idempotencyKey: `ws-key-${++keys}-${Date.now()}` }),
  });
  expect(response.status).toBe(201);
}

describe('GET /ws', () => {
  it('answers subscribe with a snapshot of the current top, then pushes updates', async () => {
    const server = await start();
    const ann = await player(server.url, 'ann');
    await click(server.url, ann.token);
    const client = await new Client(server.url).open();
    client.send({ op: 'subscribe', board: 'global', limit: 5 });
    const snapshot = await client.next('snapshot');
    expect(snapshot).toMatchObject({ board: 'global', entries: [{ rank: 1, userId: ann.userId, username: 'ann', score: 1 }] });

    await click(server.url, ann.token);
    const update = await client.next('update');
    expect(update.seq).toBeGreaterThan(snapshot.seq);
    expect(update.entries).toEqual([{ rank: 1, userId: ann.userId, username: 'ann', score: 2 }]);
  });

  it('coalesces many changes inside one window: at most one update per window, the last carrying the latest state', async () => {
    const server = await start({ windowMs: 400 });
    const ann = await player(server.url, 'ann');
    const client = await new Client(server.url).open();
    client.send({ op: 'subscribe', board: 'global', limit: 10 });
    await client.next('snapshot');
    const started = performance.now();
    await Promise.all(Array.from({ length: 15 }, () => click(server.url, ann.token)));
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
    const ann = await player(server.url, 'ann');
    const client = await new Client(server.url).open();
    client.send({ op: 'auth', token: ann.token });
    expect(await client.next('authenticated')).toEqual({ type: 'authenticated', userId: ann.userId });
    client.send({ op: 'subscribe', board: 'daily' });
    await client.next('snapshot');
    await click(server.url, ann.token);
    expect(await client.next('rank')).toEqual({ type: 'rank', board: 'daily', rank: 1, score: 1 });
  });

  it('answers ping with pong, and bad frames with errors while staying open', async () => {
    const server = await start();
    const client = await new Client(server.url).open();
    client.send({ op: 'ping' });
    expect(await client.next('pong')).toEqual({ type: 'pong' });
    for (const bad of ['not json', '[]', { op: 'dance' }, { op: 'subscribe' }, { op: 'subscribe', board: 'global', limit: 101 }, { op: 'auth', token: 'nope' }]) {
      client.send(bad);
      expect((await client.next('error')).code).toMatch(/invalid_request|unauthorized/);
    }
    client.send({ op: 'subscribe', board: 'monthly' });
    expect(await client.next('error')).toMatchObject({ code: 'not_found' });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('holds at most 10 subscriptions per connection', async () => {
    const server = await start({}, { BOARD_CONFIG: '' });
    const client = await new Client(server.url).open();
    for (const board of ['global', 'daily', 'weekly']) client.send({ op: 'subscribe', board });
    for (let i = 0; i < 3; i += 1) await client.next('snapshot');
    const limited = await start({ maxSubscriptions: 2 });
    const second = await new Client(limited.url).open();
    second.send({ op: 'subscribe', board: 'global' });
    second.send({ op: 'subscribe', board: 'daily' });
    second.send({ op: 'subscribe', board: 'weekly' });
    expect(await second.next('error')).toMatchObject({ code: 'invalid_request' });
  });

  it('closes with 1008 after more than 20 bad frames in a minute', async () => {
    const server = await start();
    const client = await new Client(server.url).open();
    const closed = once(client.socket, 'close');
    for (let i = 0; i < 21; i += 1) client.send('garbage');
    const [code] = (await closed) as [number];
    expect(code).toBe(1008);
  });

  it('closes with 1009 on a frame over 4 KiB', async () => {
    const server = await start();
    const client = await new Client(server.url).open();
    const closed = once(client.socket, 'close');
    client.send({ op: 'auth', token: 'x'.repeat(5000) });
    const [code] = (await closed) as [number];
    expect(code).toBe(1009);
  });

  it('terminates a connection that does not answer heartbeats', async () => {
    const server = await start({ pingIntervalMs: 100 });
    const silent = await new Client(server.url, { autoPong: false }).open();
    const [code] = (await once(silent.socket, 'close')) as [number];
    expect(code).toBe(1006);
  });

  it('closes every socket with 1001 on shutdown', async () => {
    const server = await start();
    const client = await new Client(server.url).open();
    const closed = once(client.socket, 'close');
    await server.stop();
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
  });
});

describe('WS_ALLOWED_ORIGINS', () => {
  it('refuses an upgrade from another origin and accepts a listed one', async () => {
    const server = await start({}, { WS_ALLOWED_ORIGINS: 'https://game.example' });
    const stranger = new Client(server.url, { origin: 'https://evil.example' });
    const [error] = (await once(stranger.socket, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
    const friend = await new Client(server.url, { origin: 'https://game.example' }).open();
    friend.send({ op: 'ping' });
    expect(await friend.next('pong')).toEqual({ type: 'pong' });
  });
});

describe('a period reset', () => {
  it('turns the daily board over at 00:00 UTC for watchers and new subscribers alike, with nobody scoring', { timeout: 20_000 }, async () => {
    // A clock that runs in real time, starting 3 s before a Friday's midnight (UTC): the
    // server's own timer has to notice the reset.
    const offset = Date.UTC(2026, 10, 27, 23, 59, 57) - Date.now();
    const server = await start({}, {}, () => Date.now() + offset);
    const ann = await player(server.url, 'ann');
    await click(server.url, ann.token);
    const watcher = await new Client(server.url).open();
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
    const page = (await (await fetch(`${server.url}/api/v1/leaderboards/daily`)).json()) as { total: number; seq: number };
    expect(page.total).toBe(0);
    const late = await new Client(server.url).open();
    late.send({ op: 'subscribe', board: 'daily', limit: 10 });
    expect(await late.next('snapshot')).toMatchObject({ board: 'daily', seq: reset.seq, entries: [] });
    expect(watcher.count('update')).toBe(0);
  });
});
