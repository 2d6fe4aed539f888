import { describe, expect, it } from 'vitest';
import { embeddedApp, expectProblem } from './helpers.js';

/**
 * The embedded database fills up (the disk, or here SQLite's own `max_page_count`): actions
 * must get a retryable 503, commit nothing, and resume once there is room — never a 500.
 */
describe('a full embedded database', () => {
  it('answers actions 503 unavailable with Retry-After, changes nothing, keeps serving reads, and resumes when room is back', async () => {
    const w = await embeddedApp();
    const ann = await w.player('ann');
    const act = (key: string) => w.client.act(ann.token, { idempotencyKey: key });
    const pages = w.db.pragma('page_count', { simple: true }) as number;
    w.db.pragma(`max_page_count = ${pages}`);

    let accepted = 0;
    let refused;
    for (let i = 0; i < 10_000 && !refused; i += 1) {
      const response = await act(`fill-key-${i}`);
      if (response.statusCode === 201) accepted += 1;
      else refused = response;
    }
    expect(refused, 'the database never filled up').toBeDefined();
    if (!refused) return;
    expectProblem(refused, 503, 'unavailable');
    expect(refused.headers['retry-after']).toBe('1');
    const ledgerRows = () => (w.db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
    expect(ledgerRows()).toBe(accepted);

    // Reads go on, and show exactly what was accepted.
    await w.leaderboard?.flush();
    const board = await w.client.get('/api/v1/leaderboards/global');
    expect(board.json<{ entries: { score: number }[] }>().entries[0]?.score).toBe(accepted);

    // Room again: the refused key is judged afresh and counts once.
    w.db.pragma(`max_page_count = ${pages * 100}`);
    const retried = await act(`fill-key-${accepted}`);
    expect(retried.statusCode).toBe(201);
    expect(ledgerRows()).toBe(accepted + 1);
  });
});
