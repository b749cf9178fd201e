/** Starts the API: `npm start` (with demo data) or `npm run start -w @storesync/api`. */
import { serve } from '@hono/node-server';
import { pricesFrom } from '@storesync/worker/providers/config';
import { createProviders } from '@storesync/worker/providers';
import { redisConnectionOptions } from '@storesync/worker/queue';
import { startNotificationWorker } from '@storesync/worker/notifications';
import { notificationSettingsFrom } from '@storesync/worker/notifications/config';
import { createGenerationWorker, startLifecycleWorker } from '@storesync/worker/worker';
import { createApp } from './app.ts';
import { createAppDeps } from './deps.ts';
import { loadEnv } from './env.ts';
import { createLogger } from './lib/logger.ts';
import { startDevHttps } from './routes/addin/dev-https.ts';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const deps = await createAppDeps(env, { logger });

const app = createApp(deps, { collectProcessMetrics: true });
const workers = env.EMBEDDED_WORKER ? await startEmbeddedWorkers() : [];

/** The generation, lifecycle and notification workers inside this process (EMBEDDED_WORKER, used by `npm start`). */
async function startEmbeddedWorkers() {
  const connection = redisConnectionOptions(env.REDIS_URL);
  const context = { prisma: deps.prisma, providers: createProviders(env), prices: pricesFrom(env), logger };
  const generation = createGenerationWorker({
    connection,
    concurrency: env.WORKER_CONCURRENCY,
    jobsPerMinute: env.GENERATION_JOBS_PER_MINUTE,
    providerLimits: { requestsPerMinute: env.OPENAI_REQUESTS_PER_MINUTE, tokensPerMinute: env.OPENAI_TOKENS_PER_MINUTE },
    context,
  });
  const lifecycle = await startLifecycleWorker({ connection, context });
  // Links in emails lead to this very server unless PUBLIC_URL says otherwise.
  const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  const notifications = await startNotificationWorker({ connection, prisma: deps.prisma, logger, settings: notificationSettingsFrom({ ...env, PUBLIC_URL: publicUrl }) });
  return [generation, lifecycle, notifications];
}
const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, (info) => {
  logger.info({ url: `http://${info.address}:${info.port}` }, 'StoreSync API listening');
});
// Development: the add-in and the API on one HTTPS origin (HTTPS_PORT; `npm start` sets 8443).
const httpsListener =
  env.HTTPS_PORT === undefined
    ? undefined
    : await startDevHttps(app.fetch, { hostname: env.HOST, port: env.HTTPS_PORT, certsDir: env.DEV_CERTS_DIR, logger });

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  httpsListener?.server.close();
  await Promise.all(workers.map((worker) => worker.close()));
  await deps.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
