import { z } from '@hono/zod-openapi';
import { CAMPAIGN_STATUSES } from '@storesync/core';
import { authedRoute } from '../../lib/route.ts';
import { jsonBody, jsonResponse } from '../../lib/schemas.ts';

const tags = ['generation'];

export const GenerateContentRequestSchema = z
  .object({
    campaign_id: z.string().uuid(),
    use_similar_content: z.boolean().default(true),
    additional_context: z.string().trim().max(2_000).default(''),
    force: z.boolean().default(false).openapi({
      description: 'Generate again even if this campaign was already generated from exactly these inputs',
    }),
  })
  .strict()
  .openapi('GenerateContentRequest');

export const JobStatusSchema = z
  .object({
    id: z.string(),
    task_id: z.string().openapi({ description: 'Same as id (the spec’s name)' }),
    campaign_id: z.string().uuid(),
    status: z.enum(['queued', 'active', 'completed', 'failed', 'cancelled']),
    progress: z.number().int().min(0).max(100),
    error: z.string().nullable(),
    attempts: z.number().int(),
    version_id: z.string().uuid().nullable().openapi({ description: 'The usable version this job produced, once completed' }),
    created_at: z.string().datetime(),
    started_at: z.string().datetime().nullable(),
    finished_at: z.string().datetime().nullable(),
  })
  .openapi('GenerationJob');

export const VersionSchema = z
  .object({
    id: z.string().uuid(),
    version_number: z.number().int(),
    status: z.enum(['ok', 'failed']),
    is_current: z.boolean(),
    content: z.string(),
    failure_reason: z.string().nullable(),
    provider: z.string().openapi({ description: '`openai` or `offline` (no API key configured)' }),
    model: z.string(),
    embedding_model: z.string().nullable(),
    template_version: z.number().int(),
    prompt_version: z.string(),
    example_ids: z.array(z.string().uuid()),
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    embedding_tokens: z.number().int(),
    cost_usd: z.number(),
    latency_ms: z.number().int(),
    generation_job_id: z.string().nullable(),
    attempt: z.number().int(),
    created_at: z.string().datetime(),
  })
  .openapi('ContentVersion');

export const SimilarResultSchema = z
  .object({
    id: z.string().uuid(),
    brand: z.string().uuid(),
    location_name: z.string(),
    template_name: z.string(),
    content: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    similarity_score: z.number(),
  })
  .openapi('SimilarCampaign');

export const generateContent = authedRoute({
  method: 'post',
  path: '/campaigns/generate-content',
  tags,
  summary: 'Queue AI generation of a campaign’s copy; poll the returned job',
  request: jsonBody(GenerateContentRequestSchema),
  responses: {
    202: jsonResponse(JobStatusSchema, 'Queued (or already done for these exact inputs)'),
    503: jsonResponse(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'The job queue is unavailable'),
  },
});

export const getJob = authedRoute({
  method: 'get',
  path: '/jobs/{id}',
  tags,
  summary: 'Status, progress and error of a generation job',
  request: { params: z.object({ id: z.string().min(1).max(120).openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: jsonResponse(JobStatusSchema, 'The job') },
});

export const listVersions = authedRoute({
  method: 'get',
  path: '/campaigns/{id}/versions',
  tags,
  summary: 'Every generation of a campaign’s copy, newest first, with its provenance',
  request: { params: z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: jsonResponse(z.object({ count: z.number().int(), results: z.array(VersionSchema) }), 'Versions') },
});

export const similarCampaigns = authedRoute({
  method: 'get',
  path: '/campaigns/similar',
  tags,
  summary: 'Semantic search over reviewed copy (approved, scheduled, active, completed) of the brands you can see',
  request: {
    query: z.object({
      query: z.string().trim().min(1).max(500),
      brand_id: z.string().uuid().optional(),
      limit: z.coerce.number().int().min(1).max(20).default(5),
    }),
  },
  responses: { 200: jsonResponse(z.array(SimilarResultSchema), 'Most similar first') },
});
