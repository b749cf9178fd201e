/**
 * All raw SQL that touches the `content_embedding vector(1536)` column. Prisma models the
 * column as Unsupported, so reads and writes of it go through these helpers.
 */
import { fromSql, toSql } from 'pgvector';
import type { PrismaClient } from './client.ts';

/** A client or an interactive transaction: anything that runs raw SQL. */
export type SqlRunner = Pick<PrismaClient, '$executeRaw' | '$queryRaw'>;

export const EMBEDDING_DIMENSIONS = 1536;

export async function setCampaignEmbedding(
  prisma: SqlRunner,
  campaignId: string,
  embedding: number[] | null,
): Promise<void> {
  if (embedding && embedding.length !== EMBEDDING_DIMENSIONS) {
    throw new Error(`embedding has ${embedding.length} dimensions, expected ${EMBEDDING_DIMENSIONS}`);
  }
  const value: string | null = embedding ? (toSql(embedding) as string) : null;
  await prisma.$executeRaw`UPDATE location_campaigns SET content_embedding = ${value}::vector WHERE id = ${campaignId}::uuid`;
}

export async function getCampaignEmbedding(prisma: SqlRunner, campaignId: string): Promise<number[] | null> {
  const rows = await prisma.$queryRaw<{ embedding: string | null }[]>`
    SELECT content_embedding::text AS embedding FROM location_campaigns WHERE id = ${campaignId}::uuid`;
  const text = rows[0]?.embedding;
  return text ? (fromSql(text) as number[]) : null;
}
