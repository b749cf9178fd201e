/**
 * The generation queue as producers (the API) see it: names, payloads and job options. The
 * worker's handlers live in jobs/; importing this module does not load them.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';

export { generationJobId, hashGenerationInputs, PROMPT_VERSION, type GenerationInputs } from './generation/inputs.ts';
export { redisConnectionOptions } from './redis.ts';

export const GENERATION_QUEUE = 'generation';

export const GENERATE_CONTENT_JOB = 'generate-content';
/** Ids only: the job row in generation_jobs holds the request, so no content sits in Redis. */
export const GenerateContentPayload = z.object({ generationJobId: z.string().min(1).max(120) });
export type GenerateContentPayload = z.infer<typeof GenerateContentPayload>;

/** The first retry waits about this long (with jitter), each next one twice as long. */
const RETRY_BASE_DELAY_MS = 2_000;
/** The share of each delay that is random, so failed jobs do not all come back at once. */
const RETRY_JITTER = 0.5;

/**
 * BullMQ's exponential backoff, with jitter, but never shorter than the wait the provider asked
 * for (a 429's Retry-After). The worker registers it as its backoff strategy; the job options name
 * it, so jobs queued by the API wait for a worker that knows it.
 */
export const GENERATION_BACKOFF = 'exponential-retry-after';

export function generationRetryDelay(attemptsMade: number, retryAfterMs: number | undefined, random = Math.random): number {
  const ceiling = 2 ** Math.max(0, attemptsMade - 1) * RETRY_BASE_DELAY_MS;
  const exponential = Math.floor(ceiling * (1 - RETRY_JITTER) + random() * ceiling * RETRY_JITTER);
  return Math.max(exponential, Math.ceil(retryAfterMs ?? 0));
}

/**
 * Provider failures that may pass (429, 5xx, timeouts) are retried with exponential backoff
 * and jitter; the OpenAI SDK's own retries are off so the two layers do not multiply.
 */
export const GENERATION_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: GENERATION_BACKOFF },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export interface QueueOptions {
  connection: ConnectionOptions;
  /** Redis key prefix; tests give each file its own. */
  prefix?: string;
}

export function createGenerationQueue(options: QueueOptions): Queue<GenerateContentPayload> {
  return new Queue<GenerateContentPayload>(GENERATION_QUEUE, {
    connection: options.connection,
    prefix: options.prefix ?? 'bull',
    defaultJobOptions: GENERATION_JOB_OPTIONS,
  });
}

/** Adds the job unless one with this id exists; BullMQ ignores a second add with the same id. */
export async function enqueueGeneration(queue: Queue<GenerateContentPayload>, generationJobId: string): Promise<void> {
  await queue.add(GENERATE_CONTENT_JOB, { generationJobId }, { jobId: generationJobId });
}
