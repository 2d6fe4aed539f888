import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { embeddedApp } from '../../test/helpers.js';
import { FakeSocket } from '../../test/support/fake-socket.js';
import type { BoardPage } from '../../test/support/test-client.js';
import type { BoardEntry } from '../platform/events.js';
// The client library's own applyDelta: these properties hold for what clients really do with a delta.
import { applyDelta } from '../../packages/client/src/board-list.js';
import type { ServerMessage } from './protocol.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const PLAYERS = ['ann', 'bob', 'cid', 'dee', 'eve', 'fay'];

type Step = { kind: 'click'; player: number; times: number } | { kind: 'ban'; player: number } | { kind: 'unban'; player: number } | { kind: 'reset' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('click' as const), player: fc.nat(PLAYERS.length - 1), times: fc.integer({ min: 1, max: 3 }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('ban' as const), player: fc.nat(PLAYERS.length - 1) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('unban' as const), player: fc.nat(PLAYERS.length - 1) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reset' as const }), weight: 1 },
);

/** A subscriber's list as a client library keeps it: from its snapshot and every delta after it. */
class DeltaClient {
  seq = -1;
  list: BoardEntry[] = [];
  /** seq → the list at it, to resume from later. */
  readonly seen = new Map<number, BoardEntry[]>();
  private read = 0;

  constructor(readonly socket: FakeSocket) {}

  /** Applies what arrived since the last call; fails on a delta that does not chain. */
  catchUp(): void {
    const messages = this.socket.messages<ServerMessage>();
    for (const message of messages.slice(this.read)) {
      if (message.type === 'snapshot') this.list = message.entries;
      else if (message.type === 'delta') {
        expect(message.from, 'a delta applies to the list the client holds').toBe(this.seq);
        this.list = applyDelta(this.list, message);
      } else continue;
      this.seq = message.seq;
      this.seen.set(this.seq, this.list);
    }
    this.read = messages.length;
  }
}

describe('delta subscriptions', () => {
  it('give, snapshot plus every delta, exactly the board GET shows at that seq — also resumed from any earlier seq', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 14 }), fc.integer({ min: 1, max: 6 }), fc.nat(), async (steps, limit, pick) => {
        let clock = T0;
        const w = await embeddedApp({ adminUsers: ['root'], now: () => clock, realtime: { windowMs: 1 } });
        try {
          const hub = w.realtime;
          if (!hub) throw new Error('the realtime service runs');
          let root = await w.player('root');
          let players = await Promise.all(PLAYERS.map((name) => w.player(name)));
          const socket = new FakeSocket();
          hub.accept(socket as unknown as WebSocket);
          socket.receive({ op: 'subscribe', board: 'daily', limit, delta: true });
          const client = new DeltaClient(socket);

          /**
           * Waits for the sweep, then compares with the REST route. The board's seq also moves
           * on a flush that changed no top (a rank further down): no frame is sent for it, so
           * the client may hold an older seq with the very same list.
           */
          const agree = async (): Promise<void> => {
            await w.settled();
            let page: BoardPage | undefined;
            for (let attempt = 0; attempt < 50; attempt += 1) {
              await new Promise((resolve) => setTimeout(resolve, 2));
              client.catchUp();
              page = (await w.client.get(`/api/v1/leaderboards/daily?limit=${limit}`)).json<BoardPage>();
              if (client.seq === page.seq && attempt > 1) break;
            }
            expect(client.seq).toBeLessThanOrEqual(page?.seq as number);
            expect(client.list).toEqual(page?.entries);
          };

          await agree();
          for (const next of steps) {
            const player = players[next.kind === 'reset' ? 0 : next.player] as (typeof players)[0];
            // A banned player's clicks are refused (403): part of the sequence all the same.
            if (next.kind === 'click') for (let i = 0; i < next.times; i += 1) await w.client.act(player.token);
            else if (next.kind === 'reset') {
              clock += 24 * 60 * 60 * 1000; // a day on: a new daily period
              await w.leaderboard?.turnPeriods();
              // Access tokens expired meanwhile: everyone logs in again.
              root = await w.player('root');
              players = await Promise.all(PLAYERS.map((name) => w.player(name)));
            } else await w.client.post(`/api/v1/admin/users/${player.userId}/${next.kind}`, undefined, root.token);
            await agree();
          }

          // A second subscriber resuming from a seq the first one saw: a delta from it when the
          // node still holds it, else a snapshot; either way the same list.
          const seqs = [...client.seen.keys()];
          const since = seqs[pick % seqs.length] as number;
          const resumed = new FakeSocket();
          hub.accept(resumed as unknown as WebSocket);
          resumed.receive({ op: 'subscribe', board: 'daily', limit, delta: true, since });
          await new Promise((resolve) => setTimeout(resolve, 2));
          const [first] = resumed.messages<ServerMessage>();
          const after =
            first?.type === 'delta' ? applyDelta(client.seen.get(first.from) ?? [], first) : first?.type === 'snapshot' ? first.entries : undefined;
          expect(first?.type).toBe('delta'); // 64 tops held: every seq of this run still is
          expect(after).toEqual(client.list);
        } finally {
          await w.close();
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 15) },
    );
  });
});
