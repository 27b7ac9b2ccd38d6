import { defineConfig } from 'vitest/config';

// Benchmarks run one file at a time so they do not compete for the machine's cores.
export default defineConfig({
  test: {
    name: 'bench',
    environment: 'node',
    include: ['tests/bench/**/*.bench.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
