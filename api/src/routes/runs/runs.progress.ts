/**
 * A run's progress, read from its jobs. Its items are campaigns: when a retry gives a campaign a
 * new job (its inputs changed since the failure), the failed job stays in the run for the tokens
 * and cost it spent, but only the campaign's latest job counts as the item's status.
 */
import { Prisma, type GenerationJobStatus, type GenerationRun, type PrismaClient } from '@storesync/db';

export type GenerationRunRow = GenerationRun;

/**
 * The latest job of each campaign of the run: the one written last, since a retry may bring in an
 * existing job, older than the failure it replaces, that already has the campaign's new inputs.
 */
const latestJobsOf = (runId: string) => Prisma.sql`
  SELECT DISTINCT ON (campaign_id) id, campaign_id, status, inputs_hash, started_at, finished_at
  FROM generation_jobs
  WHERE run_id = ${runId}::uuid
  ORDER BY campaign_id, updated_at DESC, created_at DESC`;

export interface LatestFailedJob {
  id: string;
  campaign_id: string;
  inputs_hash: string;
}

export function latestFailedJobs(prisma: PrismaClient, runId: string): Promise<LatestFailedJob[]> {
  return prisma.$queryRaw<LatestFailedJob[]>`
    SELECT id, campaign_id::text AS campaign_id, inputs_hash FROM (${latestJobsOf(runId)}) latest WHERE status = 'failed'`;
}

export interface RunProgress {
  counts: Record<GenerationJobStatus, number>;
  /** Items that finished (done or failed) since the run last queued jobs. */
  finishedSinceQueued: number;
  firstStartedAt: Date | null;
  lastFinishedAt: Date | null;
  tokens: { prompt: number; completion: number; embedding: number };
  costUsd: number;
  /** Which provider and model wrote the run's usable copy, with how many versions each. */
  writtenBy: { provider: string; model: string; versions: number }[];
}

export async function readProgress(prisma: PrismaClient, run: GenerationRunRow): Promise<RunProgress> {
  const [groups, spent, started, writers] = await Promise.all([
    prisma.$queryRaw<{ status: GenerationJobStatus; items: number; finished_since_queued: number; last_finished_at: Date | null }[]>`
      SELECT status::text AS status,
             count(*)::int AS items,
             (count(*) FILTER (WHERE finished_at >= ${run.lastQueuedAt}))::int AS finished_since_queued,
             max(finished_at) AS last_finished_at
      FROM (${latestJobsOf(run.id)}) latest
      GROUP BY status`,
    prisma.campaignContentVersion.aggregate({
      where: { generationJob: { runId: run.id } },
      _sum: { promptTokens: true, completionTokens: true, embeddingTokens: true, costUsd: true },
    }),
    prisma.generationJob.aggregate({ where: { runId: run.id }, _min: { startedAt: true } }),
    prisma.campaignContentVersion.groupBy({
      by: ['provider', 'model'],
      where: { generationJob: { runId: run.id }, status: 'ok' },
      _count: { _all: true },
      orderBy: [{ provider: 'asc' }, { model: 'asc' }],
    }),
  ]);
  const counts: Record<GenerationJobStatus, number> = { queued: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
  let finishedSinceQueued = 0;
  let lastFinishedAt: Date | null = null;
  for (const group of groups) {
    counts[group.status] = group.items;
    if (group.status === 'completed' || group.status === 'failed') finishedSinceQueued += group.finished_since_queued;
    if (group.last_finished_at && (!lastFinishedAt || group.last_finished_at > lastFinishedAt)) lastFinishedAt = group.last_finished_at;
  }
  return {
    counts,
    finishedSinceQueued,
    firstStartedAt: started._min.startedAt,
    lastFinishedAt,
    tokens: {
      prompt: spent._sum.promptTokens ?? 0,
      completion: spent._sum.completionTokens ?? 0,
      embedding: spent._sum.embeddingTokens ?? 0,
    },
    costUsd: spent._sum.costUsd?.toNumber() ?? 0,
    writtenBy: writers.map((writer) => ({ provider: writer.provider, model: writer.model, versions: writer._count._all })),
  };
}

/** Items left, divided by the rate at which items finished since the run last queued jobs. */
export function secondsLeft(run: GenerationRunRow, progress: RunProgress, now: Date): number | null {
  if (run.status !== 'running') return null;
  const left = progress.counts.queued + progress.counts.active;
  if (left === 0) return 0;
  if (progress.finishedSinceQueued === 0) return null;
  const elapsedSeconds = (now.getTime() - run.lastQueuedAt.getTime()) / 1000;
  return Math.ceil((left * elapsedSeconds) / progress.finishedSinceQueued);
}

/**
 * A running run with nothing queued or running has completed. The check is part of the update,
 * so a retry that queues jobs again at the same moment is never overwritten.
 */
export async function settleRun(prisma: PrismaClient, run: GenerationRunRow, progress: RunProgress): Promise<GenerationRunRow> {
  if (run.status !== 'running' || progress.counts.queued + progress.counts.active > 0) return run;
  const { count } = await prisma.generationRun.updateMany({
    where: { id: run.id, status: 'running', jobs: { none: { status: { in: ['queued', 'active'] } } } },
    data: { status: 'completed', finishedAt: progress.lastFinishedAt ?? new Date() },
  });
  return count ? prisma.generationRun.findUniqueOrThrow({ where: { id: run.id } }) : run;
}
