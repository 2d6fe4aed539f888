import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedApp } from '../../test/helpers.js';

/** Bodies a hostile or broken client might send: near-valid ones matter most. */
const hostileValue = fc.oneof(
  fc.constantFrom('click', 'quest', 'daily-bonus', '__proto__', 'constructor', '', 'ß'.repeat(70)),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 1e308, null, true),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 3 }),
);
const hostileBody = fc.oneof(
  fc.record(
    {
      type: hostileValue,
      idempotencyKey: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), hostileValue),
      ticket: hostileValue,
      points: hostileValue,
      score: hostileValue,
      __proto__: fc.constant({ admin: true }),
      constructor: fc.constant({ prototype: { admin: true } }),
    },
    { requiredKeys: [] },
  ),
  fc.anything({ maxDepth: 4 }),
  fc.letrec((tie) => ({ deep: fc.oneof({ depthSize: 'small' }, fc.constant({}), fc.record({ nested: tie('deep') })) })).deep,
);
const rawPayload = fc.oneof(
  hostileBody.map((body) => JSON.stringify(body) ?? 'null'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{"type":"click","idempotencyKey":"abcdefgh"', '{"__proto__":{"x":1}}', '[]', '{}', 'null', '"click"', '1e999'),
);

describe('POST /api/v1/actions under random input', () => {
  it('never answers 5xx and never changes a total on a non-2xx', async () => {
    const { app, db, player, storage } = await embeddedApp();
    const { token } = await player('fuzzer');
    const totals = () => {
      storage.ledger.flushTotals(); // totals are written behind the ledger
      return db.prepare('SELECT board, user_id, score FROM board_totals ORDER BY board, user_id').all();
    };

    await fc.assert(
      fc.asyncProperty(rawPayload, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), async (payload, contentType) => {
        const before = totals();
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/actions',
          headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
          payload,
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 300) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(totals()).toEqual(before);
        }
      }),
      { numRuns: 400 },
    );
    // Pollution attempts must not have reached any prototype.
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('never answers 5xx to random ticket strings and path types on start', async () => {
    const { app, player } = await embeddedApp();
    const { token } = await player('fuzzer2');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (type) => {
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/actions/${encodeURIComponent(type)}/start`,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.statusCode).toBeLessThan(500);
        expect([201, 400, 404, 414, 422]).toContain(response.statusCode);
      }),
      { numRuns: 300 },
    );
  });
});
