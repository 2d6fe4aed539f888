import { describe, expect, it } from 'vitest';
import { testClient } from '../helpers.js';
import { postgresAvailable, redisAvailable } from '../infrastructure.js';
import { eventually, exited, startServerProcess } from '../process.js';
import { freshDeployment } from './deployment.js';
import { ActionStream, BoardWatcher, boardScores, postgresLedgerSums, sorted } from './load.js';
import { record } from './results.js';

describe.skipIf(!postgresAvailable || !redisAvailable)('distributed: a node dies', () => {
  it('kill -9 of the leaderboard node mid-stream: its pending entries are taken over and the boards converge to the ledger', { timeout: 90_000 }, async () => {
    const { env, databaseUrl, keys, redis } = await freshDeployment({ env: { TAKEOVER_AFTER_MS: '2000' } });
    const score = await startServerProcess({ ...env, SERVICES: 'auth,score' });
    let leaderboard = await startServerProcess({ ...env, SERVICES: 'leaderboard' });
    const onScore = testClient(score.url);
    const players = await onScore.players(20, 'lbkill');
    const [lonely, ...others] = players as [(typeof players)[0], ...typeof players];

    let stream = new ActionStream(() => score.url, others, { concurrency: 8 });
    await stream.acknowledgedMore(300);
    await stream.stop();
    const acknowledged = new Map(stream.acknowledged);
    await eventually(async () => expect(sorted(await boardScores(leaderboard.url))).toEqual(sorted(await postgresLedgerSums(databaseUrl))));

    // The node hangs inside its blocking read: the next entry is delivered to it and never
    // acknowledged. That entry is `lonely`'s last action, so only a takeover can count it.
    leaderboard.child.kill('SIGSTOP');
    expect((await onScore.act(lonely.token, { idempotencyKey: 'lonely-last-action' })).status).toBe(201);
    const streamKey = keys.stream('score.updated');
    await eventually(async () => expect(((await redis.xpending(streamKey, 'leaderboard')) as [number])[0]).toBeGreaterThan(0));
    stream = new ActionStream(() => score.url, others, { concurrency: 8 });
    await stream.acknowledgedMore(200);
    leaderboard.child.kill('SIGKILL');
    await exited(leaderboard.child);
    const pendingAtKill = ((await redis.xpending(streamKey, 'leaderboard')) as [number])[0];
    await stream.acknowledgedMore(200);

    leaderboard = await startServerProcess({ ...env, SERVICES: 'leaderboard' });
    await stream.acknowledgedMore(200);
    await stream.stop();
    for (const [key, value] of stream.acknowledged) acknowledged.set(key, value);
    const restartedAt = Date.now();
    await eventually(async () => {
      expect(sorted(await boardScores(leaderboard.url))).toEqual(sorted(await postgresLedgerSums(databaseUrl)));
      expect(((await redis.xpending(streamKey, 'leaderboard')) as [number])[0]).toBe(0);
    }, 15_000);
    const ledger = await postgresLedgerSums(databaseUrl);
    expect(ledger.get(lonely.userId)).toBe(1);
    expect([...ledger.values()].reduce((a, b) => a + b, 0)).toBe(acknowledged.size + 1);
    record('leaderboard-kill9', {
      acknowledged: acknowledged.size + 1,
      pendingAtKill,
      convergedMsAfterRestart: Date.now() - restartedAt,
      takeoverAfterMs: 2000,
    });
  });

  it('kill -9 of a realtime node: its clients reconnect to another and get a fresh snapshot with the latest scores', { timeout: 90_000 }, async () => {
    const { env, databaseUrl } = await freshDeployment();
    const core = await startServerProcess({ ...env, SERVICES: 'auth,score,leaderboard' });
    const [realtimeA, realtimeB] = await Promise.all([startServerProcess({ ...env, SERVICES: 'realtime' }), startServerProcess({ ...env, SERVICES: 'realtime' })]);
    const players = await testClient(core.url).players(20, 'rtkill');
    const nodes = () => [realtimeA.url, realtimeB.url];
    const onA = await Promise.all(Array.from({ length: 30 }, () => BoardWatcher.open(nodes, { first: 0 })));
    const onB = await Promise.all(Array.from({ length: 10 }, () => BoardWatcher.open(nodes, { first: 1 })));

    const stream = new ActionStream(() => core.url, players, { concurrency: 8 });
    await stream.acknowledgedMore(200);
    realtimeA.child.kill('SIGKILL');
    const killedAt = Date.now();
    await exited(realtimeA.child);
    await eventually(() => expect(onA.filter((watcher) => watcher.open && watcher.connectedTo === realtimeB.url)).toHaveLength(onA.length));
    const reconnectedMs = Date.now() - killedAt;
    await stream.acknowledgedMore(200);
    await stream.stop();

    const ledger = sorted(await postgresLedgerSums(databaseUrl));
    await eventually(() => {
      for (const watcher of [...onA, ...onB]) expect(sorted(new Map(watcher.top.map((entry) => [entry.userId, entry.score])))).toEqual(ledger);
    });
    for (const watcher of onA) {
      expect(watcher.closeCodes[0]).toBe(1006);
      expect(watcher.snapshots).toBeGreaterThanOrEqual(2);
    }
    expect(onB.every((watcher) => watcher.closeCodes.length === 0)).toBe(true);
    record('realtime-kill9', { clientsMoved: onA.length, reconnectedMs, acknowledged: stream.acknowledged.size });
  });
});
