import { describe, expect, it } from 'vitest';
import { embeddedApp, expectProblem } from '../../test/helpers.js';
import type { BoardPage } from '../../test/support/test-client.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday noon UTC

interface ReviewPage {
  total: number;
  held: { action: { id: string; type: string; values: Record<string, number>; at: string }; userId: string; username: string; reason: string }[];
}

/** The shipped catalog: `match-result` is held above 50,000 and ranks on `best-match`. */
async function reviewWorld() {
  let clock = T0;
  const w = await embeddedApp({ adminUsers: ['root'], now: () => clock });
  const root = await w.player('root');
  const { secret } = await w.credentials.create('match-server');
  const match = (userId: string, score: number, key: string) =>
    w.client.serverAct(secret, { userId, type: 'match-result', idempotencyKey: key, values: { 'match-score': score } });
  const queue = async (query = '', token = root.token) => w.client.get(`/api/v1/admin/review${query}`, token);
  const decide = (actionId: string, decision: 'approve' | 'reject', token = root.token) => w.client.post(`/api/v1/admin/review/${actionId}/${decision}`, undefined, token);
  const best = async () => (await w.client.get('/api/v1/leaderboards/best-match')).json<BoardPage>().entries.map((entry) => [entry.username, entry.score]);
  return { ...w, root, match, queue, decide, best, advance: (ms: number) => (clock += ms) };
}

describe('review queue', () => {
  it('lists held actions oldest first with the username and the reason; admins only', async () => {
    const w = await reviewWorld();
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    const first = await w.match(ann.userId, 60_000, 'match-000a');
    expect(first.statusCode, first.body).toBe(202);
    w.advance(1_000);
    expect((await w.match(bob.userId, 70_000, 'match-000b')).statusCode).toBe(202);
    expect((await w.match(bob.userId, 10_000, 'match-000c')).statusCode).toBe(201);

    const page = await w.queue();
    expect(page.statusCode).toBe(200);
    const body = page.json<ReviewPage>();
    expect(body.total).toBe(2);
    expect(body.held.map((held) => [held.username, held.action.values['match-score'], held.action.at])).toEqual([
      ['ann', 60_000, new Date(T0).toISOString()],
      ['bob', 70_000, new Date(T0 + 1_000).toISOString()],
    ]);
    expect(body.held[0]).toMatchObject({ userId: ann.userId, action: { type: 'match-result' }, reason: '"match-score" 60000 is above its review threshold 50000' });
    expect((await w.queue('?limit=1&offset=1')).json<ReviewPage>().held.map((held) => held.username)).toEqual(['bob']);

    expectProblem(await w.queue('', ann.token), 403, 'forbidden');
    expectProblem(await w.client.get('/api/v1/admin/review'), 401, 'unauthorized');
    for (const query of ['?limit=0', '?limit=201', '?offset=-1', '?limit=abc', '?extra=1']) expectProblem(await w.queue(query), 400, 'invalid_request');
  });

  it('approve: the action counts on its board as of its original time, once; the decision is audited', async () => {
    const w = await reviewWorld();
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    await w.match(ann.userId, 60_000, 'match-000a');
    await w.match(bob.userId, 20_000, 'match-000b');
    await w.settled();
    expect(await w.best()).toEqual([['bob', 20_000]]);
    const [held] = (await w.queue()).json<ReviewPage>().held;

    w.advance(60_000);
    expect((await w.decide(held?.action.id as string, 'approve')).statusCode).toBe(204);
    await w.settled();
    expect(await w.best()).toEqual([
      ['ann', 60_000],
      ['bob', 20_000],
    ]);
    expect((await w.queue()).json<ReviewPage>()).toEqual({ total: 0, held: [] });
    expectProblem(await w.decide(held?.action.id as string, 'approve'), 409, 'conflict');
    expectProblem(await w.decide(held?.action.id as string, 'reject'), 409, 'conflict');
    // The game server's retry still gets what it was answered: held.
    const replay = await w.match(ann.userId, 60_000, 'match-000a');
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ action: { status: 'held' }, totals: {} });

    await w.audit.flush();
    expect(w.db.prepare("SELECT event, user_id, action_type, detail FROM audit_log WHERE event LIKE 'review.%'").all()).toEqual([
      { event: 'review.approved', user_id: ann.userId, action_type: 'match-result', detail: `action ${held?.action.id} by ${w.root.userId}` },
    ]);
  });

  it('reject: the action never counts, and cannot be approved afterwards', async () => {
    const w = await reviewWorld();
    const ann = await w.player('ann');
    await w.match(ann.userId, 60_000, 'match-000a');
    const [held] = (await w.queue()).json<ReviewPage>().held;
    expectProblem(await w.decide(held?.action.id as string, 'reject', ann.token), 403, 'forbidden');
    expect((await w.decide(held?.action.id as string, 'reject')).statusCode).toBe(204);
    expectProblem(await w.decide(held?.action.id as string, 'approve'), 409, 'conflict');
    await w.settled();
    expect(await w.best()).toEqual([]);
  });

  it('refuses unknown, accepted and malformed action ids without changing anything', async () => {
    const w = await reviewWorld();
    const ann = await w.player('ann');
    const accepted = (await w.match(ann.userId, 1_000, 'match-000a')).json<{ action: { id: string } }>().action.id;
    expectProblem(await w.decide('99999', 'approve'), 404, 'not_found');
    expectProblem(await w.decide(accepted, 'approve'), 409, 'conflict');
    for (const id of ['0', '-1', 'abc', '1e3', '12345678901234567', '%00']) expectProblem(await w.decide(id, 'approve'), 400, 'invalid_request');
    await w.settled();
    expect(await w.best()).toEqual([['ann', 1_000]]);
  });
});
