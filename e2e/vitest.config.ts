import { defineConfig } from 'vitest/config';

/** Browser tests of the editor against the real `sagan-studio serve`, in Debian's Chromium (see global-setup.ts). */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    // One browser at a time: CI has 2 cores, shared with the server.
    fileParallelism: false,
    testTimeout: 60_000,
    // A real browser beside a server and a trainer on 2 cores: a step can miss its moment under load. One retry
    // keeps such a miss from failing CI; a test that fails twice fails, and vitest names every retried test.
    retry: 1,
    hookTimeout: 120_000,
    // Shapes update after validation in a worker; on a busy CI machine that can take a while.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
