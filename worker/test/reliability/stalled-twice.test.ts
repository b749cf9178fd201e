/**
 * A job whose lock is lost twice (its worker crashed, hung or lost Redis each time it ran it) is
 * more than BullMQ's maxStalledCount (1) allows: BullMQ fails it without running the handler
 * again. The generation_jobs row must then say failed, with a reason a person understands, or
 * the run it belongs to would never finish. Here the lock is deleted by hand, exactly what its
 * expiry does, while each delivery waits for a slow model answer.
 */
import type { PrismaClient } from '@storesync/db';
import type { TestDatabase } from '@storesync/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai.ts';
import {
  chatRequests,
  cleanUpFile,
  openFileDatabase,
  enqueueAll,
  openQueue,
  seedCampaigns,
  startWorker,
  storeCopyReply,
  uniquePrefix,
  waitFor,
} from './harness.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let fake: FakeOpenAI;
const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('stalled-twice');

beforeAll(async () => {
  ({ database, prisma } = await openFileDatabase(2));
  // Slower than the whole test: no delivery ever gets its answer.
  fake = await startFakeOpenAI({ delayMs: 30_000, chatReply: storeCopyReply });
});

afterAll(() => cleanUpFile({ database, prisma, fakes: [fake], queue: { redisUrl, prefix } }));

describe('a job stalled more often than BullMQ allows', () => {
  it('ends failed in BullMQ and in generation_jobs, with a clear reason', async () => {
    const run = await seedCampaigns(prisma, 1);
    const jobId = run.jobIds[0]!;
    // Three slots: the two lost deliveries still hold theirs when BullMQ hands the job out a third time.
    const worker = startWorker({ name: 'worker', databaseUrl: database.url, redisUrl, prefix, fake, concurrency: 3, stalledIntervalMs: 300 });
    await worker.ready;
    await enqueueAll(redisUrl, prefix, [jobId]);

    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      for (const delivery of [1, 2]) {
        await waitFor(`delivery ${delivery} to ask the model`, 10_000, () => Promise.resolve(chatRequests(fake).length >= delivery), 10);
        const row = await prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } });
        expect(row.status).toBe('active');
        expect(await redis.del(`${prefix}:generation:${jobId}:lock`)).toBe(1);
      }
    } finally {
      redis.disconnect();
    }

    const queue = openQueue(redisUrl, prefix);
    try {
      await waitFor('BullMQ to fail the job', 10_000, async () => {
        const state = await queue.getJobState(jobId);
        return { done: state === 'failed', detail: state };
      });
      await waitFor('the row to be marked failed', 5_000, async () => {
        const row = await prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } });
        return { done: row.status === 'failed', detail: row.status };
      });
      const row = await prisma.generationJob.findUniqueOrThrow({ where: { id: jobId } });
      expect(row.error).toMatch(/stopped responding .* more often than BullMQ's maxStalledCount allows/);
      expect(row.finishedAt).not.toBeNull();
      expect((await queue.getJob(jobId))?.failedReason).toBe('job stalled more than allowable limit');
      // The handler never ran a third time: two deliveries, two model calls.
      expect(chatRequests(fake)).toHaveLength(2);
    } finally {
      await queue.close();
    }
  }, 45_000);
});
