/**
 * The StoreSync API in a process of its own, for the add-in's tests: the fake UrlFetchApp blocks
 * the test's thread while it waits for an answer, so the API cannot run on that thread. Started
 * by api-server.ts with the test file's database, Redis and queue prefix (STORESYNC_TEST_API),
 * it reports its port over IPC and stops when told. An entry point: do not import it.
 */
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from '../../../api/src/app.ts';
import { createAppDeps } from '../../../api/src/deps.ts';
import { parseEnv } from '../../../api/src/env.ts';

interface Spec {
  env: Record<string, string>;
  redisKeyPrefix: string;
  queuePrefix: string;
}

const raw = process.env.STORESYNC_TEST_API;
if (!raw) throw new Error('STORESYNC_TEST_API is not set: this process is started by addin-sheets/test/support/api-server.ts');
const spec = JSON.parse(raw) as Spec;
const env = parseEnv(spec.env);
const deps = await createAppDeps(env, { logger: pino({ level: 'silent' }), redisKeyPrefix: spec.redisKeyPrefix, queuePrefix: spec.queuePrefix });
const app = createApp(deps);
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.send?.({ type: 'ready', port: info.port }));

process.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  if ('closeAllConnections' in server) server.closeAllConnections();
  server.close(() => {
    void deps.close().finally(() => {
      process.send?.({ type: 'stopped' });
      process.disconnect?.();
    });
  });
});
process.on('disconnect', () => process.exit(0));
