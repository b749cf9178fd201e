/**
 * Storing generation attempts. Versions are numbered per campaign under a row lock on the
 * campaign, and unique per (job, attempt), so a job that runs twice finds its earlier work
 * instead of writing it again.
 */
import { isGeneratable, type CampaignStatus } from '@storesync/core';
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


/**
 * How long storing a version may wait for a pool connection (Prisma's default: 2 s). A model
 * answer in hand is worth the wait: giving up would retry the job and pay for the answer again.
 */
const STORE_MAX_WAIT_MS = 15_000;

export function findVersion(prisma: PrismaClient, generationJobId: string, attempt: number) {
  return prisma.campaignContentVersion.findUnique({ where: { generationJobId_attempt: { generationJobId, attempt } } });
}

export interface StoredVersion {
  versionId: string;
  /** Whether it is the campaign's current copy. */
  applied: boolean;
  status: 'ok' | 'failed';
  failureReason: string | null;
}

/**
 * Inserts the version and, when it is usable, makes it the campaign's current copy with its
 * embedding, all in one transaction. `applied` says whether the campaign's copy was replaced (it
 * is not when a reviewer moved the campaign on meanwhile).
 *
 * When this job's attempt is already stored, that version is returned and nothing is written:
 * BullMQ hands a running job out again when its lock is lost (a Redis outage longer than the
 * lock, a stalled event loop), so two deliveries of one job may finish side by side. The
 * campaign's row lock orders them; the second one finds the first one's version.
 */
export async function storeVersion(prisma: PrismaClient, draft: VersionDraft, embedding: number[] | null): Promise<StoredVersion> {
  return prisma.$transaction(async (tx) => {
    const [campaign] = await tx.$queryRaw<{ status: string; current_version_id: string | null }[]>`
      SELECT status::text AS status, current_version_id::text AS current_version_id
      FROM location_campaigns WHERE id = ${draft.campaignId}::uuid FOR UPDATE`;
    if (!campaign) throw new Error(`campaign ${draft.campaignId} no longer exists`);
    const earlier = await tx.campaignContentVersion.findUnique({
      where: { generationJobId_attempt: { generationJobId: draft.generationJobId, attempt: draft.attempt } },
    });
    if (earlier) {
      return {
        versionId: earlier.id,
        applied: campaign.current_version_id === earlier.id,
        status: earlier.status,
        failureReason: earlier.failureReason,
      };
    }
    const latest = await tx.campaignContentVersion.aggregate({
      where: { campaignId: draft.campaignId },
      _max: { versionNumber: true },
    });
    const version = await tx.campaignContentVersion.create({
      data: { ...draft, costUsd: new Prisma.Decimal(draft.costUsd.toFixed(6)), versionNumber: (latest._max.versionNumber ?? 0) + 1 },
    });
    const applied = draft.status === 'ok' && isGeneratable(campaign.status as CampaignStatus);
    if (applied) {
      await tx.locationCampaign.update({
        where: { id: draft.campaignId },
        data: { generatedContent: draft.content, currentVersionId: version.id },
      });
      await setCampaignEmbedding(tx, draft.campaignId, embedding);
    }
    return { versionId: version.id, applied, status: draft.status, failureReason: draft.failureReason };
  }, { maxWait: STORE_MAX_WAIT_MS });
}
