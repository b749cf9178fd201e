/**
 * From a campaign's inputs to a queued generation, for one campaign (POST
 * /campaigns/generate-content) and for thousands (batch runs) alike: the job id is a hash of the
 * inputs (including the brand's approved examples when similar content is on), so equal requests
 * share one generation_jobs row and one BullMQ job, and a campaign whose latest completed job had
 * the same inputs is "unchanged".
 */
import { createHash, randomUUID } from 'node:crypto';
import { REVIEWED_STATUSES, type GenerationJobStatus, type Prisma, type PrismaClient } from '@storesync/db';
import {
  GENERATE_CONTENT_JOB,
  generationJobId,
  hashGenerationInputs,
  type GenerateContentPayload,
} from '@storesync/worker/queue';
import type { Queue } from 'bullmq';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import type { AppDeps } from '../../lib/types.ts';

const QUEUE_TIMEOUT_MS = 3_000;
/** Jobs per BullMQ round trip: one addBulk (a single MULTI) per chunk. */
const QUEUE_CHUNK_SIZE = 500;

const queueUnavailable = () =>
  new ApiError(ErrorCode.Unavailable, 'The job queue (Redis) is unavailable right now; nothing was queued, try again shortly');

/** Redis calls that wait for a reconnect would hang the request; give up after a few seconds. */
export async function withQueueTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(queueUnavailable()), QUEUE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    throw error instanceof ApiError ? error : queueUnavailable();
  } finally {
    clearTimeout(timer);
  }
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** How a generation was asked for, beyond the campaign itself. */
export interface GenerationOptions {
  useSimilarContent: boolean;
  additionalContext: string;
  /** Generate even when these exact inputs already produced copy. */
  force: boolean;
}

/** The parts of a campaign its generation depends on (brand settings and examples come separately). */
export interface CampaignInputs {
  id: string;
  templateId: string;
  customizations: Prisma.JsonValue;
  template: { version: number };
  location: { brandId: string; name: string; storeNumber: string; address: Prisma.JsonValue; attributes: Prisma.JsonValue };
}

/** Brand id → fingerprint of the approved examples the worker would retrieve from. */
export type ExamplesFingerprints = ReadonlyMap<string, string>;

/**
 * What the worker's retrieval chooses examples from, per brand: the reviewed campaigns with an
 * embedding (findSimilarCampaigns' candidates), as their count and a sum of hashes of id and copy,
 * so adding, withdrawing or changing any of them changes the fingerprint. Campaigns merely moving
 * on through scheduled, active and completed keep it.
 *
 * Per brand rather than per campaign: which examples one campaign would get depends on its query
 * embedding, so knowing that costs an embedding call and a similarity search per campaign (about
 * 7 ms each, 35 s for a 5,000-campaign run, plus the provider's time and tokens), while this is one
 * query per run (measured 25 ms over 20,000 examples of one brand, 35 ms over 40,000). The price:
 * a new approved example makes every campaign of its brand "changed" for runs with similar
 * content, also those it would not have been retrieved for. Skipping is an optimisation; never
 * skipping a campaign whose examples changed is the requirement.
 */
export async function examplesFingerprints(prisma: PrismaClient, brandIds: string[]): Promise<ExamplesFingerprints> {
  const unique = [...new Set(brandIds)];
  if (unique.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ brand_id: string; examples: number; checksum: string }[]>`
    SELECT l.brand_id::text AS brand_id, count(*)::int AS examples,
           sum(hashtextextended(c.id::text || ':' || c.generated_content, 0))::text AS checksum
    FROM location_campaigns c JOIN locations l ON l.id = c.location_id
    WHERE l.brand_id = ANY(${unique}::uuid[])
      AND c.status = ANY(${[...REVIEWED_STATUSES]}::"CampaignStatus"[])
      AND c.content_embedding IS NOT NULL
    GROUP BY l.brand_id`;
  const found = new Map(rows.map((row) => [row.brand_id, `${row.examples}:${row.checksum}`]));
  return new Map(unique.map((brandId) => [brandId, found.get(brandId) ?? '0']));
}

/** The fingerprints a generation needs: none without similar content. */
export function fingerprintsFor(prisma: PrismaClient, brandIds: string[], options: GenerationOptions): Promise<ExamplesFingerprints> {
  return options.useSimilarContent ? examplesFingerprints(prisma, brandIds) : Promise.resolve(new Map());
}

