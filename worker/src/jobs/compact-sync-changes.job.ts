/**
 * compact-sync-changes: runs daily (a BullMQ job scheduler on the lifecycle queue). The change
 * log gains a row for every version of every synced row; rows superseded by a newer change of the
 * same entity and older than the retention are deleted (prisma/src/sync.ts compactSyncChanges),
 * so the feed's reads and the table stay proportional to the data, not to its history.
 */
import { compactSyncChanges } from '@storesync/db';
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { JobContext } from './context.ts';

export const name = 'compact-sync-changes';
export const payloadSchema = z.object({});

/**
 * A sheet that has not synced for this long merges against no base: its edits come back as
 * conflicts wherever they differ from the server, instead of being merged field by field.
 */
export const RETENTION_DAYS = 30;
/** Rows per DELETE, so no statement holds its locks for long. */
const BATCH_SIZE = 10_000;
/** Bounded work per run; tomorrow's run takes the rest. */
const MAX_BATCHES = 100;

export async function handler(job: Job, ctx: JobContext, now = new Date()): Promise<{ deleted: number }> {
  payloadSchema.parse(job.data);
  const before = new Date(now.getTime() - RETENTION_DAYS * 24 * 3_600_000);
  let deleted = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const count = await compactSyncChanges(ctx.prisma, before, BATCH_SIZE);
    deleted += count;
    if (count < BATCH_SIZE) break;
  }
  if (deleted > 0) ctx.logger.info({ deleted, before: before.toISOString() }, 'compacted the sync change log');
  return { deleted };
}
