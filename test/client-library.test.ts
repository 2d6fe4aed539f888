import type { Duplex } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import {
  createClient,
  createServerClient,
  isHeld,
  LeaderboardError,
  type AroundWindow,
  type ClientMessage,
  type ClientOptions,
  type ConnectionStatus,
  type LeaderboardClient,
  type ServerMessage,
  type TopList,
} from '../packages/client/src/index.js';
import { embeddedApp, temporaryDirectory, type EmbeddedAppOptions } from './helpers.js';
import { eventually, startServerProcess } from './process.js';
import { PASSWORD } from './support/test-client.js';

/**
 * The client library (packages/client) against a real server over real sockets: an embedded
 * app listening on a random port, or the server in a process of its own where it restarts.
 */

/** An embedded app with realtime, listening on 127.0.0.1, that can drop every WebSocket from its side. */
async function listeningApp(options: EmbeddedAppOptions = {}) {
  const app = await embeddedApp({ ...options, realtime: { windowMs: 5 } });
  const upgraded = new Set<Duplex>();
  app.app.server.on('upgrade', (_request, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  const url = await app.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...app,
    url,
    /** Cuts every WebSocket's TCP connection on the server's side, as a crashed proxy or a lost network would. */
    dropSockets: () => {
      for (const socket of upgraded) socket.destroy();
    },
  };
}

/** A client of `url`, closed when the test ends. */
function clientOf(url: string, options: Omit<ClientOptions, 'baseUrl'> = {}): LeaderboardClient {
  const client = createClient({ baseUrl: url, WebSocket, ...options });
  onTestFinished(() => client.close());
  return client;
}

/** A registered, logged-in player's client. */
async function playerOf(url: string, username: string, options: Omit<ClientOptions, 'baseUrl'> = {}) {
  const client = clientOf(url, options);
  const me = await client.auth.register({ username, password: PASSWORD });
  return { client, me };
}

/** The global `fetch`, counting the requests it sends (`POST /api/v1/auth/refresh`) and the statuses it gets. */
function countingFetch() {
  const exchanges: { request: string; status: number }[] = [];
  return {
    fetch: async (input: string, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      exchanges.push({ request: `${init?.method ?? 'GET'} ${new URL(input).pathname}`, status: response.status });
      return response;
    },
    /** The statuses `request` was answered with, in order. */
    statuses: (request: string) => exchanges.filter((exchange) => exchange.request === request).map((exchange) => exchange.status),
    exchanges,
  };
}

/** `ws`'s WebSocket, recording every frame each socket sent and received (the library sees the same ones). */
function recordingWebSocket() {
  const received: ServerMessage[] = [];
  const sent: ClientMessage[] = [];
  const sockets: WebSocket[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      // A text frame, as one Buffer (ws's default binaryType joins fragments).
      this.on('message', (data: Buffer) => received.push(JSON.parse(data.toString('utf8')) as ServerMessage));
      const send = this.send.bind(this);
      this.send = ((data: string) => {
        sent.push(JSON.parse(data) as ClientMessage);
        send(data);
      }) as typeof this.send;
    }
  }
  return { WebSocket: RecordingWebSocket, received, sent, sockets };
}

/** The error `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<LeaderboardError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LeaderboardError);
  return error as LeaderboardError;
}

/** A board's top `limit` as `GET /api/v1/leaderboards/{board}` has it, in the shape of a live list. */
async function topOf(client: LeaderboardClient, board: string, limit: number): Promise<TopList> {
  const page = await client.boards.top(board, { limit });
  return { board, seq: page.seq, entries: page.entries };
}

