/**
 * `npm start`'s embedded PostgreSQL (PGlite behind pglite-socket) cannot take COPY FROM STDIN:
 * the launcher tells the API so, and location inserts then take the INSERT path, which PGlite
 * runs like PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { describe, expect, it } from 'vitest';
import { applyMigrations, createPrismaClient, insertLocations, pgTransactionsOf } from '../src/index.ts';

const launcher = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));

describe('embedded PostgreSQL (PGlite)', () => {
  it('runs its command with DATABASE_COPY=false and a pool of one', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'storesync-pglite-'));
    try {
      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', launcher, '--data-dir', path.join(dataDir, 'db'), '--port', port, '--', process.execPath, '-e', 'console.log(`copy=${process.env.DATABASE_COPY} pool=${process.env.DATABASE_POOL_SIZE}`)'],
        { timeout: 60_000 },
      );
      expect(stdout).toContain('copy=false pool=1');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('inserts locations without COPY, leaving out store numbers already taken', async () => {
    const db = await PGlite.create({ extensions: { vector } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    try {
      await applyMigrations(url);
      const prisma = createPrismaClient(url, { poolSize: 1, copyFromStdin: false });
      try {
        const brand = await prisma.brand.create({ data: { name: 'Embedded', slug: 'embedded' } });
        await prisma.location.create({ data: { brandId: brand.id, name: 'Taken', storeNumber: '1' } });
        const rows = ['1', '2', '3'].map((storeNumber) => ({ name: `Store ${storeNumber}`, store_number: storeNumber, address: {}, attributes: { note: 'a\tb' }, is_active: true }));
        const inserted = await pgTransactionsOf(prisma).$transaction((tx) => insertLocations(tx, brand.id, rows));
        expect(inserted.map((state) => state.store_number).sort()).toEqual(['2', '3']);
        expect(await prisma.location.count({ where: { brandId: brand.id } })).toBe(3);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await server.stop();
      await db.close();
    }
  }, 90_000);
});
