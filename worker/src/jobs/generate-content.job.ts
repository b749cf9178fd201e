/**
 * generate-content: one campaign's copy from its template, its location and up to three similar
 * approved examples of the same brand. Payload: the generation_jobs row id, nothing else.
 */
import { checkGeneratedCopy, type BrandSettings } from '@storesync/core';
import { findSimilarCampaigns, Prisma, REVIEWED_STATUSES } from '@storesync/db';
import { UnrecoverableError, type Job } from 'bullmq';
import { PROMPT_VERSION } from '../generation/inputs.ts';
import { buildPrompt, preparePrompt } from '../generation/prompt.ts';
import { findVersion, storeVersion, type VersionDraft } from '../generation/versions.ts';
import { ProviderError } from '../providers/types.ts';
import { GENERATE_CONTENT_JOB, GenerateContentPayload } from '../queue.ts';
import type { JobContext } from './context.ts';

export const name = GENERATE_CONTENT_JOB;
export const payloadSchema = GenerateContentPayload;

const EXAMPLE_COUNT = 3;
/** One retry after failed output checks, with the reasons added to the prompt. */
const MAX_ANSWERS = 2;

export interface GenerateContentResult {
  versionId: string | null;
  applied: boolean;
}

async function loadJob(ctx: JobContext, generationJobId: string) {
  const row = await ctx.prisma.generationJob.findUnique({
    where: { id: generationJobId },
    include: {
      campaign: {
        include: {
          location: { include: { brand: true } },
          template: true,
        },
      },
      run: { select: { status: true } },
    },
  });
  if (!row) throw new UnrecoverableError(`generation job ${generationJobId} has no database row`);
  return row;
}

type LoadedJob = Awaited<ReturnType<typeof loadJob>>;

async function assertWithinBudget(ctx: JobContext, brandId: string, settings: BrandSettings) {
  if (!settings.monthly_token_budget) return;
  const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  const used = await ctx.prisma.campaignContentVersion.aggregate({
    where: { createdAt: { gte: monthStart }, campaign: { location: { brandId } } },
    _sum: { promptTokens: true, completionTokens: true, embeddingTokens: true },
  });
  const spent = (used._sum.promptTokens ?? 0) + (used._sum.completionTokens ?? 0) + (used._sum.embeddingTokens ?? 0);
  if (spent >= settings.monthly_token_budget) {
    throw new UnrecoverableError(
      `the brand has used ${spent} of its ${settings.monthly_token_budget} monthly tokens; raise settings.monthly_token_budget or wait for next month`,
    );
  }
}

async function retrieveExamples(ctx: JobContext, row: LoadedJob, query: string) {
  if (!row.useSimilarContent) return { texts: [] as string[], ids: [] as string[], embeddingTokens: 0 };
  const { embeddings, promptTokens } = await ctx.providers.embeddings.embed([query]);
  const similar = await findSimilarCampaigns(ctx.prisma, {
    embedding: embeddings[0] ?? [],
    brandIds: [row.campaign.location.brandId],
    statuses: REVIEWED_STATUSES,
    limit: EXAMPLE_COUNT,
    excludeCampaignId: row.campaignId,
  });
  return { texts: similar.map((example) => example.content), ids: similar.map((example) => example.id), embeddingTokens: promptTokens };
}

function costOf(ctx: JobContext, tokens: { prompt: number; completion: number; embedding: number }) {
  const { prices } = ctx;
  return (tokens.prompt * prices.inputPerMTok + tokens.completion * prices.outputPerMTok + tokens.embedding * prices.embeddingPerMTok) / 1e6;
}

/**
 * Prisma's codes for database failures that pass: the database unreachable or gone away (P1001,
 * P1002, P1017), a timeout (P1008), no pool connection in time for a query (P2024) or a transaction
 * (P2028: a burst of jobs meeting a busy database), a write conflict or deadlock (P2034).
 */
const TRANSIENT_DATABASE_ERRORS = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

/** Retried with backoff like a provider's 5xx, rather than failing a job that did nothing wrong. */
function isTransientDatabaseError(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && TRANSIENT_DATABASE_ERRORS.has(error.code);
}

async function markFailed(ctx: JobContext, generationJobId: string, reason: string) {
  // Never over a completion: another delivery of this job may have finished it meanwhile.
  await ctx.prisma.generationJob.updateMany({
    where: { id: generationJobId, status: { not: 'completed' } },
    data: { status: 'failed', error: reason, finishedAt: new Date() },
  });
}

/** BullMQ's reason for a job it failed because its lock was lost too often (maxStalledCount). */
const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

/**
 * After BullMQ gave up on a job: its row must not stay queued or active, or its run would never
 * finish. The handler marks the failures it sees itself; this catches those it never sees: a job
 * whose worker lost its lock more often than BullMQ's maxStalledCount allows (crashed, hung, or
 * cut off from Redis each time it ran) is failed by BullMQ without running the handler again.
 */
export async function onFinalFailure(job: Job<GenerateContentPayload>, error: Error, ctx: JobContext): Promise<void> {
  const payload = payloadSchema.safeParse(job.data);
  if (!payload.success) return;
  const reason =
    error.message === STALLED_TOO_OFTEN
      ? "the job was given up: the worker running it stopped responding (crashed, hung or lost Redis) more often than BullMQ's maxStalledCount allows; retry it or its run's failed items"
      : error.message;
  await ctx.prisma.generationJob.updateMany({
    where: { id: payload.data.generationJobId, status: { in: ['queued', 'active'] } },
    data: { status: 'failed', error: reason, finishedAt: new Date() },
  });
}