describe('the client library over HTTP', () => {
  it('registers, logs in, performs instant and timed actions and reads every kind of board page', async () => {
    let offsetMs = 0;
    const server = await listeningApp({ now: () => Date.now() + offsetMs });
    const { client: ada, me } = await playerOf(server.url, 'ada');
    expect(me).toMatchObject({ username: 'ada', roles: [] });
    expect(ada.auth.user).toEqual(me);

    const receipt = await ada.actions.submit('click', { idempotencyKey: 'ada-click-0001' });
    expect(receipt.action).toMatchObject({ type: 'click', points: 1 });
    expect(receipt.totals).toMatchObject({ global: 1, daily: 1, weekly: 1 });
    // The same key again: the original receipt, counted once.
    expect((await ada.actions.submit('click', { idempotencyKey: 'ada-click-0001' })).action.id).toBe(receipt.action.id);

    const quest = (await ada.actions.list()).find((action) => action.type === 'quest');
    expect(quest).toMatchObject({ mode: 'timed', points: 50 });
    const ticket = await ada.actions.start('quest');
    expect(ticket.type).toBe('quest');
    expect(await failure(ada.actions.complete(ticket))).toMatchObject({ code: 'too_fast', status: 422 });
    // The server's clock moves past the minimum duration (a rejected completion keeps the ticket).
    offsetMs += (quest?.minDurationMs ?? 0) + 100;
    expect((await ada.actions.complete(ticket)).totals).toMatchObject({ global: 51 });

    const { client: bob, me: bobMe } = await playerOf(server.url, 'bob');
    await bob.actions.submit('click');
    // Logging in again (a second device) gives the same player.
    const adaAgain = clientOf(server.url);
    expect(await adaAgain.auth.login({ username: 'ada', password: PASSWORD })).toEqual(me);
    await server.settled();

    expect((await ada.boards.list()).map((board) => board.id)).toEqual(expect.arrayContaining(['global', 'daily', 'weekly', 'best-match']));
    expect(await ada.boards.top('global')).toMatchObject({
      board: 'global',
      total: 2,
      entries: [
        { rank: 1, userId: me.id, username: 'ada', score: 51 },
        { rank: 2, userId: bobMe.id, username: 'bob', score: 1 },
      ],
    });
    expect((await ada.boards.top('global', { limit: 1, offset: 1 })).entries.map((entry) => entry.username)).toEqual(['bob']);
    expect(await bob.boards.me('global', { radius: 1 })).toMatchObject({ me: { rank: 2, userId: bobMe.id, score: 1 }, entries: [{ username: 'ada' }, { username: 'bob' }] });
    expect(await adaAgain.boards.user('global', bobMe.id)).toMatchObject({ rank: 2, score: 1, total: 2 });
    expect((await ada.boards.users('global', [bobMe.id, me.id, 'no-such-user'])).entries.map((entry) => entry.username)).toEqual(['ada', 'bob']);
    expect(await bob.boards.myRanks()).toEqual(expect.arrayContaining([{ board: 'global', rank: 2, score: 1 }]));

    await ada.auth.logout();
    expect(ada.auth.user).toBeUndefined();
    expect(await failure(ada.actions.submit('click'))).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('turns a problem+json answer into a LeaderboardError with its code and status, and sends a 4xx only once', async () => {
    const server = await listeningApp();
    const counter = countingFetch();
    const { client } = await playerOf(server.url, 'ada', { fetch: counter.fetch });

    expect(await failure(clientOf(server.url, { fetch: counter.fetch }).auth.login({ username: 'ada', password: 'not-the-password' }))).toMatchObject({
      code: 'unauthorized',
      status: 401,
    });
    expect(await failure(client.auth.register({ username: 'ADA', password: PASSWORD }))).toMatchObject({ code: 'conflict', status: 409 });
    expect(await failure(client.boards.top('no-such-board'))).toMatchObject({ code: 'not_found', status: 404 });
    expect(await failure(client.boards.me('global'))).toMatchObject({ code: 'not_found', status: 404 });
    // An action carries an idempotency key, so it may be retried: but not after a 4xx.
    expect(await failure(client.actions.submit('no-such-action'))).toMatchObject({ code: 'unknown_action', status: 422 });
    expect(await failure(client.actions.start('click'))).toMatchObject({ code: 'invalid_request', status: 400 });

    expect(counter.statuses('POST /api/v1/auth/login')).toEqual([200, 401]);
    expect(counter.statuses('POST /api/v1/auth/register')).toEqual([201, 409]);
    expect(counter.statuses('GET /api/v1/leaderboards/no-such-board')).toEqual([404]);
    expect(counter.statuses('GET /api/v1/leaderboards/global/me')).toEqual([404]);
    expect(counter.statuses('POST /api/v1/actions')).toEqual([422]);
    expect(counter.statuses('POST /api/v1/actions/click/start')).toEqual([400]);
  });

  it('refreshes an expired access token once for concurrent calls, then sends each call again', async () => {
    let offsetMs = 0;
    const server = await listeningApp({ now: () => Date.now() + offsetMs });
    const counter = countingFetch();
    const { client, me } = await playerOf(server.url, 'ada', { fetch: counter.fetch });
    await client.actions.submit('click');
    await server.settled();
    const changes: string[] = [];
    client.auth.onChange((user, change) => changes.push(`${change}:${user?.username}`));
    const expired = client.auth.accessToken;

    // Past the token's 15 minutes as far as the server can tell; the client's own refresh timer is minutes away.
    offsetMs += 16 * 60_000;
    const [standing, ranks, receipt] = await Promise.all([client.boards.me('global'), client.boards.myRanks(), client.actions.submit('click')]);

    // The reads may see the concurrent click or not: the rank is 1 either way.
    expect(standing.me).toMatchObject({ userId: me.id, rank: 1 });
    expect(ranks).toEqual(expect.arrayContaining([expect.objectContaining({ board: 'global', rank: 1 })]));
    expect(receipt.totals).toMatchObject({ global: 2 });
    expect(counter.statuses('POST /api/v1/auth/refresh')).toEqual([200]);
    expect(counter.statuses('GET /api/v1/leaderboards/global/me')).toEqual([401, 200]);
    expect(counter.statuses('GET /api/v1/me/ranks')).toEqual([401, 200]);
    expect(counter.statuses('POST /api/v1/actions')).toEqual([201, 401, 201]);
    expect(client.auth.accessToken).not.toBe(expired);
    expect(changes).toEqual(['refresh:ada']);
  });

  it('does not refresh again for a call whose token_expired arrives after another call already refreshed', async () => {
    let offsetMs = 0;
    const server = await listeningApp({ now: () => Date.now() + offsetMs });
    const counter = countingFetch();
    let release: () => void = () => undefined;
    const refreshed = new Promise<void>((resolve) => (release = resolve));
    const { client } = await playerOf(server.url, 'ada', {
      // The 401 to GET /api/v1/me/ranks reaches the library only once the other call's refresh is over.
      fetch: async (input, init) => {
        const response = await counter.fetch(input, init);
        if (response.status === 401 && new URL(input).pathname === '/api/v1/me/ranks') await refreshed;
        return response;
      },
    });
    client.auth.onChange((_user, change) => {
      if (change === 'refresh') setImmediate(release);
    });
    await client.actions.submit('click');
    await server.settled();

    offsetMs += 16 * 60_000;
    const [standing, ranks] = await Promise.all([client.boards.me('global'), client.boards.myRanks()]);
    expect(standing.me).toMatchObject({ score: 1 });
    expect(ranks).toEqual(expect.arrayContaining([{ board: 'global', rank: 1, score: 1 }]));
    expect(counter.statuses('POST /api/v1/auth/refresh')).toEqual([200]);
    expect(counter.statuses('GET /api/v1/me/ranks')).toEqual([401, 200]);
  });

  it('waits out a 429 with a short Retry-After and sends again; a long one is the caller’s', async () => {
    const server = await listeningApp({ rateLimitUser: { perSec: 1, burst: 1 } });
    const counter = countingFetch();
    const { client } = await playerOf(server.url, 'ada', { fetch: counter.fetch });
    await client.actions.submit('click');
    // The bucket is empty: the server answers 429 rate_limited with Retry-After: 1, then accepts.
    expect((await client.actions.submit('click')).totals).toMatchObject({ global: 2 });
    expect(counter.statuses('POST /api/v1/actions')).toEqual([201, 429, 201]);

    // A 429 with Retry-After: 0 is sent again at once; one of an hour is not waited out.
    const answers = [
      () => new Response(JSON.stringify({ status: 429, code: 'rate_limited', detail: 'Slow down.' }), { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '0' } }),
      () => new Response(JSON.stringify({ user: { id: 'u1', username: 'cat' } }), { status: 201 }),
      () => new Response(JSON.stringify({ status: 429, code: 'daily_cap', detail: 'Tomorrow.' }), { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '3600' } }),
    ];
    let sent = 0;
    const fake = clientOf('http://127.0.0.1:9', {
      fetch: async () => {
        const answer = answers[sent++];
        if (!answer) throw new Error('no more answers');
        return answer();
      },
    });
    // register: 429, then 201; the login that follows: the hour-long 429.
    const error = await failure(fake.auth.register({ username: 'cat', password: PASSWORD }));
    expect(error).toMatchObject({ code: 'daily_cap', status: 429, retryAfterSeconds: 3600 });
    expect(sent).toBe(3);
  });
});

