import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { pgTransactions, type PgTransactionRunner } from './pg-transaction.ts';

export type { PrismaClient } from './generated/client.ts';

export interface PrismaClientOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Whether the server takes `COPY ... FROM STDIN` (default true; PGlite behind pglite-socket does not). */
  copyFromStdin?: boolean;
}

const rawAccess = new WeakMap<PrismaClient, { pool: pg.Pool; copyFromStdin: boolean }>();

/**
 * The one way api and worker get a database client: Prisma over a node-postgres pool, which
 * `$disconnect` ends. The pool also serves transactions for the statements Prisma cannot send
 * (pgTransactionsOf), so they share its connections and its size.
 */
export function createPrismaClient(databaseUrl: string, { poolSize = 10, copyFromStdin = true }: PrismaClientOptions = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  rawAccess.set(client, { pool, copyFromStdin });
  return client;
}

function rawAccessOf(client: PrismaClient) {
  const access = rawAccess.get(client);
  if (!access) throw new Error('This Prisma client was not made by createPrismaClient, so it has no pool of ours');
  return access;
}

/** The node-postgres pool under a client made by createPrismaClient. */
export function pgPoolOf(client: PrismaClient): pg.Pool {
  return rawAccessOf(client).pool;
}

/** node-postgres transactions on the pool of a client made by createPrismaClient (see pg-transaction.ts). */
export function pgTransactionsOf(client: PrismaClient): PgTransactionRunner {
  const { pool, copyFromStdin } = rawAccessOf(client);
  return pgTransactions(pool, { copyFromStdin });
}
