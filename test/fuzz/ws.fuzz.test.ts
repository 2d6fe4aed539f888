import { once } from 'node:events';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/main.js';
import { loadConfig } from '../../src/platform/config.js';
import { parseClientMessage, type ServerMessage } from '../../src/realtime/protocol.js';
import { cheapHasher, temporaryDirectory, testClient } from '../helpers.js';
import type { TestSocket } from '../support/test-client.js';

/**
 * WebSocket frames under hostile input (API.md "Realtime"): every malformed frame gets an
 * `error` message and the connection stays open until the bad-frame limit; oversized frames
 * close with 1009; whatever happens, the process keeps serving HTTP and other sockets.
 */

const MAX_BAD_FRAMES = 20;
const MAX_FRAME_BYTES = 4 * 1024;
const ERROR_CODES = new Set(['invalid_request', 'not_found', 'unauthorized', 'token_expired']);
/** `FUZZ_RUNS=2000` for a longer hunt; the default keeps the suite fast. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'];

async function start(): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', DATA_DIR: temporaryDirectory(), RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0' });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), passwordHasher: cheapHasher() });
  onTestFinished(() => server.stop());
  return server;
}

// ---------------------------------------------------------------------------- frames

type Frame = { kind: 'text'; text: string } | { kind: 'binary'; data: Buffer };

const nested = (depth: number, open: string, leaf: string, close: string): string => open.repeat(depth) + leaf + close.repeat(depth);

const hostileValue = fc.oneof(
  fc.constantFrom<unknown>('global', 'daily', 'weekly', 'monthly', '', 'x'.repeat(65), ...POLLUTION_KEYS, '\uD800', '😀', 0, -0, 1, 100, 101, 1e308, 2 ** 53 + 1, -1, 1.5, null, true, [], {}),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

/** Frames shaped like real messages with hostile values, plus everything else. */
function textFrame(token: string): fc.Arbitrary<string> {
  const nearValid = fc
    .record(
      {
        op: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'auth', 'ping', 'SUBSCRIBE', 'dance', ...POLLUTION_KEYS), hostileValue),
        board: hostileValue,
        limit: hostileValue,
        token: fc.oneof(fc.constantFrom(token, `${token}x`, 'a.b.c', ''), hostileValue),
        // Realtime v2: deltas, resumes and around-me windows, right and wrong.
        delta: fc.oneof(fc.boolean(), hostileValue),
        since: fc.oneof(fc.constantFrom(0, 1, 63, 64, 1e15, 2 ** 53, -1, 1.5, '3'), hostileValue),
        around: fc.oneof(fc.constantFrom('me', 'ME', 'you'), hostileValue),
        radius: fc.oneof(fc.constantFrom(0, 5, 25, 26, -1, 2.5), hostileValue),
      },
      { requiredKeys: ['op'] },
    )
    .map((frame) => JSON.stringify(frame));
  return fc.oneof(
    { arbitrary: nearValid, weight: 4 },
    fc.json({ maxDepth: 3 }),
    fc.anything({ maxDepth: 3, withBigInt: false }).map((value) => JSON.stringify(value) ?? 'undefined'),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '',
      'not json',
      'null',
      '[]',
      '1e999',
      '{"op":"subscribe","board":"global","limit":1e308}',
      '{"op":"subscribe","board":"global","limit":-0}',
      '{"op":"subscribe","board":"global","limit":9007199254740993}',
      '{"__proto__":{"op":"ping"}}',
      '{"constructor":{"prototype":{"op":"ping"}},"op":"subscribe","board":"__proto__"}',
      '{"op":"subscribe","board":"hasOwnProperty"}',
      '{"op":"auth","token":"\\ud800"}',
      '{"op":"ping","op":"auth"}',
      '{"op":"subscribe","board":"global","around":"me"}',
      '{"op":"subscribe","board":"global","around":"me","radius":26}',
      '{"op":"subscribe","board":"global","around":"me","delta":true}',
      '{"op":"subscribe","board":"global","limit":5,"delta":true,"since":1e999}',
      '{"op":"subscribe","board":"global","limit":5,"delta":true,"since":9007199254740993}',
      '{"op":"subscribe","board":"global","limit":5,"since":3}',
      '{"op":"unsubscribe","board":"global","around":"you"}',
      nested(1_000, '[', '', ']'),
      nested(500, '{"op":', '"ping"', '}'),
      nested(1_000, '{"a":', '1', '}').slice(0, MAX_FRAME_BYTES),
    ),
  );
}

function frame(token: string): fc.Arbitrary<Frame> {
  // Oversized frames are their own test: every frame here fits the 4 KiB limit.
  return fc.oneof(
    { arbitrary: textFrame(token).filter((text) => Buffer.byteLength(text) <= MAX_FRAME_BYTES).map((text): Frame => ({ kind: 'text', text })), weight: 5 },
    fc.uint8Array({ maxLength: 300 }).map((bytes): Frame => ({ kind: 'binary', data: Buffer.from(bytes) })),
    fc.constantFrom('{"op":"ping"}', '{}').map((text): Frame => ({ kind: 'binary', data: Buffer.from(text) })),
  );
}

