import path from 'node:path';

/** The services one process can run; `SERVICES` picks a subset. */
export const SERVICE_NAMES = ['auth', 'score', 'leaderboard', 'realtime'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/**
 * What a `201` survives (docs/RELIABILITY.md "Durability"): `fsync`, the loss of power (each
 * commit reaches the disk before it is answered); `os`, a crash of the process (the commit is
 * in the operating system's hands, which writes it out within moments).
 */
export const DURABILITY_LEVELS = ['fsync', 'os'] as const;
export type Durability = (typeof DURABILITY_LEVELS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A token bucket; `perSec` 0 turns the limit off. */
export interface RateLimitConfig {
  perSec: number;
  burst: number;
}

/** Everything the process reads from its environment, validated. See docs/API.md "Starting it". */
export interface Config {
  /** @default 3000 (0 picks a free port) */
  port: number;
  /** @default '127.0.0.1' */
  host: string;
  /** Absolute path; embedded mode keeps the SQLite file and signing keys here. @default './data' */
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so deployments (and tests) can share one Redis. @default 'llb' */
  redisKeyPrefix: string;
  /** @default every service */
  services: ReadonlySet<ServiceName>;
  /** @default 'info' */
  logLevel: LogLevel;
  /** What an acknowledged write survives: power loss (`fsync`) or a process crash (`os`). @default 'fsync' */
  durability: Durability;
  /** Lower-cased usernames that carry the `admin` role. */
  adminUsers: ReadonlySet<string>;
  rateLimitUser: RateLimitConfig;
  rateLimitIp: RateLimitConfig;
  /** Server actions per game-server credential. @default 1000/s, burst 2000 */
  rateLimitServer: RateLimitConfig;
  /** Login attempts per typed username (lower-cased), in tokens per second. @default 5/min, burst 10 */
  loginRateLimitUser: RateLimitConfig;
  /** Login attempts per client IP, in tokens per second. @default 1/s, burst 30 */
  loginRateLimitIp: RateLimitConfig;
  /** Base URL of an auth node whose JWKS verifiers fetch; unset → read the shared key store. */
  authUrl: URL | undefined;
  /** Absolute path of an action catalog file; unset → the shipped `config/actions.json`. */
  actionCatalog: string | undefined;
  /** Absolute path of a board definitions file; unset → the shipped `config/boards.json`. */
  boardConfig: string | undefined;
  /** WebSocket coalescing window: at most one update per board per window. @default 50 */
  realtimeWindowMs: number;
  /** When set, only these `Origin`s may open a WebSocket; unset, those of `corsOrigins` (and the server's own), or any when that is unset too. */
  wsAllowedOrigins: readonly string[] | undefined;
  /** Origins whose pages may call the HTTP API (`CORS_ORIGINS`): a list, `*` for any, unset for the same origin only. */
  corsOrigins: readonly string[] | '*' | undefined;
  /** Whose `X-Forwarded-For` gives the client address (per-IP limits, audit). @default false */
  trustProxy: TrustProxy;
  /** Distributed mode: how long a dead node's stream entries and outbox rows wait before another node takes them. @default 30000 */
  takeoverAfterMs: number;
  /** Receivers of outgoing webhooks (`WEBHOOK_URLS`); none → no webhooks. */
  webhookUrls: readonly string[];
  /** The key webhooks are signed with (`WEBHOOK_SECRET`, `whsec_` + base64, decoded); set whenever `webhookUrls` is. */
  webhookSecret: Buffer | undefined;
}

/** Proxies whose `X-Forwarded-For` is believed: none, a hop count, or addresses/CIDRs (and `loopback`, `linklocal`, `uniquelocal`). */
export type TrustProxy = false | number | readonly string[];

/** Thrown when the environment holds a bad value; `message` is one line naming every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration. Collects every problem before failing, so an
 * operator fixes them all in one go instead of one restart per typo.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  // `secret` values (URLs that may carry passwords) are never echoed into the message.
  const read = <T>(name: string, fallback: T, parse: (raw: string) => T, { secret = false } = {}): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    try {
      return parse(raw.trim());
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      problems.push(`${name} ${error.message}${secret ? '' : ` (got ${JSON.stringify(raw)})`}`);
      return fallback;
    }
  };

  const config: Config = {
    port: read('PORT', 3000, (raw) => parseIntegerIn(raw, 0, 65_535)),
    host: read('HOST', '127.0.0.1', (raw) => raw),
    dataDir: path.resolve(cwd, read('DATA_DIR', './data', (raw) => raw)),
    databaseUrl: read<string | undefined>('DATABASE_URL', undefined, (raw) => parseUrl(raw, ['postgres:', 'postgresql:']).href, {
      secret: true,
    }),
    redisUrl: read<string | undefined>('REDIS_URL', undefined, (raw) => parseUrl(raw, ['redis:', 'rediss:']).href, { secret: true }),
    redisKeyPrefix: read('REDIS_KEY_PREFIX', 'llb', (raw) => {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) throw new InvalidValue('must be 1–64 letters, digits, dots, dashes or underscores');
      return raw;
    }),
    services: read<ReadonlySet<ServiceName>>('SERVICES', new Set(SERVICE_NAMES), parseServices),
    logLevel: read<LogLevel>('LOG_LEVEL', 'info', (raw) => parseOneOf(raw, LOG_LEVELS)),
    durability: read<Durability>('DURABILITY', 'fsync', (raw) => parseOneOf(raw, DURABILITY_LEVELS)),
    adminUsers: read<ReadonlySet<string>>('ADMIN_USERS', new Set(), (raw) => new Set(splitList(raw).map((u) => u.toLowerCase()))),
    rateLimitUser: {
      perSec: read('RATE_LIMIT_USER_PER_SEC', 10, parseRate),
      burst: read('RATE_LIMIT_USER_BURST', 20, parseRate),
    },
    rateLimitIp: {
      perSec: read('RATE_LIMIT_IP_PER_SEC', 500, parseRate),
      burst: read('RATE_LIMIT_IP_BURST', 1000, parseRate),
    },
    rateLimitServer: {
      perSec: read('RATE_LIMIT_SERVER_PER_SEC', 1000, parseRate),
      burst: read('RATE_LIMIT_SERVER_BURST', 2000, parseRate),
    },
    // Configured per minute (the natural unit for login attempts), stored per second like every bucket.
    loginRateLimitUser: {
      perSec: read('LOGIN_RATE_LIMIT_USER_PER_MIN', 5, parseRate) / 60,
      burst: read('LOGIN_RATE_LIMIT_USER_BURST', 10, parseRate),
    },
    loginRateLimitIp: {
      perSec: read('LOGIN_RATE_LIMIT_IP_PER_MIN', 60, parseRate) / 60,
      burst: read('LOGIN_RATE_LIMIT_IP_BURST', 30, parseRate),
    },
    authUrl: read<URL | undefined>('AUTH_URL', undefined, (raw) => parseUrl(raw, ['http:', 'https:'])),
    actionCatalog: read<string | undefined>('ACTION_CATALOG', undefined, (raw) => path.resolve(cwd, raw)),
    boardConfig: read<string | undefined>('BOARD_CONFIG', undefined, (raw) => path.resolve(cwd, raw)),
    realtimeWindowMs: read('REALTIME_WINDOW_MS', 50, (raw) => parseIntegerIn(raw, 1, 10_000)),
    wsAllowedOrigins: read<readonly string[] | undefined>('WS_ALLOWED_ORIGINS', undefined, splitList),
    corsOrigins: read<readonly string[] | '*' | undefined>('CORS_ORIGINS', undefined, parseOrigins),
    trustProxy: read<TrustProxy>('TRUST_PROXY', false, parseTrustProxy),
    takeoverAfterMs: read('TAKEOVER_AFTER_MS', 30_000, (raw) => parseIntegerIn(raw, 100, 3_600_000)),
    webhookUrls: read<readonly string[]>('WEBHOOK_URLS', [], (raw) => [...new Set(splitList(raw).map((url) => parseUrl(url, ['http:', 'https:']).href))]),
    webhookSecret: read<Buffer | undefined>('WEBHOOK_SECRET', undefined, parseWebhookSecret, { secret: true }),
  };

  if (config.webhookUrls.length > 0 && config.webhookSecret === undefined && env.WEBHOOK_SECRET === undefined) {
    problems.push('WEBHOOK_URLS needs WEBHOOK_SECRET (whsec_ + base64 of at least 24 random bytes) to sign what it sends');
  }

  // Half a distributed deployment would silently keep state in this process: refuse it.
  if ((config.databaseUrl === undefined) !== (config.redisUrl === undefined)) {
    problems.push('DATABASE_URL and REDIS_URL go together: set both for distributed mode, or neither for embedded mode');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return config;
}

/** A parser's complaint about one value; `loadConfig` prefixes the variable's name. */
class InvalidValue extends Error {}

function parseIntegerIn(raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new InvalidValue(`must be an integer from ${min} to ${max}`);
  return value;
}

function parseRate(raw: string): number {
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new InvalidValue('must be a number ≥ 0');
  return Number(raw);
}

function parseOneOf<T extends string>(raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new InvalidValue(`must be one of ${allowed.join(', ')}`);
  return raw as T;
}

function parseUrl(raw: string, protocols: readonly string[]): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol)) {
    throw new InvalidValue(`must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return url;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IPV4_OR_CIDR = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const IPV6_OR_CIDR = /^[0-9a-f:]+(\/\d{1,3})?$/i;

function parseTrustProxy(raw: string): TrustProxy {
  if (/^\d+$/.test(raw)) return parseIntegerIn(raw, 1, 10);
  const items = splitList(raw);
  const bad = items.filter((item) => !PROXY_NAMES.has(item) && !IPV4_OR_CIDR.test(item) && !(item.includes(':') && IPV6_OR_CIDR.test(item)));
  if (items.length === 0 || bad.length > 0) {
    throw new InvalidValue('must be a hop count (1–10) or a list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal)');
  }
  return items;
}

/** `*`, or a list of origins (`scheme://host[:port]`, no path), as browsers send them in `Origin`. */
function parseOrigins(raw: string): readonly string[] | '*' {
  if (raw === '*') return '*';
  return splitList(raw).map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new InvalidValue('must be * or comma-separated origins such as https://game.example (scheme, host and port; no path or trailing slash)');
    }
    return origin;
  });
}

/** A Standard Webhooks secret: `whsec_` and the base64 of the key (24 to 64 bytes). */
function parseWebhookSecret(raw: string): Buffer {
  const encoded = raw.startsWith('whsec_') ? raw.slice('whsec_'.length) : undefined;
  const key = encoded !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  if (!key || key.length < 24 || key.length > 64) throw new InvalidValue('must be whsec_ followed by the base64 of 24 to 64 random bytes');
  return key;
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseServices(raw: string): ReadonlySet<ServiceName> {
  const names = splitList(raw);
  const unknown = names.filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new InvalidValue(`names unknown services ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  if (names.length === 0) throw new InvalidValue('must name at least one service');
  return new Set(names as ServiceName[]);
}
