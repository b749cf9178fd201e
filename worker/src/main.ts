/** `npm run start -w @storesync/worker`: runs generation jobs until SIGTERM or SIGINT. */
import { createPrismaClient } from '@storesync/db';
import { pino } from 'pino';
import { loadWorkerEnv } from './env.ts';
import { notificationSettingsFrom } from './notifications/config.ts';
import { startNotificationWorker } from './notifications/worker.ts';
import { pricesFrom } from './providers/config.ts';
import { createProviders } from './providers/index.ts';
import { redisConnectionOptions } from './redis.ts';
import { createGenerationWorker, startLifecycleWorker } from './worker.ts';

const env = loadWorkerEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'storesync-worker' } });
const prisma = createPrismaClient(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE });
const providers = createProviders(env);
const connection = redisConnectionOptions(env.REDIS_URL);
const context = { prisma, providers, logger, prices: pricesFrom(env) };
const prefix = env.BULLMQ_PREFIX;
const worker = createGenerationWorker({
  connection,
  prefix,
  concurrency: env.WORKER_CONCURRENCY,
  jobsPerMinute: env.GENERATION_JOBS_PER_MINUTE,
  providerLimits: { requestsPerMinute: env.OPENAI_REQUESTS_PER_MINUTE, tokensPerMinute: env.OPENAI_TOKENS_PER_MINUTE },
  lockDuration: env.WORKER_LOCK_DURATION_MS,
  stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
  context,
});
const lifecycle = await startLifecycleWorker({ connection, prefix, context });
const notifications = await startNotificationWorker({ connection, prefix, prisma, logger, settings: notificationSettingsFrom(env) });
logger.info(
  {
    provider: providers.chat.name,
    model: providers.chat.model,
    concurrency: env.WORKER_CONCURRENCY,
    requests_per_minute: env.OPENAI_REQUESTS_PER_MINUTE ?? null,
    tokens_per_minute: env.OPENAI_TOKENS_PER_MINUTE ?? null,
  },
  'worker started',
);

let shuttingDown = false;

async function shutdown(signal: string) {
  if (shuttingDown) {
    // A second signal (a supervisor repeating itself, Ctrl-C twice) must not cut the running jobs short.
    logger.warn({ signal }, 'already finishing running jobs; still stopping');
    return;
  }
  shuttingDown = true;
  logger.info({ signal }, 'finishing running jobs, then stopping');
  try {
    // close() waits for running jobs; unfinished ones are picked up again as stalled jobs.
    await Promise.all([worker.close(), lifecycle.close(), notifications.close()]);
    await prisma.$disconnect();
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
