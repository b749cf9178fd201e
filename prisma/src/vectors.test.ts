import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createPrismaClient, type PrismaClient } from './index.ts';
import { createTestDatabase, seededRandom, type TestDatabase } from './testing.ts';
import {
  EMBEDDING_DIMENSIONS,
  EXACT_SCAN_LIMIT,
  findSimilarCampaigns,
  getCampaignEmbedding,
  setCampaignEmbedding,
  setCampaignEmbeddings,
} from './vectors.ts';


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
/** The last 100 of the big brand's campaigns, in its second store (a location manager's scope). */
const secondStoreCampaigns: { id: string; embedding: number[] }[] = [];
let bigBrandId = '';
let smallBrandId = '';
let secondStoreId = '';

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 4 });
  const next = seededRandom(42);
  const makeBrand = async (slug: string, count: number, sink: typeof bigBrandCampaigns, secondStore = 0) => {
    const brand = await prisma.brand.create({ data: { name: slug, slug } });
    const location = await prisma.location.create({ data: { brandId: brand.id, name: `${slug} store`, storeNumber: '1' } });
    const second = await prisma.location.create({ data: { brandId: brand.id, name: `${slug} second store`, storeNumber: '2' } });
    const template = await prisma.campaignTemplate.create({
      data: { brandId: brand.id, name: 't', contentTemplate: 'x', campaignType: 'sale' },
    });
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    await prisma.locationCampaign.createMany({
      data: ids.map((id, index) => ({
        id,
        locationId: index >= count - secondStore ? second.id : location.id,
        templateId: template.id,
        status: 'approved' as const,
        generatedContent: id,
      })),
    });
    const rows = ids.map((id) => ({ campaignId: id, embedding: unitVector(next) }));
    await setCampaignEmbeddings(prisma, rows);
    sink.push(...rows.map((row) => ({ id: row.campaignId, embedding: row.embedding })));
    return { brandId: brand.id, secondStoreId: second.id };
  };
  ({ brandId: bigBrandId, secondStoreId } = await makeBrand('big', 1500, bigBrandCampaigns, 100));
  secondStoreCampaigns.push(...bigBrandCampaigns.slice(-100));
  ({ brandId: smallBrandId } = await makeBrand('small', 15, smallBrandCampaigns));
}, 120_000);

/** The exact nearest `limit` of `campaigns` to `query`, most similar first. */
const exactNearest = (query: number[], campaigns: { id: string; embedding: number[] }[], limit: number) =>
  campaigns
    .map((campaign) => ({ id: campaign.id, similarity: cosine(query, campaign.embedding) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit);

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
    const query = unitVector(seededRandom(7));
    const results = await findSimilarCampaigns(prisma, { embedding: query, brandIds: [smallBrandId], statuses: ['approved'], limit: 10 });
    expect(results).toHaveLength(10);
    expect(results.every((row) => row.brandId === smallBrandId)).toBe(true);
    const exact = exactNearest(query, smallBrandCampaigns, 10);
    expect(results.map((row) => row.id)).toEqual(exact.map((row) => row.id));
    expect(results[0]?.similarity).toBeCloseTo(exact[0]!.similarity, 4);
  });

  it('answers a scope of at most EXACT_SCAN_LIMIT campaigns exactly: a location manager’s store, without the excluded campaign', async () => {
    expect(secondStoreCampaigns.length).toBeLessThanOrEqual(EXACT_SCAN_LIMIT);
    const query = unitVector(seededRandom(11));
    const [excluded, ...others] = exactNearest(query, secondStoreCampaigns, 21);
    const results = await findSimilarCampaigns(prisma, {
      embedding: query,
      brandIds: [bigBrandId, smallBrandId],
      locationIds: [secondStoreId],
      statuses: ['approved', 'completed'],
      limit: 20,
      excludeCampaignId: excluded!.id,
    });
    expect(results.map((row) => row.id)).toEqual(others.map((row) => row.id));
    expect(results.every((row) => row.locationName === 'big second store')).toBe(true);
    results.forEach((row, index) => expect(row.similarity).toBeCloseTo(others[index]!.similarity, 5));
  });

  it('returns every match when the scope holds fewer than `limit`', async () => {
    const results = await findSimilarCampaigns(prisma, { embedding: unitVector(seededRandom(3)), brandIds: [smallBrandId], statuses: ['approved'], limit: 20 });
    expect(results.map((row) => row.id).sort()).toEqual(smallBrandCampaigns.map((row) => row.id).sort());
  });

  it('walks the HNSW index for a scope larger than EXACT_SCAN_LIMIT, still within the brand and in order', async () => {
    expect(bigBrandCampaigns.length).toBeGreaterThan(EXACT_SCAN_LIMIT);
    const query = unitVector(seededRandom(5));
    const results = await findSimilarCampaigns(prisma, { embedding: query, brandIds: [bigBrandId], statuses: ['approved'], limit: 10 });
    expect(results).toHaveLength(10);
    expect(results.every((row) => row.brandId === bigBrandId)).toBe(true);
    const similarities = results.map((row) => row.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    // Uniform random vectors are the hardest case for an approximate index; the bench measures
    // recall on realistic data. Here: most of the answer is the exact answer.
    const exact = new Set(exactNearest(query, bigBrandCampaigns, 10).map((row) => row.id));
    expect(results.filter((row) => exact.has(row.id)).length).toBeGreaterThanOrEqual(6);
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

  it('matches nothing for unknown statuses or an empty list of brands, as before', async () => {
    const embedding = bigBrandCampaigns[0]!.embedding;
    expect(await findSimilarCampaigns(prisma, { embedding, brandIds: null, statuses: ['archived'], limit: 5 })).toEqual([]);
    expect(await findSimilarCampaigns(prisma, { embedding, brandIds: [], statuses: ['approved'], limit: 5 })).toEqual([]);
  });
});
