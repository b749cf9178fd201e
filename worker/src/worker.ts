/**
 * The BullMQ workers: generation jobs on the generation queue, and the every-minute campaign
 * lifecycle on its own queue so a long generation backlog never delays a campaign going live.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import * as campaignLifecycle from './jobs/campaign-lifecycle.job.ts';
import type { JobContext } from './jobs/context.ts';
import * as generateContent from './jobs/generate-content.job.ts';
import { GENERATION_QUEUE, type GenerateContentPayload } from './queue.ts';

export const LIFECYCLE_QUEUE = 'lifecycle';
const LIFECYCLE_EVERY_MS = 60_000;

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
  context: JobContext;
}

function logFailures(worker: Worker, context: JobContext, queue: string) {
  worker.on('failed', (job, error) => {
    context.logger.warn({ queue, job_id: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed');
  });
  worker.on('error', (error) => context.logger.error({ queue, err: error }, 'worker error'));
}

export function createGenerationWorker(options: WorkerOptions) {
  const { context } = options;
  const worker = new Worker<GenerateContentPayload, generateContent.GenerateContentResult>(
    GENERATION_QUEUE,
    async (job: Job<GenerateContentPayload>) => {
      if (job.name !== generateContent.name) throw new Error(`unknown job "${job.name}" on the ${GENERATION_QUEUE} queue`);
      return generateContent.handler(job, context);
    },
    {
      connection: options.connection,
      prefix: options.prefix ?? 'bull',
      concurrency: options.concurrency,
      ...(options.jobsPerMinute ? { limiter: { max: options.jobsPerMinute, duration: 60_000 } } : {}),
      ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
      ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
    },
  );
  logFailures(worker, context, GENERATION_QUEUE);
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
  const worker = new Worker(LIFECYCLE_QUEUE, (job: Job) => campaignLifecycle.handler(job, context), {
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