export function hashCampaignInputs(
  campaign: CampaignInputs,
  brandSettings: Prisma.JsonValue,
  options: GenerationOptions,
  examples: ExamplesFingerprints,
): string {
  const brandExamples = examples.get(campaign.location.brandId);
  if (options.useSimilarContent && brandExamples === undefined) {
    throw new Error(`no examples fingerprint for brand ${campaign.location.brandId}; fetch them with fingerprintsFor`);
  }
  return hashGenerationInputs({
    campaignId: campaign.id,
    templateId: campaign.templateId,
    templateVersion: campaign.template.version,
    location: {
      name: campaign.location.name,
      storeNumber: campaign.location.storeNumber,
      address: campaign.location.address,
      attributes: campaign.location.attributes,
    },
    customizations: campaign.customizations,
    brandSettings,
    useSimilarContent: options.useSimilarContent,
    additionalContext: options.additionalContext,
    ...(options.useSimilarContent ? { examples: brandExamples } : {}),
  });
}

/** One campaign's generation job id and the hash it came from. */
export interface GenerationIdentity {
  campaignId: string;
  jobId: string;
  inputsHash: string;
}

/** A forced generation gets a fresh suffix, so it is a new job even for unchanged inputs. */
export function identityFor(campaignId: string, inputsHash: string, force: boolean): GenerationIdentity {
  return { campaignId, inputsHash, jobId: generationJobId(campaignId, inputsHash, force ? randomUUID().slice(0, 8) : undefined) };
}

export function generationIdentity(
  campaign: CampaignInputs,
  brandSettings: Prisma.JsonValue,
  options: GenerationOptions,
  examples: ExamplesFingerprints,
) {
  return identityFor(campaign.id, hashCampaignInputs(campaign, brandSettings, options, examples), options.force);
}

/**
 * What queueing a generation comes to, from the job that already has its id:
 * - `create`: none yet;
 * - `requeue`: it failed or its run was cancelled, so it runs again;
 * - `in_progress`: it is queued or running;
 * - `unchanged`: it completed, so the campaign's copy already reflects these inputs.
 */
export type GenerationOutcome = 'create' | 'requeue' | 'in_progress' | 'unchanged';

export interface PlannedGeneration extends GenerationIdentity {
  outcome: GenerationOutcome;
}

const OUTCOME_OF_EXISTING: Record<GenerationJobStatus, GenerationOutcome> = {
  queued: 'in_progress',
  active: 'in_progress',
  completed: 'unchanged',
  failed: 'requeue',
  cancelled: 'requeue',
};

/** Campaign id → its most recently finished completed job: the one its copy reflects. */
async function latestCompletedJobs(prisma: PrismaClient, campaignIds: string[]) {
  if (campaignIds.length === 0) return new Map<string, { id: string; inputsHash: string }>();
  const rows = await prisma.$queryRaw<{ campaign_id: string; id: string; inputs_hash: string }[]>`
    SELECT DISTINCT ON (campaign_id) campaign_id::text AS campaign_id, id, inputs_hash
    FROM generation_jobs
    WHERE campaign_id = ANY(${campaignIds}::uuid[]) AND status = 'completed'
    ORDER BY campaign_id, finished_at DESC NULLS LAST, created_at DESC`;
  return new Map(rows.map((row) => [row.campaign_id, { id: row.id, inputsHash: row.inputs_hash }]));
}

/**
 * The job for these inputs, given the campaign's latest completed job. "Unchanged" means: the
 * same inputs as the copy the campaign has now, i.e. as its latest completed job (whatever its id:
 * a forced one counts too). Other inputs get the job for them that follows that one: its id names
 * the latest job it follows, so inputs that come back to an earlier state (an example withdrawn
 * again, a customization undone) get a new job rather than the old, completed one, which would
 * only return its old versions; and asking again while it runs still finds the same job.
 */
function resolveIdentity<T extends GenerationIdentity>(
  identity: T,
  latest: { id: string; inputsHash: string } | undefined,
): { identity: T; unchanged: boolean } {
  // Forced identities carry their own fresh id and generate whatever came before.
  if (!latest || identity.jobId !== generationJobId(identity.campaignId, identity.inputsHash)) return { identity, unchanged: false };
  if (latest.inputsHash === identity.inputsHash) return { identity: { ...identity, jobId: latest.id }, unchanged: true };
  const follows = createHash('sha256').update(latest.id).digest('hex').slice(0, 8);
  return { identity: { ...identity, jobId: generationJobId(identity.campaignId, identity.inputsHash, follows) }, unchanged: false };
}

/** Three queries for any number of identities; each comes back with its job id, its outcome and whatever else it carried. */
export async function planGenerations<T extends GenerationIdentity>(
  prisma: PrismaClient,
  identities: T[],
): Promise<(T & { outcome: GenerationOutcome })[]> {
  const latest = await latestCompletedJobs(prisma, identities.map((identity) => identity.campaignId));
  const resolved = identities.map((identity) => resolveIdentity(identity, latest.get(identity.campaignId)));
  const existing = await prisma.generationJob.findMany({
    where: { id: { in: resolved.filter((plan) => !plan.unchanged).map((plan) => plan.identity.jobId) } },
    select: { id: true, status: true },
  });
  const statusById = new Map(existing.map((row) => [row.id, row.status]));
  return resolved.map(({ identity, unchanged }) => {
    const status = statusById.get(identity.jobId);
    return { ...identity, outcome: unchanged ? 'unchanged' : status ? OUTCOME_OF_EXISTING[status] : 'create' };
  });
}

