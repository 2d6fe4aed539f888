import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { createApp } from '../src/app.js';
import { createEmbeddedAuthService } from '../src/auth/create-auth-service.js';
import { FileKeyStore } from '../src/auth/file-key-store.js';
import { keyStoreResolver } from '../src/auth/key-resolvers.js';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { TokenVerifier } from '../src/auth/token-verifier.js';
import { createMetricsRegistry } from '../src/platform/metrics.js';
import { openSqliteDatabase } from '../src/platform/sqlite.js';

/** scrypt at 2^10: the same code path as production, a thousand times cheaper, for tests only. */
export const cheapHasher = (): PasswordHasher => new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

/** A fresh directory under the OS temp dir, removed when the calling test finishes. */
export function temporaryDirectory(prefix = 'll-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An in-process app running the embedded auth service on a temp dir, for `app.inject` tests. */
export async function embeddedAuthApp(options: { adminUsers?: string[] } = {}): Promise<FastifyInstance> {
  const dataDir = temporaryDirectory();
  const db = openSqliteDatabase(path.join(dataDir, 'test.db'));
  const keys = new FileKeyStore(path.join(dataDir, 'signing-keys.json'));
  const verifier = new TokenVerifier(keyStoreResolver(keys));
  const auth = await createEmbeddedAuthService({
    db,
    keys,
    verifier,
    adminUsers: new Set((options.adminUsers ?? []).map((name) => name.toLowerCase())),
    hasher: cheapHasher(),
  });
  const app = await createApp({ logger: pino({ level: 'silent' }), metrics: createMetricsRegistry(), services: [auth] });
  onTestFinished(async () => {
    await app.close();
    db.close();
  });
  return app;
}
