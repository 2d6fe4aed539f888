import { describe, expect, it } from 'vitest';
import { embeddedApp, expectProblem } from '../../test/helpers.js';
import type { BoardPage } from '../../test/support/test-client.js';
import type { BoardChanged } from '../platform/events.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0); // Friday noon UTC

describe('administration', () => {
  it('lets only an admin ban and unban', async () => {
    const w = await embeddedApp({ adminUsers: ['root'], now: () => T0 });
    const ann = await w.player('ann');
    expectProblem(await w.client.post(`/api/v1/admin/users/${ann.userId}/ban`, undefined, ann.token), 403, 'forbidden');
    expectProblem(await w.client.post(`/api/v1/admin/users/${ann.userId}/ban`), 401, 'unauthorized');
    const root = await w.player('root');
    expectProblem(await w.client.post('/api/v1/admin/users/no-such-user/ban', undefined, root.token), 404, 'not_found');
  });

  it('a ban takes the user off every board at once and stops scoring; unban restores the ledger totals', async () => {
    const w = await embeddedApp({ adminUsers: ['root'], now: () => T0 });
    const root = await w.player('root');
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    await w.click(ann.token, 5);
    await w.click(bob.token, 2);
    const changes: BoardChanged[] = [];
    w.bus.subscribe('board.changed', (event) => void changes.push(event));
    const admin = (action: string) => w.client.post(`/api/v1/admin/users/${ann.userId}/${action}`, undefined, root.token);

    expect((await admin('ban')).statusCode).toBe(204);
    for (const board of ['global', 'daily', 'weekly']) {
      expect((await w.client.get(`/api/v1/leaderboards/${board}`)).json<BoardPage>().entries.map((entry) => entry.username)).toEqual(['bob']);
    }
    expect(changes.find((change) => change.board === 'global')?.top.map((entry) => entry.username)).toEqual(['bob']);
    const refused = await w.client.act(ann.token, { idempotencyKey: 'after-ban-1' });
    expectProblem(refused, 403, 'forbidden');

    expect((await admin('unban')).statusCode).toBe(204);
    expect((await w.client.get('/api/v1/leaderboards/global')).json<BoardPage>().entries.map((entry) => [entry.username, entry.score])).toEqual([
      ['ann', 5],
      ['bob', 2],
    ]);
    await w.audit.flush();
    const audit = w.db.prepare("SELECT event, user_id FROM audit_log WHERE event LIKE 'user.%' ORDER BY id").all();
    expect(audit).toEqual([
      { event: 'user.banned', user_id: ann.userId },
      { event: 'user.unbanned', user_id: ann.userId },
    ]);
  });

  it('GET /admin/audit reads the log back newest first, at once, filtered and a page at a time; admins only', async () => {
    const w = await embeddedApp({ adminUsers: ['root'], now: () => T0 });
    const root = await w.player('root');
    const ann = await w.player('ann');
    const bob = await w.player('bob');
    const audit = (query: string, token = root.token) => w.client.get(`/api/v1/admin/audit${query}`, token);
    const act = (token: string, type: string, key: string) => w.client.act(token, { type, idempotencyKey: key });

    expectProblem(await act(ann.token, 'no-such-action', 'audit-key-1'), 422, 'unknown_action');
    expectProblem(await act(bob.token, 'quest', 'audit-key-2'), 422, 'ticket_required');
    expect((await w.client.post(`/api/v1/admin/users/${ann.userId}/ban`, undefined, root.token)).statusCode).toBe(204);

    // No wait for the buffer's interval: the route writes what is buffered before reading.
    const all = await audit('');
    expect(all.statusCode).toBe(200);
    const body = all.json<{ entries: { id: string; at: string; event: string; userId?: string; code?: string; detail?: string }[]; next: string | null }>();
    expect(body.entries.map((entry) => [entry.event, entry.userId, entry.code])).toEqual([
      ['user.banned', ann.userId, undefined],
      ['action.rejected', bob.userId, 'ticket_required'],
      ['action.rejected', ann.userId, 'unknown_action'],
    ]);
    expect(body.entries[0]?.detail).toBe(`by ${root.userId}`);
    expect(body.entries[0]?.at).toBe(new Date(T0).toISOString());
    expect(body.next).toBeNull();

    const anns = (await audit(`?userId=${ann.userId}`)).json<{ entries: { event: string }[] }>();
    expect(anns.entries.map((entry) => entry.event)).toEqual(['user.banned', 'action.rejected']);
    const rejections = (await audit('?event=action.rejected')).json<{ entries: { userId: string }[] }>();
    expect(rejections.entries.map((entry) => entry.userId)).toEqual([bob.userId, ann.userId]);

    const first = (await audit('?limit=2')).json<{ entries: { event: string }[]; next: string }>();
    expect(first.entries).toHaveLength(2);
    expect(first.next).toMatch(/^\d+$/);
    const second = (await audit(`?limit=2&before=${first.next}`)).json<{ entries: { code: string }[]; next: string | null }>();
    expect(second.entries.map((entry) => entry.code)).toEqual(['unknown_action']);
    expect(second.next).toBeNull();

    expectProblem(await audit('', bob.token), 403, 'forbidden');
    expectProblem(await w.client.get('/api/v1/admin/audit'), 401, 'unauthorized');
    for (const bad of ['?limit=0', '?limit=201', '?before=abc', '?before=0', '?userId=', '?sort=asc']) expectProblem(await audit(bad), 400, 'invalid_request');
  });
});

