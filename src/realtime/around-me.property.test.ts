import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { embeddedApp } from '../../test/helpers.js';
import { FakeSocket } from '../../test/support/fake-socket.js';
import type { BoardEntry } from '../platform/events.js';
import type { ServerMessage } from './protocol.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const PLAYERS = ['ann', 'bob', 'cid', 'dee', 'eve', 'fay', 'gus', 'hal'];

type Window = Extract<ServerMessage, { type: 'window' }>;
type Step = { kind: 'click'; player: number; times: number } | { kind: 'ban' | 'unban'; player: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('click' as const), player: fc.nat(PLAYERS.length - 1), times: fc.integer({ min: 1, max: 4 }) }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constantFrom('ban' as const, 'unban' as const), player: fc.integer({ min: 1, max: PLAYERS.length - 1 }) }), weight: 1 },
);

async function world() {
  const w = await embeddedApp({ adminUsers: ['root'], now: () => T0, realtime: { windowMs: 1 } });
  const hub = w.realtime;
  if (!hub) throw new Error('the realtime service runs');
  const connect = async (token?: string): Promise<FakeSocket> => {
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket);
    if (token) {
      socket.receive({ op: 'auth', token });
      await vi_waitFor(() => socket.messages().some((message) => message.type === 'authenticated'));
    }
    return socket;
  };
  return { ...w, connect };
}

/** Polls until `check` holds (at most ~1 s). */
async function vi_waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
}

const windows = (socket: FakeSocket): Window[] => socket.messages<ServerMessage>().filter((message): message is Window => message.type === 'window');

