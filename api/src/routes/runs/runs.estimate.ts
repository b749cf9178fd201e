/**
 * What a run would spend, before it starts. The model is deliberately simple and stated in full:
 *
 * - prompt tokens: the prompt the worker would build with no examples (its length / 4, as the
 *   offline provider and most tokenizers count English), plus, with similar content on, one
 *   allowance per example the brand can supply (up to the worker's three): an example is past copy,
 *   so as long as the brand's average completion, plus a few tokens of framing;
 * - completion tokens: the average of the brand's recent usable versions, or 120 without history;
 * - embedding tokens: the search query (the rendered template) with similar content on, plus the
 *   answer, which is embedded for later searches;
 * - cost: those tokens at the PRICE_* settings;
 * - duration: campaigns × the mean wall time of recent completed jobs (3 s without history) /
 *   WORKER_CONCURRENCY, and no less than the workers' GENERATION_JOBS_PER_MINUTE limit allows, nor
 *   the provider limits OPENAI_REQUESTS_PER_MINUTE (a chat call and one or two embedding calls per
 *   campaign) and OPENAI_TOKENS_PER_MINUTE (the tokens above) allow.
 *
 * Not modelled: the one retry a copy that fails the brand's checks gets (a second prompt and
 * answer), provider retries after 429/5xx, and jobs already waiting
 * in the queue ahead of the run.
 */
import { REVIEWED_STATUSES, type PrismaClient } from '@storesync/db';
import { estimateTokens } from '@storesync/worker/providers';
import { pricesFrom } from '@storesync/worker/providers/config';
import { buildPrompt, preparePrompt } from '@storesync/worker/prompt';
import type { AppDeps } from '../../lib/types.ts';
import type { GenerationOptions } from '../generation/enqueue.ts';
import type { RunCampaign } from './runs.selection.ts';

/** As many examples as the worker retrieves. */
const EXAMPLES_PER_PROMPT = 3;
/** "Example N:" and the blank lines around each example. */
const EXAMPLE_FRAMING_TOKENS = 5;
const DEFAULT_COMPLETION_TOKENS = 120;
const DEFAULT_JOB_SECONDS = 3;
const RECENT_VERSIONS = 100;
const RECENT_JOBS = 200;

interface BrandHistory {
  completionTokens: number;
  examples: number;
}

export interface RunEstimate {
  tokens: { prompt: number; completion: number; embedding: number };
  costUsd: number;
  durationSeconds: number;
  averageJobSeconds: number;
  workerConcurrency: number;
}

async function brandHistory(prisma: PrismaClient, brandId: string, options: GenerationOptions): Promise<BrandHistory> {
  const [recent, reviewed] = await Promise.all([
    prisma.campaignContentVersion.aggregate({
      where: { status: 'ok', campaign: { location: { brandId } } },
      orderBy: { createdAt: 'desc' },
      take: RECENT_VERSIONS,
      _avg: { completionTokens: true },
    }),
    options.useSimilarContent
      ? prisma.locationCampaign.count({
          where: { location: { brandId }, status: { in: [...REVIEWED_STATUSES] }, generatedContent: { not: '' } },
          take: EXAMPLES_PER_PROMPT,
        })
      : 0,
  ]);
  return { completionTokens: Math.round(recent._avg.completionTokens ?? DEFAULT_COMPLETION_TOKENS), examples: reviewed };
}

/** Mean wall time of recent completed jobs (to the millisecond), any brand: it depends on the provider, not the brand. */
async function averageJobSeconds(prisma: PrismaClient): Promise<number> {
  const recent = await prisma.generationJob.findMany({
    where: { status: 'completed', startedAt: { not: null }, finishedAt: { not: null } },
    orderBy: { finishedAt: 'desc' },
    take: RECENT_JOBS,
    select: { startedAt: true, finishedAt: true },
  });
  const seconds = recent.flatMap(({ startedAt, finishedAt }) =>
    startedAt && finishedAt ? [(finishedAt.getTime() - startedAt.getTime()) / 1000] : [],
  );
  if (seconds.length === 0) return DEFAULT_JOB_SECONDS;
  return Math.round((seconds.reduce((sum, value) => sum + value, 0) / seconds.length) * 1000) / 1000;
}

/** The prompt as the worker builds it, before examples, and the rendered template it starts from. */
async function promptWithoutExamples(campaign: RunCampaign, options: GenerationOptions, offlineFacts: boolean) {
  const input = await preparePrompt(campaign, options.additionalContext);
  const messages = buildPrompt(input, { offlineFacts });
  return {
    promptTokens: estimateTokens(messages.map((message) => message.content).join('\n')),
    renderedTokens: estimateTokens(input.renderedTemplate),
  };
}

export async function estimateRunUsage(deps: AppDeps, campaigns: RunCampaign[], options: GenerationOptions): Promise<RunEstimate> {
  const { prisma, env } = deps;
  const brandIds = [...new Set(campaigns.map((campaign) => campaign.location.brandId))];
  const [histories, jobSeconds] = await Promise.all([
    Promise.all(brandIds.map(async (brandId) => [brandId, await brandHistory(prisma, brandId, options)] as const)),
    averageJobSeconds(prisma),
  ]);
  const historyOf = new Map(histories);
  // The worker appends the offline provider's facts block exactly when it has no API key.
  const offlineFacts = deps.embeddings.name === 'offline';
  const tokens = { prompt: 0, completion: 0, embedding: 0 };
  for (const campaign of campaigns) {
    const history = historyOf.get(campaign.location.brandId) ?? { completionTokens: DEFAULT_COMPLETION_TOKENS, examples: 0 };
    const prompt = await promptWithoutExamples(campaign, options, offlineFacts);
    tokens.prompt += prompt.promptTokens + history.examples * (history.completionTokens + EXAMPLE_FRAMING_TOKENS);
    tokens.completion += history.completionTokens;
    tokens.embedding += (options.useSimilarContent ? prompt.renderedTokens : 0) + history.completionTokens;
  }
  const requests = campaigns.length * (options.useSimilarContent ? 3 : 2);
  const perMinute = (amount: number, limit: number | undefined) => (limit ? (amount * 60) / limit : 0);
  const prices = pricesFrom(env);
  const costUsd =
    (tokens.prompt * prices.inputPerMTok + tokens.completion * prices.outputPerMTok + tokens.embedding * prices.embeddingPerMTok) / 1e6;
  return {
    tokens,
    costUsd,
    durationSeconds: Math.ceil(
      Math.max(
        (campaigns.length * jobSeconds) / env.WORKER_CONCURRENCY,
        perMinute(campaigns.length, env.GENERATION_JOBS_PER_MINUTE),
        perMinute(requests, env.OPENAI_REQUESTS_PER_MINUTE),
        perMinute(tokens.prompt + tokens.completion + tokens.embedding, env.OPENAI_TOKENS_PER_MINUTE),
      ),
    ),
    averageJobSeconds: jobSeconds,
    workerConcurrency: env.WORKER_CONCURRENCY,
  };
}
