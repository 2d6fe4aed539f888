import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, SERVICE_NAMES, loadConfig } from './config.js';

const CWD = path.resolve('/srv/live-leaderboard');

/** The ConfigError `loadConfig` throws for `env`; fails the test if it returns instead. */
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, CWD);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('matches the table in API.md "Starting it" when nothing is set', () => {
    const config = loadConfig({}, CWD);

    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(path.resolve(CWD, './data'));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect([...config.services]).toEqual(['auth', 'score', 'leaderboard', 'realtime']);
    expect(config.logLevel).toBe('info');
    expect(config.rateLimitUser).toEqual({ perSec: 10, burst: 20 });
    expect(config.rateLimitIp).toEqual({ perSec: 500, burst: 1000 });
    expect(config.rateLimitServer).toEqual({ perSec: 1000, burst: 2000 });
    expect(config.loginRateLimitUser).toEqual({ perSec: 5 / 60, burst: 10 });
    expect(config.loginRateLimitIp).toEqual({ perSec: 1, burst: 30 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.authUrl).toBeUndefined();
    expect(config.adminUsers.size).toBe(0);
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({ PORT: '', HOST: '  ', SERVICES: '', LOG_LEVEL: ' ', DATABASE_URL: '', AUTH_URL: '' }, CWD);

    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.services.size).toBe(SERVICE_NAMES.length);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.authUrl).toBeUndefined();
  });

  it('resolves a relative DATA_DIR against cwd and keeps an absolute one', () => {
    expect(loadConfig({ DATA_DIR: 'state/db' }, CWD).dataDir).toBe(path.resolve(CWD, 'state/db'));
    const absolute = path.resolve('/var/lib/ll');
    expect(loadConfig({ DATA_DIR: absolute }, CWD).dataDir).toBe(absolute);
  });
});

describe('loadConfig overrides', () => {
  it('accepts PORT=0 (pick a free port) and the top of the range', () => {
    expect(loadConfig({ PORT: '0' }, CWD).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }, CWD).port).toBe(65_535);
    expect(loadConfig({ PORT: ' 8080 ' }, CWD).port).toBe(8080);
  });

  it('reads HOST and LOG_LEVEL', () => {
    const config = loadConfig({ HOST: '0.0.0.0', LOG_LEVEL: 'debug' }, CWD);
    expect(config.host).toBe('0.0.0.0');
    expect(config.logLevel).toBe('debug');
  });

  it('reads DURABILITY: fsync by default, os on request, anything else refused by name', () => {
    expect(loadConfig({}, CWD).durability).toBe('fsync');
    expect(loadConfig({ DURABILITY: 'os' }, CWD).durability).toBe('os');
    expect(() => loadConfig({ DURABILITY: 'sometimes' }, CWD)).toThrow(/DURABILITY/);
  });

  it('runs only the services SERVICES names', () => {
    const config = loadConfig({ SERVICES: 'auth,score' }, CWD);
    expect([...config.services].sort()).toEqual(['auth', 'score']);
    expect(config.services.has('leaderboard')).toBe(false);
    expect(config.services.has('realtime')).toBe(false);
  });

  it('trims and lower-cases ADMIN_USERS', () => {
    const config = loadConfig({ ADMIN_USERS: ' Alice, bob ' }, CWD);
    expect([...config.adminUsers].sort()).toEqual(['alice', 'bob']);
  });

  it('lets a rate limit be turned off with 0 and accepts fractional rates', () => {
    const config = loadConfig({ RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_USER_BURST: '5', RATE_LIMIT_IP_PER_SEC: '2.5' }, CWD);
    expect(config.rateLimitUser).toEqual({ perSec: 0, burst: 5 });
    expect(config.rateLimitIp).toEqual({ perSec: 2.5, burst: 1000 });
    expect(loadConfig({ RATE_LIMIT_SERVER_PER_SEC: '50', RATE_LIMIT_SERVER_BURST: '60' }, CWD).rateLimitServer).toEqual({ perSec: 50, burst: 60 });
  });

  it('reads login limits per minute, stores them per second, and lets 0 turn them off', () => {
    const config = loadConfig(
      { LOGIN_RATE_LIMIT_USER_PER_MIN: '3', LOGIN_RATE_LIMIT_USER_BURST: '4', LOGIN_RATE_LIMIT_IP_PER_MIN: '0', LOGIN_RATE_LIMIT_IP_BURST: '7' },
      CWD,
    );
    expect(config.loginRateLimitUser).toEqual({ perSec: 0.05, burst: 4 });
    expect(config.loginRateLimitIp).toEqual({ perSec: 0, burst: 7 });
    expect(loadConfig({ LOGIN_RATE_LIMIT_IP_PER_MIN: '90' }, CWD).loginRateLimitIp).toEqual({ perSec: 1.5, burst: 30 });
  });

  it('parses AUTH_URL into a URL', () => {
    const config = loadConfig({ AUTH_URL: 'http://auth.internal:3000' }, CWD);
    expect(config.authUrl).toBeInstanceOf(URL);
    expect(config.authUrl?.href).toBe('http://auth.internal:3000/');
    expect(loadConfig({ AUTH_URL: 'https://auth.example.com/base/' }, CWD).authUrl?.protocol).toBe('https:');
  });

  it('accepts postgres and redis URLs', () => {
    const config = loadConfig(
      { DATABASE_URL: 'postgres://ll:pw@db.internal:5432/leaderboard', REDIS_URL: 'redis://cache.internal:6379/0' },
      CWD,
    );
    expect(config.databaseUrl).toBe('postgres://ll:pw@db.internal:5432/leaderboard');
    expect(config.redisUrl).toBe('redis://cache.internal:6379/0');

    const alternatives = loadConfig({ DATABASE_URL: 'postgresql://db/ll', REDIS_URL: 'rediss://cache:6380' }, CWD);
    expect(alternatives.databaseUrl).toBe('postgresql://db/ll');
    expect(alternatives.redisUrl).toBe('rediss://cache:6380');
  });
});