export async function handler(job: Job<GenerateContentPayload>, ctx: JobContext): Promise<GenerateContentResult> {
  const { generationJobId } = payloadSchema.parse(job.data);
  const row = await loadJob(ctx, generationJobId);
  if (row.status === 'completed') {
    // A duplicate delivery of finished work: report what was done, do nothing again.
    const done = await ctx.prisma.campaignContentVersion.findFirst({ where: { generationJobId, status: 'ok' } });
    return { versionId: done?.id ?? null, applied: done !== null };
  }
  if (row.run?.status === 'cancelled') {
    // Cancelling a run removes its waiting jobs from the queue, but a job picked up meanwhile, or
    // waiting out a retry backoff, still arrives here: it must not spend a model call.
    await ctx.prisma.generationJob.update({
      where: { id: generationJobId },
      data: { status: 'cancelled', finishedAt: new Date() },
    });
    return { versionId: null, applied: false };
  }
  await ctx.prisma.generationJob.update({
    where: { id: generationJobId },
    data: { status: 'active', attempts: { increment: 1 }, startedAt: row.startedAt ?? new Date(), error: null },
  });
  try {
    return await generate(job, ctx, row);
  } catch (error) {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const retryable = (error instanceof ProviderError && error.retryable) || isTransientDatabaseError(error);
    const reason = error instanceof Error ? error.message : String(error);
    if (!retryable || finalAttempt) {
      await markFailed(ctx, generationJobId, reason);
      if (error instanceof UnrecoverableError) throw error;
      // The cause keeps what the worker still reads from it (a 429's Retry-After pauses the queue).
      throw Object.assign(new UnrecoverableError(reason), { cause: error });
    }
    await ctx.prisma.generationJob.update({ where: { id: generationJobId }, data: { status: 'queued', error: reason } });
    throw error;
  }
}

async function generate(job: Job<GenerateContentPayload>, ctx: JobContext, row: LoadedJob): Promise<GenerateContentResult> {
  const { campaign } = row;
  const { location, template } = campaign;
  const promptInput = await preparePrompt(campaign, row.additionalContext);
  const { settings } = promptInput.brand;
  await assertWithinBudget(ctx, location.brandId, settings);
  await job.updateProgress(20);
  const examples = await retrieveExamples(ctx, row, promptInput.renderedTemplate);
  promptInput.examples = examples.texts;
  await job.updateProgress(40);

  const { chat, embeddings } = ctx.providers;
  for (let attempt = 1; attempt <= MAX_ANSWERS; attempt++) {
    const earlier = await findVersion(ctx.prisma, row.id, attempt);
    if (earlier?.status === 'failed') {
      // This attempt was answered and refused before a crash; reuse its reasons, skip the call.
      promptInput.previousProblems = earlier.failureReason ? [earlier.failureReason] : [];
      continue;
    }
    if (earlier) return complete(ctx, row.id, { versionId: earlier.id, applied: campaign.currentVersionId === earlier.id });

    const started = performance.now();
    const answer = await chat.complete(buildPrompt(promptInput, { offlineFacts: chat.name === 'offline' }));
    const problems = checkGeneratedCopy(answer.content, settings);
    const embedded = problems.length ? null : await embeddings.embed([answer.content]);
    const draft: VersionDraft = {
      campaignId: campaign.id,
      generationJobId: row.id,
      attempt,
      status: problems.length ? 'failed' : 'ok',
      content: answer.content,
      failureReason: problems.length ? problems.join('; ') : null,
      provider: chat.name,
      model: answer.model,
      embeddingModel: embedded?.model ?? null,
      templateVersion: template.version,
      promptVersion: PROMPT_VERSION,
      exampleIds: examples.ids,
      inputsHash: row.inputsHash,
      promptTokens: answer.promptTokens,
      completionTokens: answer.completionTokens,
      embeddingTokens: (attempt === 1 ? examples.embeddingTokens : 0) + (embedded?.promptTokens ?? 0),
      costUsd: 0,
      latencyMs: Math.round(performance.now() - started),
    };
    draft.costUsd = costOf(ctx, { prompt: draft.promptTokens, completion: draft.completionTokens, embedding: draft.embeddingTokens });
    // `stored` is another delivery's version of this attempt when that one stored it first.
    const stored = await storeVersion(ctx.prisma, draft, embedded?.embeddings[0] ?? null);
    await job.updateProgress(40 + attempt * 30);
    if (stored.status === 'ok') return complete(ctx, row.id, { versionId: stored.versionId, applied: stored.applied });
    promptInput.previousProblems = stored.failureReason ? [stored.failureReason] : problems;
  }
  throw new UnrecoverableError(`the copy failed the brand's checks twice: ${promptInput.previousProblems.join('; ')}`);
}

async function complete(ctx: JobContext, generationJobId: string, result: GenerateContentResult) {
  await ctx.prisma.generationJob.update({
    where: { id: generationJobId },
    data: { status: 'completed', error: null, finishedAt: new Date() },
  });
  return result;
}
