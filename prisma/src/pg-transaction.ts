/**
 * Transactions on a node-postgres connection of the pool under a Prisma client, for work that
 * Prisma cannot send: `COPY ... FROM STDIN` (the location sync's inserts). The transaction
 * speaks the part of Prisma's API that the raw-SQL modules use (`$queryRaw`, `$executeRaw` with
 * `Prisma.sql` templates), with Prisma's result types where they differ from node-postgres's
 * (int8 as bigint), so those modules run unchanged on either.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Prisma } from './generated/client.ts';

const INT8_OID = 20;
const COPY_CHUNK_CHARS = 256 * 1024;

/** node-postgres's parsers, except that int8 becomes a bigint as in Prisma's raw queries. */
const prismaTypes: pg.CustomTypesConfig = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

function toSql(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One COPY text-format field: backslash, tab and line breaks escaped; null as `\N`; objects as JSON. */
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Most fields need no escaping; testing first saves a replace per field.
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (char) => COPY_ESCAPES[char]!) : text;
}

export type CopyValue = string | number | boolean | null | object;

/**
 * Rows as COPY text format, in chunks of about COPY_CHUNK_CHARS: one socket write per line would
 * cost more than the COPY itself.
 */
export function* copyText(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(copyField).join('\t') + '\n';
    if (chunk.length >= COPY_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export interface PgTransaction {
  /** Whether the server takes `COPY ... FROM STDIN` (PGlite behind pglite-socket does not). */
  readonly canCopy: boolean;
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
  /**
   * `COPY table (columns) FROM STDIN` of these rows (one value per column, objects as JSON).
   * `table` and `columns` are identifiers written by us, never user input.
   */
  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<void>;
}

export interface TransactionOptions {
  /** Longest wait for a connection, in ms (as Prisma's maxWait). */
  maxWait?: number;
  /** Longest a statement may run or the transaction may sit idle, in ms. */
  timeout?: number;
}

/** Waits at most `maxWait` for a connection; one that arrives later goes straight back to the pool. */
async function connect(pool: pg.Pool, maxWait: number): Promise<pg.PoolClient> {
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const connecting = pool.connect();
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      gaveUp = true;
      reject(new Error(`No database connection became free within ${maxWait} ms`));
    }, maxWait);
  });
  // A failed connect reaches the caller through the race below; this branch only returns late arrivals.
  connecting.then((client) => gaveUp && client.release(), () => undefined);
  try {
    return await Promise.race([connecting, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function transactionOn(client: pg.PoolClient, canCopy: boolean): PgTransaction {
  return {
    canCopy,
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      const sql = toSql(query, values);
      const result = await client.query({ text: sql.text, values: sql.values, types: prismaTypes });
      return result.rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      const sql = toSql(query, values);
      const result = await client.query({ text: sql.text, values: sql.values, types: prismaTypes });
      return result.rowCount ?? 0;
    },
    async copyRows(table, columns, rows) {
      if (!canCopy) throw new Error('This database does not take COPY FROM STDIN (canCopy is false)');
      await pipeline(Readable.from(copyText(rows)), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
    },
  };
}

export interface PgTransactionsOptions {
  /** False for servers that cannot take `COPY ... FROM STDIN`; callers then insert another way. Default true. */
  copyFromStdin?: boolean;
}

/**
 * A transaction runner over `pool` with the shape of Prisma's interactive `$transaction`:
 * commits when `fn` resolves, rolls back when it throws.
 */
export function pgTransactions(pool: pg.Pool, { copyFromStdin = true }: PgTransactionsOptions = {}) {
  return {
    async $transaction<T>(fn: (tx: PgTransaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      const client = await connect(pool, options.maxWait ?? 2_000);
      let broken: Error | undefined;
      // A connection the server ends mid-transaction also emits 'error' (the query in flight
      // rejects as well); without a listener that event would end the process.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        if (options.timeout !== undefined) {
          const ms = Math.round(options.timeout);
          await client.query(`SET LOCAL statement_timeout = ${ms}; SET LOCAL idle_in_transaction_session_timeout = ${ms}`);
        }
        const result = await fn(transactionOn(client, copyFromStdin));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // The connection is unusable (it dropped, or the server ended it): do not pool it again.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
  };
}

export type PgTransactionRunner = ReturnType<typeof pgTransactions>;
