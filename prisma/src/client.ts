import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';

export type { PrismaClient } from './generated/client.ts';

const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * The one way api and worker get a database client: Prisma over a node-postgres pool, which
 * `$disconnect` ends. The pool is also reachable (pgPoolOf) for the statements Prisma cannot
 * send, so they share its connections and its size.
 */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/** The node-postgres pool under a client made by createPrismaClient. */
export function pgPoolOf(client: PrismaClient): pg.Pool {
  const pool = pools.get(client);
  if (!pool) throw new Error('This Prisma client was not made by createPrismaClient, so it has no pool of ours');
  return pool;
}