describe('the client library’s live lists', () => {
  it('keeps a top-N list equal to the board’s page as several players act, and a player’s window equal to …/me', async () => {
    const server = await listeningApp();
    const recorder = recordingWebSocket();
    const watcher = clientOf(server.url, { WebSocket: recorder.WebSocket });
    const statuses: ConnectionStatus[] = [];
    watcher.live.onStatus((status) => statuses.push(status));
    let top: TopList | undefined;
    watcher.live.subscribe({ board: 'global', limit: 3, onChange: (list) => (top = list) });
    await eventually(() => expect(top).toEqual({ board: 'global', seq: expect.any(Number) as number, entries: [] }));
    expect(statuses).toEqual(['connecting', 'live']);

    const players = await Promise.all(['ann', 'bob', 'cid', 'dee'].map((name) => playerOf(server.url, name)));
    const [ann, bob, cid, dee] = players.map((player) => player.client) as [LeaderboardClient, LeaderboardClient, LeaderboardClient, LeaderboardClient];
    let window: AroundWindow | undefined;
    cid.live.subscribe({ board: 'global', around: 'me', radius: 1, onChange: (next) => (window = next) });
    await eventually(() => expect(window).toMatchObject({ board: 'global', me: null, entries: [] }));

    for (const [player, clicks] of [[ann, 2], [bob, 5], [cid, 3], [dee, 1], [ann, 4], [dee, 1]] as const) {
      for (let i = 0; i < clicks; i += 1) await player.actions.submit('click');
    }
    await server.settled();
    const expected = await topOf(watcher, 'global', 3);
    expect(expected.entries.map((entry) => `${entry.username}:${entry.score}`)).toEqual(['ann:6', 'bob:5', 'cid:3']);
    await eventually(() => expect(top).toEqual(expected));
    // The changes came as deltas, the list's first state as a snapshot.
    expect(recorder.received.filter((message) => message.type === 'snapshot')).toHaveLength(1);
    expect(recorder.received.some((message) => message.type === 'delta')).toBe(true);

    const { me: mine, entries } = await cid.boards.me('global', { radius: 1 });
    // The window's own entry is a plain Entry; …/me adds total and topPercent to it.
    const me = { rank: mine.rank, userId: mine.userId, username: mine.username, score: mine.score };
    await eventually(() => expect(window).toEqual({ board: 'global', seq: expect.any(Number) as number, me, entries }));
    expect(window?.entries.map((entry) => entry.username)).toEqual(['bob', 'cid', 'dee']);

    // dee climbs past cid: both lists follow.
    for (let i = 0; i < 3; i += 1) await dee.actions.submit('click');
    await server.settled();
    const after = await topOf(watcher, 'global', 3);
    expect(after.entries.map((entry) => entry.username)).toEqual(['ann', 'bob', 'dee']);
    await eventually(() => expect(top).toEqual(after));
    await eventually(() => expect(window?.entries.map((entry) => `${entry.rank}:${entry.username}`)).toEqual(['3:dee', '4:cid']));
  });

  it('after the server drops the socket, reconnects and resumes with since: an unchanged list costs an empty delta, not a snapshot', async () => {
    const server = await listeningApp();
    const { client: ann } = await playerOf(server.url, 'ann');
    await ann.actions.submit('click');
    await server.settled();
    const recorder = recordingWebSocket();
    const watcher = clientOf(server.url, { WebSocket: recorder.WebSocket });
    let top: TopList | undefined;
    watcher.live.subscribe({ board: 'global', limit: 5, onChange: (list) => (top = list) });
    const before = await topOf(watcher, 'global', 5);
    await eventually(() => expect(top).toEqual(before));
    const statuses: ConnectionStatus[] = [];
    watcher.live.onStatus((status) => statuses.push(status));
    const receivedBefore = recorder.received.length;
    const sentBefore = recorder.sent.length;

    server.dropSockets();
    await eventually(() => expect(recorder.sockets).toHaveLength(2));
    await eventually(() => expect(recorder.received.length).toBeGreaterThan(receivedBefore));
    expect(statuses).toEqual(['offline', 'connecting', 'live']);
    expect(recorder.sent.slice(sentBefore)).toContainEqual({ op: 'subscribe', board: 'global', limit: 5, delta: true, since: before.seq });
    expect(recorder.received.slice(receivedBefore)).toEqual([{ type: 'delta', board: 'global', seq: before.seq, from: before.seq, size: 1, changes: [] }]);
    expect(top).toEqual(before);

    // The resumed subscription carries on.
    await ann.actions.submit('click');
    await server.settled();
    const after = await topOf(watcher, 'global', 5);
    expect(after.entries).toMatchObject([{ username: 'ann', score: 2 }]);
    await eventually(() => expect(top).toEqual(after));
    expect(recorder.received.filter((message) => message.type === 'snapshot')).toHaveLength(1);
  });

  it('comes back live by itself after the server process restarts, and the list is current after the next action', { timeout: 90_000 }, async () => {
    const env = { DATA_DIR: temporaryDirectory(), LOG_LEVEL: 'info' };
    const first = await startServerProcess({ ...env, PORT: '0' });
    const url = first.url;
    const { client: ann, me } = await playerOf(url, 'ann');
    await ann.actions.submit('click');
    const watcher = clientOf(url);
    let top: TopList | undefined;
    watcher.live.subscribe({ board: 'global', limit: 10, onChange: (list) => (top = list) });
    await eventually(() => expect(top?.entries).toEqual([{ rank: 1, userId: me.id, username: 'ann', score: 1 }]));
    const statuses: ConnectionStatus[] = [];
    watcher.live.onStatus((status) => statuses.push(status));

    await first.stop();
    await eventually(() => expect(statuses[0]).toBe('offline'));
    await startServerProcess({ ...env, PORT: String(first.port) });
    await eventually(() => expect(watcher.live.status).toBe('live'), 30_000);

    // The player's session outlived the restart (the signing keys are in DATA_DIR).
    expect((await ann.actions.submit('click')).totals).toMatchObject({ global: 2 });
    await eventually(async () => {
      const page = await topOf(watcher, 'global', 10);
      expect(page.entries).toEqual([{ rank: 1, userId: me.id, username: 'ann', score: 2 }]);
      expect(top).toEqual(page);
    }, 15_000);
  });
});

