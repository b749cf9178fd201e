/**
 * send-email: sends one email of the outbox. The job id is the outbox row's, and the row says
 * whether it went out already, so a retried or repeated job never sends a sent email again.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { NotificationContext } from '../notifications/context.ts';

export const name = 'send-email';
export const payloadSchema = z.object({ outboxId: z.string().uuid() });

export const jobId = (outboxId: string) => `email-${outboxId}`;

/** SMTP servers that fail may pass: six attempts over about half an hour. */
export const jobOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 60_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export async function handler(job: Job, ctx: NotificationContext): Promise<{ sent: boolean }> {
  const { outboxId } = payloadSchema.parse(job.data);
  const email = await ctx.prisma.emailOutbox.findUnique({ where: { id: outboxId } });
  if (email?.status !== 'pending') return { sent: false };
  await ctx.prisma.emailOutbox.update({ where: { id: email.id }, data: { attempts: { increment: 1 } } });
  try {
    await ctx.mailer.send({ id: email.id, to: email.toAddress, subject: email.subject, text: email.textBody, html: email.htmlBody });
  } catch (error) {
    await ctx.prisma.emailOutbox.update({ where: { id: email.id }, data: { lastError: String((error as Error).message ?? error).slice(0, 1000) } });
    throw error;
  }
  await ctx.prisma.emailOutbox.updateMany({ where: { id: email.id, status: 'pending' }, data: { status: 'sent', sentAt: new Date(), lastError: null } });
  return { sent: true };
}

/** After the last attempt: the row says failed, so the sweep stops queueing it. */
export async function onFinalFailure(job: Job, ctx: NotificationContext): Promise<void> {
  const { outboxId } = payloadSchema.parse(job.data);
  await ctx.prisma.emailOutbox.updateMany({ where: { id: outboxId, status: 'pending' }, data: { status: 'failed' } });
}