describe('TRUST_PROXY', () => {
  it('believes no proxy by default, or a hop count, or named addresses', () => {
    expect(loadConfig({}, CWD).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }, CWD).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }, CWD).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
  });
});

describe('distributed mode needs both stores', () => {
  it.each([['DATABASE_URL', 'postgres://db/ll'], ['REDIS_URL', 'redis://cache:6379']])('refuses %s without the other', (variable, value) => {
    expect(() => loadConfig({ [variable]: value }, CWD)).toThrow(/DATABASE_URL and REDIS_URL go together/);
  });

  it('takes a Redis key prefix, llb by default', () => {
    expect(loadConfig({}, CWD).redisKeyPrefix).toBe('llb');
    expect(loadConfig({ REDIS_KEY_PREFIX: 'game-7.prod' }, CWD).redisKeyPrefix).toBe('game-7.prod');
  });
});

describe('CORS_ORIGINS', () => {
  it('is unset by default (same origin only), takes * or a list of origins', () => {
    expect(loadConfig({}, CWD).corsOrigins).toBeUndefined();
    expect(loadConfig({ CORS_ORIGINS: '*' }, CWD).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: 'https://game.example, http://127.0.0.1:8080' }, CWD).corsOrigins).toEqual(['https://game.example', 'http://127.0.0.1:8080']);
  });
});

describe('webhooks', () => {
  const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

  it('are off by default, and take receivers with a Standard Webhooks secret', () => {
    expect(loadConfig({}, CWD)).toMatchObject({ webhookUrls: [], webhookSecret: undefined });
    const config = loadConfig({ WEBHOOK_URLS: 'https://prizes.example/hook, http://127.0.0.1:9000/h,https://prizes.example/hook', WEBHOOK_SECRET: secret }, CWD);
    expect(config.webhookUrls).toEqual(['https://prizes.example/hook', 'http://127.0.0.1:9000/h']);
    expect(config.webhookSecret).toEqual(Buffer.alloc(24, 7));
  });

  it('refuse receivers without a secret', () => {
    expect(configErrorOf({ WEBHOOK_URLS: 'https://prizes.example/hook' }).message).toMatch(/WEBHOOK_URLS needs WEBHOOK_SECRET/);
  });
});

