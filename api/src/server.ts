/** Starts the API: `npm start` (with demo data) or `npm run start -w @storesync/api`. */
import { serve } from '@hono/node-server';
import { pricesFrom } from '@storesync/worker/providers/config';
import { createProviders } from '@storesync/worker/providers';
import { redisConnectionOptions } from '@storesync/worker/queue';
import { createGenerationWorker, startLifecycleWorker } from '@storesync/worker/worker';
import { createApp } from './app.ts';
import { createAppDeps } from './deps.ts';
import { loadEnv } from './env.ts';
import { createLogger } from './lib/logger.ts';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const deps = await createAppDeps(env, { logger });

const app = createApp(deps, { collectProcessMetrics: true });
const workers = env.EMBEDDED_WORKER ? await startEmbeddedWorkers() : [];

/** The generation and lifecycle workers inside this process (EMBEDDED_WORKER, used by `npm start`). */
async function startEmbeddedWorkers() {
  const connection = redisConnectionOptions(env.REDIS_URL);
  const context = { prisma: deps.prisma, providers: createProviders(env), prices: pricesFrom(env), logger };
  const generation = createGenerationWorker({
    connection,
    concurrency: env.WORKER_CONCURRENCY,
    jobsPerMinute: env.GENERATION_JOBS_PER_MINUTE,
    context,
  });
  const lifecycle = await startLifecycleWorker({ connection, context });
  return [generation, lifecycle];
}
const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, (info) => {
  logger.info({ url: `http://${info.address}:${info.port}` }, 'StoreSync API listening');
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  await Promise.all(workers.map((worker) => worker.close()));
  await deps.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
