/**
 * All raw SQL that touches the `content_embedding vector(1536)` column. Prisma models the
 * column as Unsupported, so reads and writes of it go through these helpers.
 */
import { fromSql, toSql } from 'pgvector';
import type { PrismaClient } from './client.ts';

/** A client or an interactive transaction: anything that runs raw SQL. */
export type SqlRunner = Pick<PrismaClient, '$executeRaw' | '$queryRaw'>;

export const EMBEDDING_DIMENSIONS = 1536;

function assertDimensions(embedding: number[]) {
  if (embedding.length !== EMBEDDING_DIMENSIONS) {
    throw new Error(`embedding has ${embedding.length} dimensions, expected ${EMBEDDING_DIMENSIONS}`);
  }
}

export async function setCampaignEmbedding(
  prisma: SqlRunner,
  campaignId: string,
  embedding: number[] | null,
): Promise<void> {
  if (embedding) assertDimensions(embedding);
  const value: string | null = embedding ? (toSql(embedding) as string) : null;
  await prisma.$executeRaw`UPDATE location_campaigns SET content_embedding = ${value}::vector WHERE id = ${campaignId}::uuid`;
}

/** Many embeddings in one statement (backfills, benchmarks, fixtures). */
export async function setCampaignEmbeddings(
  prisma: SqlRunner,
  rows: { campaignId: string; embedding: number[] }[],
): Promise<void> {
  for (const row of rows) assertDimensions(row.embedding);
  const ids = rows.map((row) => row.campaignId);
  const vectors = rows.map((row) => toSql(row.embedding) as string);
  await prisma.$executeRaw`
    UPDATE location_campaigns AS c SET content_embedding = v.embedding::vector
    FROM unnest(${ids}::uuid[], ${vectors}::text[]) AS v(id, embedding)
    WHERE c.id = v.id`;
}

export async function getCampaignEmbedding(prisma: SqlRunner, campaignId: string): Promise<number[] | null> {
  const rows = await prisma.$queryRaw<{ embedding: string | null }[]>`
    SELECT content_embedding::text AS embedding FROM location_campaigns WHERE id = ${campaignId}::uuid`;
  const text = rows[0]?.embedding;
  return text ? (fromSql(text) as number[]) : null;
}

/** Statuses whose copy passed review: what "approved copy" means for search and examples. */
export const REVIEWED_STATUSES = ['approved', 'scheduled', 'active', 'completed'] as const;

export interface SimilarCampaign {
  id: string;
  brandId: string;
  locationName: string;
  templateName: string;
  content: string;
  status: string;
  similarity: number;
}

export interface SimilarityQuery {
  embedding: number[];
  /** Only campaigns of these brands; null searches every brand (admins). */
  brandIds: string[] | null;
  /** Only campaigns of these locations (location managers with assignments); null for no such limit. */
  locationIds?: string[] | null;
  statuses: readonly string[];
  limit: number;
  excludeCampaignId?: string;
}

/**
 * Nearest campaigns by cosine distance over the HNSW index. A brand filter on an approximate
 * index normally returns fewer rows than asked when the brand holds a small share of the
 * vectors; pgvector 0.8's iterative scan keeps walking the graph until `limit` rows pass the
 * filter. relaxed_order may return neighbours slightly out of order, so the outer query sorts.
 */
export async function findSimilarCampaigns(prisma: PrismaClient, query: SimilarityQuery): Promise<SimilarCampaign[]> {
  const vector = toSql(query.embedding) as string;
  const brandIds = query.brandIds;
  const statuses = [...query.statuses];
  const locationIds = query.locationIds ?? null;
  const exclude = query.excludeCampaignId ?? null;
  const [, , rows] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL hnsw.iterative_scan = relaxed_order`,
    prisma.$executeRaw`SELECT set_config('hnsw.ef_search', ${String(Math.max(40, query.limit * 4))}, true)`,
    prisma.$queryRaw<SimilarCampaign[]>`
      WITH nearest AS MATERIALIZED (
        SELECT c.id, l.brand_id, l.name AS location_name, t.name AS template_name,
               c.generated_content AS content, c.status::text AS status,
               c.content_embedding <=> ${vector}::vector AS distance
        FROM location_campaigns c
        JOIN locations l ON l.id = c.location_id
        JOIN campaign_templates t ON t.id = c.template_id
        WHERE c.content_embedding IS NOT NULL
          AND c.status::text = ANY(${statuses}::text[])
          AND (${brandIds}::uuid[] IS NULL OR l.brand_id = ANY(${brandIds}::uuid[]))
          AND (${locationIds}::uuid[] IS NULL OR c.location_id = ANY(${locationIds}::uuid[]))
          AND (${exclude}::uuid IS NULL OR c.id <> ${exclude}::uuid)
        ORDER BY c.content_embedding <=> ${vector}::vector
        LIMIT ${query.limit}
      )
      SELECT id, brand_id AS "brandId", location_name AS "locationName", template_name AS "templateName",
             content, status, (1 - distance)::float8 AS similarity
      FROM nearest ORDER BY distance`,
  ]);
  return rows;
}
