import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,prisma,api,worker,addin-excel,addin-sheets}/**/*.test.ts', 'pane/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['./vitest.global-setup.ts'],
    reporters: ['default', './vitest.summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
