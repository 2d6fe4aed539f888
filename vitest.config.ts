import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real SQLite files, real sockets and child processes: give slow CI machines room.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
