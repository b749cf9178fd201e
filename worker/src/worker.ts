/**
 * The BullMQ workers: generation jobs on the generation queue, and the every-minute campaign
 * lifecycle on its own queue so a long generation backlog never delays a campaign going live.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import * as campaignLifecycle from './jobs/campaign-lifecycle.job.ts';
import * as compactSyncChanges from './jobs/compact-sync-changes.job.ts';
import type { JobContext } from './jobs/context.ts';
import * as generateContent from './jobs/generate-content.job.ts';
import { ProviderError } from './providers/types.ts';
import { GENERATION_QUEUE, generationRetryDelay, type GenerateContentPayload } from './queue.ts';
import { rateLimitedProviders } from './rate-limit/limited-providers.ts';
import { createRateLimiter, type RateLimiter, type RateLimits } from './rate-limit/limiter.ts';

export const LIFECYCLE_QUEUE = 'lifecycle';
const LIFECYCLE_EVERY_MS = 60_000;
const COMPACTION_EVERY_MS = 24 * 3_600_000;

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  concurrency: number;
  /**
   * Generation jobs started per minute across every worker of the queue (BullMQ's limiter is
   * global). A job makes one chat request and one or two embedding requests.
   */
  jobsPerMinute?: number;
  /** BullMQ `lockDuration` (ms); unset keeps BullMQ's default (30 s). */
  lockDuration?: number;
  /** BullMQ `stalledInterval` (ms); unset keeps BullMQ's default (30 s). */
  stalledInterval?: number;
  /**
   * The model provider's requests and tokens per minute, shared through Redis by every worker
   * with the same prefix (see rate-limit/limiter.ts). Unset limits are not enforced; a 429's
   * Retry-After pauses every worker either way.
   */
  providerLimits?: RateLimits;
  context: JobContext;
}

/**
 * The longest wait for the rate limiter that a job spends inside the worker (holding a
 * concurrency slot and its lock) rather than back in the queue. Waiting in process keeps the
 * provider at exactly its configured pace, since every reserved slot is used the moment it comes;
 * a job put back costs two Redis round trips and a fetch, and a job that has made a provider call
 * would repeat it. So a job that starts always waits in process for its later calls, and only a
 * job about to start while the wait is longer than this goes back to the queue, which then hands
 * out nothing (BullMQ's manual rate limit, for every worker) until the wait is about this short.
 */
export const MAX_IN_PROCESS_WAIT_MS = 2_000;

/**
 * BullMQ honours a manual rate limit (`queue.rateLimit`) only in workers that have a limiter, so
 * every generation worker has one; without GENERATION_JOBS_PER_MINUTE its maximum is never reached.
 */
const UNLIMITED_JOBS_PER_MINUTE = 1_000_000_000;

function logFailures(worker: Worker, context: JobContext, queue: string) {
  worker.on('failed', (job, error) => {
    context.logger.warn({ queue, job_id: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed');
  });
  worker.on('error', (error) => context.logger.error({ queue, err: error }, 'worker error'));
}

/** The wait a provider asked for (Retry-After) in a job's failure, also when wrapped as its cause. */
function retryAfterMs(error: unknown): number | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ProviderError && cause.retryAfterSeconds !== undefined) return cause.retryAfterSeconds * 1000;
  }
  return undefined;
}

/**
 * Stops every worker from taking generation jobs for `ms`. BullMQ keeps one limiter key per
 * queue: a longer block already in force (a pause or the jobs-per-minute limit) is left alone.
 */
async function pauseQueue(queue: Queue, jobsPerMinute: number, ms: number) {
  const current = await queue.getRateLimitTtl(jobsPerMinute);
  if (ms > current) await queue.rateLimit(Math.ceil(ms));
}

