import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createPrismaClient, type PrismaClient } from './index.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';
import {
  EMBEDDING_DIMENSIONS,
  findSimilarCampaigns,
  getCampaignEmbedding,
  setCampaignEmbedding,
  setCampaignEmbeddings,
} from './vectors.ts';

/** Deterministic pseudo-random numbers (mulberry32), so the data set is the same every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unitVector(next: () => number): number[] {
  const vector = Array.from({ length: EMBEDDING_DIMENSIONS }, () => next() - 0.5);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

let database: TestDatabase;
let prisma: PrismaClient;
const bigBrandCampaigns: { id: string; embedding: number[] }[] = [];
const smallBrandCampaigns: { id: string; embedding: number[] }[] = [];
let smallBrandId = '';

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 4 });
  const next = random(42);
  const makeBrand = async (slug: string, count: number, sink: typeof bigBrandCampaigns) => {
    const brand = await prisma.brand.create({ data: { name: slug, slug } });
    const location = await prisma.location.create({ data: { brandId: brand.id, name: `${slug} store`, storeNumber: '1' } });
    const template = await prisma.campaignTemplate.create({
      data: { brandId: brand.id, name: 't', contentTemplate: 'x', campaignType: 'sale' },
    });
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    await prisma.locationCampaign.createMany({
      data: ids.map((id) => ({ id, locationId: location.id, templateId: template.id, status: 'approved' as const, generatedContent: id })),
    });
    const rows = ids.map((id) => ({ campaignId: id, embedding: unitVector(next) }));
    await setCampaignEmbeddings(prisma, rows);
    sink.push(...rows.map((row) => ({ id: row.campaignId, embedding: row.embedding })));
    return brand.id;
  };
  await makeBrand('big', 1500, bigBrandCampaigns);
  smallBrandId = await makeBrand('small', 15, smallBrandCampaigns);
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe('campaign embeddings', () => {
  it('round-trip through the vector column', async () => {
    const campaign = bigBrandCampaigns[0]!;
    const stored = await getCampaignEmbedding(prisma, campaign.id);
    expect(stored).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(stored?.[0]).toBeCloseTo(campaign.embedding[0]!, 5);
  });

  it('refuses vectors of the wrong size', async () => {
    await expect(setCampaignEmbedding(prisma, bigBrandCampaigns[0]!.id, [1, 2, 3])).rejects.toThrow(/1536/);
  });
});

describe('findSimilarCampaigns', () => {
  it('returns `limit` rows for a brand holding 1% of the vectors, in similarity order', async () => {
    const query = unitVector(random(7));
    const results = await findSimilarCampaigns(prisma, { embedding: query, brandIds: [smallBrandId], statuses: ['approved'], limit: 10 });
    expect(results).toHaveLength(10);
    expect(results.every((row) => row.brandId === smallBrandId)).toBe(true);
    const exact = smallBrandCampaigns
      .map((campaign) => ({ id: campaign.id, similarity: cosine(query, campaign.embedding) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 10);
    expect(results.map((row) => row.id)).toEqual(exact.map((row) => row.id));
    expect(results[0]?.similarity).toBeCloseTo(exact[0]!.similarity, 4);
  });

  it('finds a campaign’s own vector first across all brands, and can exclude it', async () => {
    const target = bigBrandCampaigns[123]!;
    const [first] = await findSimilarCampaigns(prisma, { embedding: target.embedding, brandIds: null, statuses: ['approved'], limit: 3 });
    expect(first).toMatchObject({ id: target.id, locationName: 'big store', templateName: 't', status: 'approved' });
    expect(first?.similarity).toBeCloseTo(1, 4);
    const others = await findSimilarCampaigns(prisma, {
      embedding: target.embedding,
      brandIds: null,
      statuses: ['approved'],
      limit: 3,
      excludeCampaignId: target.id,
    });
    expect(others.map((row) => row.id)).not.toContain(target.id);
  });

  it('filters by status', async () => {
    const results = await findSimilarCampaigns(prisma, {
      embedding: bigBrandCampaigns[0]!.embedding,
      brandIds: null,
      statuses: ['draft'],
      limit: 5,
    });
    expect(results).toEqual([]);
  });
});
