import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createPrismaClient, getCampaignEmbedding, type PrismaClient } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import { backfillEmbeddings } from './backfill.ts';
import { createOfflineProviders } from './providers/offline.ts';

let database: TestDatabase;
let prisma: PrismaClient;
beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 2 });
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe('backfillEmbeddings', () => {
  it('embeds campaigns with copy and no embedding, and nothing else', async () => {
    const brand = await prisma.brand.create({ data: { name: 'B', slug: 'b' } });
    const location = await prisma.location.create({ data: { brandId: brand.id, name: 'S', storeNumber: '1' } });
    const template = await prisma.campaignTemplate.create({ data: { brandId: brand.id, name: 'T', contentTemplate: 'x', campaignType: 'sale' } });
    const make = (generatedContent: string) => prisma.locationCampaign.create({ data: { locationId: location.id, templateId: template.id, generatedContent } });
    const campaigns = await Promise.all(Array.from({ length: 70 }, (_, index) => make(`Spring sale number ${index}`)));
    const empty = await make('  ');
    const { embeddings } = createOfflineProviders();
    expect(await backfillEmbeddings(prisma, embeddings)).toBe(70);
    expect(await getCampaignEmbedding(prisma, campaigns[69]!.id)).toHaveLength(1536);
    expect(await getCampaignEmbedding(prisma, empty.id)).toBeNull();
    expect(await backfillEmbeddings(prisma, embeddings)).toBe(0);
  });
});
