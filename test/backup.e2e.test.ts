import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_FILE_NAMES } from '../src/storage/data-dir.js';
import { embeddedApp, temporaryDirectory } from './helpers.js';
import { runProgram } from './process.js';

/** Runs `npm run backup`'s program (from source) against `dataDir`. */
const runBackup = (dataDir: string, destination?: string) => runProgram('backup.ts', destination ? [destination] : [], { DATA_DIR: dataDir });

describe('npm run backup (embedded)', () => {
  it('copies a running server\'s data dir consistently under writes; a server on the copy has the same players, scores and keys', { timeout: 60_000 }, async () => {
    const source = await embeddedApp();
    const ann = await source.player('ann');
    const bob = await source.player('bob');
    const destination = path.join(temporaryDirectory(), 'backup');

    // Players keep scoring in this process while the backup runs in its own.
    let accepted = 0;
    let writing = true;
    let fiftyAccepted: () => void = () => {};
    const scoring = new Promise<void>((resolve) => (fiftyAccepted = resolve));
    const writer = (async () => {
      for (let i = 0; writing; i += 1) {
        const { token } = i % 3 === 0 ? bob : ann;
        const response = await source.client.act(token, { idempotencyKey: `backup-key-${i}` });
        if (response.statusCode === 201 && (accepted += 1) === 50) fiftyAccepted();
      }
    })();
    await scoring;
    const backup = await runBackup(source.dataDir, destination);
    writing = false;
    await writer;

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up .+ → .+ in [\d.]+ s: 2 users, \d+ ledger rows \(/);
    expect(fs.readdirSync(destination).sort()).toEqual([DATA_DIR_FILE_NAMES.database, 'signing-keys.json', 'ticket-secret']);
    expect(fs.statSync(path.join(destination, 'signing-keys.json')).mode & 0o077).toBe(0);

    // One consistent moment. Totals are written behind the ledger: each stored total is the sum
    // of the user's ledger rows up to its version, and a server on the copy counts the rest.
    const copy = new Database(path.join(destination, DATA_DIR_FILE_NAMES.database), { readonly: true });
    const ledgerSums = copy.prepare<[], { user_id: string; points: number }>('SELECT user_id, sum(points) AS points FROM ledger GROUP BY user_id').all();
    const storedTotals = copy
      .prepare<[], { user_id: string; score: number; up_to_version: number }>(
        "SELECT t.user_id, t.score, (SELECT sum(points) FROM ledger l WHERE l.user_id = t.user_id AND l.id <= t.version) AS up_to_version FROM board_totals t WHERE board = 'global'",
      )
      .all();
    const rows = (copy.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
    copy.close();
    expect(rows).toBeGreaterThanOrEqual(50);
    expect(rows).toBeLessThanOrEqual(accepted);
    expect(backup.stdout).toContain(`2 users, ${rows} ledger rows`);
    expect(storedTotals.length).toBe(2);
    for (const total of storedTotals) expect(total.score).toBe(total.up_to_version);

    // A server on the copy: the same accounts and boards, and tokens issued before still verify.
    await source.close();
    const restored = await embeddedApp({ dataDir: destination });
    const me = await restored.client.get('/api/v1/me', ann.token);
    expect(me.json()).toMatchObject({ id: ann.userId, username: 'ann' });
    const login = await restored.client.login('bob');
    expect(login.statusCode).toBe(200);
    const board = (await restored.client.get('/api/v1/leaderboards/global')).json<{ entries: { userId: string; score: number }[] }>();
    expect(new Map(board.entries.map((entry) => [entry.userId, entry.score]))).toEqual(new Map(ledgerSums.map((row) => [row.user_id, row.points])));
  });

  it('refuses a destination that is not empty, and a data dir with no database, changing nothing', async () => {
    const source = await embeddedApp();
    await source.player('cyd');
    const destination = temporaryDirectory();
    fs.writeFileSync(path.join(destination, 'earlier.txt'), 'an earlier backup');

    const refused = await runBackup(source.dataDir, destination);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^live-leaderboard backup: .+ is not empty/);
    expect(fs.readdirSync(destination)).toEqual(['earlier.txt']);

    const empty = temporaryDirectory();
    const missing = await runBackup(empty, path.join(destination, 'never'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^live-leaderboard backup: There is no embedded database at /);
    expect(fs.existsSync(path.join(destination, 'never'))).toBe(false);
  });
});
