/** The BullMQ worker that runs generation jobs, wired to the job handlers by name. */
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { JobContext } from './jobs/context.ts';
import * as generateContent from './jobs/generate-content.job.ts';
import { GENERATION_QUEUE, type GenerateContentPayload } from './queue.ts';

export interface GenerationWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  concurrency: number;
  context: JobContext;
}

export function createGenerationWorker(options: GenerationWorkerOptions) {
  const { context } = options;
  const worker = new Worker<GenerateContentPayload, generateContent.GenerateContentResult>(
    GENERATION_QUEUE,
    async (job: Job<GenerateContentPayload>) => {
      if (job.name !== generateContent.name) throw new Error(`unknown job "${job.name}" on the ${GENERATION_QUEUE} queue`);
      return generateContent.handler(job, context);
    },
    { connection: options.connection, prefix: options.prefix ?? 'bull', concurrency: options.concurrency },
  );
  worker.on('failed', (job, error) => {
    context.logger.warn({ job_id: job?.id, attempts: job?.attemptsMade, err: error }, 'generation job failed');
  });
  worker.on('error', (error) => context.logger.error({ err: error }, 'generation worker error'));
  return worker;
}