export interface QueueRequest {
  options: GenerationOptions;
  requestedById: string;
  /** The run the jobs belong to; a requeued job moves to it (or out of any run, with null). */
  runId: string | null;
}

/**
 * Records and enqueues planned generations: rows for new jobs (createMany), failed or cancelled
 * rows back to queued, then their BullMQ jobs in chunks. `in_progress` plans are enqueued again,
 * which BullMQ ignores for a job it has and which repairs one whose enqueue never happened.
 * `unchanged` plans are left alone. When Redis fails, the rows that may not be queued are marked
 * failed with the reason, so they are retried like any failure, and the 503 is rethrown.
 */
export async function queueGenerations(deps: AppDeps, plans: PlannedGeneration[], request: QueueRequest): Promise<void> {
  const { prisma, generationQueue } = deps;
  const created = plans.filter((plan) => plan.outcome === 'create');
  const requeued = plans.filter((plan) => plan.outcome === 'requeue');
  const running = plans.filter((plan) => plan.outcome === 'in_progress');
  await createJobRows(prisma, created, request);
  await requeueJobRows(prisma, requeued, request);
  const queuedIds = [...created, ...requeued].map((plan) => plan.jobId);
  try {
    await addJobs(generationQueue, created.map((plan) => plan.jobId));
    await ensureQueued(generationQueue, [...requeued, ...running].map((plan) => plan.jobId));
  } catch (error) {
    await prisma.generationJob.updateMany({
      where: { id: { in: queuedIds }, status: 'queued' },
      data: { status: 'failed', error: 'the job queue (Redis) was unavailable when this job was queued', finishedAt: new Date() },
    });
    throw error;
  }
}

async function createJobRows(prisma: PrismaClient, plans: PlannedGeneration[], request: QueueRequest) {
  if (plans.length === 0) return;
  await prisma.generationJob.createMany({
    data: plans.map((plan) => ({
      id: plan.jobId,
      campaignId: plan.campaignId,
      requestedById: request.requestedById,
      runId: request.runId,
      inputsHash: plan.inputsHash,
      useSimilarContent: request.options.useSimilarContent,
      additionalContext: request.options.additionalContext,
    })),
    // An identical request may have created the row a moment ago; its job is the same one.
    skipDuplicates: true,
  });
}

/** The status condition keeps a job that someone else requeued meanwhile, and is now running, as it is. */
async function requeueJobRows(prisma: PrismaClient, plans: PlannedGeneration[], request: QueueRequest) {
  if (plans.length === 0) return;
  await prisma.generationJob.updateMany({
    where: { id: { in: plans.map((plan) => plan.jobId) }, status: { in: ['failed', 'cancelled'] } },
    data: { status: 'queued', error: null, runId: request.runId, startedAt: null, finishedAt: null },
  });
}

/** Adds jobs one chunk per round trip; BullMQ ignores an id it already has. */
async function addJobs(queue: Queue<GenerateContentPayload>, jobIds: string[]): Promise<void> {
  for (const chunk of chunksOf(jobIds, QUEUE_CHUNK_SIZE)) {
    await withQueueTimeout(
      queue.addBulk(chunk.map((id) => ({ name: GENERATE_CONTENT_JOB, data: { generationJobId: id }, opts: { jobId: id } }))),
    );
  }
}

/**
 * Makes sure each job will run: a finished job keeps its id in BullMQ, where a second add would be
 * ignored, so it is retried (with a fresh attempt budget); a job BullMQ no longer has is added;
 * a waiting, delayed or active one is left as it is.
 */
async function ensureQueued(queue: Queue<GenerateContentPayload>, jobIds: string[]): Promise<void> {
  for (const chunk of chunksOf(jobIds, QUEUE_CHUNK_SIZE)) {
    const missing = await withQueueTimeout(Promise.all(chunk.map((id) => retryIfFinished(queue, id))));
    await addJobs(queue, chunk.filter((_, index) => missing[index]));
  }
}

/** Retries the job if it finished; answers whether BullMQ lacks it. */
async function retryIfFinished(queue: Queue<GenerateContentPayload>, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job) return true;
  const state = await job.getState();
  if (state === 'failed' || state === 'completed') await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
  return false;
}

/** Removes waiting and delayed jobs; BullMQ refuses (answers 0 for) a job a worker holds. */
export async function removeJobs(queue: Queue<GenerateContentPayload>, jobIds: string[]): Promise<void> {
  for (const chunk of chunksOf(jobIds, QUEUE_CHUNK_SIZE)) {
    await withQueueTimeout(Promise.all(chunk.map((id) => queue.remove(id))));
  }
}
