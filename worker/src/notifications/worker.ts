/**
 * The notifications queue and its worker: approval events every few seconds, the daily digest,
 * and the email and webhook jobs they start. A queue of its own, so neither a generation backlog
 * nor a slow webhook delays the other.
 */
import type { PrismaClient } from '@storesync/db';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import * as approvalDigest from '../jobs/approval-digest.job.ts';
import * as approvalEvents from '../jobs/approval-events.job.ts';
import * as deliverWebhook from '../jobs/deliver-webhook.job.ts';
import * as sendEmail from '../jobs/send-email.job.ts';
import type { NotificationSettings } from './config.ts';
import type { NotificationContext } from './context.ts';
import { createMailer, type Mailer } from './mailer.ts';
import type { ResolveHost } from './targets.ts';

export const NOTIFICATIONS_QUEUE = 'notifications';
/** How soon after a submission the approvers' emails are written and queued. */
const EVENTS_EVERY_MS = 5_000;
const SCHEDULED_JOB_OPTIONS = { removeOnComplete: 100, removeOnFail: 100 };

export interface NotificationWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string | undefined;
  prisma: PrismaClient;
  logger: Logger;
  settings: NotificationSettings;
  /** Tests pass one that records; otherwise SMTP_URL or the local outbox folder. */
  mailer?: Mailer;
  /** Tests pass a stub; otherwise the system resolver, for webhook host names. */
  resolveHost?: ResolveHost;
  concurrency?: number;
}

function run(job: Job, context: NotificationContext) {
  switch (job.name) {
    case approvalEvents.name:
      return approvalEvents.handler(job, context);
    case approvalDigest.name:
      return approvalDigest.handler(job, context);
    case sendEmail.name:
      return sendEmail.handler(job, context);
    case deliverWebhook.name:
      return deliverWebhook.handler(job, context);
    default:
      throw new Error(`unknown job "${job.name}" on the ${NOTIFICATIONS_QUEUE} queue`);
  }
}

export async function startNotificationWorker(options: NotificationWorkerOptions) {
  const { logger } = options;
  const prefix = options.prefix ?? 'bull';
  const queue = new Queue(NOTIFICATIONS_QUEUE, { connection: options.connection, prefix });
  queue.on('error', (error) => logger.error({ queue: NOTIFICATIONS_QUEUE, err: error }, 'queue error'));
  // Upserted: many workers keep one schedule of each.
  await queue.upsertJobScheduler(approvalEvents.name, { every: EVENTS_EVERY_MS }, { name: approvalEvents.name, data: {}, opts: SCHEDULED_JOB_OPTIONS });
  await queue.upsertJobScheduler(
    approvalDigest.name,
    { pattern: options.settings.digestCron, tz: 'UTC' },
    { name: approvalDigest.name, data: {}, opts: SCHEDULED_JOB_OPTIONS },
  );
  const mailer = options.mailer ?? createMailer(options.settings, logger);
  const context: NotificationContext = {
    prisma: options.prisma,
    logger,
    mailer,
    settings: options.settings,
    queue,
    resolveHost: options.resolveHost,
  };
  const worker = new Worker(NOTIFICATIONS_QUEUE, (job: Job) => run(job, context), {
    connection: options.connection,
    prefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('failed', (job, error) => {
    logger.warn({ queue: NOTIFICATIONS_QUEUE, job_id: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed');
    // Only a final failure (finishedOn is set when BullMQ gives up, not when it schedules a retry).
    if (!job?.finishedOn) return;
    const onFinalFailure = job.name === sendEmail.name ? sendEmail.onFinalFailure : job.name === deliverWebhook.name ? deliverWebhook.onFinalFailure : null;
    onFinalFailure?.(job, context).catch((markError: unknown) => {
      logger.error({ queue: NOTIFICATIONS_QUEUE, job_id: job.id, err: markError }, 'could not record a failed job in the database');
    });
  });
  worker.on('error', (error) => logger.error({ queue: NOTIFICATIONS_QUEUE, err: error }, 'worker error'));
  return {
    worker,
    queue,
    close: async () => {
      await worker.close();
      await queue.close();
      mailer.close();
    },
  };
}