export function createGenerationWorker(options: WorkerOptions) {
  const { context } = options;
  const prefix = options.prefix ?? 'bull';
  const jobsPerMinute = options.jobsPerMinute ?? UNLIMITED_JOBS_PER_MINUTE;
  // The offline provider has no limits and never answers 429.
  const rateLimited = context.providers.chat.name !== 'offline';
  const control = rateLimited ? new Queue(GENERATION_QUEUE, { connection: options.connection, prefix }) : undefined;
  const limiter: RateLimiter | undefined = control
    ? createRateLimiter(control.getBackend().client, `${prefix}:provider-rate-limit`, options.providerLimits ?? {})
    : undefined;
  const jobContext: JobContext = limiter ? { ...context, providers: rateLimitedProviders(context.providers, limiter) } : context;

  const processJob = async (job: Job<GenerateContentPayload>) => {
    if (job.name !== generateContent.name) throw new Error(`unknown job "${job.name}" on the ${GENERATION_QUEUE} queue`);
    if (limiter && control) {
      const waitMs = await limiter.waitTime();
      if (waitMs > MAX_IN_PROCESS_WAIT_MS) {
        // Back to the queue untouched (no attempt counted), and the queue closed until the wait
        // is short enough to spend in process: the workers come back with work ready for the slot.
        await pauseQueue(control, jobsPerMinute, waitMs - MAX_IN_PROCESS_WAIT_MS / 2);
        throw Worker.RateLimitError();
      }
    }
    try {
      return await generateContent.handler(job, jobContext);
    } catch (error) {
      // The provider said how long to back off: no worker takes a job for that long (the
      // limiter already holds the calls of running jobs, and the job's own retry waits as long).
      const pause = retryAfterMs(error);
      if (pause !== undefined && control) await pauseQueue(control, jobsPerMinute, pause);
      throw error;
    }
  };

  const worker = new Worker<GenerateContentPayload, generateContent.GenerateContentResult>(GENERATION_QUEUE, processJob, {
    connection: options.connection,
    prefix,
    concurrency: options.concurrency,
    limiter: { max: jobsPerMinute, duration: 60_000 },
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
    settings: { backoffStrategy: (attemptsMade, _type, error) => generationRetryDelay(attemptsMade, retryAfterMs(error)) },
  });
  logFailures(worker, context, GENERATION_QUEUE);
  worker.on('failed', (job, error) => {
    // Only a final failure (finishedOn is set when BullMQ gives up, not when it schedules a retry).
    if (!job?.finishedOn) return;
    generateContent.onFinalFailure(job, error, context).catch((markError: unknown) => {
      context.logger.error({ queue: GENERATION_QUEUE, job_id: job.id, err: markError }, 'could not record a failed job in the database');
    });
  });
  if (control) {
    control.on('error', (error) => context.logger.error({ queue: GENERATION_QUEUE, err: error }, 'queue error'));
    worker.on('closed', () => {
      control.close().catch((error: unknown) => context.logger.error({ queue: GENERATION_QUEUE, err: error }, 'closing the rate-limit connection failed'));
    });
  }
  return worker;
}

/** The lifecycle worker, and its job scheduler (upserted, so many workers keep one schedule). */
export async function startLifecycleWorker(options: Omit<WorkerOptions, 'concurrency' | 'jobsPerMinute' | 'lockDuration' | 'stalledInterval'>) {
  const { context } = options;
  const prefix = options.prefix ?? 'bull';
  const queue = new Queue(LIFECYCLE_QUEUE, { connection: options.connection, prefix });
  // Without a listener a Redis outage prints raw connection errors; log them like the workers do.
  queue.on('error', (error) => context.logger.error({ queue: LIFECYCLE_QUEUE, err: error }, 'queue error'));
  await queue.upsertJobScheduler(
    campaignLifecycle.name,
    { every: LIFECYCLE_EVERY_MS },
    { name: campaignLifecycle.name, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  // Housekeeping shares the queue: it is rare and short, and needs no worker of its own.
  await queue.upsertJobScheduler(
    compactSyncChanges.name,
    { every: COMPACTION_EVERY_MS },
    { name: compactSyncChanges.name, data: {}, opts: { removeOnComplete: 10, removeOnFail: 10 } },
  );
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    [campaignLifecycle.name]: (job) => campaignLifecycle.handler(job, context),
    [compactSyncChanges.name]: (job) => compactSyncChanges.handler(job, context),
  };
  const handleJob = (job: Job) => {
    const handle = handlers[job.name];
    if (!handle) throw new Error(`No handler for job "${job.name}" on the ${LIFECYCLE_QUEUE} queue`);
    return handle(job);
  };
  const worker = new Worker(LIFECYCLE_QUEUE, handleJob, {
    connection: options.connection,
    prefix,
    concurrency: 1,
  });
  logFailures(worker, context, LIFECYCLE_QUEUE);
  return {
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
