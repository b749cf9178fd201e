/**
 * Batch generation for rows of a campaign table: which campaigns, the request body, and how
 * chosen examples of approved copy become guidance for the model.
 */
import type { RunRequest, SimilarCampaign } from '../api/types.ts';
import type { Host } from '../host.ts';
import type { Connection } from './connections.ts';
import { rowTargets } from './rows.ts';

/** The API's limit for one run (api/src/routes/runs/runs.routes.ts). */
export const MAX_RUN_CAMPAIGNS = 5_000;
/** The API's limit for `additional_context`. */
export const MAX_ADDITIONAL_CONTEXT = 2_000;

export interface GenerationScope {
  campaignIds: string[];
  /** 1-based rows meant but not synced yet. */
  unsynced: number[];
}

export async function generationScope(host: Host, connection: Connection, scope: 'selected' | 'all'): Promise<GenerationScope> {
  const { targets, unsynced } = await rowTargets(host, connection, scope);
  return { campaignIds: [...new Set(targets.map((target) => target.id))], unsynced };
}

/**
 * The run body. Examples the person picked ("use as example") go into `additional_context`: the
 * worker already retrieves similar approved copy by itself, but a person's explicit choice is a
 * stronger signal, so it is spelt out, cut to the API's 2,000 characters.
 */
export function runRequest(campaignIds: string[], examples: readonly SimilarCampaign[], force = false): RunRequest {
  const body: RunRequest = { campaign_ids: campaignIds, use_similar_content: true, force };
  if (examples.length > 0) {
    const lines = examples.map((example, index) => `${index + 1}. ${example.content.replace(/\s+/g, ' ').trim()}`);
    let context = `Match the tone and structure of these approved examples:\n${lines.join('\n')}`;
    if (context.length > MAX_ADDITIONAL_CONTEXT) context = `${context.slice(0, MAX_ADDITIONAL_CONTEXT - 1)}…`;
    body.additional_context = context;
  }
  return body;
}
