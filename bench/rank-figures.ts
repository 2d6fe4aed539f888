/**
 * The rank index at N users, ours beside Redis on the same data. Used by `bench/run.ts` and
 * `bench/rank-index.ts`.
 *
 * Ours (`InMemoryRankIndex`, in this process): each kind of call timed one by one through the
 * synchronous methods the service uses on its hot path (throughput and p99), and a mixed
 * query loop through the async port (`await index.range(…)`, `await index.rankOf(…)`), the way
 * a caller that does not know the adapter would use it.
 *
 * Redis (a sorted set under a `bench:` key, deleted afterwards): the same users and scores,
 * the same kinds of calls over one ioredis connection, pipelined in batches of
 * `REDIS_BATCH` (the fastest way a client can use one connection). Plain scores and
 * ZINCRBY/ZREVRANGE/ZREVRANK: no tie-break member, no Lua, so Redis's figure is its ceiling,
 * not what a complete Redis adapter would reach.
 *
 * The mixed workload, for both: queries cycle top 10 → rank of a random user → around a
 * random user (his rank, then the 11 entries around it), each counted as one query;
 * `rankVsRedis` = our mixed queries/s ÷ Redis's mixed queries/s.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { InMemoryRankIndex } from '../src/leaderboard/in-memory-rank-index.js';
import type { RankRow } from '../src/leaderboard/rank-index.js';
import type { Log } from './score-load.js';

export interface RankOptions {
  users: number;
  /** Calls timed per kind. */
  ops: number;
}

export interface OpFigure {
  perSec: number;
  p99Ms: number;
}

export interface InMemoryRankFigures {
  users: number;
  inserts: OpFigure;
  updates: OpFigure;
  top10: OpFigure;
  rankOf: OpFigure;
  aroundMe: OpFigure;
  /** Mixed queries/s through the async port. */
  mixedQueriesPerSec: number;
  /** The worst p99 of top 10, rank-of and around-me. */
  rankP99Ms: number;
  /** Heap growth per user after a GC: the index's structures only (undefined without --expose-gc). */
  bytesPerRankedUser: number | undefined;
  /** The same with the 36-character id strings the index keeps. */
  bytesPerRankedUserWithIds: number | undefined;
}

export interface RedisRankFigures {
  users: number;
  loadSeconds: number;
  updatesPerSec: number;
  top10PerSec: number;
  rankOfPerSec: number;
  aroundMePerSec: number;
  mixedQueriesPerSec: number;
  /** One un-pipelined ZREVRANGE top 10, awaited, p99: a round trip. */
  roundTripP99Ms: number;
  /** `MEMORY USAGE` of the sorted set ÷ users. */
  bytesPerRankedUser: number;
}

/** Pipelined commands per round trip. */
export const REDIS_BATCH = 1000;

export const benchUserId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A seeded generator, so ours and Redis see the same users in the same order. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** The users' starting scores, the same for ours and Redis. */
function initialScores(users: number): Float64Array {
  const random = seededRandom(7);
  return Float64Array.from({ length: users }, () => Math.floor(random() * 1_000_000));
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const canGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';
const heapUsed = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

/** Runs `operation` `count` times, timing each call: throughput and p99 in ms. */
function measure(log: Log, label: string, count: number, operation: (i: number) => unknown): OpFigure {
  const samples = new Float64Array(count);
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const t = performance.now();
    operation(i);
    samples[i] = performance.now() - t;
  }
  const perSec = Math.round(count / ((performance.now() - started) / 1000));
  samples.sort();
  const p99Ms = Number((samples[Math.floor(count * 0.99)] ?? 0).toFixed(4));
  log(`  ours  ${label.padEnd(24)} ${perSec.toLocaleString('en-US').padStart(12)} /s   p99 ${p99Ms} ms`);
  return { perSec, p99Ms };
}

