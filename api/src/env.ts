/** The API's configuration. The only module that reads process.env. */
import { notificationEnvShape } from '@storesync/worker/notifications/config';
import { priceEnvShape, providerEnvShape } from '@storesync/worker/providers/config';
import { parseConfig } from '@storesync/core';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /**
   * Development: also listen over HTTPS on this port (`npm start` sets 8443), serving the Excel
   * add-in at `https://localhost:<port>/addin/` beside the API. Unset or empty: HTTP only.
   */
  HTTPS_PORT: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(0).max(65535).optional()),
  /** Where the HTTPS listener keeps its generated certificates (default `.certs/` at the repository root). */
  DEV_CERTS_DIR: z.string().min(1).optional(),
  /** Unset: `npm start` runs an embedded PostgreSQL and sets this for the API process. */
  DATABASE_URL: z.string().url(),
  /** Connections in the Prisma pool. `npm start` sets 1 for its embedded PostgreSQL (PGlite), which serves one at a time. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Whether the database takes `COPY ... FROM STDIN`, the fastest way to insert a sheet's new
   * locations. `npm start` sets false for its embedded PostgreSQL (PGlite), whose socket server
   * does not; syncs then insert with `INSERT ... SELECT`.
   */
  DATABASE_COPY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  JWT_ISSUER: z.string().default('storesync'),
  JWT_AUDIENCE: z.string().default('storesync-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  /** Honour X-Forwarded-For for the client address (only behind a trusted proxy). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** Sync requests (up to 10,000 rows) and file imports carry whole sheets. */
  BULK_MAX_BODY_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024),
  /** Bulk import: worker threads that parse files and write result files, and imports that may wait for one (more: 503). */
  BULK_IMPORT_THREADS: z.coerce.number().int().min(1).max(32).default(1),
  BULK_IMPORT_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  /** The embedding provider for similarity search must match the worker's. */
  ...providerEnvShape,
  ...priceEnvShape,
  /**
   * For the embedded worker's emails and webhooks (EMBEDDED_WORKER), and WEBHOOK_ALLOW_PRIVATE_TARGETS,
   * which the webhooks routes also apply when a URL is saved (one definition with the worker's).
   */
  ...notificationEnvShape,
  /**
   * Run the generation worker inside the API process (`npm start` does, since its embedded
   * PostgreSQL serves one connection); production runs `npm run start -w @storesync/worker`.
   */
  EMBEDDED_WORKER: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
  /** The workers' shared limit on generation jobs per minute; the run estimate respects it too. */
  GENERATION_JOBS_PER_MINUTE: z.coerce.number().int().positive().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Origins allowed to call the API from a browser (the add-in task panes), comma-separated.
   * `*` is safe here because authentication is a bearer token, never a cookie.
   */
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
  /** Web approval page sign-ins end after this long without a request… */
  WEB_SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(8 * 60 * 60),
  /** …and this long after signing in, however active. */
  WEB_SESSION_MAX_SECONDS: z.coerce.number().int().positive().default(24 * 60 * 60),
  /**
   * Sign-in with Google (POST /auth/exchange/, used by the Sheets add-in): the OAuth client ids
   * whose Google ID tokens are accepted (their `aud`), comma-separated. Empty: the endpoint is off.
   */
  GOOGLE_CLIENT_IDS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean)),
  /** Where Google publishes the keys that sign its ID tokens (tests point it at a local server). */
  GOOGLE_JWKS_URL: z.string().url().default('https://www.googleapis.com/oauth2/v3/certs'),
  /** Public base URL used in pagination links; defaults to the request's own origin. */
  PUBLIC_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseConfig(envSchema, source, 'API');
}

export function loadEnv(): Env {
  return parseEnv(process.env);
}