/** How many messages a frame must draw: one, except a valid unsubscribe, which is silent. */
function expectedReplies(sent: Frame): number {
  if (sent.kind === 'binary') return 1;
  const parsed = parseClientMessage(sent.text);
  return parsed.ok && parsed.message.op === 'unsubscribe' ? 0 : 1;
}

function send(client: TestSocket, sent: Frame): void {
  if (sent.kind === 'text') client.socket.send(sent.text);
  else client.socket.send(sent.data, { binary: true });
}

function expectWellFormed(message: ServerMessage): void {
  expect(['snapshot', 'delta', 'window', 'authenticated', 'pong', 'error']).toContain(message.type);
  if (message.type === 'error') {
    expect(ERROR_CODES).toContain(message.code);
    expect(typeof message.message).toBe('string');
  }
}

async function expectStillServing(server: RunningServer): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const fresh = await testClient(server.url).socket().open();
  fresh.socket.send(JSON.stringify({ op: 'subscribe', board: 'global', limit: 5 }));
  await fresh.receivedAtLeast(1);
  expect(fresh.messages()[0]).toMatchObject({ type: 'snapshot', board: 'global' });
}

describe('WebSocket frames under hostile input', () => {
  it('answers every frame (an error for each bad one) and stays open up to the bad-frame limit', async () => {
    const server = await start();
    const api = testClient(server.url);
    const { token } = await api.player('wsfuzz');
    const bystander = await api.socket().open();

    await fc.assert(
      fc.asyncProperty(fc.array(frame(token), { minLength: 1, maxLength: MAX_BAD_FRAMES }), async (frames) => {
        const client = await api.socket().open();
        const expected = frames.reduce((sum, sent) => sum + expectedReplies(sent), 0);
        for (const sent of frames) send(client, sent);
        await client.receivedAtLeast(expected);
        expect(client.socket.readyState).toBe(WebSocket.OPEN);
        expect(client.received).toHaveLength(expected);
        for (const message of client.messages()) expectWellFormed(message);
        client.socket.terminate();
      }),
      { numRuns: NUM_RUNS },
    );

    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    bystander.socket.send(JSON.stringify({ op: 'ping' }));
    await bystander.receivedAtLeast(1);
    expect(bystander.messages()).toEqual([{ type: 'pong' }]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    await expectStillServing(server);
  });

  it('answers the first 20 bad frames with errors, then closes with 1008', async () => {
    const server = await start();
    const api = testClient(server.url);
    const badFrame = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }).filter((text) => !parseClientMessage(text).ok),
      fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(badFrame, { minLength: MAX_BAD_FRAMES + 1, maxLength: MAX_BAD_FRAMES + 5 }), async (frames) => {
        const client = await api.socket().open();
        const closed = once(client.socket, 'close');
        for (const bad of frames) client.socket.send(bad, { binary: typeof bad !== 'string' });
        const [code] = (await closed) as [number];
        expect(code).toBe(1008);
        expect(client.messages().map((message) => message.type)).toEqual(Array<string>(MAX_BAD_FRAMES).fill('error'));
      }),
      { numRuns: 10 },
    );
    await expectStillServing(server);
  });

  it('closes with 1009 on any frame over 4 KiB, text or binary, leaving the others alone', async () => {
    const server = await start();
    const api = testClient(server.url);
    const bystander = await api.socket().open();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: MAX_FRAME_BYTES + 1, max: 64 * 1024 }),
        fc.constantFrom('text', 'binary', 'json'),
        async (size, kind) => {
          const client = await api.socket().open();
          const closed = once(client.socket, 'close');
          if (kind === 'binary') client.socket.send(Buffer.alloc(size, 7), { binary: true });
          else if (kind === 'text') client.socket.send('é'.repeat(Math.ceil(size / 2)));
          else client.socket.send(JSON.stringify({ op: 'auth', token: 'x'.repeat(size) }));
          const [code] = (await closed) as [number];
          expect(code).toBe(1009);
        },
      ),
      { numRuns: 10 },
    );
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    await expectStillServing(server);
  });

  it('closes with 1007 on a text frame that is not UTF-8, and keeps serving', async () => {
    const server = await start();
    const api = testClient(server.url);
    const client = await api.socket().open();
    const closed = once(client.socket, 'close');
    // ED A0 80 is a lone surrogate (U+D800) spelled in UTF-8, which UTF-8 forbids.
    client.socket.send(Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]), { binary: false });
    const [code] = (await closed) as [number];
    expect(code).toBe(1007);
    await expectStillServing(server);
  });
});
