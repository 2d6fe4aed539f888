import { describe, expect, it } from 'vitest';
import { testClient } from '../helpers.js';
import { postgresAvailable } from '../infrastructure.js';
import { eventually, startServerProcess } from '../process.js';
import { freshDeployment } from './deployment.js';
import { serverErrors, ActionStream, BoardWatcher, boardScores, postgresLedgerIds, postgresLedgerSums, sorted } from './load.js';
import { privateRedis, redisServerAvailable } from './private-servers.js';
import { record } from './results.js';

/** Token buckets on (so every action touches Redis), too generous to refuse anything here. */
const GENEROUS_LIMITS = { RATE_LIMIT_USER_PER_SEC: '1000', RATE_LIMIT_USER_BURST: '1000', RATE_LIMIT_IP_PER_SEC: '100000', RATE_LIMIT_IP_BURST: '100000' };

describe.skipIf(!postgresAvailable || !redisServerAvailable)('distributed: Redis stops for a few seconds', () => {
  it('answers 201 or 503 (never 500) while it is away, then rebuilds the boards from PostgreSQL when it is back empty', { timeout: 90_000 }, async () => {
    const redis = await privateRedis();
    await redis.start();
    const { env, databaseUrl } = await freshDeployment({ redisUrl: redis.url, env: GENEROUS_LIMITS });
    const node = await startServerProcess(env);
    const players = await testClient(node.url).players(20, 'redisout');
    const watcher = await BoardWatcher.open(() => [node.url]);

    const stream = new ActionStream(() => node.url, players, { concurrency: 8 });
    await stream.acknowledgedMore(200);
    const downFrom = stream.count;
    const downAt = Date.now();
    await redis.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const downTo = stream.count;
    await redis.start();
    const duringOutage = stream.outcomes(downFrom);
    const backAt = Date.now();
    await stream.acknowledgedMore(200, 30_000);
    await stream.stop();

    // Nothing but 201 (the ledger took it) or 503 (retry later): never a 500, never a dropped connection.
    expect(Object.keys(stream.outcomes()).filter((outcome) => outcome !== '201' && outcome !== '503'), serverErrors(node.output())).toEqual([]);
    expect(duringOutage[503] ?? 0).toBeGreaterThan(0);

    const ids = await postgresLedgerIds(databaseUrl);
    const lost = [...stream.acknowledged].filter(([key, { id }]) => ids.get(key) !== id);
    expect(lost).toEqual([]);
    const ledger = sorted(await postgresLedgerSums(databaseUrl));
    await eventually(async () => expect(sorted(await boardScores(node.url))).toEqual(ledger), 15_000);
    const boardsBackMs = Date.now() - backAt;
    await eventually(() => expect(sorted(new Map(watcher.top.map((entry) => [entry.userId, entry.score])))).toEqual(ledger), 15_000);
    record('redis-outage', {
      outageMs: backAt - downAt,
      requestsDuringOutage: downTo - downFrom,
      answered201DuringOutage: duringOutage[201] ?? 0,
      answered503DuringOutage: duringOutage[503] ?? 0,
      slowestAnswerDuringOutageMs: stream.slowestMs(downFrom, downTo),
      answered500: stream.outcomes()[500] ?? 0,
      acknowledged: stream.acknowledged.size,
      lost: lost.length,
      boardsBackMsAfterRedis: boardsBackMs,
    });
  });
});
