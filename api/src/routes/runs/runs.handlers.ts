import type { RouteHandler } from '@hono/zod-openapi';
import { GENERATABLE_STATUSES } from '@storesync/core';
import type { PrismaClient } from '@storesync/db';
import { assertCanWrite, campaignWhere, isAdmin } from '../../lib/access.ts';
import { ApiError, ErrorCode, notFound } from '../../lib/errors.ts';
import type { AppBindings, AppDeps, AuthUser } from '../../lib/types.ts';
import {
  fingerprintsFor,
  hashCampaignInputs,
  identityFor,
  planGenerations,
  queueGenerations,
  removeJobs,
  type GenerationIdentity,
  type GenerationOptions,
} from '../generation/enqueue.ts';
import { estimateRunUsage } from './runs.estimate.ts';
import { latestFailedJobs, readProgress, settleRun, type GenerationRunRow, type LatestFailedJob } from './runs.progress.ts';
import type { cancelRun, estimateRun, getRun, retryFailedRun, startRun } from './runs.routes.ts';
import { planRun, runCampaignInclude, runOptionsOf } from './runs.selection.ts';
import { readStoredRequest, storedRequest, toRunJson } from './runs.serializers.ts';

/** The brands a run touches: those of its jobs' campaigns, and the brand of its filter. */
async function runBrandIds(prisma: PrismaClient, run: GenerationRunRow): Promise<string[]> {
  const locations = await prisma.location.findMany({
    where: { campaigns: { some: { generationJobs: { some: { runId: run.id } } } } },
    select: { brandId: true },
    distinct: ['brandId'],
  });
  const request = readStoredRequest(run);
  return [...new Set([...locations.map((location) => location.brandId), ...('filter' in request ? [request.filter.brand] : [])])];
}

/**
 * A run is visible to whoever started it, to admins, and to brand managers of every brand it
 * touches (a run over several brands shows their combined counts and cost). Anyone else gets 404.
 */
async function findVisibleRun(prisma: PrismaClient, user: AuthUser, id: string): Promise<GenerationRunRow> {
  const run = await prisma.generationRun.findUnique({ where: { id } });
  if (run && (isAdmin(user) || run.requestedById === user.id)) return run;
  if (run && user.role === 'brand_manager') {
    const brandIds = await runBrandIds(prisma, run);
    if (brandIds.length > 0 && brandIds.every((brandId) => user.brandIds.includes(brandId))) return run;
  }
  throw notFound('Run');
}

/** The run as answered, marked completed first if nothing is left to run. */
async function runJson(prisma: PrismaClient, run: GenerationRunRow) {
  const progress = await readProgress(prisma, run);
  return toRunJson(await settleRun(prisma, run, progress), progress);
}

export const startRunHandler: RouteHandler<typeof startRun, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const user = c.get('user');
  const body = c.req.valid('json');
  assertCanWrite(user);
  const plan = await planRun(deps.prisma, user, body);
  const options = runOptionsOf(body);
  const nothingToGenerate = plan.toGenerate.length === 0;
  const run = await deps.prisma.generationRun.create({
    data: {
      requestedById: user.id,
      request: storedRequest(body),
      useSimilarContent: options.useSimilarContent,
      additionalContext: options.additionalContext,
      force: options.force,
      total: plan.total,
      skipped: plan.skipped,
      skippedReasons: plan.skippedReasons,
      ...(nothingToGenerate ? { status: 'completed', finishedAt: new Date() } : {}),
    },
  });
  try {
    await queueGenerations(deps, plan.toGenerate, { options, requestedById: user.id, runId: run.id });
  } catch (error) {
    // The jobs that reached Redis find their run cancelled and stop; the others were marked failed.
    // Either way, repeating the request picks them up again.
    await deps.prisma.generationRun.update({ where: { id: run.id }, data: { status: 'cancelled', finishedAt: new Date() } });
    throw error;
  }
  return c.json(await runJson(deps.prisma, run), 202);
};

export const estimateRunHandler: RouteHandler<typeof estimateRun, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const user = c.get('user');
  const body = c.req.valid('json');
  assertCanWrite(user);
  const plan = await planRun(deps.prisma, user, body);
  const estimate = await estimateRunUsage(
    deps,
    plan.toGenerate.map((planned) => planned.campaign),
    runOptionsOf(body),
  );
  const { tokens } = estimate;
  return c.json(
    {
      campaigns: plan.toGenerate.length,
      skipped: plan.skipped,
      skipped_reasons: plan.skippedReasons,
      expected_tokens: { ...tokens, total: tokens.prompt + tokens.completion + tokens.embedding },
      expected_cost_usd: Math.round(estimate.costUsd * 1e6) / 1e6,
      expected_duration_seconds: estimate.durationSeconds,
      basis: {
        average_job_seconds: estimate.averageJobSeconds,
        worker_concurrency: estimate.workerConcurrency,
      },
    },
    200,
  );
};

export const getRunHandler: RouteHandler<typeof getRun, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const run = await findVisibleRun(prisma, c.get('user'), c.req.valid('param').id);
  return c.json(await runJson(prisma, run), 200);
};

