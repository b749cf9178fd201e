/**
 * The node-postgres transaction runner against real PostgreSQL: Prisma's raw-query types,
 * commit and rollback, COPY of awkward text, and its two limits (waiting for a connection,
 * statements that run too long).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createPrismaClient, pgPoolOf, type PrismaClient } from './client.ts';
import { Prisma } from './generated/client.ts';
import { pgTransactions } from './pg-transaction.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 3 });
  pool = pgPoolOf(prisma);
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe('pgTransactions', () => {
  it('answers raw queries with the types Prisma gives them (int8 as bigint, timestamptz as Date, jsonb parsed)', async () => {
    const viaPg = await pgTransactions(pool).$transaction((tx) =>
      tx.$queryRaw<{ big: bigint; at: Date; doc: unknown; n: number }[]>`
        SELECT ${'9007199254740993'}::int8 AS big, '2026-11-27T12:00:00.123Z'::timestamptz AS at, ${'{"a":[1,"x"]}'}::jsonb AS doc, 7 AS n`,
    );
    const viaPrisma = await prisma.$queryRaw<typeof viaPg>`
      SELECT ${'9007199254740993'}::int8 AS big, '2026-11-27T12:00:00.123Z'::timestamptz AS at, ${'{"a":[1,"x"]}'}::jsonb AS doc, 7 AS n`;
    expect(viaPg).toEqual(viaPrisma);
    expect(viaPg[0]?.big).toBe(9007199254740993n);
  });

  it('commits what the function wrote, and rolls all of it back when the function throws', async () => {
    const transactions = pgTransactions(pool);
    await transactions.$transaction((tx) => tx.$executeRaw(Prisma.sql`INSERT INTO brands (id, name, slug, updated_at) VALUES (gen_random_uuid(), 'Kept', 'kept', now())`));
    await expect(
      transactions.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO brands (id, name, slug, updated_at) VALUES (gen_random_uuid(), 'Gone', 'gone', now())`;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const slugs = await prisma.brand.findMany({ where: { slug: { in: ['kept', 'gone'] } }, select: { slug: true } });
    expect(slugs).toEqual([{ slug: 'kept' }]);
  });

  it('copies text with tabs, line breaks, backslashes and quotes, and JSON, exactly', async () => {
    const awkward = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'quote " and \\"', 'émoji 🎯', ''];
    const rows = awkward.map((text, index) => [index, text, { text, nested: [text] }, index % 2 === 0 ? null : true] as const);
    const read = await pgTransactions(pool).$transaction(async (tx) => {
      await tx.$executeRaw`CREATE TEMP TABLE copied (n int, text text, doc jsonb, flag boolean) ON COMMIT DROP`;
      await tx.copyRows('copied', ['n', 'text', 'doc', 'flag'], rows.map((row) => [...row]));
      return tx.$queryRaw<{ n: number; text: string; doc: unknown; flag: boolean | null }[]>`SELECT n, text, doc, flag FROM copied ORDER BY n`;
    });
    expect(read).toEqual(rows.map(([n, text, doc, flag]) => ({ n, text, doc, flag })));
  });

  it('says when the server cannot take COPY, and refuses to try', async () => {
    await expect(
      pgTransactions(pool, { copyFromStdin: false }).$transaction(async (tx) => {
        expect(tx.canCopy).toBe(false);
        await tx.copyRows('brands', ['name'], [['x']]);
      }),
    ).rejects.toThrow('does not take COPY FROM STDIN');
  });

  it('gives up waiting for a connection after maxWait, and the pool stays usable', async () => {
    const holders = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    try {
      await expect(pgTransactions(pool).$transaction((tx) => tx.$queryRaw`SELECT 1`, { maxWait: 100 })).rejects.toThrow(
        'No database connection became free within 100 ms',
      );
    } finally {
      for (const holder of holders) holder.release();
    }
    // The connection that freed up after we gave up went back to the pool.
    await expect(pgTransactions(pool).$transaction((tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
    expect(pool.waitingCount).toBe(0);
  });

  it('survives the server ending the connection mid-transaction, and does not pool that connection again', async () => {
    await expect(pgTransactions(pool).$transaction((tx) => tx.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`)).rejects.toMatchObject({
      code: '57P01',
    });
    await expect(pgTransactions(pool).$transaction((tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
  });

  it('stops a statement that runs longer than the timeout and rolls back', async () => {
    await expect(pgTransactions(pool).$transaction((tx) => tx.$queryRaw`SELECT pg_sleep(2)`, { timeout: 100 })).rejects.toMatchObject({
      code: '57014',
    });
    await expect(prisma.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
  });
});

describe('createPrismaClient', () => {
  it('ends its pool on $disconnect', async () => {
    const client = createPrismaClient(database.url, { poolSize: 1 });
    const ownPool = pgPoolOf(client);
    await client.$queryRaw`SELECT 1`;
    await client.$disconnect();
    expect(ownPool.ended).toBe(true);
  });

  it('refuses a client it did not make', () => {
    expect(() => pgPoolOf({} as PrismaClient)).toThrow('not made by createPrismaClient');
  });
});
