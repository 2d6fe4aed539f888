import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_FILE_NAMES } from '../../src/storage/data-dir.js';
import { temporaryDirectory, testClient } from '../helpers.js';
import { eventually, exited, startServerProcess } from '../process.js';
import { ActionStream, boardScores, sorted, sqliteLedgerSums } from './load.js';
import { record } from './results.js';

describe('embedded: kill -9 under load', () => {
  it('keeps every 201, counts nothing twice on retry, and the rebuilt board equals the ledger', { timeout: 60_000 }, async () => {
    const dataDir = temporaryDirectory();
    const env = { DATA_DIR: dataDir, SERVICES: 'auth,score,leaderboard', RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0' };
    let server = await startServerProcess(env);
    const players = await testClient(server.url).players(10, 'crash');

    const stream = new ActionStream(() => server.url, players, { concurrency: 16 });
    await stream.acknowledgedMore(400);
    server.child.kill('SIGKILL');
    await exited(server.child);
    await stream.stop();
    const acknowledged = new Map(stream.acknowledged);

    server = await startServerProcess(env);
    const api = testClient(server.url);
    const ledgerFile = path.join(dataDir, DATA_DIR_FILE_NAMES.database);
    // The board rebuilt at start is the ledger's sums, user by user.
    const afterCrash = sqliteLedgerSums(ledgerFile);
    expect(sorted(await boardScores(server.url))).toEqual(sorted(afterCrash));
    expect([...afterCrash.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(acknowledged.size);

    // Every acknowledged action is there: its key replays with the same id.
    for (const [key, { player, id }] of acknowledged) {
      const replay = await api.act(player.token, { idempotencyKey: key });
      expect(replay.status).toBe(200);
      expect(((await replay.json()) as { action: { id: string } }).action.id).toBe(id);
    }
    // Retrying everything that was attempted (as a client would) counts each key once.
    for (const { player, key } of stream.attempts) {
      const retry = await api.act(player.token, { idempotencyKey: key });
      expect([200, 201]).toContain(retry.status);
    }
    const distinctKeys = new Set(stream.attempts.map((attempt) => attempt.key)).size;
    await eventually(async () => expect(sorted(await boardScores(server.url))).toEqual(sorted(sqliteLedgerSums(ledgerFile))));
    server.child.kill('SIGTERM');
    await exited(server.child);

    const final = sqliteLedgerSums(ledgerFile);
    expect([...final.values()].reduce((a, b) => a + b, 0)).toBe(distinctKeys);
    record('crash-embedded', {
      attempted: stream.count,
      acknowledged: acknowledged.size,
      lost: 0,
      inFlightAtKill: stream.outcomes().error ?? 0,
      ledgerRowsAfterRetry: distinctKeys,
    });
  });
});
