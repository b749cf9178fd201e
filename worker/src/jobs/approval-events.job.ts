/**
 * approval-events: runs every few seconds (a BullMQ job scheduler on the notifications queue).
 *
 * 1. Each new approval step (approval_events, written by a trigger with the step) becomes, in one
 *    transaction with marking the event processed: a delivery for each active webhook of the brand,
 *    and for a submission still in review, a review email with a single-use link to each approver
 *    of the brand (its admins and brand managers, not the author). Events are claimed with
 *    SKIP LOCKED, so two workers never take the same one and a crash leaves it for the next run.
 * 2. Every email and delivery still pending gets its send job, under the row's own job id: a job
 *    already queued or retrying is not added twice, and one lost in a crash is added again.
 */
import { createApprovalLink, type Prisma } from '@storesync/db';
import type { Job } from 'bullmq';
import { z } from 'zod';
import { brandReviewSettings } from '../notifications/config.ts';
import type { NotificationContext } from '../notifications/context.ts';
import { reviewEmail } from '../notifications/emails.ts';
import * as deliverWebhook from './deliver-webhook.job.ts';
import * as sendEmail from './send-email.job.ts';

export const name = 'approval-events';
export const payloadSchema = z.object({});

/** Events per transaction; a run takes batches until none are left. */
const BATCH_SIZE = 100;
/** Rows queued per run; the next run a few seconds later takes the rest. */
const SWEEP_SIZE = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;

const person = { select: { firstName: true, lastName: true, email: true } } as const;
const nameOf = (user: { firstName: string; lastName: string; email: string }) => [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;

const stepInclude = {
  approver: person,
  campaign: {
    select: {
      id: true,
      status: true,
      rowVersion: true,
      createdById: true,
      generatedContent: true,
      locationId: true,
      templateId: true,
      location: { select: { name: true, storeNumber: true, brandId: true, brand: { select: { name: true, settings: true } } } },
      template: { select: { name: true } },
    },
  },
} as const satisfies Prisma.ApprovalStepInclude;

type EventStep = Prisma.ApprovalStepGetPayload<{ include: typeof stepInclude }>;

/** The JSON every webhook receives; `id` (the step's) is the same on every retry. */
function webhookPayload(step: EventStep) {
  const { campaign } = step;
  return {
    id: step.id,
    type: 'campaign.status_changed',
    created_at: step.createdAt.toISOString(),
    data: {
      campaign: {
        id: campaign.id,
        brand: campaign.location.brandId,
        location: campaign.locationId,
        location_name: campaign.location.name,
        store_number: campaign.location.storeNumber,
        template: campaign.templateId,
        template_name: campaign.template.name,
      },
      decision: step.decision,
      previous_status: step.previousStatus,
      new_status: step.newStatus,
      comments: step.comments,
      approver: step.approverId,
      approver_name: step.approver ? nameOf(step.approver) : 'StoreSync (automatic)',
    },
  };
}

interface Counts {
  events: number;
  emails: number;
  deliveries: number;
}

async function recordEvent(tx: Prisma.TransactionClient, ctx: NotificationContext, stepId: string, counts: Counts) {
  const step = await tx.approvalStep.findUniqueOrThrow({ where: { id: stepId }, include: stepInclude });
  const { campaign } = step;
  const brandId = campaign.location.brandId;
  const endpoints = await tx.webhookEndpoint.findMany({ where: { brandId, isActive: true }, select: { id: true } });
  if (endpoints.length > 0) {
    const payload = webhookPayload(step) as Prisma.InputJsonObject;
    const { count } = await tx.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({ endpointId: endpoint.id, stepId, payload })),
      skipDuplicates: true,
    });
    counts.deliveries += count;
  }
  // Decided (or edited) before we got to it: nothing waits for review any more.
  if (step.decision !== 'submitted' || campaign.status !== 'pending_review') return;
  // Sent back and submitted again before we got to it: the newest submission's event emails.
  const resubmitted = await tx.approvalStep.count({
    where: { campaignId: campaign.id, decision: 'submitted', createdAt: { gt: step.createdAt } },
  });
  if (resubmitted > 0) return;
  const approvers = await tx.user.findMany({
    where: {
      isActive: true,
      role: { in: ['admin', 'brand_manager'] },
      brands: { some: { brandId } },
      ...(campaign.createdById ? { NOT: { id: campaign.createdById } } : {}),
    },
    select: { id: true, email: true, firstName: true, lastName: true },
  });
  const { decideFromLink } = brandReviewSettings(campaign.location.brand.settings);
  const expiresAt = new Date(Date.now() + ctx.settings.linkTtlDays * DAY_MS);
  for (const approver of approvers) {
    const token = await createApprovalLink(tx, { userId: approver.id, campaignId: campaign.id, rowVersion: campaign.rowVersion, expiresAt });
    const email = reviewEmail({
      approverName: nameOf(approver),
      submitterName: step.approver ? nameOf(step.approver) : 'StoreSync',
      brandName: campaign.location.brand.name,
      campaignLabel: `${campaign.location.name} · ${campaign.template.name}`,
      copy: campaign.generatedContent,
      linkUrl: `${ctx.settings.publicUrl}/approvals/links/${token}`,
      expiresAt,
      decideFromLink,
    });
    await tx.emailOutbox.create({
      data: { dedupeKey: `review:${stepId}:${approver.id}`, userId: approver.id, toAddress: approver.email, subject: email.subject, textBody: email.text, htmlBody: email.html },
    });
    counts.emails += 1;
  }
}

/** Queues the send job of every pending email and delivery (job ids make a second add a no-op). */
async function queuePendingSends(ctx: NotificationContext): Promise<void> {
  const [emails, deliveries] = await Promise.all([
    ctx.prisma.emailOutbox.findMany({ where: { status: 'pending' }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: SWEEP_SIZE }),
    ctx.prisma.webhookDelivery.findMany({ where: { status: 'pending' }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: SWEEP_SIZE }),
  ]);
  if (emails.length + deliveries.length === 0) return;
  await ctx.queue.addBulk([
    ...emails.map((email) => ({ name: sendEmail.name, data: { outboxId: email.id }, opts: { ...sendEmail.jobOptions, jobId: sendEmail.jobId(email.id) } })),
    ...deliveries.map((delivery) => ({
      name: deliverWebhook.name,
      data: { deliveryId: delivery.id },
      opts: { ...deliverWebhook.jobOptions, jobId: deliverWebhook.jobId(delivery.id) },
    })),
  ]);
}

export async function handler(job: Job, ctx: NotificationContext): Promise<Counts> {
  payloadSchema.parse(job.data);
  const counts: Counts = { events: 0, emails: 0, deliveries: 0 };
  for (;;) {
    const taken = await ctx.prisma.$transaction(async (tx) => {
      const events = await tx.$queryRaw<{ step_id: string }[]>`
        SELECT step_id FROM approval_events WHERE processed_at IS NULL
        ORDER BY created_at, step_id LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED`;
      for (const event of events) await recordEvent(tx, ctx, event.step_id, counts);
      await tx.approvalEvent.updateMany({ where: { stepId: { in: events.map((event) => event.step_id) } }, data: { processedAt: new Date() } });
      return events.length;
    });
    counts.events += taken;
    if (taken < BATCH_SIZE) break;
  }
  await queuePendingSends(ctx);
  if (counts.events) ctx.logger.info(counts, 'approval events turned into emails and webhook deliveries');
  return counts;
}
