import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The PostgreSQL and Redis adapters' tests, beside their adapters and named after them like
 * the adapters themselves (`postgres-ledger.contract.test.ts`, `redis-rank-index.test.ts`).
 */
const ON_POSTGRES_OR_REDIS = ['src/**/postgres-*.test.ts', 'src/**/redis-*.test.ts'];

export default defineConfig({
  test: {
    // Real SQLite files, real sockets and child processes: give slow CI machines room.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The server serves the client library's build to the page: build it once, first.
    globalSetup: ['test/support/build-client.ts'],
    // `vitest run` (npm test) runs both; `--project <name>` one of them.
    projects: [
      {
        extends: true,
        // Fast and in this process: no PostgreSQL, no Redis, no child processes, no browser,
        // no sockets to other processes (npm run test:unit).
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ON_POSTGRES_OR_REDIS] },
      },
      {
        extends: true,
        // Everything else: those adapters, and test/ (end to end, servers in processes of their
        // own, fuzzing, the browser) (npm run test:integration).
        test: { name: 'integration', include: [...ON_POSTGRES_OR_REDIS, 'test/**/*.test.ts'] },
      },
    ],
  },
});
