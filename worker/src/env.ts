/** The worker's configuration. The only module of the worker that reads process.env. */
import { parseConfig } from '@storesync/core';
import { z } from 'zod';
import { notificationEnvShape } from './notifications/config.ts';
import { priceEnvShape, providerEnvShape } from './providers/config.ts';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().url(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  ...providerEnvShape,
  ...priceEnvShape,
  ...notificationEnvShape,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Generation jobs started per minute across all workers (shared through Redis); unset means no limit. */
  GENERATION_JOBS_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** Redis key prefix of the queues (BullMQ's `prefix`); workers and the API must agree on it. */
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /**
   * How long a running job's lock lasts without renewal (renewed every half of it). A worker that
   * dies leaves its jobs locked this long before another worker may take them. Unset: BullMQ's 30 s.
   */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).optional(),
  /** How often the worker looks for jobs whose lock ran out (stalled jobs). Unset: BullMQ's 30 s. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type WorkerEnv = z.infer<typeof envSchema>;

export function parseWorkerEnv(source: Record<string, string | undefined>): WorkerEnv {
  return parseConfig(envSchema, source, 'worker');
}

export function loadWorkerEnv(): WorkerEnv {
  return parseWorkerEnv(process.env);
}
