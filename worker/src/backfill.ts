/**
 * Embeds every campaign that has copy but no embedding (demo data, imports, copy written by
 * hand before the worker existed), so similarity search and example retrieval can find it.
 */
import { setCampaignEmbeddings, type PrismaClient } from '@storesync/db';
import type { EmbeddingProvider } from './providers/types.ts';

const BATCH_SIZE = 64;

export async function backfillEmbeddings(prisma: PrismaClient, embeddings: EmbeddingProvider): Promise<number> {
  let embedded = 0;
  for (;;) {
    const batch = await prisma.$queryRaw<{ id: string; content: string }[]>`
      SELECT id, generated_content AS content FROM location_campaigns
      WHERE content_embedding IS NULL AND btrim(generated_content) <> ''
      ORDER BY id LIMIT ${BATCH_SIZE}`;
    if (batch.length === 0) return embedded;
    const result = await embeddings.embed(batch.map((row) => row.content));
    await setCampaignEmbeddings(
      prisma,
      batch.map((row, index) => ({ campaignId: row.id, embedding: result.embeddings[index] ?? [] })),
    );
    embedded += batch.length;
  }
}
