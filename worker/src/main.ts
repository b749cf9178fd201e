/** `npm run start -w @storesync/worker`: runs generation jobs until SIGTERM or SIGINT. */
import { createPrismaClient } from '@storesync/db';
import { pino } from 'pino';
import { loadWorkerEnv } from './env.ts';
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
const worker = createGenerationWorker({
  connection,
  concurrency: env.WORKER_CONCURRENCY,
  requestsPerMinute: env.OPENAI_REQUESTS_PER_MINUTE,
  context,
});
const lifecycle = await startLifecycleWorker({ connection, context });
logger.info({ provider: providers.chat.name, model: providers.chat.model, concurrency: env.WORKER_CONCURRENCY }, 'worker started');

async function shutdown(signal: string) {
  logger.info({ signal }, 'finishing running jobs, then stopping');
  // close() waits for running jobs; unfinished ones are picked up again as stalled jobs.
  await Promise.all([worker.close(), lifecycle.close()]);
  await prisma.$disconnect();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
