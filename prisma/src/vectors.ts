/**
 * All raw SQL that touches the `content_embedding vector(1536)` column. Prisma models the
 * column as Unsupported, so reads and writes of it go through these helpers.
 */
import { fromSql, toSql } from 'pgvector';
import type { PrismaClient } from './client.ts';
import { Prisma } from './generated/client.ts';
import { CampaignStatus } from './generated/enums.ts';

/**
 * Anything that runs raw SQL: a Prisma client, one of its interactive transactions, or a
 * node-postgres transaction (pg-transaction.ts).
 */
export interface SqlRunner {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
}

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
 * Searches whose filters match at most this many campaigns are answered exactly: every match's
 * distance computed, then sorted. Each row costs about 13 µs (its 6 KiB vector is read back from
 * TOAST), so 600 rows take under 10 ms; larger scopes walk the HNSW index. The measurements
 * behind this and the settings below: docs/similarity-search.md, `npm run bench:similar`.
 */
export const EXACT_SCAN_LIMIT = 600;

/**
 * hnsw.ef_search for a search of `limit` rows. With the index's ef_construction of 128, 64 gives
 * recall@10 of about 0.98 on the bench data (pgvector's default of 40 gives about 0.96).
 */
export function efSearchFor(limit: number): number {
  return Math.min(1000, Math.max(64, 4 * limit));
}

/**
 * Nearest campaigns by cosine distance, in one of two ways, chosen inside one statement:
 *
 * - **Exact** when the brand/location filters and statuses match at most EXACT_SCAN_LIMIT
 *   campaigns with an embedding (counted first, from the small partial index
 *   `location_campaigns_embedded_location_id_status_idx`, stopping at EXACT_SCAN_LIMIT + 1):
 *   all their distances are computed and sorted. Small brands and location managers land here,
 *   and get exact answers, always `limit` rows when that many exist.
 * - **HNSW** otherwise (and always without brand and location filters), with pgvector 0.8's
 *   iterative scan: relaxed_order keeps walking the graph until `limit` rows pass the filters;
 *   the outer query restores the order. ef_search comes from efSearchFor.
 *
 * Sorting is switched off for the statement so that PostgreSQL walks the index for the HNSW
 * branch: its cost model does not charge for reading each 6 KiB vector from TOAST, and it would
 * otherwise sort a mid-sized brand's thousands of rows exactly (20-170 ms measured). The final
 * sorts of at most a few hundred rows have no alternative, so they still run. JIT stays off:
 * compiling this plan takes longer than running it.
 */
export async function findSimilarCampaigns(prisma: PrismaClient, query: SimilarityQuery): Promise<SimilarCampaign[]> {
  const { brandIds, limit } = query;
  // Unknown statuses match nothing, as they always have (the enum cast below would reject them).
  const statuses = query.statuses.filter((status) => Object.hasOwn(CampaignStatus, status));
  const locationIds = query.locationIds ?? null;
  const exclude = query.excludeCampaignId ?? null;
  if (!statuses.length || brandIds?.length === 0 || locationIds?.length === 0 || limit < 1) return [];
  const vector = toSql(query.embedding) as string;

  const campaignFilters = [Prisma.sql`c.content_embedding IS NOT NULL`, Prisma.sql`c.status = ANY(${statuses}::"CampaignStatus"[])`];
  if (exclude) campaignFilters.push(Prisma.sql`c.id <> ${exclude}::uuid`);
  const locationFilters: Prisma.Sql[] = [];
  if (brandIds) locationFilters.push(Prisma.sql`l.brand_id = ANY(${brandIds}::uuid[])`);
  if (locationIds) locationFilters.push(Prisma.sql`l.id = ANY(${locationIds}::uuid[])`);
  const and = (conditions: Prisma.Sql[]) => Prisma.join(conditions, ' AND ');

  // The query vector is sent once (a 1536-number parameter costs Prisma about 0.5 ms) and read
  // through an InitPlan, which the HNSW index scan accepts as its ORDER BY argument.
  const distance = Prisma.sql`c.content_embedding <=> (SELECT embedding FROM query)`;
  // The HNSW branch; `gate` makes it run only when the scope is too large for the exact branch.
  const approximate = (gate: Prisma.Sql) => Prisma.sql`
      SELECT c.id, ${distance} AS distance
      FROM location_campaigns c JOIN locations l ON l.id = c.location_id
      WHERE ${and([...campaignFilters, ...locationFilters, gate])}
      ORDER BY ${distance}
      LIMIT ${limit}`;
  const nearest = locationFilters.length
    ? Prisma.sql`
      scope_size AS MATERIALIZED (
        SELECT count(*)::int AS n FROM (
          SELECT 1 FROM locations l CROSS JOIN LATERAL (
            SELECT 1 FROM location_campaigns c
            WHERE c.location_id = l.id AND c.content_embedding IS NOT NULL AND c.status = ANY(${statuses}::"CampaignStatus"[])
            LIMIT ${EXACT_SCAN_LIMIT + 1}
          ) matching
          WHERE ${and(locationFilters)}
          LIMIT ${EXACT_SCAN_LIMIT + 1}
        ) counted
      ),
      exact AS MATERIALIZED (
        SELECT c.id, ${distance} AS distance
        FROM locations l CROSS JOIN LATERAL (
          SELECT c.id, c.content_embedding FROM location_campaigns c
          WHERE c.location_id = l.id AND ${and(campaignFilters)}
          LIMIT ${EXACT_SCAN_LIMIT + 1}
        ) c
        WHERE ${and(locationFilters)} AND (SELECT n FROM scope_size) <= ${EXACT_SCAN_LIMIT}
      ),
      approximate AS MATERIALIZED (${approximate(Prisma.sql`(SELECT n FROM scope_size) > ${EXACT_SCAN_LIMIT}`)}),
      nearest AS MATERIALIZED (
        SELECT id, distance FROM exact UNION ALL SELECT id, distance FROM approximate
        ORDER BY distance LIMIT ${limit}
      )`
    : Prisma.sql`nearest AS MATERIALIZED (${approximate(Prisma.sql`true`)})`;

  const [, rows] = await prisma.$transaction([
    prisma.$queryRaw`
      SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),
             set_config('hnsw.ef_search', ${String(efSearchFor(limit))}, true),
             set_config('enable_sort', 'off', true),
             set_config('jit', 'off', true)`,
    prisma.$queryRaw<SimilarCampaign[]>`
      WITH query AS MATERIALIZED (SELECT ${vector}::vector AS embedding),
      ${nearest}
      SELECT c.id, l.brand_id AS "brandId", l.name AS "locationName", t.name AS "templateName",
             c.generated_content AS content, c.status::text AS status, (1 - nearest.distance)::float8 AS similarity
      FROM nearest
      JOIN location_campaigns c ON c.id = nearest.id
      JOIN locations l ON l.id = c.location_id
      JOIN campaign_templates t ON t.id = c.template_id
      ORDER BY nearest.distance`,
  ]);
  return rows;
}
