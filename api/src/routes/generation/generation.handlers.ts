import type { RouteHandler } from '@hono/zod-openapi';
import { findSimilarCampaigns, REVIEWED_STATUSES, type GenerationJob } from '@storesync/db';
import { assertCanWrite, campaignWhere, canSeeBrand, isAdmin } from '../../lib/access.ts';
import { ApiError, ErrorCode, notFound } from '../../lib/errors.ts';
import type { AppBindings, AppDeps } from '../../lib/types.ts';
import { findVisibleCampaign } from '../campaigns/campaigns.handlers.ts';
import { isGeneratable } from '@storesync/core';
import { fingerprintsFor, generationIdentity, planGenerations, queueGenerations, withQueueTimeout } from './enqueue.ts';
import type { generateContent, getJob, listVersions, similarCampaigns } from './generation.routes.ts';

async function jobJson(deps: AppDeps, row: GenerationJob, options: { readProgress: boolean }) {
  const version = await deps.prisma.campaignContentVersion.findFirst({
    where: { generationJobId: row.id, status: 'ok' },
    select: { id: true },
  });
  let progress = row.status === 'completed' || row.status === 'failed' ? 100 : 0;
  if (options.readProgress && (row.status === 'queued' || row.status === 'active')) {
    const job = await withQueueTimeout(deps.generationQueue.getJob(row.id)).catch(() => undefined);
    if (typeof job?.progress === 'number') progress = job.progress;
  }
  return {
    id: row.id,
    task_id: row.id,
    campaign_id: row.campaignId,
    status: row.status,
    progress,
    error: row.error,
    attempts: row.attempts,
    version_id: version?.id ?? null,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}

export const generateContentHandler: RouteHandler<typeof generateContent, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const { prisma } = deps;
  const user = c.get('user');
  const body = c.req.valid('json');
  const campaign = await findVisibleCampaign(prisma, user, body.campaign_id);
  assertCanWrite(user);
  if (!isGeneratable(campaign.status)) {
    throw new ApiError(
      ErrorCode.Conflict,
      `The campaign is ${campaign.status}; its reviewed copy is kept. Request changes or revise it back to draft to generate new copy`,
      { extra: { current_status: campaign.status } },
    );
  }
  const brand = await prisma.brand.findUniqueOrThrow({ where: { id: campaign.location.brandId }, select: { settings: true } });
  const options = { useSimilarContent: body.use_similar_content, additionalContext: body.additional_context, force: body.force };
  const examples = await fingerprintsFor(prisma, [campaign.location.brandId], options);
  const identity = generationIdentity(campaign, brand.settings, options, examples);
  const plans = await planGenerations(prisma, [identity]);
  await queueGenerations(deps, plans, { options, requestedById: user.id, runId: null });
  const row = await prisma.generationJob.findUniqueOrThrow({ where: { id: plans[0]?.jobId ?? identity.jobId } });
  return c.json(await jobJson(deps, row, { readProgress: false }), 202);
};

export const getJobHandler: RouteHandler<typeof getJob, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const row = await deps.prisma.generationJob.findFirst({
    where: { id: c.req.valid('param').id, campaign: campaignWhere(c.get('user')) },
  });
  if (!row) throw notFound('Job');
  return c.json(await jobJson(deps, row, { readProgress: true }), 200);
};

export const listVersionsHandler: RouteHandler<typeof listVersions, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const campaign = await findVisibleCampaign(prisma, c.get('user'), c.req.valid('param').id);
  const versions = await prisma.campaignContentVersion.findMany({
    where: { campaignId: campaign.id },
    orderBy: { versionNumber: 'desc' },
  });
  return c.json(
    {
      count: versions.length,
      results: versions.map((version) => ({
        id: version.id,
        version_number: version.versionNumber,
        status: version.status,
        is_current: version.id === campaign.currentVersionId,
        content: version.content,
        failure_reason: version.failureReason,
        provider: version.provider,
        model: version.model,
        embedding_model: version.embeddingModel,
        template_version: version.templateVersion,
        prompt_version: version.promptVersion,
        example_ids: version.exampleIds,
        prompt_tokens: version.promptTokens,
        completion_tokens: version.completionTokens,
        embedding_tokens: version.embeddingTokens,
        cost_usd: version.costUsd.toNumber(),
        latency_ms: version.latencyMs,
        generation_job_id: version.generationJobId,
        attempt: version.attempt,
        created_at: version.createdAt.toISOString(),
      })),
    },
    200,
  );
};

export const similarCampaignsHandler: RouteHandler<typeof similarCampaigns, AppBindings> = async (c) => {
  const { prisma, embeddings } = c.get('deps');
  const user = c.get('user');
  const query = c.req.valid('query');
  if (query.brand_id && !canSeeBrand(user, query.brand_id)) throw notFound('Brand');
  const brandIds = query.brand_id ? [query.brand_id] : isAdmin(user) ? null : user.brandIds;
  const { embeddings: vectors } = await embeddings.embed([query.query]);
  const results = await findSimilarCampaigns(prisma, {
    embedding: vectors[0] ?? [],
    brandIds,
    locationIds: user.assignedLocationIds.length ? user.assignedLocationIds : null,
    statuses: REVIEWED_STATUSES,
    limit: query.limit,
  });
  return c.json(
    results.map((result) => ({
      id: result.id,
      brand: result.brandId,
      location_name: result.locationName,
      template_name: result.templateName,
      content: result.content,
      status: result.status as (typeof REVIEWED_STATUSES)[number],
      similarity_score: Math.round(result.similarity * 10_000) / 10_000,
    })),
    200,
  );
};
