import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): processes killed, dependencies stopped, shutdown
 * under load. Kept out of `npm test` (whose pattern is `*.test.ts`) because it takes minutes.
 * Files run one at a time: each drives several server processes on a 2-core machine, and a
 * neighbour's load would blur the timings they assert.
 */
export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['test/faults/**/*.fault.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
