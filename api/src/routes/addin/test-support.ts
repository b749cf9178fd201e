/** For the add-in route tests: the real app, with dependencies that /addin and /healthz never use (no database, no Redis). */
import { pino } from 'pino';
import { createApp } from '../../app.ts';
import { parseEnv } from '../../env.ts';
import type { AppDeps } from '../../lib/types.ts';

export function appWithoutServices() {
  const env = parseEnv({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused', JWT_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
  const unused = {} as never;
  const deps: AppDeps = { env, logger: pino({ level: 'silent' }), prisma: unused, redis: unused, generationQueue: unused, embeddings: unused, changeNotifier: unused };
  return createApp(deps);
}
