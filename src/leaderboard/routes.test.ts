import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedApp, expectProblem, temporaryDirectory } from '../../test/helpers.js';
import type { BoardChanged, BoardEntry, UserRank } from '../platform/events.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday noon UTC

interface Page {
  board: string;
  seq: number;
  total: number;
  entries: BoardEntry[];
}

/** An app on a clock the test moves, reading boards through the in-process client. */
async function world(options: { adminUsers?: string[]; dataDir?: string; clock?: { now: number } } = {}) {
  const clock = options.clock ?? { now: T0 };
  const env = await embeddedApp({ adminUsers: options.adminUsers, dataDir: options.dataDir, now: () => clock.now });
  return { ...env, clock, get: (url: string, token?: string) => env.client.get(url, token) };
}

describe('GET /api/v1/leaderboards', () => {
  it('lists every board: its metric, aggregate, order, period, current period key and when it resets', async () => {
    const w = await world();
    const calendar = (id: string, period: string, periodKey: string, startsAt?: string, endsAt?: string) => ({
      id,
      metric: 'points',
      aggregate: 'sum',
      order: 'desc',
      period,
      periodKey,
      state: 'live',
      ...(startsAt && { startsAt, endsAt, resetsAt: endsAt }),
    });
    expect((await w.get('/api/v1/leaderboards')).json()).toEqual({
      boards: [
        calendar('global', 'all-time', 'all'),
        calendar('daily', 'daily', '2026-11-27', '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z'),
        calendar('weekly', 'weekly', '2026-11-23', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'),
        calendar('monthly', 'monthly', '2026-11', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'),
        {
          ...calendar('fastest-sprint', 'weekly', '2026-11-23', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'),
          metric: 'sprint-ms',
          aggregate: 'min',
          order: 'asc',
        },
        { ...calendar('best-match', 'all-time', 'all'), metric: 'match-score', aggregate: 'max' },
      ],
    });
  });

  it('tells a season upcoming, live and closed, with its dates', async () => {
    const boardConfig = path.join(temporaryDirectory(), 'boards.json');
    fs.writeFileSync(boardConfig, JSON.stringify({ boards: [{ id: 'winter', period: { start: '2026-12-01T00:00:00Z', end: '2027-03-01T00:00:00Z' } }] }));
    const clock = { now: T0 };
    const w = await embeddedApp({ boardConfig, now: () => clock.now });
    const winter = async () => (await w.client.get('/api/v1/leaderboards')).json<{ boards: Record<string, unknown>[] }>().boards[0];
    const season = { id: 'winter', period: 'season', periodKey: '2026-12-01T00:00:00.000Z', startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2027-03-01T00:00:00.000Z' };
    expect(await winter()).toEqual({ ...season, metric: 'points', aggregate: 'sum', order: 'desc', state: 'upcoming' });
    clock.now = Date.parse('2026-12-24T00:00:00Z');
    expect(await winter()).toMatchObject({ ...season, state: 'live' });
    clock.now = Date.parse('2027-03-01T00:00:00Z');
    expect(await winter()).toMatchObject({ ...season, state: 'closed' });
  });
});

describe('GET /api/v1/leaderboards/{board}', () => {
  it('ranks players by score with names, the total and a growing seq', async () => {
    const w = await world();
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    const cid = await w.player('cid');
    await w.click(bob.token, 3);
    await w.click(ann.token, 1);
    await w.click(cid.token, 2);
    const page = (await w.get('/api/v1/leaderboards/global')).json<Page>();
    expect(page.entries).toEqual([
      { rank: 1, userId: bob.userId, username: 'bob', score: 3 },
      { rank: 2, userId: cid.userId, username: 'cid', score: 2 },
      { rank: 3, userId: ann.userId, username: 'ann', score: 1 },
    ]);
    expect(page).toMatchObject({ board: 'global', total: 3 });
    expect(page.seq).toBeGreaterThan(0);
    await w.click(ann.token, 1);
    expect((await w.get('/api/v1/leaderboards/global')).json<Page>().seq).toBeGreaterThan(page.seq);
  });

  it('ranks the player who reached an equal score first higher', async () => {
    const w = await world();
    const first = await w.player('first');
    const second = await w.player('second');
    await w.click(first.token);
    w.clock.now += 1000;
    await w.click(second.token);
    const ids = (await w.get('/api/v1/leaderboards/global')).json<Page>().entries.map((entry) => entry.userId);
    expect(ids).toEqual([first.userId, second.userId]);
  });

  it('pages with limit and offset', async () => {
    const w = await world();
    for (let i = 0; i < 5; i += 1) await w.click((await w.player(`pl${i}`)).token, i + 1);
    const page = (await w.get('/api/v1/leaderboards/global?limit=2&offset=1')).json<Page>();
    expect(page.entries.map((entry) => [entry.rank, entry.username])).toEqual([
      [2, 'pl3'],
      [3, 'pl2'],
    ]);
    expect(page.total).toBe(5);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'limit=1.5', 'sort=asc'])('answers 400 for ?%s', async (query) => {
    const w = await world();
    expectProblem(await w.get(`/api/v1/leaderboards/global?${query}`), 400, 'invalid_request');
  });

  it('answers 404 for an unknown board', async () => {
    const w = await world();
    expectProblem(await w.get('/api/v1/leaderboards/yearly'), 404, 'not_found');
    expectProblem(await w.get('/api/v1/leaderboards/yearly/users/x'), 404, 'not_found');
    expectProblem(await w.get('/api/v1/leaderboards/yearly/users?ids=x'), 404, 'not_found');
  });

  it('starts the daily board over at 00:00 UTC and the weekly one on Monday, keeping global', async () => {
    const w = await world();
    const ann = await w.player('ann');
    await w.click(ann.token, 2);
    w.clock.now = Date.UTC(2026, 10, 28, 0, 0, 1); // Saturday
    expect((await w.get('/api/v1/leaderboards/daily')).json<Page>().total).toBe(0);
    expect((await w.get('/api/v1/leaderboards/weekly')).json<Page>().entries[0]?.score).toBe(2);
    const again = await w.player('ann');
    await w.click(again.token, 1);
    expect((await w.get('/api/v1/leaderboards/daily')).json<Page>().entries[0]?.score).toBe(1);
    w.clock.now = Date.UTC(2026, 10, 30, 0, 0, 1); // Monday
    expect((await w.get('/api/v1/leaderboards/weekly')).json<Page>().total).toBe(0);
    expect((await w.get('/api/v1/leaderboards/global')).json<Page>().entries[0]?.score).toBe(3);
  });
});

describe('a user on a board', () => {
  it('GET …/users/{id} answers the entry, 404 when unranked', async () => {
    const w = await world();
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    await w.click(ann.token, 2);
    expect((await w.get(`/api/v1/leaderboards/global/users/${ann.userId}`)).json()).toEqual({
      rank: 1,
      userId: ann.userId,
      username: 'ann',
      score: 2,
      total: 1,
      topPercent: 100,
    });
    expectProblem(await w.get(`/api/v1/leaderboards/global/users/${bob.userId}`), 404, 'not_found');
  });

  it('GET …/me answers my entry and radius entries around it, clipped at the ends', async () => {
    const w = await world();
    const players = [];
    for (let i = 0; i < 6; i += 1) {
      const p = await w.player(`me${i}`);
      await w.click(p.token, 10 - i); // me0 first … me5 last
      players.push(p);
    }
    const me = players[3] as { token: string; userId: string };
    const aroundResponse = await w.get('/api/v1/leaderboards/global/me?radius=1', me.token);
    expect(aroundResponse.statusCode, aroundResponse.body).toBe(200);
    const around = aroundResponse.json<{ me: BoardEntry; entries: BoardEntry[] }>();
    expect(around.me).toMatchObject({ rank: 4, username: 'me3' });
    expect(around.entries.map((entry) => entry.username)).toEqual(['me2', 'me3', 'me4']);
    const top = (await w.get('/api/v1/leaderboards/global/me?radius=2', (players[0] as { token: string }).token)).json<{ entries: BoardEntry[] }>();
    expect(top.entries.map((entry) => entry.rank)).toEqual([1, 2, 3]);
    const fresh = await w.player('nobody');
    expectProblem(await w.get('/api/v1/leaderboards/global/me', fresh.token), 404, 'not_found');
    expectProblem(await w.get('/api/v1/leaderboards/global/me'), 401, 'unauthorized');
    expectProblem(await w.get('/api/v1/leaderboards/global/me?radius=51', me.token), 400, 'invalid_request');
  });
});

describe('GET /api/v1/leaderboards/{board}?period=', () => {
  it('serves the final standings of the periods a board keeps (yesterday, last week), also after a restart', async () => {
    const clock = { now: Date.UTC(2026, 10, 29, 23, 50) }; // Sunday, 10 minutes before a new day and week
    const w = await world({ clock });
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    await w.click(ann.token, 2);
    await w.click(bob.token, 3);
    clock.now = Date.UTC(2026, 10, 30, 0, 5); // Monday
    const cy = await w.player('cy1');
    await w.click(cy.token, 1);
    const names = (response: { json: <T>() => T }) => response.json<Page>().entries.map((entry) => [entry.username, entry.score]);

    expect(names(await w.get('/api/v1/leaderboards/daily'))).toEqual([['cy1', 1]]);
    expect(names(await w.get('/api/v1/leaderboards/daily?period=2026-11-29'))).toEqual([['bob', 3], ['ann', 2]]);
    expect(names(await w.get('/api/v1/leaderboards/weekly?period=2026-11-23'))).toEqual([['bob', 3], ['ann', 2]]);
    expect(names(await w.get('/api/v1/leaderboards/daily?period=2026-11-30'))).toEqual([['cy1', 1]]); // the current one, named
    expect(names(await w.get('/api/v1/leaderboards/global?period=all'))).toEqual([['bob', 3], ['ann', 2], ['cy1', 1]]);
    expect((await w.get('/api/v1/leaderboards/daily?period=2026-11-29&limit=1&offset=1')).json<Page>()).toMatchObject({ total: 2, entries: [{ username: 'ann' }] });

    // Older than kept (one past period by default), or in the future: not there.
    expectProblem(await w.get('/api/v1/leaderboards/daily?period=2026-11-28'), 404, 'not_found');
    expectProblem(await w.get('/api/v1/leaderboards/daily?period=2026-12-01'), 404, 'not_found');
    // A key of another kind of period is no key of this board at all.
    expectProblem(await w.get('/api/v1/leaderboards/global?period=2026-11-29'), 400, 'invalid_request');
    expectProblem(await w.get('/api/v1/leaderboards/weekly?period=2026-11-29'), 400, 'invalid_request');
    expectProblem(await w.get('/api/v1/leaderboards/daily?period=2026-11'), 400, 'invalid_request');
    expect(names(await w.get('/api/v1/leaderboards/monthly?period=2026-11'))).toEqual([['bob', 3], ['ann', 2], ['cy1', 1]]);
    expectProblem(await w.get('/api/v1/leaderboards/nope?period=all'), 404, 'not_found');
    for (const bad of ['yesterday', '2026-11-29T00:00', '', '2026-1-29']) expectProblem(await w.get(`/api/v1/leaderboards/daily?period=${bad}`), 400, 'invalid_request');

    // A restart rebuilds the kept periods too, from the ledger's totals.
    await w.close();
    const again = await world({ clock, dataDir: w.dataDir });
    expect(names(await again.get('/api/v1/leaderboards/daily?period=2026-11-29'))).toEqual([['bob', 3], ['ann', 2]]);
    expect(names(await again.get('/api/v1/leaderboards/daily'))).toEqual([['cy1', 1]]);
  });
});

describe('period resets', () => {
  it('publishes each periodic board\'s new, empty top when its period ends, once, and no other board', async () => {
    const w = await world();
    const ann = await w.player('ann');
    await w.click(ann.token, 2);
    const changes: BoardChanged[] = [];
    w.bus.subscribe('board.changed', (event) => void changes.push(event));

    await w.leaderboard?.turnPeriods();
    expect(changes).toEqual([]); // Friday still: nothing ended

    w.clock.now = Date.UTC(2026, 10, 28, 0, 0, 0, 1); // Saturday: a new day, the same week
    await w.leaderboard?.turnPeriods();
    await w.leaderboard?.turnPeriods();
    expect(changes.map((change) => [change.board, change.top])).toEqual([['daily', []]]);

    // Monday: a new week (the daily top was already empty and stays so: no change to publish).
    w.clock.now = Date.UTC(2026, 10, 30, 0, 0, 0, 1);
    await w.leaderboard?.turnPeriods();
    expect(changes.map((change) => [change.board, change.top])).toEqual([
      ['daily', []],
      ['weekly', []],
    ]);
    expect((await w.get('/api/v1/leaderboards/weekly')).json<Page>().total).toBe(0);
    expect((await w.get('/api/v1/leaderboards/global')).json<Page>().entries[0]?.score).toBe(2);
  });
});

describe('GET /api/v1/me/ranks', () => {
  it('answers my rank and score on every board where I am ranked, an empty list when nowhere', async () => {
    const w = await world({ clock: { now: Date.UTC(2026, 10, 27, 23, 55) } }); // Friday, 5 minutes before the daily reset
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    await w.click(bob.token, 3);
    await w.click(ann.token, 2);
    expect((await w.get('/api/v1/me/ranks', ann.token)).json()).toEqual({
      ranks: [
        { board: 'global', rank: 2, score: 2 },
        { board: 'daily', rank: 2, score: 2 },
        { board: 'weekly', rank: 2, score: 2 },
        { board: 'monthly', rank: 2, score: 2 },
      ],
    });

    // Saturday (the tokens are still valid): a new daily board; the week goes on.
    w.clock.now = Date.UTC(2026, 10, 28, 0, 0, 1);
    expect((await w.get('/api/v1/me/ranks', ann.token)).json()).toEqual({
      ranks: [
        { board: 'global', rank: 2, score: 2 },
        { board: 'weekly', rank: 2, score: 2 },
        { board: 'monthly', rank: 2, score: 2 },
      ],
    });
    const fresh = await w.player('nobody');
    const unranked = await w.get('/api/v1/me/ranks', fresh.token);
    expect(unranked.statusCode).toBe(200);
    expect(unranked.json()).toEqual({ ranks: [] });
    expectProblem(await w.get('/api/v1/me/ranks'), 401, 'unauthorized');
  });
});

describe('what the leaderboard tells the bus', () => {
  it('publishes one board.changed per burst with the new top, and user.rank for the mover', async () => {
    const w = await world();
    const changes: BoardChanged[] = [];
    const ranks: UserRank[] = [];
    w.bus.subscribe('board.changed', (event) => void changes.push(event));
    w.bus.subscribe('user.rank', (event) => void ranks.push(event));
    const ann = await w.player('ann');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.client.act(ann.token, { idempotencyKey: `burst-key-${i}` }),
      ),
    );
    await w.settled();
    const global = changes.filter((change) => change.board === 'global');
    expect(global.length).toBeLessThanOrEqual(3);
    expect(global.at(-1)?.top).toEqual([{ rank: 1, userId: ann.userId, username: 'ann', score: 20 }]);
    const seqs = global.map((change) => change.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(ranks.filter((rank) => rank.board === 'global').at(-1)).toEqual({ type: 'user.rank', userId: ann.userId, board: 'global', rank: 1, score: 20 });
  });

  it('ignores a repeated or late score.updated: a user never moves backwards', async () => {
    const w = await world();
    const ann = await w.player('ann');
    const events: Parameters<Parameters<typeof w.bus.subscribe<'score.updated'>>[1]>[0][] = [];
    w.bus.subscribe('score.updated', (event) => void events.push(event));
    await w.click(ann.token, 3);
    const stale = events[0];
    expect(stale?.totals[0]?.score).toBe(1);
    await w.leaderboard?.apply(stale as NonNullable<typeof stale>);
    await w.leaderboard?.apply(events[2] as NonNullable<typeof stale>);
    expect((await w.get(`/api/v1/leaderboards/global/users/${ann.userId}`)).json()).toMatchObject({ score: 3, rank: 1 });
  });
});

describe('restart', () => {
  it('rebuilds every board from the ledger, leaving banned users out', async () => {
    const clock = { now: T0 };
    const first = await world({ adminUsers: ['root'], clock });
    const ann = await first.player('ann');
    const bob = await first.player('bob');
    const eve = await first.player('eve');
    await first.click(ann.token, 4);
    await first.click(bob.token, 6);
    await first.click(eve.token, 9);
    const root = await first.player('root');
    await first.client.post(`/api/v1/admin/users/${eve.userId}/ban`, undefined, root.token);
    const before = (await first.get('/api/v1/leaderboards/global')).json<Page>();
    await first.close();

    const second = await world({ adminUsers: ['root'], dataDir: first.dataDir, clock });
    const after = (await second.get('/api/v1/leaderboards/global')).json<Page>();
    expect(after.entries).toEqual(before.entries);
    // "seq only grows", across restarts too: a client that kept the old seq takes nothing new for old.
    expect(after.seq).toBeGreaterThan(before.seq);
    expect((await second.get('/api/v1/leaderboards/daily')).json<Page>().entries.map((entry) => entry.username)).toEqual(['bob', 'ann']);
  });
});

describe('friends, standing and boards of any metric (boards v2)', () => {
  it('GET …/users?ids= answers the ranked ones among the ids, by rank, leaving unknown and unranked ids out', async () => {
    const w = await world();
    const [ann, bob, cid, dee] = [await w.player('ann'), await w.player('bob'), await w.player('cid'), await w.player('dee')];
    await w.click(ann.token, 1);
    await w.click(bob.token, 3);
    await w.click(cid.token, 2);
    const page = (await w.get(`/api/v1/leaderboards/global/users?ids=${[ann, dee, bob].map((p) => p.userId).join(',')},nobody,${ann.userId}`)).json<Page>();
    expect(page.entries.map((entry) => [entry.rank, entry.username, entry.score])).toEqual([
      [1, 'bob', 3],
      [3, 'ann', 1],
    ]);
    expect(page).toMatchObject({ board: 'global', total: 3 });
    expect(page.seq).toBeGreaterThan(0);
    const hundred = Array.from({ length: 100 }, (_, i) => `id-${i}`).join(',');
    expect((await w.get(`/api/v1/leaderboards/global/users?ids=${hundred}`)).statusCode).toBe(200);
    for (const bad of ['', 'ids=', `ids=${hundred},one-more`, 'ids=a,,b', 'ids=a%20b', `ids=${'x'.repeat(65)}`, 'ids=a&other=1']) {
      expectProblem(await w.get(`/api/v1/leaderboards/global/users?${bad}`), 400, 'invalid_request');
    }
  });

  it('gives a single entry its total and top percentage: rank 1 of 200 is 0.5', async () => {
    const w = await world();
    const players = [];
    for (let i = 0; i < 3; i += 1) players.push(await w.player(`tp${i}`));
    for (const [i, player] of players.entries()) await w.click(player.token, 3 - i);
    const last = players[2] as { userId: string; token: string };
    expect((await w.get(`/api/v1/leaderboards/global/users/${last.userId}`)).json()).toMatchObject({ rank: 3, total: 3, topPercent: 100 });
    expect((await w.get(`/api/v1/leaderboards/global/users/${(players[0] as { userId: string }).userId}`)).json()).toMatchObject({ rank: 1, total: 3, topPercent: 33.34 });
    expect((await w.get('/api/v1/leaderboards/global/me?radius=0', last.token)).json()).toMatchObject({ me: { rank: 3, total: 3, topPercent: 100 } });
  });

  it('ranks a speed-run board lowest first, each player by their best time', async () => {
    const w = await world();
    const run = async (token: string, ms: number) => {
      const { ticket } = (await w.client.start(token, 'sprint')).json<{ ticket: string }>();
      w.clock.now += ms;
      expect((await w.client.post('/api/v1/actions', { type: 'sprint', idempotencyKey: `sprint-${w.clock.now}`, ticket }, token)).statusCode).toBe(201);
    };
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    await run(ann.token, 6_000);
    await run(bob.token, 5_000);
    await run(ann.token, 4_000);
    await run(ann.token, 9_000);
    await w.settled();
    const page = (await w.get('/api/v1/leaderboards/fastest-sprint')).json<Page>();
    expect(page.entries.map((entry) => [entry.rank, entry.username, entry.score])).toEqual([
      [1, 'ann', 4_000],
      [2, 'bob', 5_000],
    ]);
    // The points of those runs count on the points boards as ever.
    expect((await w.get(`/api/v1/leaderboards/global/users/${ann.userId}`)).json()).toMatchObject({ score: 30 });
  });
});