describe('the server client', () => {
  it('submits with a credential the admin API created: counted (201) on its board, or held for review (202)', async () => {
    const server = await listeningApp({ adminUsers: ['root'] });
    const { client: admin } = await playerOf(server.url, 'root');
    const credential = await admin.admin.createCredential('match-server');
    expect(credential).toMatchObject({ name: 'match-server', secret: expect.stringMatching(/^llb_sk_/) as string });
    const { client: pat, me } = await playerOf(server.url, 'pat');
    const game = createServerClient({ baseUrl: server.url, secret: credential.secret });

    const counted = await game.submit({ userId: me.id, type: 'match-result', idempotencyKey: 'match-1-pat', values: { 'match-score': 1200 } });
    expect(isHeld(counted)).toBe(false);
    expect(counted.totals).toEqual({ 'best-match': 1200 });
    await server.settled();
    expect(await pat.boards.user('best-match', me.id)).toMatchObject({ rank: 1, score: 1200 });

    // Above the type's review threshold: in the ledger, on no board, in the review queue.
    const held = await game.submit({ userId: me.id, type: 'match-result', values: { 'match-score': 60_000 } });
    expect(isHeld(held)).toBe(true);
    expect(held.action).toMatchObject({ type: 'match-result', status: 'held', values: { 'match-score': 60_000 } });
    await server.settled();
    expect(await pat.boards.user('best-match', me.id)).toMatchObject({ score: 1200 });
    expect((await admin.admin.heldActions()).held.map((entry) => entry.action.id)).toEqual([held.action.id]);

    expect(await failure(game.submit({ userId: me.id, type: 'match-result', values: { 'match-score': 200_000 } }))).toMatchObject({ code: 'implausible_value', status: 422 });
    const impostor = createServerClient({ baseUrl: server.url, secret: 'llb_sk_not-a-real-secret-at-all-000000000000' });
    expect(await failure(impostor.submit({ userId: me.id, type: 'match-result', values: { 'match-score': 1 } }))).toMatchObject({ code: 'unauthorized', status: 401 });
  });
});
