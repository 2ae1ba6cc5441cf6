import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Polls wait for what real processes, sockets and a browser do; a loaded machine can take seconds.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    // End-to-end tests start real servers and child processes; two files at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
