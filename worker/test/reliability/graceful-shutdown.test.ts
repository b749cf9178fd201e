/**
 * SIGTERM while jobs run: the worker takes no new job, finishes the running ones, exits 0, and a
 * second SIGTERM during that wait changes nothing. The next worker runs what was still queued, so
 * no job is lost and none is done twice.
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

const CAMPAIGNS = 24;
const CONCURRENCY = 4;
/** Each job makes two model calls (chat, then the embedding), so it runs for at least 2 × this. */
const MODEL_DELAY_MS = 300;
const SHUTDOWN_BOUND_MS = 10_000;

let database: TestDatabase;
let prisma: PrismaClient;
let fake: FakeOpenAI;
const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('graceful');

beforeAll(async () => {
  ({ database, prisma } = await openFileDatabase(4));
  fake = await startFakeOpenAI({ delayMs: MODEL_DELAY_MS, chatReply: storeCopyReply });
});

afterAll(() => cleanUpFile({ database, prisma, fakes: [fake], queue: { redisUrl, prefix } }));

describe('SIGTERM while jobs are running', () => {
  it('finishes the running jobs, exits 0, and leaves the rest to the next worker', async ({ annotate }) => {
    const run = await seedCampaigns(prisma, CAMPAIGNS);
    await enqueueAll(redisUrl, prefix, run.jobIds);
    const options = { databaseUrl: database.url, redisUrl, prefix, fake, concurrency: CONCURRENCY };
    const queue = openQueue(redisUrl, prefix);
    try {
      const first = startWorker({ ...options, name: 'worker 1' });
      await first.ready;
      // Mid-run: some jobs done, a full set of jobs waiting on the model.
      await waitFor('a few jobs done and others running', 20_000, async () => {
        const done = await okVersionCount(prisma, run.campaignIds);
        const asked = chatRequests(fake).length;
        return { done: done >= CONCURRENCY && asked - done >= 2, detail: `${done} versions, ${asked} chat requests` };
      }, 20);

      const running = (await queue.getActive()).map((job) => job.id ?? '');
      const rowsActive = await prisma.generationJob.count({ where: { campaignId: { in: run.campaignIds }, status: 'active' } });
      const termAt = Date.now();
      first.signal('SIGTERM');
      await sleep(100);
      // A supervisor repeating itself, or Ctrl-C twice: must not cut the running jobs short.
      first.signal('SIGTERM');
      const ended = await waitForExit(first, SHUTDOWN_BOUND_MS);
      const shutdownMs = Date.now() - termAt;
      expect(ended).toEqual({ code: 0, signal: null });
      expect(first.lines.some((line) => line.includes('already finishing running jobs'))).toBe(true);

      expect(running.length).toBeGreaterThan(0);
      // Every job that was running finished properly, in the database and in the queue.
      const states = await Promise.all(running.map((id) => queue.getJobState(id)));
      expect(states.filter((state) => state !== 'completed')).toEqual([]);
      const afterFirst = await queue.getJobCounts('active', 'completed', 'failed', 'wait', 'prioritized', 'delayed');
      expect(afterFirst).toMatchObject({ active: 0, failed: 0 });
      const stateAfterFirst = await runState(prisma, run.campaignIds);
      expect(stateAfterFirst.jobsByStatus.active ?? 0).toBe(0);
      const doneByFirst = afterFirst.completed ?? 0;
      expect(stateAfterFirst.jobsByStatus.completed).toBe(doneByFirst);
      // Nothing abandoned mid-call: every model answer became a stored version.
      expect(chatRequests(fake).length).toBe(stateAfterFirst.okVersions);
      expect(doneByFirst).toBeLessThan(CAMPAIGNS);

      const second = startWorker({ ...options, name: 'worker 2', concurrency: 2 * CONCURRENCY });
      await second.ready;
      await waitFor(`the remaining ${CAMPAIGNS - doneByFirst} jobs to complete`, 40_000, async () => {
        const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait');
        const completedRows = await completedJobCount(prisma, run.campaignIds);
        return {
          done: counts.completed === CAMPAIGNS && completedRows === CAMPAIGNS,
          detail: `bullmq ${JSON.stringify(counts)}, completed rows ${completedRows}\n${second.tail(5)}`,
        };
      });
      const state = await runState(prisma, run.campaignIds);
      expect(state.campaignsWithoutExactlyOneOk).toEqual([]);
      expect(state.jobsByStatus).toEqual({ completed: CAMPAIGNS });
      expect(state.duplicateAttempts).toBe(0);
      expect(state.jobsStartedTwice).toBe(0);
      expect(chatRequests(fake).length).toBe(CAMPAIGNS);
      expect([...chatRequestsPerStore(fake).values()].every((count) => count === 1)).toBe(true);

      second.signal('SIGTERM');
      expect(await waitForExit(second, SHUTDOWN_BOUND_MS)).toEqual({ code: 0, signal: null });

      await annotate(
        `SIGTERM (twice) with ${running.length} jobs running (${rowsActive} rows 'active'); exit 0 after ${shutdownMs} ms; ` +
          `${doneByFirst} jobs done by the first worker, ${CAMPAIGNS - doneByFirst} by the next; ${chatRequests(fake).length} chat requests`,
      );
    } finally {
      await queue.close();
    }
  }, 60_000);
});
