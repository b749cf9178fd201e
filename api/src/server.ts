/** Starts the API: `npm start` (with demo data) or `npm run start -w @storesync/api`. */
import { serve } from '@hono/node-server';
import { createPrismaClient } from '@storesync/db';
import { createApp } from './app.ts';
import { loadEnv } from './env.ts';
import { createLogger } from './lib/logger.ts';
import { connectRedis } from './lib/redis.ts';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const prisma = createPrismaClient(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE });
const redis = await connectRedis(env.REDIS_URL);

const app = createApp({ env, prisma, redis, logger }, { collectProcessMetrics: true });
const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, (info) => {
  logger.info({ url: `http://${info.address}:${info.port}` }, 'StoreSync API listening');
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  await Promise.allSettled([prisma.$disconnect(), redis.quit()]);
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
