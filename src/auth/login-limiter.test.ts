import { afterEach, describe, expect, it, vi } from 'vitest';
import { embeddedApp, expectProblem, type EmbeddedAppOptions } from '../../test/helpers.js';
import { PasswordHasher } from './password-hasher.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** An auth-only app on a clock the test moves, with the login buckets given. */
async function world(options: Pick<EmbeddedAppOptions, 'loginRateLimitUser' | 'loginRateLimitIp' | 'trustProxy'>) {
  let clock = T0;
  const env = await embeddedApp({ ...options, score: false, now: () => clock });
  const register = (username: string) => env.client.register(username);
  const login = (username: string, remoteAddress: string, password = 'password-123', headers: Record<string, string> = {}) =>
    env.client.post('/api/v1/auth/login', { username, password }, undefined, { remoteAddress, headers });
  return { ...env, register, login, advance: (ms: number) => (clock += ms) };
}

afterEach(() => vi.restoreAllMocks());

describe('login rate limits', () => {
  it('limits guesses per username whatever the IP and the case, before any password is hashed', async () => {
    // The shipped defaults: 5 a minute, bursts of 10.
    const w = await world({ loginRateLimitUser: { perMin: 5, burst: 10 } });
    await w.register('alice');
    for (let i = 0; i < 10; i += 1) {
      expectProblem(await w.login(i % 2 ? 'alice' : 'ALICE', `10.0.0.${i}`, `wrong-guess-${i}`), 401, 'unauthorized');
    }
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');

    const limited = await w.login('Alice', '10.0.1.1');
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers).toMatchObject({ 'retry-after': '12', 'ratelimit-limit': '10', 'ratelimit-remaining': '0', 'ratelimit-reset': '120' });
    // Even the right password waits: the limit comes first and costs no scrypt.
    expectProblem(await w.login('alice', '10.0.1.2'), 429, 'rate_limited');
    expect(verify).not.toHaveBeenCalled();

    // Another account is untouched.
    await w.register('bob');
    expect((await w.login('bob', '10.0.1.1')).statusCode).toBe(200);
    expect(verify).toHaveBeenCalledTimes(1);

    // One token a 12 s. Logging in gives it back; a guess spends it.
    w.advance(12_000);
    expect((await w.login('alice', '10.0.1.3')).statusCode).toBe(200);
    expect((await w.login('alice', '10.0.1.3')).statusCode).toBe(200);
    expectProblem(await w.login('alice', '10.0.1.3', 'wrong-guess'), 401, 'unauthorized');
    expectProblem(await w.login('alice', '10.0.1.3'), 429, 'rate_limited');
  });

  it('counts only failed attempts: many players behind one address log in freely, guesses still run out', async () => {
    const w = await world({ loginRateLimitUser: { perMin: 5, burst: 2 }, loginRateLimitIp: { perMin: 60, burst: 3 } });
    const players = ['p-one', 'p-two', 'p-three', 'p-four'];
    for (const player of players) await w.register(player);
    for (let i = 0; i < 24; i += 1) expect((await w.login(players[i % players.length] as string, '10.0.0.1')).statusCode).toBe(200);

    for (let i = 0; i < 3; i += 1) expectProblem(await w.login(`guess-${i}`, '10.0.0.1', 'wrong-guess'), 401, 'unauthorized');
    expectProblem(await w.login('p-one', '10.0.0.1'), 429, 'rate_limited');
  });

  it('takes the tokens before hashing, so concurrent guesses cannot all slip past the limit', async () => {
    const w = await world({ loginRateLimitIp: { perMin: 60, burst: 3 } });
    await w.register('henry');
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => w.login('henry', '10.0.0.7', `wrong-guess-${i}`)));
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

  it('limits unknown usernames the same way, so a 429 says nothing about which accounts exist', async () => {
    const w = await world({ loginRateLimitUser: { perMin: 5, burst: 2 } });
    await w.register('carol');
    for (const name of ['carol', 'nobody-here']) {
      const answers = [await w.login(name, '10.0.0.1', 'wrong-guess'), await w.login(name, '10.0.0.2', 'wrong-guess'), await w.login(name, '10.0.0.3', 'wrong-guess')];
      expect(answers.map((answer) => answer.statusCode)).toEqual([401, 401, 429]);
    }
  });

  it('limits attempts per client IP across usernames, leaving other IPs alone', async () => {
    // The shipped defaults: 1 a second, bursts of 30.
    const w = await world({ loginRateLimitIp: { perMin: 60, burst: 30 } });
    await w.register('dave');
    for (let i = 0; i < 30; i += 1) expectProblem(await w.login(`user-${i}`, '10.9.9.9', 'wrong-guess'), 401, 'unauthorized');

    const limited = await w.login('dave', '10.9.9.9');
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers).toMatchObject({ 'retry-after': '1', 'ratelimit-limit': '30', 'ratelimit-remaining': '0' });
    expect((await w.login('dave', '10.9.9.10')).statusCode).toBe(200);
    w.advance(1_000);
    expect((await w.login('dave', '10.9.9.9')).statusCode).toBe(200);
  });

  it('spends nothing of a username bucket while the IP is over its limit', async () => {
    const w = await world({ loginRateLimitUser: { perMin: 5, burst: 2 }, loginRateLimitIp: { perMin: 60, burst: 1 } });
    await w.register('erin');
    expectProblem(await w.login('erin', '10.0.0.1', 'wrong-guess'), 401, 'unauthorized');
    for (let i = 0; i < 5; i += 1) expectProblem(await w.login('erin', '10.0.0.1', 'wrong-guess'), 429, 'rate_limited');
    // One of erin's two tokens is left for her from elsewhere.
    expect((await w.login('erin', '10.0.0.2')).statusCode).toBe(200);
  });

  it('counts refusals in /metrics by bucket', async () => {
    const w = await world({ loginRateLimitUser: { perMin: 5, burst: 1 } });
    await w.register('fay');
    expectProblem(await w.login('fay', '10.0.0.1', 'wrong-guess'), 401, 'unauthorized');
    expectProblem(await w.login('fay', '10.0.0.1'), 429, 'rate_limited');
    const metrics = (await w.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/auth_login_rate_limited_total\{bucket="user"\} 1/);
  });

  it('is off when its rate is 0', async () => {
    const w = await world({ loginRateLimitUser: { perMin: 0, burst: 1 }, loginRateLimitIp: { perMin: 60, burst: 0 } });
    await w.register('gus');
    for (let i = 0; i < 5; i += 1) expect((await w.login('gus', '10.0.0.1')).statusCode).toBe(200);
  });

  it('keys the per-IP bucket by the forwarded client address only behind a trusted proxy', async () => {
    const limits = { loginRateLimitIp: { perMin: 1, burst: 1 } };
    const direct = await world(limits);
    await direct.register('carol');
    // Not trusted: a forged X-Forwarded-For changes nothing, the connection's address counts.
    expectProblem(await direct.login('carol', '203.0.113.9', 'wrong-guess', { 'x-forwarded-for': '198.51.100.1' }), 401, 'unauthorized');
    expectProblem(await direct.login('carol', '203.0.113.9', 'wrong-guess', { 'x-forwarded-for': '198.51.100.2' }), 429, 'rate_limited');

    const proxied = await world({ ...limits, trustProxy: 'loopback' });
    await proxied.register('carol');
    // Behind the trusted balancer (loopback), each client has its own bucket.
    expectProblem(await proxied.login('carol', '127.0.0.1', 'wrong-guess', { 'x-forwarded-for': '198.51.100.1' }), 401, 'unauthorized');
    expectProblem(await proxied.login('carol', '127.0.0.1', 'wrong-guess', { 'x-forwarded-for': '198.51.100.2' }), 401, 'unauthorized');
    expectProblem(await proxied.login('carol', '127.0.0.1', 'wrong-guess', { 'x-forwarded-for': '198.51.100.2' }), 429, 'rate_limited');
  });
});
