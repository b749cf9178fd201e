/**
 * deliver-webhook: POSTs one approval step to one brand endpoint, signed (see
 * notifications/webhooks.ts). Any answer but 2xx, a redirect or a timeout fails the attempt and
 * BullMQ retries with exponential backoff; every attempt is written to the delivery's row (the
 * delivery log). The job id is the delivery's, and a delivered row is never sent again.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { NotificationContext } from '../notifications/context.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from '../notifications/webhooks.ts';

export const name = 'deliver-webhook';
export const payloadSchema = z.object({ deliveryId: z.string().uuid() });

export const jobId = (deliveryId: string) => `webhook-${deliveryId}`;

/** Eight attempts: after 10 s, 20 s, 40 s … about 21 minutes in all. */
export const jobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export async function handler(job: Job, ctx: NotificationContext): Promise<{ delivered: boolean }> {
  const { deliveryId } = payloadSchema.parse(job.data);
  const delivery = await ctx.prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (delivery?.status !== 'pending') return { delivered: false };
  if (!delivery.endpoint.isActive) {
    await ctx.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed', lastError: 'endpoint deactivated' } });
    return { delivered: false };
  }
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(delivery.endpoint.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.settings.webhookTimeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'StoreSync-Webhooks/1',
        [EVENT_ID_HEADER]: delivery.stepId,
        [SIGNATURE_HEADER]: signWebhook(delivery.endpoint.secret, timestamp, body),
      },
    });
    statusCode = response.status;
    await response.body?.cancel();
    if (!response.ok) error = `answered ${response.status}`;
  } catch (cause) {
    error = (cause as Error).name === 'TimeoutError' ? `no answer within ${ctx.settings.webhookTimeoutMs} ms` : String((cause as Error).message ?? cause);
  }
  await ctx.prisma.webhookDelivery.update({
    where: { id: delivery.id },
    data: {
      attempts: { increment: 1 },
      lastAttemptAt: new Date(),
      lastStatusCode: statusCode,
      lastError: error?.slice(0, 1000) ?? null,
      ...(error ? {} : { status: 'delivered', deliveredAt: new Date() }),
    },
  });
  if (error) throw new Error(`webhook ${delivery.endpoint.url}: ${error}`);
  return { delivered: true };
}

export async function onFinalFailure(job: Job, ctx: NotificationContext): Promise<void> {
  const { deliveryId } = payloadSchema.parse(job.data);
  await ctx.prisma.webhookDelivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'failed' } });
}
