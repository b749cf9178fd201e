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

/** The two automatic steps, in the order a campaign takes them. */
const STEPS = [
  { status: 'scheduled', due: 'scheduledStart', action: 'activate', counter: 'activated', comments: 'Started automatically at its scheduled start' },
  { status: 'active', due: 'scheduledEnd', action: 'complete', counter: 'completed', comments: 'Completed automatically at its scheduled end' },
] as const;

export async function handler(job: Job, ctx: JobContext, now = new Date()): Promise<LifecycleResult> {
  payloadSchema.parse(job.data);
  const result: LifecycleResult = { activated: 0, completed: 0 };
  for (const step of STEPS) {
    const due = await ctx.prisma.locationCampaign.findMany({
      where: { status: step.status, [step.due]: { lte: now } },
      select: { id: true },
      orderBy: { [step.due]: 'asc' },
      take: BATCH_SIZE,
    });
    for (const { id } of due) {
      const outcome = await transitionCampaign(ctx.prisma, { campaignId: id, action: step.action, actorId: null, comments: step.comments });
      // Another worker's run, or a person, moved it first: nothing to do.
      if (outcome.moved) result[step.counter] += 1;
    }
  }
  if (result.activated || result.completed) ctx.logger.info(result, 'campaign lifecycle');
  return result;
}