describe('around-me subscriptions', () => {
  it('needs auth first, takes a radius, and sends a window at once: empty while unranked, then the player among the others', async () => {
    const w = await world();
    const anonymous = await w.connect();
    anonymous.receive({ op: 'subscribe', board: 'global', around: 'me' });
    await vi_waitFor(() => anonymous.sent.length > 0);
    expect(anonymous.messages()).toEqual([{ type: 'error', code: 'unauthorized', message: expect.any(String) as string }]);
    expect(anonymous.terminated).toBe(false);

    const players = await Promise.all(['ann', 'bob', 'cid'].map((name) => w.player(name)));
    const [ann, bob, cid] = players as [(typeof players)[0], (typeof players)[0], (typeof players)[0]];
    const socket = await w.connect(ann.token);
    socket.receive({ op: 'subscribe', board: 'global', around: 'me', radius: 1 });
    await vi_waitFor(() => windows(socket).length === 1);
    expect(windows(socket)).toEqual([{ type: 'window', board: 'global', seq: expect.any(Number) as number, me: null, entries: [] }]);

    await w.click(bob.token, 5);
    await w.click(cid.token, 3);
    await w.click(ann.token, 4);
    // All at one instant (the clock is fixed): with ann's third click she ties cid, and the tie
    // may rank her second already, so wait for her fourth.
    await vi_waitFor(() => windows(socket).at(-1)?.me?.score === 4);
    const entry = (player: { userId: string }, username: string, rank: number, score: number): BoardEntry => ({ rank, userId: player.userId, username, score });
    expect(windows(socket).at(-1)).toMatchObject({ me: entry(ann, 'ann', 2, 4), entries: [entry(bob, 'bob', 1, 5), entry(ann, 'ann', 2, 4), entry(cid, 'cid', 3, 3)] });

    // An around-me and a top-N subscription on one board live side by side; the limit counts both.
    socket.receive({ op: 'subscribe', board: 'global', limit: 3 });
    await vi_waitFor(() => socket.messages().some((message) => message.type === 'snapshot'));
    socket.receive({ op: 'unsubscribe', board: 'global', around: 'me' });
    const before = windows(socket).length;
    await w.click(cid.token, 10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(windows(socket)).toHaveLength(before);
    expect(socket.messages().at(-1)).toMatchObject({ type: 'update' });
  });

  it('counts top-N and around-me subscriptions together against the limit of 10', async () => {
    const w = await world();
    const ann = await w.player('ann');
    const socket = await w.connect(ann.token);
    const boards = ['global', 'daily', 'weekly', 'monthly', 'fastest-sprint', 'best-match'];
    for (const board of boards) socket.receive({ op: 'subscribe', board, limit: 3 });
    for (const board of boards.slice(0, 4)) socket.receive({ op: 'subscribe', board, around: 'me' });
    await vi_waitFor(() => socket.sent.length >= 11);
    socket.receive({ op: 'subscribe', board: 'fastest-sprint', around: 'me' });
    await vi_waitFor(() => socket.messages().some((message) => message.type === 'error'));
    expect(socket.messages().filter((message) => message.type === 'error')).toEqual([{ type: 'error', code: 'invalid_request', message: expect.stringMatching(/At most 10 subscriptions/) as string }]);
    // Re-subscribing one already held is not a new one.
    socket.receive({ op: 'subscribe', board: 'global', around: 'me', radius: 2 });
    await vi_waitFor(() => windows(socket).length === 5);
    expect(socket.messages().filter((message) => message.type === 'error')).toHaveLength(1);
    expect(socket.terminated).toBe(false);
  });

  it('reads a window again only when the ranks that moved reach into it', async () => {
    const w = await world();
    const players = await Promise.all(PLAYERS.map((name) => w.player(name)));
    // Scores 80, 70, … 10: ranks 1 … 8 in order.
    for (const [i, player] of players.entries()) await w.click(player.token, 80 - i * 10);
    const watcher = players[1] as (typeof players)[0]; // rank 2
    const socket = await w.connect(watcher.token);
    socket.receive({ op: 'subscribe', board: 'global', around: 'me', radius: 1 });
    await vi_waitFor(() => windows(socket).length === 1);
    // Rank 8 gains a point but stays 8: the window (ranks 1–3) is not read again, nothing sent.
    await w.click((players[7] as (typeof players)[0]).token, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(windows(socket)).toHaveLength(1);
    // Rank 8 climbs to 1: every rank from 1 to 8 moved, the window with them.
    await w.click((players[7] as (typeof players)[0]).token, 80);
    await vi_waitFor(() => windows(socket).length === 2);
    expect(windows(socket).at(-1)?.entries.map((entry) => [entry.rank, entry.username])).toEqual([
      [2, 'ann'],
      [3, 'bob'],
      [4, 'cid'],
    ]);
  });

  it('ends, after any sequence of actions and bans, on the window GET …/me?radius= shows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 12 }), fc.integer({ min: 0, max: 3 }), async (steps, radius) => {
        const w = await world();
        try {
          const root = await w.player('root');
          const players = await Promise.all(PLAYERS.map((name) => w.player(name)));
          const me = players[0] as (typeof players)[0];
          const socket = await w.connect(me.token);
          socket.receive({ op: 'subscribe', board: 'global', around: 'me', radius });
          await vi_waitFor(() => windows(socket).length === 1);
          for (const next of steps) {
            const player = players[next.player] as (typeof players)[0];
            if (next.kind === 'click') for (let i = 0; i < next.times; i += 1) await w.client.act(player.token);
            else await w.client.post(`/api/v1/admin/users/${player.userId}/${next.kind}`, undefined, root.token);
            await w.settled();
            const rest = await w.client.get(`/api/v1/leaderboards/global/me?radius=${radius}`, me.token);
            const expected = rest.statusCode === 404 ? { me: null, entries: [] } : rest.json<{ me: BoardEntry; entries: BoardEntry[] }>();
            const stripped = { me: expected.me && { rank: expected.me.rank, userId: expected.me.userId, username: expected.me.username, score: expected.me.score }, entries: expected.entries };
            await vi_waitFor(() => JSON.stringify(pick(windows(socket).at(-1))) === JSON.stringify(stripped));
            expect(pick(windows(socket).at(-1))).toEqual(stripped);
          }
        } finally {
          await w.close();
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 12) },
    );
  });
});

function pick(window: Window | undefined): { me: BoardEntry | null; entries: BoardEntry[] } | undefined {
  return window && { me: window.me, entries: window.entries };
}
