import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { embeddedApp, temporaryDirectory } from './helpers.js';

/**
 * `npm pack` of packages/client, installed into an empty project, used from JavaScript against
 * a real server and type-checked from TypeScript: what a game developer gets from the registry.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const PACKAGE_DIR = path.join(ROOT, 'packages', 'client');
const run = promisify(execFile);

/** This environment without the npm_* variables of an `npm test` around us, which would steer the npm we run. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/** Runs `file` to its end; its exit code (null after a signal), stdout and stderr, never throwing on failure. */
async function runToEnd(file: string, args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** Fails with what the command printed unless it exited 0. */
function expectSuccess(result: { code: number | null; stdout: string; stderr: string }, what: string): void {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** Links a package of the repository's node_modules into `project`'s (test dependencies the tarball does not bring). */
function linkFromRepository(project: string, name: string): void {
  const target = path.join(project, 'node_modules', name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', name), target, 'dir');
}

const SCRIPT = `
import WebSocket from 'ws';
import { createClient, LeaderboardError } from '@live-leaderboard/client';

const [baseUrl, username] = process.argv.slice(2);
let wrongPassword = 'no error';
try {
  await createClient({ baseUrl }).auth.login({ username, password: 'not-the-password' });
} catch (error) {
  wrongPassword = error instanceof LeaderboardError ? \`\${error.code} \${error.status}\` : \`not a LeaderboardError: \${error}\`;
}
const client = createClient({ baseUrl, WebSocket });
const me = await client.auth.register({ username, password: 'password-123' });
const receipt = await client.actions.submit('click');
const giveUp = setTimeout(() => {
  console.error('the player never appeared in the live list');
  process.exit(2);
}, 15_000);
client.live.subscribe({
  board: 'global',
  limit: 10,
  onChange(list) {
    if (!list.entries.some((entry) => entry.userId === me.id)) return;
    console.log(JSON.stringify({ wrongPassword, me, receipt, list }));
    clearTimeout(giveUp);
    // Nothing else may keep the process alive: it ends by itself once the client is closed.
    client.close();
  },
});
`;

const TYPED = `
import WebSocket from 'ws';
import { createClient, createServerClient, isHeld, LeaderboardError, type Receipt, type ServerSubmitResult, type TopList } from '@live-leaderboard/client';

const client = createClient({ baseUrl: 'http://127.0.0.1:3000', WebSocket });
const game = createServerClient({ baseUrl: 'http://127.0.0.1:3000', secret: 'llb_sk_example' });

export async function play(): Promise<number> {
  try {
    const receipt: Receipt = await client.actions.submit('click');
    return receipt.action.points;
  } catch (error) {
    if (error instanceof LeaderboardError && error.code === 'rate_limited') return error.retryAfterSeconds ?? 1;
    throw error;
  }
}

export function watch(show: (line: string) => void): () => void {
  const subscription = client.live.subscribe({
    board: 'global',
    limit: 10,
    onChange: (list: TopList) => show(list.entries.map((entry) => \`\${entry.rank}. \${entry.username} \${entry.score}\`).join('\\n')),
  });
  return () => subscription.close();
}

export async function report(userId: string): Promise<string> {
  const result: ServerSubmitResult = await game.submit({ userId, type: 'match-result', values: { 'match-score': 1200 } });
  return isHeld(result) ? \`held \${result.action.id}\` : \`counted \${result.action.id}\`;
}

export function withoutPlayer(): Promise<ServerSubmitResult> {
  // @ts-expect-error a server action must name the player it is for
  return game.submit({ type: 'match-result', values: { 'match-score': 1 } });
}

// @ts-expect-error codes are the API's, not any string
export const code: LeaderboardError['code'] = 'no_such_code';
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
};

describe('the client library as an npm package', () => {
  it('packs into a tarball that installs into an empty project and works there from JavaScript and TypeScript', { timeout: 180_000 }, async () => {
    const dir = temporaryDirectory('ll-client-package-');
    const packed = path.join(dir, 'packed');
    fs.mkdirSync(packed);
    // The global setup built dist/ for this run; --ignore-scripts skips prepack's second build,
    // which would rewrite dist/ under the servers of test files running beside this one.
    const pack = await runToEnd('npm', ['pack', '--workspace', '@live-leaderboard/client', '--pack-destination', packed, '--ignore-scripts', '--silent'], ROOT);
    expectSuccess(pack, 'npm pack');
    const tarballs = fs.readdirSync(packed).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);
    const tarball = path.join(packed, tarballs[0] ?? '');

    const listing = await runToEnd('tar', ['-tzf', tarball], dir);
    expectSuccess(listing, 'tar -t');
    const files = listing.stdout.split('\n').filter(Boolean).map((entry) => entry.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
    if (fs.existsSync(path.join(PACKAGE_DIR, 'README.md'))) expect(files).toContain('README.md');
    expect(files.filter((file) => file.startsWith('src/') || /\.test\.|tsconfig/.test(file))).toEqual([]);

    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-game', version: '1.0.0', private: true, type: 'module' }, null, 2));
    // No runtime dependencies: nothing to fetch.
    expectSuccess(await runToEnd('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], project), 'npm install');
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@live-leaderboard', 'client', 'package.json'), 'utf8')) as { name: string; dependencies?: object };
    expect(installed).toMatchObject({ name: '@live-leaderboard/client' });
    expect(installed.dependencies ?? {}).toEqual({});
    // Node 20 has no global WebSocket: the game brings one.
    for (const name of ['ws', '@types/ws', '@types/node']) linkFromRepository(project, name);

    const server = await embeddedApp({ realtime: { windowMs: 5 } });
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    fs.writeFileSync(path.join(project, 'script.mjs'), SCRIPT);
    const script = await runToEnd(process.execPath, ['script.mjs', url, 'packed-player'], project, 30_000);
    expectSuccess(script, 'node script.mjs');
    const printed = JSON.parse(script.stdout.trim()) as { wrongPassword: string; me: { id: string }; receipt: { totals: Record<string, number> }; list: { board: string; entries: unknown[] } };
    expect(printed.wrongPassword).toBe('unauthorized 401');
    expect(printed.receipt.totals).toMatchObject({ global: 1 });
    expect(printed.list).toMatchObject({ board: 'global', entries: [{ rank: 1, userId: printed.me.id, username: 'packed-player', score: 1 }] });

    fs.writeFileSync(path.join(project, 'game.ts'), TYPED);
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, include: ['game.ts'] }, null, 2));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expectSuccess(await runToEnd(process.execPath, [tsc, '--noEmit', '-p', path.join(project, 'tsconfig.json')], project), 'tsc on game.ts');

    // The check has teeth: the same file without its @ts-expect-error lines fails on exactly those.
    fs.writeFileSync(path.join(project, 'broken.ts'), TYPED.replace(/^\s*\/\/ @ts-expect-error.*$/gm, ''));
    fs.writeFileSync(path.join(project, 'tsconfig.broken.json'), JSON.stringify({ ...TSCONFIG, include: ['broken.ts'] }, null, 2));
    const broken = await runToEnd(process.execPath, [tsc, '--noEmit', '-p', path.join(project, 'tsconfig.broken.json')], project);
    expect(broken.code).not.toBe(0);
    const errors = broken.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/userId/);
    expect(errors.join('\n')).toMatch(/no_such_code/);
  });
});
