import { describe, expect, it } from 'vitest';
import { testClient } from '../helpers.js';
import { redisAvailable } from '../infrastructure.js';
import { eventually, startServerProcess } from '../process.js';
import { freshDeployment } from './deployment.js';
import { serverErrors, ActionStream, boardScores, postgresLedgerIds, postgresLedgerSums, sorted } from './load.js';
import { postgresBinaries, privatePostgres } from './private-servers.js';
import { record } from './results.js';

describe.skipIf(!redisAvailable || !postgresBinaries)('distributed: PostgreSQL restarts', () => {
  it('is not ready and answers 503 (never 500) while it is down, loses no acknowledged action, and works again after', { timeout: 90_000 }, async () => {
    const postgres = await privatePostgres();
    await postgres.start();
    const { env, databaseUrl } = await freshDeployment({ postgresUrl: postgres.url, });
    const node = await startServerProcess(env);
    const api = testClient(node.url);
    const players = await api.players(20, 'pgrestart');

    const stream = new ActionStream(() => node.url, players, { concurrency: 8 });
    await stream.acknowledgedMore(200);
    const downFrom = stream.count;
    const downAt = Date.now();
    // SIGINT: PostgreSQL's fast shutdown, every open session cut mid-transaction.
    await postgres.stop('SIGINT');
    const readiness = await eventually(async () => {
      const response = await fetch(`${node.url}/readyz`);
      expect(response.status).toBe(503);
      return ((await response.json()) as { code: string }).code;
    });
    expect(readiness).toBe('unavailable');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const duringOutage = stream.outcomes(downFrom);
    await postgres.start();
    const backAt = Date.now();
    await eventually(async () => expect((await fetch(`${node.url}/readyz`)).status).toBe(200), 15_000);
    const readyMs = Date.now() - backAt;
    await stream.acknowledgedMore(200, 30_000);
    await stream.stop();

    const outcomes = stream.outcomes();
    expect(Object.keys(outcomes).filter((outcome) => outcome !== '201' && outcome !== '503'), serverErrors(node.output())).toEqual([]);
    expect(duringOutage[503] ?? 0).toBeGreaterThan(0);

    // Every 201 is in the ledger under its key and id; the boards are the ledger's sums.
    const ids = await postgresLedgerIds(databaseUrl);
    const lost = [...stream.acknowledged].filter(([key, { id }]) => ids.get(key) !== id);
    expect(lost).toEqual([]);
    await eventually(async () => expect(sorted(await boardScores(node.url))).toEqual(sorted(await postgresLedgerSums(databaseUrl))), 15_000);
    const [player] = players as [(typeof players)[0]];
    expect((await api.act(player.token, { idempotencyKey: 'after-the-restart' })).status).toBe(201);
    expect((await api.login(player.username)).status).toBe(200);

    record('postgres-restart', {
      outageMs: backAt - downAt,
      requestsDuringOutage: stream.count - downFrom,
      answered503: outcomes[503] ?? 0,
      answered500: outcomes[500] ?? 0,
      slowestAnswerMs: stream.slowestMs(),
      acknowledged: stream.acknowledged.size,
      lost: lost.length,
      readyMsAfterBack: readyMs,
    });
  });
});
