import { z } from '@hono/zod-openapi';
import { secondsLeft, type GenerationRunRow, type RunProgress } from './runs.progress.ts';
import { CampaignFilterSchema, SkippedReasonsSchema, type RunRequest } from './runs.routes.ts';

/** generation_runs.request: the ids or the filter, as the run was asked for. */
const StoredRequestSchema = z.union([
  z.object({ campaign_ids: z.array(z.string()) }),
  z.object({ filter: CampaignFilterSchema }),
]);

export const storedRequest = (body: RunRequest): z.infer<typeof StoredRequestSchema> =>
  body.filter ? { filter: body.filter } : { campaign_ids: body.campaign_ids ?? [] };

export const readStoredRequest = (run: GenerationRunRow) => StoredRequestSchema.parse(run.request);

export function toRunJson(run: GenerationRunRow, progress: RunProgress, now = new Date()) {
  const request = readStoredRequest(run);
  const { tokens, counts } = progress;
  return {
    id: run.id,
    status: run.status,
    requested_by: run.requestedById,
    filter: 'filter' in request ? request.filter : null,
    campaign_ids_count: 'campaign_ids' in request ? request.campaign_ids.length : null,
    use_similar_content: run.useSimilarContent,
    additional_context: run.additionalContext,
    force: run.force,
    total: run.total,
    skipped: run.skipped,
    skipped_reasons: SkippedReasonsSchema.parse(run.skippedReasons),
    queued: counts.queued,
    active: counts.active,
    done: counts.completed,
    failed: counts.failed,
    cancelled: counts.cancelled,
    tokens: { ...tokens, total: tokens.prompt + tokens.completion + tokens.embedding },
    cost_usd: Math.round(progress.costUsd * 1e6) / 1e6,
    written_by: progress.writtenBy,
    created_at: run.createdAt.toISOString(),
    started_at: progress.firstStartedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    estimated_seconds_left: secondsLeft(run, progress, now),
  };
}
