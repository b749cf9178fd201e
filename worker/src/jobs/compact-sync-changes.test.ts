import { changedEntities, createPrismaClient, inputsAtVersions, type PrismaClient } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createOfflineProviders } from '../providers/offline.ts';
import { handler, RETENTION_DAYS } from './compact-sync-changes.job.ts';
import type { JobContext } from './context.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let context: JobContext;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 2 });
  context = {
    prisma,
    providers: createOfflineProviders(),
    logger: pino({ level: 'silent' }),
    prices: { inputPerMTok: 0, outputPerMTok: 0, embeddingPerMTok: 0 },
  };
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const fakeJob = { data: {} } as Job;
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3_600_000);

describe('compact-sync-changes', () => {
  it('deletes old superseded changes only, so the feed and recent merge bases stay as they were', async () => {
    const brand = await prisma.brand.create({ data: { name: 'C', slug: 'compact' } });
    const location = await prisma.location.create({ data: { brandId: brand.id, name: 'v1', storeNumber: '1' } });
    await prisma.location.update({ where: { id: location.id }, data: { name: 'v2' } });
    await prisma.location.update({ where: { id: location.id }, data: { name: 'v3' } });
    const quiet = await prisma.location.create({ data: { brandId: brand.id, name: 'only version', storeNumber: '2' } });
    const gone = await prisma.location.create({ data: { brandId: brand.id, name: 'deleted', storeNumber: '3' } });
    await prisma.location.delete({ where: { id: gone.id } });
    // Versions 1 and 2 of the first store, and every other row, are older than the retention.
    await prisma.$executeRaw`UPDATE sync_changes SET changed_at = ${daysAgo(RETENTION_DAYS + 5)} WHERE brand_id = ${brand.id}::uuid`;
    await prisma.$executeRaw`UPDATE sync_changes SET changed_at = now() WHERE entity_id = ${location.id}::uuid AND row_version = 2`;
    const feedBefore = await changedEntities(prisma, brand.id, 0n, 100);

    expect(await handler(fakeJob, context)).toEqual({ deleted: 2 });

    // Version 1 of the first store and the deleted store's creation went; nothing else.
    const remaining = await prisma.$queryRaw<{ entity_id: string; row_version: number; deleted: boolean }[]>`
      SELECT entity_id, row_version, deleted FROM sync_changes WHERE brand_id = ${brand.id}::uuid ORDER BY seq`;
    expect(remaining).toEqual([
      { entity_id: location.id, row_version: 2, deleted: false },
      { entity_id: location.id, row_version: 3, deleted: false },
      { entity_id: quiet.id, row_version: 1, deleted: false },
      { entity_id: gone.id, row_version: 2, deleted: true },
    ]);
    expect(await changedEntities(prisma, brand.id, 0n, 100)).toEqual(feedBefore);
    const bases = await inputsAtVersions(prisma, 'location', [
      { id: location.id, row_version: 1 },
      { id: location.id, row_version: 2 },
    ]);
    // Each base lives in the change that replaced it: version 1's in the recent change to version 2,
    // version 2's in the newest change, which compaction always keeps.
    expect([...bases.keys()].sort()).toEqual([`${location.id}:1`, `${location.id}:2`]);
    expect(await handler(fakeJob, context)).toEqual({ deleted: 0 });
  });
});