describe('server credentials', () => {
  it('creates a credential whose secret is shown once, lists it without secrets, and revokes it; admins only, every change audited', async () => {
    let clock = T0;
    const w = await embeddedApp({ adminUsers: ['root'], now: () => clock });
    const root = await w.player('root');
    const ann = await w.player('ann');
    const created = await w.client.post('/api/v1/admin/credentials', { name: 'match-server' }, root.token);
    expect(created.statusCode).toBe(201);
    const { name, secret } = created.json<{ name: string; secret: string }>();
    expect(name).toBe('match-server');
    expect(secret).toMatch(/^llb_sk_[A-Za-z0-9_-]{43}$/);
    // Stored as its SHA-256 only.
    const stored = w.db.prepare('SELECT * FROM server_credentials').all();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(7));

    expectProblem(await w.client.post('/api/v1/admin/credentials', { name: 'match-server' }, root.token), 409, 'conflict');
    for (const bad of [{ name: 'Match' }, { name: '' }, { name: 'x'.repeat(41) }, { name: 'a b' }, {}, { name: 'ok', secret: 'mine' }]) {
      expectProblem(await w.client.post('/api/v1/admin/credentials', bad, root.token), 400, 'invalid_request');
    }
    expectProblem(await w.client.post('/api/v1/admin/credentials', { name: 'sneaky' }, ann.token), 403, 'forbidden');
    expectProblem(await w.client.post('/api/v1/admin/credentials', { name: 'sneaky' }), 401, 'unauthorized');

    expect(await w.credentials.authenticate(secret)).toEqual({ name: 'match-server' });
    clock += 1_000;
    const listed = (await w.client.get('/api/v1/admin/credentials', root.token)).json<{ credentials: unknown[] }>();
    expect(listed.credentials).toEqual([{ name: 'match-server', createdAt: new Date(T0).toISOString(), lastUsedAt: new Date(T0).toISOString() }]);
    expectProblem(await w.client.get('/api/v1/admin/credentials', ann.token), 403, 'forbidden');

    expectProblem(await w.client.delete('/api/v1/admin/credentials/match-server', ann.token), 403, 'forbidden');
    expect((await w.client.delete('/api/v1/admin/credentials/match-server', root.token)).statusCode).toBe(204);
    expect(await w.credentials.authenticate(secret)).toBeUndefined();
    expectProblem(await w.client.delete('/api/v1/admin/credentials/match-server', root.token), 404, 'not_found');
    expect((await w.client.get('/api/v1/admin/credentials', root.token)).json()).toEqual({ credentials: [] });

    const audit = (await w.client.get('/api/v1/admin/audit?event=credential.created', root.token)).json<{ entries: { detail: string }[] }>();
    expect(audit.entries.map((entry) => entry.detail)).toEqual([`match-server by ${root.userId}`]);
  });

  it('refuses a malformed, unknown or revoked secret, and never looks up a malformed one', async () => {
    const w = await embeddedApp({ adminUsers: ['root'] });
    for (const secret of ['', 'llb_sk_', 'llb_sk_short', `llb_sk_${'A'.repeat(43)}`, `Bearer llb_sk_${'A'.repeat(43)}`, 'x'.repeat(10_000)]) {
      expect(await w.credentials.authenticate(secret)).toBeUndefined();
    }
  });
});

describe('GET /api/v1/admin/users (player search)', () => {
  it('finds players by the start of their name, any case, with whether each is banned; admins only; bad queries 400', async () => {
    const w = await embeddedApp({ adminUsers: ['root'], now: () => T0 });
    const root = await w.player('root');
    const players = await Promise.all(['Alice', 'alina', 'ALI_7', 'bob'].map((name) => w.player(name)));
    const alina = players[1] as (typeof players)[0];
    expect((await w.client.post(`/api/v1/admin/users/${alina.userId}/ban`, undefined, root.token)).statusCode).toBe(204);

    const search = (query: string, token = root.token) => w.client.get(`/api/v1/admin/users${query}`, token);
    const found = await search('?query=AL');
    expect(found.statusCode).toBe(200);
    expect(found.json<{ users: { username: string; banned: boolean; createdAt: string }[] }>().users.map((user) => [user.username, user.banned])).toEqual([
      ['ALI_7', false],
      ['Alice', false],
      ['alina', true],
    ]);
    expect((await search('?query=ali&limit=1')).json<{ users: unknown[] }>().users).toHaveLength(1);
    expect((await search('?query=zz')).json()).toEqual({ users: [] });
    expectProblem(await search('?query=al', alina.token), 403, 'forbidden');
    expectProblem(await w.client.get('/api/v1/admin/users?query=al'), 401, 'unauthorized');
    for (const query of ['', '?query=', '?query=a%25', '?query=a%20b', `?query=${'a'.repeat(33)}`, '?query=al&limit=0', '?query=al&limit=101']) {
      expectProblem(await search(query), 400, 'invalid_request');
    }
  });
});
