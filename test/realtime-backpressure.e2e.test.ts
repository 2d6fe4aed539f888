import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { TokenVerifier } from '../src/auth/token-verifier.js';
import type { BoardEntry } from '../src/platform/events.js';
import { RealtimeHub } from '../src/realtime/realtime-hub.js';
import { RealtimeMetrics } from '../src/realtime/realtime-metrics.js';
import { testClient } from './helpers.js';

/** A full top 100 with long names: ≈10 KiB a frame, so a client that stops reading backs up fast. */
const top = (seq: number): BoardEntry[] =>
  Array.from({ length: 100 }, (_, i) => ({ rank: i + 1, userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, username: `player_with_a_long_name_${i}`, score: seq * 1000 - i }));

describe('a subscriber that stops reading, over real sockets', () => {
  it('is skipped, then closed and counted, while a reading subscriber keeps getting every latest state', async () => {
    const registry = new Registry();
    const hub = new RealtimeHub(['global'], {} as TokenVerifier, new RealtimeMetrics(registry), { warn: () => undefined }, {
      windowMs: 1,
      maxBufferedBytes: 64 * 1024,
      slowConsumerGraceMs: 300,
    });
    const server = http.createServer();
    hub.attach(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    onTestFinished(async () => {
      await hub.close();
      server.close();
    });
    const client = testClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

    const subscribe = async (): Promise<WebSocket> => {
      // Messages not kept: the reader gets thousands of 10 KiB frames.
      const subscribed = await client.subscribe('global', 100, { keep: false });
      await subscribed.receivedAtLeast(1); // the snapshot
      return subscribed.socket;
    };
    const reader = await subscribe();
    let lastSeqRead = 0;
    reader.on('message', (data: Buffer) => (lastSeqRead = (JSON.parse(data.toString()) as { seq: number }).seq));
    const stalled = await subscribe();
    stalled.pause(); // stops reading its TCP socket: the kernel buffers fill, then the server's
    const dropped = async (): Promise<number> =>
      (await registry.getSingleMetric('realtime_slow_consumers_dropped_total')?.get())?.values[0]?.value ?? 0;

    let seq = 0;
    const started = Date.now();
    while ((await dropped()) === 0 && Date.now() - started < 10_000) {
      seq += 1;
      hub.onBoardChanged({ type: 'board.changed', board: 'global', seq, top: top(seq) });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const stalledFor = Date.now() - started;
    const closed = once(stalled, 'close');
    stalled.resume(); // lets ws read what is left and see the server's close
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(await dropped()).toBe(1);
    // Backed up within a few MB of kernel buffers, then the 300 ms grace: not the 10 s deadline.
    expect(stalledFor).toBeLessThan(5_000);
    expect(reader.readyState).toBe(WebSocket.OPEN);
    expect(lastSeqRead).toBe(seq); // the reader was never held back by the stalled one
  });
});
