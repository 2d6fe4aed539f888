import { describe, expect, it } from 'vitest';
import { embeddedApp } from '../../test/helpers.js';

describe('cacheable public reads', () => {
  it('tag a board page with its seq and period, answer 304 to the current tag, and a new tag once the board moved', async () => {
    const w = await embeddedApp();
    const ann = await w.player('ann');
    await w.click(ann.token, 2);
    const conditional = (path: string, tag?: string) => w.client.request({ method: 'GET', path, headers: tag === undefined ? {} : { 'if-none-match': tag } });

    const first = await conditional('/api/v1/leaderboards/global?limit=5');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=1');
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"global\.all\.\d+"$/);

    const again = await conditional('/api/v1/leaderboards/global?limit=5', tag);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await conditional('/api/v1/leaderboards/global?limit=5', `"x", ${tag}`)).statusCode).toBe(304);
    expect((await conditional('/api/v1/leaderboards/global?limit=5', '*')).statusCode).toBe(304);
    expect((await conditional('/api/v1/leaderboards/global?limit=5', 'W/"global.all.0"')).statusCode).toBe(200);

    await w.click(ann.token, 1);
    const moved = await conditional('/api/v1/leaderboards/global?limit=5', tag);
    expect(moved.statusCode).toBe(200);
    expect(moved.headers.etag).not.toBe(tag);
    expect(moved.json<{ entries: { score: number }[] }>().entries[0]?.score).toBe(3);

    // The daily board's tag names its period; a user's entry and a friends list are tagged too.
    expect((await conditional('/api/v1/leaderboards/daily')).headers.etag).toMatch(/^W\/"daily\.\d{4}-\d{2}-\d{2}\.\d+"$/);
    for (const path of [`/api/v1/leaderboards/global/users/${ann.userId}`, `/api/v1/leaderboards/global/users?ids=${ann.userId}`]) {
      const read = await conditional(path);
      expect(read.statusCode).toBe(200);
      expect((await conditional(path, read.headers.etag as string)).statusCode).toBe(304);
    }
  });

  it('leave reads with a bearer uncached, and errors untagged', async () => {
    const w = await embeddedApp();
    const ann = await w.player('ann');
    await w.click(ann.token, 1);
    const mine = await w.client.get('/api/v1/leaderboards/global/me', ann.token);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers.etag).toBeUndefined();
    const withBearer = await w.client.get('/api/v1/leaderboards/global', ann.token);
    expect(withBearer.headers.etag).toBeUndefined();
    const unknown = await w.client.get('/api/v1/leaderboards/nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.etag).toBeUndefined();
    expect((await w.client.get('/api/v1/leaderboards/daily?period=2020-01-01')).headers.etag).toBeUndefined();
  });
});

describe('CORS_ORIGINS', () => {
  const preflight = (w: Awaited<ReturnType<typeof embeddedApp>>, origin: string) =>
    w.app.inject({ method: 'OPTIONS', url: '/api/v1/actions', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('answers preflights and echoes an allowed origin; another origin gets no CORS headers', async () => {
    const w = await embeddedApp({ corsOrigins: 'https://game.example,http://127.0.0.1:8080' });
    const allowed = await preflight(w, 'https://game.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://game.example');
    expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/authorization/);
    expect(String(allowed.headers['access-control-allow-methods'])).toMatch(/POST/);
    const refused = await preflight(w, 'https://evil.example');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    const read = await w.app.inject({ method: 'GET', url: '/api/v1/leaderboards/global', headers: { origin: 'http://127.0.0.1:8080' } });
    expect(read.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8080');
    expect(String(read.headers['access-control-expose-headers'])).toMatch(/etag/);
    expect(String(read.headers.vary)).toMatch(/Origin/i);
  });

  it('allows any origin with *, and none but the same origin when unset', async () => {
    const any = await embeddedApp({ corsOrigins: '*' });
    expect((await preflight(any, 'https://anywhere.example')).headers['access-control-allow-origin']).toBe('*');
    const none = await embeddedApp();
    const refused = await preflight(none, 'https://game.example');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /api/v1/admin/leaderboards/{board}/export', () => {
  it('streams every ranked player as CSV, by rank, to an admin only', async () => {
    const w = await embeddedApp({ adminUsers: ['root'] });
    const root = await w.player('root');
    const players = await Promise.all(['ann', 'bob', 'cid'].map((name) => w.player(name)));
    for (const [i, player] of players.entries()) await w.click(player.token, 3 - i);
    const exported = await w.client.get('/api/v1/admin/leaderboards/global/export', root.token);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="global-all.csv"');
    const [ann, bob, cid] = players as [(typeof players)[0], (typeof players)[0], (typeof players)[0]];
    expect(exported.body).toBe(`rank,userId,username,score\n1,${ann.userId},ann,3\n2,${bob.userId},bob,2\n3,${cid.userId},cid,1\n`);
    expect((await w.client.get('/api/v1/admin/leaderboards/daily/export', root.token)).body.split('\n')).toHaveLength(5);
    expect((await w.client.get('/api/v1/admin/leaderboards/best-match/export', root.token)).body).toBe('rank,userId,username,score\n');

    expect((await w.client.get('/api/v1/admin/leaderboards/global/export', ann.token)).statusCode).toBe(403);
    expect((await w.client.get('/api/v1/admin/leaderboards/global/export')).statusCode).toBe(401);
    expect((await w.client.get('/api/v1/admin/leaderboards/nope/export', root.token)).statusCode).toBe(404);
    expect((await w.client.get('/api/v1/admin/leaderboards/daily/export?period=2026-11', root.token)).statusCode).toBe(400);
    expect((await w.client.get('/api/v1/admin/leaderboards/daily/export?period=2020-01-01', root.token)).statusCode).toBe(404);
  });
});
