/**
 * `npm run credentials -- create NAME | list | revoke NAME`: game servers' credentials, from
 * the command line — in DATA_DIR's database (embedded) or in PostgreSQL (`DATABASE_URL`),
 * also while servers run on the same data. `create` prints the secret once, on a line of its
 * own. A revocation takes effect at once on an embedded server (it asks its database on
 * every request); distributed, this tells every node over Redis when `REDIS_URL` is set, and
 * nodes re-read the credentials every 5 s in any case.
 */
import { pathToFileURL } from 'node:url';
import { CredentialNameTakenError, type CredentialStore } from './moderation/credential-store.js';
import { PostgresCredentialStore } from './moderation/postgres-credential-store.js';
import { ServerCredentials } from './moderation/server-credentials.js';
import { SqliteCredentialStore } from './moderation/sqlite-credential-store.js';
import { configOrExit } from './platform/config-or-exit.js';
import type { EventBus } from './platform/event-bus.js';
import { exitWithOneLine } from './platform/exit-with-one-line.js';
import { InProcessEventBus } from './platform/in-process-event-bus.js';
import { createLogger } from './platform/logger.js';
import { createPostgresPool } from './platform/postgres.js';
import { RedisEventBus } from './platform/redis-event-bus.js';
import { RedisKeys } from './platform/redis-keys.js';
import { openSqliteDatabase } from './platform/sqlite.js';
import { dataDirFiles } from './storage/data-dir.js';
import { migrateEmbeddedSchema, migratePostgresSchema } from './storage/schema.js';

const PROGRAM = 'live-leaderboard credentials';
const USAGE = 'usage: npm run credentials -- create NAME | list | revoke NAME   (NAME: 1–40 of a-z, 0-9, -)';

async function main(argv: readonly string[]): Promise<void> {
  const [command, name, ...rest] = argv;
  const named = command === 'create' || command === 'revoke';
  if (!['create', 'list', 'revoke'].includes(command ?? '') || rest.length > 0 || (named ? !/^[a-z0-9-]{1,40}$/.test(name ?? '') : name !== undefined)) {
    exitWithOneLine(USAGE, PROGRAM);
  }
  const config = configOrExit(PROGRAM);

  let store: CredentialStore;
  let bus: EventBus = new InProcessEventBus();
  const closing: (() => Promise<void> | void)[] = [];
  if (config.databaseUrl === undefined) {
    const db = openSqliteDatabase(dataDirFiles(config.dataDir).database, config.durability);
    closing.push(() => void db.close());
    migrateEmbeddedSchema(db);
    store = new SqliteCredentialStore(db);
  } else {
    const pool = createPostgresPool(config.databaseUrl, { max: 2, durability: config.durability });
    closing.push(() => pool.end());
    await migratePostgresSchema(pool);
    if (config.redisUrl !== undefined) {
      const redisBus = new RedisEventBus(config.redisUrl, { keys: new RedisKeys(config.redisKeyPrefix), logger: createLogger('warn') });
      closing.unshift(() => redisBus.close());
      bus = redisBus;
    }
    // The store listens on its bus for other nodes' revocations; this short-lived process has
    // no map to keep current, so only `ServerCredentials` gets the Redis bus, to tell them.
    const shared = await PostgresCredentialStore.open(pool, new InProcessEventBus());
    closing.unshift(() => shared.close());
    store = shared;
  }
  const credentials = new ServerCredentials(store, bus);
  try {
    if (command === 'create') {
      try {
        const { secret } = await credentials.create(name as string);
        process.stdout.write(`created "${name}"; its secret, shown this once (send it as "Authorization: Bearer <secret>"):\n${secret}\n`);
      } catch (error) {
        if (error instanceof CredentialNameTakenError) exitWithOneLine(`a credential named "${name}" exists; revoke it first or pick another name`, PROGRAM);
        throw error;
      }
    } else if (command === 'revoke') {
      if (!(await credentials.revoke(name as string))) exitWithOneLine(`there is no credential "${name}"`, PROGRAM);
      process.stdout.write(`revoked "${name}": its secret works no more\n`);
    } else {
      const listed = await credentials.list();
      if (listed.length === 0) process.stdout.write('no server credentials yet: npm run credentials -- create NAME\n');
      for (const credential of listed) process.stdout.write(`${credential.name}  created ${credential.createdAt}  last used ${credential.lastUsedAt ?? 'never'}\n`);
    }
  } finally {
    for (const close of closing) await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