describe('loadConfig rejects bad values', () => {
  const cases: ReadonlyArray<readonly [variable: string, value: string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '30.5'],
    ['SERVICES', 'auth,bogus'],
    ['SERVICES', ' , '],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['AUTH_URL', 'notaurl'],
    ['AUTH_URL', 'ftp://auth.internal'],
    ['RATE_LIMIT_IP_BURST', '-5'],
    ['RATE_LIMIT_SERVER_PER_SEC', 'fast'],
    ['RATE_LIMIT_USER_PER_SEC', 'fast'],
    ['LOGIN_RATE_LIMIT_USER_PER_MIN', '-1'],
    ['LOGIN_RATE_LIMIT_USER_BURST', 'ten'],
    ['LOGIN_RATE_LIMIT_IP_PER_MIN', '1e3'],
    ['LOGIN_RATE_LIMIT_IP_BURST', '30/s'],
    ['REDIS_KEY_PREFIX', 'has space'],
    ['TRUST_PROXY', 'everyone'],
    ['TRUST_PROXY', '0'],
    ['REDIS_KEY_PREFIX', 'x'.repeat(65)],
    ['CORS_ORIGINS', 'https://game.example/'],
    ['CORS_ORIGINS', 'game.example'],
    ['CORS_ORIGINS', 'https://game.example/play'],
    ['WEBHOOK_URLS', 'ftp://prizes.example'],
    ['WEBHOOK_URLS', 'https://ok.example,not a url'],
    ['WEBHOOK_SECRET', 'c2VjcmV0'],
    ['WEBHOOK_SECRET', 'whsec_c2hvcnQ='],
    ['WEBHOOK_SECRET', 'whsec_not*base64'],
  ];

  // URLs that may carry credentials are named but never echoed.
  const SECRET_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'WEBHOOK_SECRET']);

  it.each(cases)('%s=%j throws a one-line ConfigError naming the variable (and the value unless secret)', (variable, value) => {
    const error = configErrorOf({ [variable]: value });

    expect(error.name).toBe('ConfigError');
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain(variable);
    if (SECRET_VARIABLES.has(variable)) expect(error.message).not.toContain(value);
    else expect(error.message).toContain(JSON.stringify(value));
  });

  it('never puts a password from a bad DATABASE_URL into the message', () => {
    expect(configErrorOf({ DATABASE_URL: 'mysql://user:hunter2@db' }).message).not.toContain('hunter2');
  });

  it('names an unknown service in the message', () => {
    expect(configErrorOf({ SERVICES: 'auth,bogus' }).message).toMatch(/SERVICES .*bogus/);
  });

  it('keeps the message on one line even when the bad value holds a newline', () => {
    const error = configErrorOf({ LOG_LEVEL: 'info\nwarn' });
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('LOG_LEVEL');
  });

  it('names every bad variable in one message', () => {
    const error = configErrorOf({
      PORT: 'abc',
      SERVICES: 'auth,bogus',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      AUTH_URL: 'notaurl',
      RATE_LIMIT_IP_BURST: '-5',
      HOST: '0.0.0.0',
    });

    expect(error.message).not.toContain('\n');
    for (const [variable, value] of [
      ['PORT', 'abc'],
      ['SERVICES', 'auth,bogus'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'mysql://x'],
      ['REDIS_URL', 'http://x'],
      ['AUTH_URL', 'notaurl'],
      ['RATE_LIMIT_IP_BURST', '-5'],
    ] as const) {
      expect(error.message).toContain(variable);
      if (!SECRET_VARIABLES.has(variable)) expect(error.message).toContain(JSON.stringify(value));
    }
    expect(error.message).not.toContain('HOST');
  });
});
