import { Redis } from 'ioredis';

/**
 * Connects to Redis or fails with one line that says how to start it. Login throttling and
 * (later) the job queue live there, so the API does not start without it.
 */
export async function connectRedis(url: string, options: { keyPrefix?: string } = {}): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: options.keyPrefix });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is unreachable at ${url} (${(error as Error).message}). Start it with: redis-server --daemonize yes --port 6379 --save "" --appendonly no, or set REDIS_URL.`,
    );
  }
  return redis;
}
