/**
 * campaign-lifecycle: runs every minute (a BullMQ job scheduler). Scheduled campaigns whose
 * start has come become active, and active campaigns whose end has passed become completed, each
 * with an audit step by the system. A campaign whose whole window passed while no worker ran
 * goes through both steps in one run.
 */
import { transitionCampaign } from '@storesync/db';
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { JobContext } from './context.ts';

export const name = 'campaign-lifecycle';
export const payloadSchema = z.object({});

/** Bounded work per run; the next run a minute later takes the rest. */
const BATCH_SIZE = 500;

export interface LifecycleResult {
  activated: number;
  completed: number;
}

async function dueCampaigns(ctx: JobContext, status: 'scheduled' | 'active', now: Date) {
  const field = status === 'scheduled' ? 'scheduledStart' : 'scheduledEnd';
  return ctx.prisma.locationCampaign.findMany({
    where: { status, [field]: { lte: now } },
    select: { id: true },
    orderBy: { [field]: 'asc' },
    take: BATCH_SIZE,
  });
}

export async function handler(job: Job, ctx: JobContext, now = new Date()): Promise<LifecycleResult> {
  payloadSchema.parse(job.data);
  const result: LifecycleResult = { activated: 0, completed: 0 };
  for (const { id } of await dueCampaigns(ctx, 'scheduled', now)) {
    const outcome = await transitionCampaign(ctx.prisma, {
      campaignId: id,
      action: 'activate',
      actorId: null,
      comments: 'Started automatically at its scheduled start',
    });
    // Another worker's run, or a person, moved it first: nothing to do.
    if (outcome.moved) result.activated += 1;
  }
  for (const { id } of await dueCampaigns(ctx, 'active', now)) {
    const outcome = await transitionCampaign(ctx.prisma, {
      campaignId: id,
      action: 'complete',
      actorId: null,
      comments: 'Completed automatically at its scheduled end',
    });
    if (outcome.moved) result.completed += 1;
  }
  if (result.activated || result.completed) ctx.logger.info(result, 'campaign lifecycle');
  return result;
}
