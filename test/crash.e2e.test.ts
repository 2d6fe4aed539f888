import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Starts the real server process on DATA_DIR and resolves with its URL once it is ready. */
async function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      DATA_DIR: dataDir,
      SERVICES: 'auth,score',
      RATE_LIMIT_USER_PER_SEC: '0',
      RATE_LIMIT_IP_PER_SEC: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ready on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready`)));
  });
  return { child, url };
}

/** Resolves when the child has exited, even if it already has. */
async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

async function postJson(url: string, body: object, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

interface Player {
  username: string;
  token: string;
}

describe('an acknowledged action survives kill -9', () => {
  it('keeps every 201 after SIGKILL mid-stream, and counts nothing twice on retry', async () => {
    const dataDir = temporaryDirectory();
    let server = await startProcess(dataDir);

    const players: Player[] = [];
    for (let i = 0; i < 10; i += 1) {
      const credentials = { username: `crash-${i}`, password: 'password-123' };
      await postJson(`${server.url}/api/v1/auth/register`, credentials);
      const { accessToken } = (await (await postJson(`${server.url}/api/v1/auth/login`, credentials)).json()) as { accessToken: string };
      players.push({ username: credentials.username, token: accessToken });
    }

    const acknowledged = new Map<string, string>(); // idempotency key → action id
    const attempted: { player: Player; key: string }[] = [];
    let killed = false;
    const worker = async (w: number): Promise<void> => {
      for (let n = 0; !killed; n += 1) {
        const player = players[(w + n) % players.length] as Player;
        const key = `w${w}-n${n}-xxxx`;
        attempted.push({ player, key });
        try {
          const response = await postJson(`${server.url}/api/v1/actions`, { type: 'click', idempotencyKey: key }, player.token);
          if (response.status === 201) acknowledged.set(key, ((await response.json()) as { action: { id: string } }).action.id);
        } catch {
          return; // the connection died with the process: this request was never acknowledged
        }
        if (acknowledged.size >= 400 && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    await exited(server.child);
    expect(acknowledged.size).toBeGreaterThanOrEqual(400);

    server = await startProcess(dataDir);
    // Every acknowledged action is there: its key replays with the same id.
    for (const [key, id] of acknowledged) {
      const player = attempted.find((attempt) => attempt.key === key)?.player as Player;
      const replay = await postJson(`${server.url}/api/v1/actions`, { type: 'click', idempotencyKey: key }, player.token);
      expect(replay.status).toBe(200);
      expect(((await replay.json()) as { action: { id: string } }).action.id).toBe(id);
    }
    // Retrying everything that was attempted (as a client would) counts each key once.
    for (const { player, key } of attempted) {
      const retry = await postJson(`${server.url}/api/v1/actions`, { type: 'click', idempotencyKey: key }, player.token);
      expect([200, 201]).toContain(retry.status);
    }
    server.child.kill('SIGTERM');
    await exited(server.child);

    const db = new Database(path.join(dataDir, 'live-leaderboard.db'), { readonly: true });
    onTestFinished(() => void db.close());
    const ledgerRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM ledger').get()?.n;
    expect(ledgerRows).toBe(new Set(attempted.map((attempt) => attempt.key)).size);
    const mismatches = db
      .prepare(
        `SELECT t.user_id, t.score, l.total FROM board_totals t
         JOIN (SELECT user_id, sum(points) AS total FROM ledger GROUP BY user_id) l ON l.user_id = t.user_id
         WHERE t.board = 'global' AND t.score != l.total`,
      )
      .all();
    expect(mismatches).toEqual([]);
  }, 60_000);
});
