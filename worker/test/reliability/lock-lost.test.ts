/**
 * A running job whose BullMQ lock is lost (it expired during a Redis outage longer than the lock,
 * an event-loop stall, a failover to a replica that missed the last writes) is handed out again
 * by the stalled check while the first delivery is still running. Both deliveries then run the
 * handler at once. Here the lock is deleted by hand, which is exactly what its expiry does, while
 * the first delivery waits for a slow model answer, so the overlap happens every time.
 *
 * Both deliveries may ask the model; storeVersion serialises them on the campaign's row lock and
 * the second finds the version the first stored for the same (job, attempt), so the job completes
 * once with one version. (Before that fix the second insert violated the unique key and the job
 * was marked failed although the campaign had its copy.)
 */
import type { PrismaClient } from '@storesync/db';
import type { TestDatabase } from '@storesync/db/testing';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai.ts';
import {
  chatRequests,
  cleanUpFile,
  openFileDatabase,
  enqueueAll,
  openQueue,
  runState,
  seedCampaigns,
  startWorker,
  storeCopyReply,
  uniquePrefix,
  waitFor,
} from './harness.ts';

const MODEL_DELAY_MS = 1_500;

let database: TestDatabase;
let prisma: PrismaClient;
let fake: FakeOpenAI;
const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('lock-lost');

beforeAll(async () => {
  ({ database, prisma } = await openFileDatabase(2));
  fake = await startFakeOpenAI({ delayMs: MODEL_DELAY_MS, chatReply: storeCopyReply });
});

afterAll(() => cleanUpFile({ database, prisma, fakes: [fake], queue: { redisUrl, prefix } }));

describe('a job whose lock is lost while it runs', () => {
  it('is still completed exactly once when BullMQ delivers it a second time meanwhile', async () => {
    const run = await seedCampaigns(prisma, 1);
    const jobId = run.jobIds[0]!;
    const worker = startWorker({
      name: 'worker',
      databaseUrl: database.url,
      redisUrl,
      prefix,
      fake,
      concurrency: 2,
      stalledIntervalMs: 500,
    });
    await worker.ready;
    await enqueueAll(redisUrl, prefix, [jobId]);
    await waitFor('the first delivery to ask the model', 10_000, () => Promise.resolve(chatRequests(fake).length >= 1), 10);

    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.del(`${prefix}:generation:${jobId}:lock`)).toBe(1);
    } finally {
      redis.disconnect();
    }
    // The stalled check finds the job active without a lock and hands it out again.
    await waitFor('the second delivery to ask the model', 10_000, () => Promise.resolve(chatRequests(fake).length >= 2), 10);

    const queue = openQueue(redisUrl, prefix);
    try {
      await waitFor('both deliveries to finish', 15_000, async () => {
        const state = await queue.getJobState(jobId);
        const row = await prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } });
        return { done: (state === 'completed' || state === 'failed') && row.status !== 'active', detail: `${state}, row ${row.status}` };
      });
      // The slower delivery's last writes.
      await sleep(MODEL_DELAY_MS);
      const state = await runState(prisma, run.campaignIds);
      expect(state.campaignsWithoutExactlyOneOk).toEqual([]);
      expect(state.duplicateAttempts).toBe(0);
      const row = await prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } });
      expect({ status: row.status, error: row.error }).toEqual({ status: 'completed', error: null });
      expect(await queue.getJobState(jobId)).toBe('completed');
    } finally {
      await queue.close();
    }
  }, 45_000);
});
