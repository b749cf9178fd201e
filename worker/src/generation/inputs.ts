/**
 * What a generation depends on, hashed. Two requests with the same hash would produce the same
 * prompt, so they share one job id (and one BullMQ job): duplicates and retries are harmless.
 */
import { createHash } from 'node:crypto';

export const PROMPT_VERSION = 'v1';

export interface GenerationInputs {
  campaignId: string;
  templateId: string;
  templateVersion: number;
  location: { name: string; storeNumber: string; address: unknown; attributes: unknown };
  customizations: unknown;
  brandSettings: unknown;
  useSimilarContent: boolean;
  additionalContext: string;
  /**
   * With similar content on: a fingerprint of the approved examples the brand offers retrieval
   * (see examplesFingerprints in the API), so a new, changed or withdrawn example makes the
   * inputs new. Left out without similar content, which keeps those hashes as they were.
   */
  examples?: string;
}

/** JSON with object keys sorted at every level, so equal values always hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashGenerationInputs(inputs: GenerationInputs): string {
  return createHash('sha256').update(canonicalJson({ ...inputs, promptVersion: PROMPT_VERSION })).digest('hex');
}

/**
 * The BullMQ job id (and generation_jobs primary key) for these inputs. BullMQ ids may not
 * contain ':'. `forceNonce` makes a deliberate regeneration with unchanged inputs a new job.
 */
export function generationJobId(campaignId: string, inputsHash: string, forceNonce?: string): string {
  return ['gen', campaignId, inputsHash.slice(0, 24), forceNonce].filter(Boolean).join('-');
}
