/**
 * A worker killed with SIGKILL in the middle of a 200-campaign run, then replaced: every
 * campaign ends with exactly one generated version, and only the jobs that were in flight at the
 * kill cost a second model request.
 */
import type { PrismaClient } from '@storesync/db';
import type { TestDatabase } from '@storesync/db/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
  startWorker,
  storeCopyReply,
  uniquePrefix,
  waitFor,
  waitForExit,
} from './harness.ts';

const CAMPAIGNS = 200;
const CONCURRENCY = 8;
const KILL_AFTER_VERSIONS = 60;
const LOCK_DURATION_MS = 4_000;

let database: TestDatabase;
let prisma: PrismaClient;
let fake: FakeOpenAI;
const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('sigkill');

beforeAll(async () => {
  ({ database, prisma } = await openFileDatabase(4));
  fake = await startFakeOpenAI({ delayMs: 60, chatReply: storeCopyReply });
});

afterAll(() => cleanUpFile({ database, prisma, fakes: [fake], queue: { redisUrl, prefix } }));

describe('a worker killed with SIGKILL mid-run', () => {
  it('loses and duplicates nothing: a new worker finishes every campaign exactly once', async ({ annotate }) => {
    const run = await seedCampaigns(prisma, CAMPAIGNS);
    await enqueueAll(redisUrl, prefix, run.jobIds);
    // Short locks and stalled checks, so the dead worker's jobs come back in seconds, not 30 s.
    const options = {
      databaseUrl: database.url,
      redisUrl,
      prefix,
      fake,
      concurrency: CONCURRENCY,
      lockDurationMs: LOCK_DURATION_MS,
      stalledIntervalMs: 1_000,
    };
    const started = Date.now();

    const first = startWorker({ ...options, name: 'worker 1' });
    await first.ready;
    await waitFor(`${KILL_AFTER_VERSIONS} versions from the first worker`, 30_000, async () => {
      const versions = await okVersionCount(prisma, run.campaignIds);
      return { done: versions >= KILL_AFTER_VERSIONS, detail: `${versions} versions\n${first.tail(5)}` };
    }, 20);

    first.signal('SIGKILL');
    const ended = await waitForExit(first, 5_000);
    expect(ended.signal).toBe('SIGKILL');
    // Let requests already on the wire reach the fake before counting them.
    await sleep(200);
    const chatAtKill = chatRequests(fake).length;
    const versionsAtKill = await okVersionCount(prisma, run.campaignIds);
    const rowsActiveAtKill = await prisma.generationJob.count({ where: { campaignId: { in: run.campaignIds }, status: 'active' } });
    const queue = openQueue(redisUrl, prefix);
    const lockedJobs = (await queue.getActive()).map((job) => job.id ?? '');
    const lockedAtKill = lockedJobs.length;
    // Each answered request is stored as one version; the rest were in flight when the worker died.
    const inFlightAtKill = chatAtKill - versionsAtKill;
    expect(lockedAtKill).toBeGreaterThan(0);
    expect(lockedAtKill).toBeLessThanOrEqual(CONCURRENCY);
    expect(inFlightAtKill).toBeLessThanOrEqual(CONCURRENCY);

    const restartedAt = Date.now();
    const second = startWorker({ ...options, name: 'worker 2' });
    await second.ready;
    // The killed worker's jobs come back once their locks run out (4 s) and a stalled check sees it.
    const recoveredAfterMs = await waitFor("the killed worker's jobs to be completed by the new one", 20_000, async () => {
      const states = await Promise.all(lockedJobs.map((id) => queue.getJobState(id)));
      return { done: states.every((state) => state === 'completed'), detail: states.join(', ') };
    });
    await waitFor(`all ${CAMPAIGNS} generation jobs to complete`, 40_000, async () => {
      const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
      const completedRows = await completedJobCount(prisma, run.campaignIds);
      return {
        done: counts.completed === CAMPAIGNS && completedRows === CAMPAIGNS,
        detail: `bullmq ${JSON.stringify(counts)}, completed rows ${completedRows}\n${second.tail(5)}`,
      };
    });
    const finishedAt = Date.now();
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed', 'prioritized');
    await queue.close();

    const state = await runState(prisma, run.campaignIds);
    expect(state.campaignsWithoutExactlyOneOk).toEqual([]);
    expect(state.jobsByStatus).toEqual({ completed: CAMPAIGNS });
    expect(state.duplicateAttempts).toBe(0);
    expect(counts).toMatchObject({ completed: CAMPAIGNS, failed: 0, active: 0, wait: 0, delayed: 0 });
    // Every campaign got its copy; only the requests lost with the killed worker were made twice.
    const chatTotal = chatRequests(fake).length;
    expect(chatTotal).toBeLessThanOrEqual(CAMPAIGNS + inFlightAtKill);
    expect(chatTotal).toBe(CAMPAIGNS + inFlightAtKill);
    const perStore = chatRequestsPerStore(fake);
    expect(perStore.size).toBe(CAMPAIGNS);
    expect([...perStore.values()].filter((count) => count > 1).length).toBe(inFlightAtKill);
    // Jobs whose handler had started (row 'active') ran a second time, found nothing stored, redid the call.
    expect(state.jobsStartedTwice).toBeLessThanOrEqual(lockedAtKill);
    expect(state.jobsStartedTwice).toBeGreaterThanOrEqual(rowsActiveAtKill);

    second.signal('SIGTERM');
    expect(await waitForExit(second, 10_000)).toEqual({ code: 0, signal: null });

    await annotate(
      [
        `killed after ${versionsAtKill} versions (${restartedAt - started} ms into the run)`,
        `${lockedAtKill} BullMQ jobs locked by the dead worker, ${rowsActiveAtKill} rows 'active', ${inFlightAtKill} chat requests in flight`,
        `recovered ${recoveredAfterMs} ms after the restart; run finished ${finishedAt - restartedAt} ms after the restart`,
        `chat requests ${chatTotal} = ${CAMPAIGNS} + ${inFlightAtKill}; jobs started twice ${state.jobsStartedTwice}`,
      ].join('; '),
    );
  }, 90_000);
});