/** Builds our index one update at a time and measures it; the index is returned for more use. */
export async function measureInMemoryRank(options: RankOptions, log: Log): Promise<{ figures: InMemoryRankFigures; index: InMemoryRankIndex }> {
  const { users, ops } = options;
  if (!canGc()) log('  (no --expose-gc: the memory figure is skipped)');
  const scores = initialScores(users);
  gc();
  const heapEmpty = heapUsed();
  // Ids are created before the index so both figures are measured: the index's own structures,
  // and those plus the 36-character id strings it keeps (a server holds both).
  const ids = Array.from({ length: users }, (_, i) => benchUserId(i));
  gc();
  const heapBefore = heapUsed();

  const index = new InMemoryRankIndex();
  log(`  ours: loading ${users.toLocaleString('en-US')} users one update at a time…`);
  const inserts = measure(log, 'insert (new user)', users, (i) => index.setSync(ids[i] as string, scores[i] as number, i, i + 1));
  gc();
  const heapAfter = heapUsed();

  const random = seededRandom(11);
  const someone = (): string => ids[Math.floor(random() * users)] as string;
  const updates = measure(log, 'update (score grows)', ops, (i) => {
    const id = someone();
    index.setSync(id, (index.rankOfSync(id)?.score ?? 0) + 1 + Math.floor(random() * 1000), users + i, users + i + 1);
  });
  const top10 = measure(log, 'top 10', ops, () => index.rangeSync(0, 10));
  const rankOf = measure(log, 'rank of a user', ops, () => index.rankOfSync(someone()));
  const aroundMe = measure(log, 'around me (radius 5)', ops, () => {
    const me = index.rankOfSync(someone());
    if (me) index.rangeSync(Math.max(0, me.rank - 6), 11);
  });

  const mixedRandom = seededRandom(13);
  const started = performance.now();
  for (let i = 0; i < ops; i += 1) {
    const kind = i % 3;
    if (kind === 0) await index.range(0, 10);
    else {
      const me = await index.rankOf(ids[Math.floor(mixedRandom() * users)] as string);
      if (kind === 2 && me) await index.range(Math.max(0, me.rank - 6), 11);
    }
  }
  const mixedQueriesPerSec = Math.round(ops / ((performance.now() - started) / 1000));
  log(`  ours  ${'mixed, async port'.padEnd(24)} ${mixedQueriesPerSec.toLocaleString('en-US').padStart(12)} /s`);

  const measured = canGc();
  return {
    index,
    figures: {
      users,
      inserts,
      updates,
      top10,
      rankOf,
      aroundMe,
      mixedQueriesPerSec,
      rankP99Ms: Math.max(top10.p99Ms, rankOf.p99Ms, aroundMe.p99Ms),
      bytesPerRankedUser: measured ? Math.round((heapAfter - heapBefore) / users) : undefined,
      bytesPerRankedUserWithIds: measured ? Math.round((heapAfter - heapEmpty) / users) : undefined,
    },
  };
}

/**
 * Mixed queries/s on an `asc` and a `desc` board holding the same users, timed in
 * alternating rounds so that the machine's drifting speed falls on both alike: the median
 * round of each, and their ratio (asc ÷ desc).
 */
export async function compareOrders(options: RankOptions, log: Log): Promise<{ descPerSec: number; ascPerSec: number; ascVsDesc: number }> {
  const { users, ops } = options;
  const scores = initialScores(users);
  const rows = Array.from({ length: users }, (_, i): RankRow => [benchUserId(i), scores[i] as number, i, i + 1]);
  const boards = { desc: new InMemoryRankIndex({ order: 'desc' }), asc: new InMemoryRankIndex({ order: 'asc' }) };
  boards.desc.loadRows(rows);
  boards.asc.loadRows(rows);
  const round = async (index: InMemoryRankIndex, seed: number): Promise<number> => {
    const random = seededRandom(seed);
    const started = performance.now();
    for (let i = 0; i < ops; i += 1) {
      const kind = i % 3;
      if (kind === 0) await index.range(0, 10);
      else {
        const me = await index.rankOf(rows[Math.floor(random() * users)]?.[0] as string);
        if (kind === 2 && me) await index.range(Math.max(0, me.rank - 6), 11);
      }
    }
    return ops / ((performance.now() - started) / 1000);
  };
  const rates: { desc: number[]; asc: number[] } = { desc: [], asc: [] };
  for (let r = 0; r < 5; r += 1) {
    rates.desc.push(await round(boards.desc, 100 + r));
    rates.asc.push(await round(boards.asc, 100 + r));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const descPerSec = Math.round(median(rates.desc));
  const ascPerSec = Math.round(median(rates.asc));
  log(`  ours  mixed, desc vs asc (5 alternating rounds)   ${descPerSec.toLocaleString('en-US')} /s vs ${ascPerSec.toLocaleString('en-US')} /s`);
  return { descPerSec, ascPerSec, ascVsDesc: Number((ascPerSec / descPerSec).toFixed(2)) };
}

/** Opens a connection to `url`, or resolves undefined (with the reason logged) when Redis does not answer. */
export async function connectRedis(url: string, log: Log): Promise<Redis | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    log(`  Redis at ${url} does not answer (${error instanceof Error ? error.message : String(error)})`);
    redis.disconnect();
    return undefined;
  }
}

