/** Builds what the app needs from its configuration: the one place that wires real services. */
import { createChangeNotifier, createPrismaClient } from '@storesync/db';
import { createProviders } from '@storesync/worker/providers';
import { createGenerationQueue, redisConnectionOptions } from '@storesync/worker/queue';
import type { Logger } from 'pino';
import type { Env } from './env.ts';
import { connectRedis } from './lib/redis.ts';
import { closeImportPool } from './routes/bulk-import/import-pool.ts';
import type { AppDeps } from './lib/types.ts';

export interface ServiceOptions {
  logger: Logger;
  /** Key prefixes, so tests and benchmarks sharing one Redis stay apart. */
  redisKeyPrefix?: string;
  queuePrefix?: string;
}

export async function createAppDeps(env: Env, options: ServiceOptions): Promise<AppDeps & { close(): Promise<void> }> {
  const prisma = createPrismaClient(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE, copyFromStdin: env.DATABASE_COPY });
  const redis = await connectRedis(env.REDIS_URL, { keyPrefix: options.redisKeyPrefix });
  const generationQueue = createGenerationQueue({ connection: redisConnectionOptions(env.REDIS_URL), prefix: options.queuePrefix });
  // Without a listener, a Redis outage would surface as an unhandled 'error' event and end the
  // process; requests that need the queue answer 503 instead (see routes/generation).
  generationQueue.on('error', (error) => options.logger.warn({ err: error }, 'generation queue: Redis error'));
  const { embeddings } = createProviders(env);
  const changeNotifier = createChangeNotifier(env.DATABASE_URL, {
    onError: (error) => options.logger.warn({ err: error }, 'change notifier: PostgreSQL LISTEN connection failed; reconnecting'),
  });
  return {
    env,
    prisma,
    redis,
    logger: options.logger,
    generationQueue,
    embeddings,
    changeNotifier,
    close: async () => {
      await Promise.allSettled([prisma.$disconnect(), redis.quit(), generationQueue.close(), changeNotifier.close(), closeImportPool()]);
    },
  };
}
