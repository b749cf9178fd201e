/**
 * Storing generation attempts. Versions are numbered per campaign under a row lock on the
 * campaign, and unique per (job, attempt), so a job that runs twice finds its earlier work
 * instead of writing it again.
 */
import { Prisma, setCampaignEmbedding, type PrismaClient } from '@storesync/db';

export interface VersionDraft {
  campaignId: string;
  generationJobId: string;
  attempt: number;
  status: 'ok' | 'failed';
  content: string;
  failureReason: string | null;
  provider: string;
  model: string;
  embeddingModel: string | null;
  templateVersion: number;
  promptVersion: string;
  exampleIds: string[];
  inputsHash: string;
  promptTokens: number;
  completionTokens: number;
  embeddingTokens: number;
  costUsd: number;
  latencyMs: number;
}

/** Campaign statuses whose copy a generation may replace; later ones were reviewed. */
const REPLACEABLE_STATUSES = ['draft', 'rejected'] as const;

export function findVersion(prisma: PrismaClient, generationJobId: string, attempt: number) {
  return prisma.campaignContentVersion.findUnique({ where: { generationJobId_attempt: { generationJobId, attempt } } });
}

/**
 * Inserts the version and, when it is usable, makes it the campaign's current copy with its
 * embedding, all in one transaction. Returns whether the campaign's copy was replaced (it is
 * not when a reviewer moved the campaign on meanwhile).
 */
export async function storeVersion(
  prisma: PrismaClient,
  draft: VersionDraft,
  embedding: number[] | null,
): Promise<{ versionId: string; applied: boolean }> {
  return prisma.$transaction(async (tx) => {
    const [campaign] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM location_campaigns WHERE id = ${draft.campaignId}::uuid FOR UPDATE`;
    if (!campaign) throw new Error(`campaign ${draft.campaignId} no longer exists`);
    const latest = await tx.campaignContentVersion.aggregate({
      where: { campaignId: draft.campaignId },
      _max: { versionNumber: true },
    });
    const version = await tx.campaignContentVersion.create({
      data: { ...draft, costUsd: new Prisma.Decimal(draft.costUsd.toFixed(6)), versionNumber: (latest._max.versionNumber ?? 0) + 1 },
    });
    const applied = draft.status === 'ok' && (REPLACEABLE_STATUSES as readonly string[]).includes(campaign.status);
    if (applied) {
      await tx.locationCampaign.update({
        where: { id: draft.campaignId },
        data: { generatedContent: draft.content, currentVersionId: version.id },
      });
      await setCampaignEmbedding(tx, draft.campaignId, embedding);
    }
    return { versionId: version.id, applied };
  });
}