/** Runs `count` calls made by `add` in pipelines of REDIS_BATCH; per second. */
async function pipelined(redis: Redis, count: number, add: (pipeline: ReturnType<Redis['pipeline']>, i: number) => void): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < count; from += REDIS_BATCH) {
    const pipeline = redis.pipeline();
    for (let i = from; i < Math.min(count, from + REDIS_BATCH); i += 1) add(pipeline, i);
    await pipeline.exec();
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

/** The same data and calls against a Redis sorted set at `key`, which is deleted afterwards. */
export async function measureRedisRank(redis: Redis, key: string, options: RankOptions, log: Log): Promise<RedisRankFigures> {
  const { users, ops } = options;
  const scores = initialScores(users);
  const ids = Array.from({ length: users }, (_, i) => benchUserId(i));
  const show = (label: string, perSec: number): void => log(`  Redis ${label.padEnd(24)} ${perSec.toLocaleString('en-US').padStart(12)} /s`);
  try {
    log(`  Redis: loading ${users.toLocaleString('en-US')} users into ${key}…`);
    await redis.del(key);
    const loadStarted = performance.now();
    const PER_ZADD = 1000;
    for (let from = 0; from < users; from += PER_ZADD * 100) {
      const pipeline = redis.pipeline();
      for (let chunk = from; chunk < Math.min(users, from + PER_ZADD * 100); chunk += PER_ZADD) {
        const args: (string | number)[] = [];
        for (let i = chunk; i < Math.min(users, chunk + PER_ZADD); i += 1) args.push(scores[i] as number, ids[i] as string);
        pipeline.zadd(key, ...args);
      }
      await pipeline.exec();
    }
    const loadSeconds = Number(((performance.now() - loadStarted) / 1000).toFixed(2));
    log(`  Redis: loaded in ${loadSeconds} s`);

    const random = seededRandom(11);
    const someone = (): string => ids[Math.floor(random() * users)] as string;
    const updatesPerSec = await pipelined(redis, ops, (p) => void p.zincrby(key, 1 + Math.floor(random() * 1000), someone()));
    show('update (ZINCRBY)', updatesPerSec);
    const top10PerSec = await pipelined(redis, ops, (p) => void p.zrevrange(key, 0, 9, 'WITHSCORES'));
    show('top 10 (ZREVRANGE)', top10PerSec);
    const rankOfPerSec = await pipelined(redis, ops, (p) => void p.zrevrank(key, someone()));
    show('rank of (ZREVRANK)', rankOfPerSec);
    const aroundMePerSec = await queryBatches(redis, key, ops, (p) => {
      p.zrevrank(key, someone());
      return 'around-me';
    });
    show('around me (2 pipelines)', aroundMePerSec);

    // The same sequence as ours: kind = i % 3, a random user drawn for kinds 1 and 2.
    const mixedRandom = seededRandom(13);
    let i = 0;
    const mixedQueriesPerSec = await queryBatches(redis, key, ops, (p) => {
      const kind = i++ % 3;
      if (kind === 0) p.zrevrange(key, 0, 9, 'WITHSCORES');
      else p.zrevrank(key, ids[Math.floor(mixedRandom() * users)] as string);
      return kind === 2 ? 'around-me' : 'done';
    });
    show('mixed (pipelined)', mixedQueriesPerSec);

    const rounds = Math.min(2000, ops);
    const samples = new Float64Array(rounds);
    for (let r = 0; r < rounds; r += 1) {
      const t = performance.now();
      await redis.zrevrange(key, 0, 9, 'WITHSCORES');
      samples[r] = performance.now() - t;
    }
    samples.sort();
    const roundTripP99Ms = Number((samples[Math.floor(rounds * 0.99)] ?? 0).toFixed(3));
    log(`  Redis one awaited ZREVRANGE: p99 ${roundTripP99Ms} ms`);
    const memory = Number((await redis.call('MEMORY', 'USAGE', key)) ?? 0);
    return {
      users,
      loadSeconds,
      updatesPerSec,
      top10PerSec,
      rankOfPerSec,
      aroundMePerSec,
      mixedQueriesPerSec,
      roundTripP99Ms,
      bytesPerRankedUser: Math.round(memory / users),
    };
  } finally {
    await redis.unlink(key);
  }
}

/**
 * `count` queries in batches of REDIS_BATCH. `plan` adds each query's first command to the
 * batch's first pipeline (exactly one) and says whether it is around-me; the around-me
 * queries, whose first command is their user's ZREVRANK, then fetch the 11 entries around
 * that rank in a second pipeline.
 */
async function queryBatches(redis: Redis, key: string, count: number, plan: (pipeline: ReturnType<Redis['pipeline']>) => 'around-me' | 'done'): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < count; from += REDIS_BATCH) {
    const first = redis.pipeline();
    const aroundMe: number[] = [];
    for (let q = 0; q < Math.min(count - from, REDIS_BATCH); q += 1) if (plan(first) === 'around-me') aroundMe.push(q);
    const replies = (await first.exec()) ?? [];
    const second = redis.pipeline();
    for (const q of aroundMe) {
      const rank = replies[q]?.[1];
      if (typeof rank === 'number') second.zrevrange(key, Math.max(0, rank - 5), rank + 5, 'WITHSCORES');
    }
    if (second.length > 0) await second.exec();
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}
