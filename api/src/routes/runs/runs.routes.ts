import { z } from '@hono/zod-openapi';
import { CAMPAIGN_STATUSES } from '@storesync/core';
import { authedRoute } from '../../lib/route.ts';
import { IdParam, jsonBody, jsonResponse } from '../../lib/schemas.ts';

const tags = ['generation'];

/** The most campaigns one run may generate; larger batches are split by the caller. */
export const MAX_RUN_CAMPAIGNS = 5_000;

export const CampaignFilterSchema = z
  .object({
    brand: z.string().uuid(),
    template: z.string().uuid().optional(),
    status: z.array(z.enum(CAMPAIGN_STATUSES)).min(1).optional().openapi({
      description: 'Campaign statuses to match; only draft and rejected campaigns are generated, the others are counted as skipped (locked)',
    }),
  })
  .strict()
  .openapi('CampaignFilter');

export const RunRequestSchema = z
  .object({
    campaign_ids: z.array(z.string().uuid()).min(1).max(MAX_RUN_CAMPAIGNS).optional(),
    filter: CampaignFilterSchema.optional(),
    use_similar_content: z.boolean().default(true),
    additional_context: z.string().trim().max(2_000).default(''),
    force: z.boolean().default(false).openapi({
      description: 'Generate even the campaigns whose inputs have not changed since their last successful generation',
    }),
  })
  .strict()
  .superRefine((body, issues) => {
    if ((body.campaign_ids === undefined) === (body.filter === undefined)) {
      issues.addIssue({ code: 'custom', path: ['campaign_ids'], message: 'give either campaign_ids or filter, exactly one of the two' });
    }
  })
  .openapi('GenerationRunRequest', { description: 'Exactly one of `campaign_ids` and `filter`' });

export type RunRequest = z.infer<typeof RunRequestSchema>;

const count = z.number().int().min(0);

export const SkippedReasonsSchema = z
  .object({
    unchanged: count.openapi({ description: 'Inputs unchanged since the last successful generation (see `force`)' }),
    in_progress: count.openapi({ description: 'A job with the same inputs is already queued or running' }),
    locked: count.openapi({ description: 'In review or later; only draft and rejected campaigns are generated' }),
    not_found: count.openapi({ description: 'Ids that name no campaign you can see' }),
  })
  .openapi('SkippedReasons');

const TokensSchema = z
  .object({ prompt: count, completion: count, embedding: count, total: count })
  .openapi('TokenCounts');

export const RunSchema = z
  .object({
    id: z.string().uuid(),
    status: z.enum(['running', 'cancelled', 'completed']),
    requested_by: z.string().uuid().nullable(),
    filter: CampaignFilterSchema.nullable().openapi({ description: 'The filter the run was started with, or null for ids' }),
    campaign_ids_count: count.nullable().openapi({ description: 'How many ids the run was started with, or null for a filter' }),
    use_similar_content: z.boolean(),
    additional_context: z.string(),
    force: z.boolean(),
    total: count.openapi({ description: 'Campaigns the request named or matched: generated plus skipped' }),
    skipped: count,
    skipped_reasons: SkippedReasonsSchema,
    queued: count,
    active: count,
    done: count,
    failed: count,
    cancelled: count,
    tokens: TokensSchema.openapi({ description: 'Spent so far, every attempt included' }),
    cost_usd: z.number(),
    written_by: z
      .array(z.object({ provider: z.string().openapi({ example: 'openai' }), model: z.string().openapi({ example: 'gpt-4o-mini' }), versions: count }))
      .openapi({ description: 'Which provider and model wrote the usable copy so far (offline: the built-in provider without OPENAI_API_KEY)' }),
    created_at: z.string().datetime(),
    started_at: z.string().datetime().nullable().openapi({ description: 'When the first job started' }),
    finished_at: z.string().datetime().nullable(),
    estimated_seconds_left: count.nullable().openapi({
      description: 'From the rate at which jobs finished since they were (re)queued; null until one has, and once the run stopped',
    }),
  })
  .openapi('GenerationRun');

export const EstimateSchema = z
  .object({
    campaigns: count.openapi({ description: 'Campaigns a run would generate now' }),
    skipped: count,
    skipped_reasons: SkippedReasonsSchema,
    expected_tokens: TokensSchema,
    expected_cost_usd: z.number(),
    expected_duration_seconds: count,
    basis: z.object({
      average_job_seconds: z.number().openapi({ description: 'Mean wall time of recent completed jobs (3 s without history)' }),
      worker_concurrency: count.openapi({ description: 'Jobs the worker runs at once (WORKER_CONCURRENCY)' }),
    }),
  })
  .openapi('GenerationRunEstimate');

const queueUnavailable = jsonResponse(
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
  'The job queue is unavailable',
);

export const startRun = authedRoute({
  method: 'post',
  path: '/campaigns/generate',
  tags,
  summary: 'Generate the copy of many campaigns (by ids or by a filter) as one run; poll the run',
  request: jsonBody(RunRequestSchema),
  responses: { 202: jsonResponse(RunSchema, 'The run, started'), 503: queueUnavailable },
});

export const estimateRun = authedRoute({
  method: 'post',
  path: '/campaigns/generate/estimate',
  tags,
  summary: 'What a run with this body would generate, and its expected tokens, cost and duration; queues nothing',
  request: jsonBody(RunRequestSchema),
  responses: { 200: jsonResponse(EstimateSchema, 'The estimate') },
});

export const getRun = authedRoute({
  method: 'get',
  path: '/runs/{id}',
  tags,
  summary: 'Progress of a run: counts by job status, tokens and cost so far, time left',
  request: { params: IdParam },
  responses: { 200: jsonResponse(RunSchema, 'The run') },
});

export const cancelRun = authedRoute({
  method: 'post',
  path: '/runs/{id}/cancel',
  tags,
  summary: 'Cancel a run: its queued jobs never start; running jobs finish',
  request: { params: IdParam },
  responses: { 200: jsonResponse(RunSchema, 'The run, cancelled') },
});

export const retryFailedRun = authedRoute({
  method: 'post',
  path: '/runs/{id}/retry-failed',
  tags,
  summary: 'Queue the failed items of a run again, and only those',
  request: { params: IdParam },
  responses: { 200: jsonResponse(RunSchema, 'The run'), 503: queueUnavailable },
});