/**
 * The run is marked cancelled first, so that from then on a worker that picks up one of its jobs
 * stops before the model call; then its queued rows are marked and their BullMQ jobs removed.
 * Should Redis fail here, the jobs left in it are stopped by that same check, so the cancel stands.
 */
async function cancelQueuedJobs(deps: AppDeps, logger: AppBindings['Variables']['logger'], runId: string) {
  const { prisma, generationQueue } = deps;
  const now = new Date();
  await prisma.generationRun.updateMany({ where: { id: runId, status: 'running' }, data: { status: 'cancelled', finishedAt: now } });
  const queued = await prisma.generationJob.findMany({ where: { runId, status: 'queued' }, select: { id: true } });
  const ids = queued.map((job) => job.id);
  await prisma.generationJob.updateMany({ where: { id: { in: ids }, status: 'queued' }, data: { status: 'cancelled', finishedAt: now } });
  try {
    await removeJobs(generationQueue, ids);
  } catch (error) {
    logger.warn({ err: error, run_id: runId }, 'run cancelled, but its jobs stay in Redis until a worker skips them');
  }
}

export const cancelRunHandler: RouteHandler<typeof cancelRun, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const { prisma } = deps;
  const user = c.get('user');
  const found = await findVisibleRun(prisma, user, c.req.valid('param').id);
  assertCanWrite(user);
  const run = await settleRun(prisma, found, await readProgress(prisma, found));
  if (run.status === 'completed') {
    throw new ApiError(ErrorCode.Conflict, 'The run has completed; there is nothing left to cancel', {
      extra: { current_status: run.status },
    });
  }
  if (run.status === 'running') await cancelQueuedJobs(deps, c.get('logger'), run.id);
  return c.json(await runJson(prisma, await prisma.generationRun.findUniqueOrThrow({ where: { id: run.id } })), 200);
};

const optionsStoredIn = (run: GenerationRunRow): GenerationOptions => ({
  useSimilarContent: run.useSimilarContent,
  additionalContext: run.additionalContext,
  force: run.force,
});

/**
 * The job each failed item runs again: the same job when the campaign's inputs are unchanged
 * (BullMQ retries it), else a new one for the new inputs, as a new run would make, e.g. after the
 * brand's rules were fixed. Campaigns deleted, out of the caller's reach or in review since stay
 * failed.
 */
async function retryIdentities(prisma: PrismaClient, user: AuthUser, run: GenerationRunRow, failed: LatestFailedJob[]) {
  const options = optionsStoredIn(run);
  const campaigns = await prisma.locationCampaign.findMany({
    where: {
      AND: [campaignWhere(user), { id: { in: failed.map((job) => job.campaign_id) } }, { status: { in: [...GENERATABLE_STATUSES] } }],
    },
    include: runCampaignInclude,
  });
  const campaignById = new Map(campaigns.map((campaign) => [campaign.id, campaign]));
  const examples = await fingerprintsFor(prisma, campaigns.map((campaign) => campaign.location.brandId), options);
  return failed.flatMap((job): GenerationIdentity[] => {
    const campaign = campaignById.get(job.campaign_id);
    if (!campaign) return [];
    const inputsHash = hashCampaignInputs(campaign, campaign.location.brand.settings, options, examples);
    return [inputsHash === job.inputs_hash ? { campaignId: campaign.id, jobId: job.id, inputsHash } : identityFor(campaign.id, inputsHash, run.force)];
  });
}

async function retryFailedItems(deps: AppDeps, user: AuthUser, run: GenerationRunRow) {
  const { prisma } = deps;
  const queuedAt = new Date();
  const identities = await retryIdentities(prisma, user, run, await latestFailedJobs(prisma, run.id));
  if (identities.length === 0) return;
  const plans = await planGenerations(prisma, identities);
  await queueGenerations(deps, plans, { options: optionsStoredIn(run), requestedById: user.id, runId: run.id });
  // A job that already has the new inputs joins the run, so the campaign's item follows it.
  await prisma.generationJob.updateMany({
    where: { id: { in: plans.filter((plan) => plan.outcome === 'unchanged' || plan.outcome === 'in_progress').map((plan) => plan.jobId) } },
    data: { runId: run.id },
  });
  // Reopened only now that its jobs are queued, so it cannot be settled as completed in between.
  await prisma.generationRun.update({ where: { id: run.id }, data: { status: 'running', finishedAt: null, lastQueuedAt: queuedAt } });
}

export const retryFailedRunHandler: RouteHandler<typeof retryFailedRun, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const { prisma } = deps;
  const user = c.get('user');
  const run = await findVisibleRun(prisma, user, c.req.valid('param').id);
  assertCanWrite(user);
  if (run.status === 'cancelled') {
    throw new ApiError(ErrorCode.Conflict, 'The run was cancelled; start a new run for its campaigns instead (unchanged ones are skipped)', {
      extra: { current_status: run.status },
    });
  }
  await retryFailedItems(deps, user, run);
  return c.json(await runJson(prisma, await prisma.generationRun.findUniqueOrThrow({ where: { id: run.id } })), 200);
};
