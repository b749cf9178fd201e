/**
 * deliver-webhook: POSTs one approval step to one brand endpoint, signed (see
 * notifications/webhooks.ts). Any answer but 2xx, a redirect or a timeout fails the attempt and
 * BullMQ retries with exponential backoff; every attempt is written to the delivery's row (the
 * delivery log). The job id is the delivery's, and a delivered row is never sent again.
 *
 * Before each attempt the URL is checked and its name resolved once (notifications/targets.ts):
 * a target the policy refuses (an internal address, also one the name resolves to now) fails the
 * delivery at once with the reason in its log, without a retry, and nothing is sent; otherwise the
 * request goes to the address that was checked.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { NotificationContext } from '../notifications/context.ts';
import { postToTarget, resolveWebhookTarget, systemResolveHost } from '../notifications/targets.ts';
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
  let refused: string | null = null;
  try {
    const resolution = await resolveWebhookTarget(delivery.endpoint.url, ctx.settings.webhookTargets, ctx.resolveHost ?? systemResolveHost);
    if (resolution.refused !== undefined) {
      refused = `refused: ${resolution.refused}`;
    } else {
      statusCode = await postToTarget(resolution.target, {
        body,
        timeoutMs: ctx.settings.webhookTimeoutMs,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'StoreSync-Webhooks/1',
          [EVENT_ID_HEADER]: delivery.stepId,
          [SIGNATURE_HEADER]: signWebhook(delivery.endpoint.secret, timestamp, body),
        },
      });
      if (statusCode < 200 || statusCode > 299) error = `answered ${statusCode}`;
    }
  } catch (cause) {
    error = String((cause as Error).message ?? cause);
  }
  if (refused !== null) {
    // Final: the same URL and addresses would be refused again, so no retry and nothing sent.
    ctx.logger.warn({ delivery_id: delivery.id, endpoint_id: delivery.endpoint.id, reason: refused }, 'webhook target refused; not delivered');
    await ctx.prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: { status: 'failed', attempts: { increment: 1 }, lastAttemptAt: new Date(), lastStatusCode: null, lastError: refused.slice(0, 1000) },
    });
    return { delivered: false };
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
