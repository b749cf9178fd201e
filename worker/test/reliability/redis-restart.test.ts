/**
 * Redis crashes (SIGKILL) and comes back in the middle of a run: the worker reconnects by itself
 * and the run completes, every campaign generated exactly once.
 *
 * The queue lives in Redis, so it survives a restart only if Redis persists it. This test runs
 * its own redis-server (never the shared one on 6379) the way production must run it for this
 * guarantee: `--appendonly yes --appendfsync always`, every write fsynced to the append-only
 * file before Redis acknowledges it, so even a SIGKILL loses no acknowledged job. Without AOF
 * (or with RDB snapshots only), a restart comes back with an empty or stale queue: the
 * generation_jobs rows would stay "queued" with nothing left to run them.
 */
import type { PrismaClient } from '@storesync/db';
import type { TestDatabase } from '@storesync/db/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai.ts';
import {
  chatRequests,
  cleanUpFile,
  openFileDatabase,
  chatRequestsPerStore,
  completedJobCount,
  enqueueAll,
  okVersionCount,
  openQueue,
  runState,
  seedCampaigns,
  startPrivateRedis,
  startWorker,
  storeCopyReply,
  uniquePrefix,
  waitFor,
  waitForExit,
  type PrivateRedis,
} from './harness.ts';

const CAMPAIGNS = 100;
const CONCURRENCY = 6;
const CRASH_AFTER_VERSIONS = 30;

let database: TestDatabase;
let prisma: PrismaClient;
let fake: FakeOpenAI;
let redis: PrivateRedis;
beforeAll(async () => {
  ({ database, prisma } = await openFileDatabase(4));
  fake = await startFakeOpenAI({ delayMs: 60, chatReply: storeCopyReply });
  redis = await startPrivateRedis({ persistent: true });
});

afterAll(() => cleanUpFile({ database, prisma, fakes: [fake], stop: () => redis?.destroy() ?? Promise.resolve() }));

/** One run with Redis SIGKILLed after some progress and started again `downForMs` later. */
async function restartMidRun(
  { downForMs, lockDurationMs }: { downForMs: number; lockDurationMs: number },
  annotate: (message: string) => Promise<unknown>,
) {
  fake.reset();
  const prefix = uniquePrefix('redis-restart');
  const run = await seedCampaigns(prisma, CAMPAIGNS);
  await enqueueAll(redis.url, prefix, run.jobIds);
  const worker = startWorker({
    name: 'worker',
    databaseUrl: database.url,
    redisUrl: redis.url,
    prefix,
    fake,
    concurrency: CONCURRENCY,
    lockDurationMs,
    stalledIntervalMs: 1_000,
  });
  await worker.ready;
  await waitFor(`${CRASH_AFTER_VERSIONS} versions before the crash`, 30_000, async () => {
    const versions = await okVersionCount(prisma, run.campaignIds);
    return { done: versions >= CRASH_AFTER_VERSIONS, detail: `${versions} versions\n${worker.tail(5)}` };
  }, 20);

  const crashedAt = Date.now();
  await redis.crash();
  const versionsAtCrash = await okVersionCount(prisma, run.campaignIds);
  await sleep(downForMs);
  // While Redis is down the running jobs may finish their database work, nothing new starts.
  const versionsWhileDown = await okVersionCount(prisma, run.campaignIds);
  expect(versionsWhileDown - versionsAtCrash).toBeLessThanOrEqual(CONCURRENCY);
  await redis.start();
  const downMs = Date.now() - crashedAt;

  const queue = openQueue(redis.url, prefix);
  const queuedAfterRestart = await queue.getJobCounts('wait', 'active', 'completed', 'prioritized', 'delayed');
  const jobsInRedis = Object.values(queuedAfterRestart).reduce((sum, count) => sum + count, 0);
  // The AOF brought back every job.
  expect(jobsInRedis).toBe(CAMPAIGNS);

  await waitFor(`all ${CAMPAIGNS} generation jobs to complete after the restart`, 45_000, async () => {
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
    const completedRows = await completedJobCount(prisma, run.campaignIds);
    return {
      done: counts.completed === CAMPAIGNS && completedRows === CAMPAIGNS,
      detail: `bullmq ${JSON.stringify(counts)}, completed rows ${completedRows}\n${worker.tail(8)}`,
    };
  });
  const finishedAfterMs = Date.now() - crashedAt;
  const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
  await queue.close();

  // The same worker process did it all: it neither crashed nor needed a restart.
  expect(worker.child.exitCode).toBeNull();
  const state = await runState(prisma, run.campaignIds);
  expect(state.campaignsWithoutExactlyOneOk).toEqual([]);
  expect(state.jobsByStatus).toEqual({ completed: CAMPAIGNS });
  expect(state.duplicateAttempts).toBe(0);
  expect(counts).toMatchObject({ completed: CAMPAIGNS, failed: 0, active: 0, wait: 0, delayed: 0 });
  const chatTotal = chatRequests(fake).length;
  expect(chatRequestsPerStore(fake).size).toBe(CAMPAIGNS);
  // At most the jobs running at the crash could have asked the model twice.
  expect(chatTotal).toBeLessThanOrEqual(CAMPAIGNS + CONCURRENCY);
  if (lockDurationMs > downMs + 2_000) {
    // Their locks outlived the outage: no job was handed out twice.
    expect(chatTotal).toBe(CAMPAIGNS);
    expect(state.jobsStartedTwice).toBe(0);
  }

  worker.signal('SIGTERM');
  expect(await waitForExit(worker, 10_000)).toEqual({ code: 0, signal: null });

  await annotate(
    `crashed after ${versionsAtCrash} versions; Redis down ${downMs} ms (${versionsWhileDown - versionsAtCrash} versions stored meanwhile); ` +
      `${jobsInRedis} jobs back from the AOF; run complete ${finishedAfterMs} ms after the crash; ` +
      `chat requests ${chatTotal}; jobs started twice ${state.jobsStartedTwice}`,
  );
}

describe('Redis restarted in the middle of a run', () => {
  // Well within the job locks (10 s here, 30 s by default): the running jobs carry on once Redis is back.
  it('after a quick restart the worker reconnects and the run completes, each campaign exactly once', async ({ annotate }) => {
    await restartMidRun({ downForMs: 1_000, lockDurationMs: 10_000 }, annotate);
  }, 60_000);

  // Longer than the 3 s locks: they expire meanwhile, BullMQ refuses to complete the running jobs
  // ("Missing lock"), the stalled check hands them out again while the first delivery may still
  // be running; storeVersion makes the second delivery find the first one's version.
  it('after an outage longer than the job locks the run still completes, each campaign exactly once', async ({ annotate }) => {
    await restartMidRun({ downForMs: 4_500, lockDurationMs: 3_000 }, annotate);
  }, 60_000);
});
