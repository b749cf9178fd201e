/** What a bench (server-processes.ts) and a forked server-process.ts agree on: the spec and the IPC messages. */
import { parseEnv } from '../api/src/env.ts';

export type ServerKind = 'storesync' | 'bare';

export interface ServerSpec {
  kind: ServerKind;
  databaseUrl: string;
  redisUrl: string;
  jwtSecret: string;
  /** Connections of the server's PostgreSQL pool; Prisma's default in createPrismaClient is 10. */
  poolSize: number;
}

export type ToParent =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'cpu'; microseconds: number }
  | { type: 'stopped' };

export type ToChild = { type: 'cpu' } | { type: 'stop' };

/** Both servers take the API's own configuration, so issuer/audience defaults agree. */
export function benchEnv(spec: Pick<ServerSpec, 'databaseUrl' | 'redisUrl' | 'jwtSecret'>) {
  return parseEnv({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: spec.databaseUrl,
    REDIS_URL: spec.redisUrl,
    JWT_SECRET: spec.jwtSecret,
    LOG_LEVEL: 'silent',
  });
}
