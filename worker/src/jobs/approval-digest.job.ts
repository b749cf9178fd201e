/**
 * approval-digest: once a day (DIGEST_CRON, UTC) each approver with campaigns waiting gets one
 * email listing them, longest waiting first, overdue ones marked (waiting longer than the brand's
 * `review_due_days` setting, default 2). The dedupe key holds the UTC day, so a second run on the
 * same day (a retry, two workers) writes nothing new. The approval-events sweep sends it.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import { brandReviewSettings } from '../notifications/config.ts';
import type { NotificationContext } from '../notifications/context.ts';
import { digestEmail } from '../notifications/emails.ts';

export const name = 'approval-digest';
export const payloadSchema = z.object({});

/** The email lists this many; the rest are counted. */
const LISTED = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function handler(job: Job, ctx: NotificationContext, now = new Date()): Promise<{ digests: number }> {
  payloadSchema.parse(job.data);
  const today = now.toISOString().slice(0, 10);
  const approvers = await ctx.prisma.user.findMany({
    where: { isActive: true, role: { in: ['admin', 'brand_manager'] }, brands: { some: {} } },
    select: { id: true, email: true, firstName: true, lastName: true, brands: { select: { brandId: true } } },
  });
  let digests = 0;
  for (const approver of approvers) {
    const where = {
      status: 'pending_review' as const,
      location: { brandId: { in: approver.brands.map((membership) => membership.brandId) } },
      OR: [{ createdById: null }, { createdById: { not: approver.id } }],
    };
    const [total, waiting] = await Promise.all([
      ctx.prisma.locationCampaign.count({ where }),
      ctx.prisma.locationCampaign.findMany({
        where,
        select: {
          id: true,
          submittedAt: true,
          createdAt: true,
          location: { select: { name: true, brand: { select: { name: true, settings: true } } } },
          template: { select: { name: true } },
        },
        orderBy: [{ submittedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
        take: LISTED,
      }),
    ]);
    if (total === 0) continue;
    const items = waiting.map((campaign) => {
      const waitingMs = now.getTime() - (campaign.submittedAt ?? campaign.createdAt).getTime();
      return {
        label: `${campaign.location.name} · ${campaign.template.name}`,
        brandName: campaign.location.brand.name,
        url: `${ctx.settings.publicUrl}/approvals/campaigns/${campaign.id}`,
        waitingDays: Math.floor(waitingMs / DAY_MS),
        overdue: waitingMs > brandReviewSettings(campaign.location.brand.settings).reviewDueDays * DAY_MS,
      };
    });
    const name = [approver.firstName, approver.lastName].filter(Boolean).join(' ') || approver.email;
    const email = digestEmail({
      approverName: name,
      queueUrl: `${ctx.settings.publicUrl}/approvals`,
      items,
      total,
      overdue: items.filter((item) => item.overdue).length,
    });
    const { count } = await ctx.prisma.emailOutbox.createMany({
      data: [{ dedupeKey: `digest:${approver.id}:${today}`, userId: approver.id, toAddress: approver.email, subject: email.subject, textBody: email.text, htmlBody: email.html }],
      skipDuplicates: true,
    });
    digests += count;
  }
  if (digests) ctx.logger.info({ digests }, 'daily approval digests written');
  return { digests };
}
