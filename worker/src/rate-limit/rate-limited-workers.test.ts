/**
 * The provider rate limits as the workers live them: two generation workers on one queue and one
 * fake OpenAI server, against the real PostgreSQL and Redis. Together the workers keep the
 * configured requests per minute; a 429 with Retry-After stops every worker (not just the job
 * that got it) for that long, and the job's own retry waits at least as long; a limiter wait too
 * long to spend in process sends jobs back to the queue without spending an attempt.
 */
import { createPrismaClient, type PrismaClient } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import type { Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../../test/fake-openai.ts';
import {
  completedJobCount,
  deleteQueueKeys,
  enqueueAll,
  openQueue,
  seedCampaigns,
  storeCopyReply,
  uniquePrefix,
  waitFor,
} from '../../test/reliability/harness.ts';
import { createOpenAIProviders } from '../providers/openai.ts';
import { redisConnectionOptions } from '../redis.ts';
import { createGenerationWorker, MAX_IN_PROCESS_WAIT_MS } from '../worker.ts';
import { createRateLimiter, type RateLimits } from './limiter.ts';

const redisUrl = inject('redisUrl');
let database: TestDatabase;
let prisma: PrismaClient;
let fake: FakeOpenAI;
let workers: Worker[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 6 });
  fake = await startFakeOpenAI({ apiKey: 'sk-rate', chatReply: storeCopyReply });
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  workers = [];
});

afterAll(async () => {
  await fake?.close();
  await prisma?.$disconnect();
  await database?.drop();
  await Promise.all(prefixes.map((prefix) => deleteQueueKeys(redisUrl, prefix)));
});

/** Two workers (as two processes would be) on a fresh queue prefix. */
function startWorkers(label: string, providerLimits: RateLimits = {}) {
  const prefix = uniquePrefix(label);
  prefixes.push(prefix);
  const providers = createOpenAIProviders({
    apiKey: 'sk-rate',
    baseURL: fake.baseURL,
    chatModel: 'gpt-4o-mini',
    embeddingModel: 'text-embedding-3-small',
    timeoutMs: 10_000,
  });
  for (let index = 0; index < 2; index++) {
    workers.push(
      createGenerationWorker({
        connection: redisConnectionOptions(redisUrl),
        prefix,
        concurrency: 3,
        providerLimits,
        context: { prisma, providers, logger: pino({ level: 'silent' }), prices: { inputPerMTok: 0, outputPerMTok: 0, embeddingPerMTok: 0 } },
      }),
    );
  }
  return prefix;
}

async function runJobs(prefix: string, count: number, timeoutMs: number) {
  const run = await seedCampaigns(prisma, count);
  await enqueueAll(redisUrl, prefix, run.jobIds);
  await waitFor(`${count} jobs to complete`, timeoutMs, async () => {
    const done = await completedJobCount(prisma, run.campaignIds);
    return { done: done === count, detail: `${done} completed` };
  });
  return run;
}

/** The most requests that arrived within any `windowMs`. */
function busiestWindow(requests: RecordedRequest[], windowMs: number): number {
  const times = requests.map((request) => request.receivedAt).sort((a, b) => a - b);
  let best = 0;
  for (let first = 0, last = 0; first < times.length; first++) {
    while (last < times.length && times[last]! < times[first]! + windowMs) last++;
    best = Math.max(best, last - first);
  }
  return best;
}

describe('rate-limited generation workers', () => {
  it('keep the requests-per-minute limit together, chat and embedding calls alike', async () => {
    fake.reset();
    // 300 per minute: one call every 200 ms across both workers (each job: a chat and an embedding call).
    const prefix = startWorkers('rpm', { requestsPerMinute: 300 });
    const started = Date.now();
    await runJobs(prefix, 8, 20_000);
    const seconds = (Date.now() - started) / 1000;
    expect(fake.requests).toHaveLength(16);
    // 16 calls whose slots lie 200 ms apart: the last one starts 3 s after the first.
    expect(seconds).toBeGreaterThanOrEqual(3);
    // The slots are 200 ms apart; a call whose timer fired late (a busy machine) may arrive close
    // to the next one, so a second may see one or two more than its 5, never a burst.
    expect(busiestWindow(fake.requests, 1_000)).toBeLessThanOrEqual(7);
  }, 30_000);

  it('honour a 429 Retry-After: no worker sends anything for that long, and the job retries after it', async () => {
    fake.reset();
    fake.setBehaviour({ delayMs: 50, failNext: { failure: { kind: 'rate_limit', retryAfterSeconds: 2 }, count: 1 } });
    const prefix = startWorkers('retry-after');
    const run = await runJobs(prefix, 6, 20_000);

    const [limited, ...after] = fake.requests;
    if (!limited) throw new Error('no request reached the fake');
    // The 429 was answered about 50 ms after it arrived; calls already on their way may still
    // land just after that. Then nothing, from either worker, until the 2 s have passed.
    const answeredAt = limited.receivedAt + 50;
    const duringPause = after.filter((request) => request.receivedAt > answeredAt + 100 && request.receivedAt < answeredAt + 2_000);
    expect(duringPause.map((request) => request.receivedAt - answeredAt)).toEqual([]);
    // Every job completed once; the one that got the 429 used a second attempt, no other did.
    const jobs = await prisma.generationJob.findMany({ where: { campaignId: { in: run.campaignIds } } });
    expect(jobs.map((job) => job.status)).toEqual(Array(6).fill('completed'));
    expect(jobs.map((job) => job.attempts).sort()).toEqual([1, 1, 1, 1, 1, 2]);
    const retried = jobs.find((job) => job.attempts === 2)!;
    const queue = openQueue(redisUrl, prefix);
    try {
      const job = await queue.getJob(retried.id);
      // Its second attempt started no sooner than the Retry-After allowed.
      expect(job?.processedOn).toBeGreaterThanOrEqual(limited.receivedAt + 2_000);
    } finally {
      await queue.close();
    }
  }, 30_000);

  it('send jobs back to the queue, attempts untouched, while the limiter wait is too long to spend in process', async () => {
    fake.reset();
    const prefix = startWorkers('gate');
    const queue = openQueue(redisUrl, prefix);
    try {
      // As after a long Retry-After elsewhere: every call must wait 3.5 s.
      const limiter = createRateLimiter(queue.getBackend().client, `${prefix}:provider-rate-limit`, {});
      const pauseMs = MAX_IN_PROCESS_WAIT_MS + 1_500;
      await limiter.pause(pauseMs);
      const pausedAt = Date.now();
      const run = await seedCampaigns(prisma, 4);
      await enqueueAll(redisUrl, prefix, run.jobIds);

      // Well before the pause ends: a worker took a job, met the limiter and put it back; nothing
      // asked the model, and the jobs wait in the queue, not in a worker.
      await waitFor('a worker to meet the limiter and put its job back', 3_000, async () => {
        const jobs = await Promise.all(run.jobIds.map((id) => queue.getJob(id)));
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        const started = jobs.filter((job) => (job?.attemptsStarted ?? 0) > 0).length;
        return { done: started > 0 && counts.active === 0, detail: `${started} started, ${JSON.stringify(counts)}` };
      });
      expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 4, active: 0, delayed: 0 });
      expect(Date.now() - pausedAt).toBeLessThan(pauseMs - 500);
      expect(fake.requests).toHaveLength(0);
      const rows = await prisma.generationJob.findMany({ where: { campaignId: { in: run.campaignIds } } });
      expect(rows.map((row) => [row.status, row.attempts])).toEqual(Array(4).fill(['queued', 0]));

      await waitFor('the jobs to complete after the pause', 15_000, async () => (await completedJobCount(prisma, run.campaignIds)) === 4);
      const firstCall = Math.min(...fake.requests.map((request) => request.receivedAt));
      expect(firstCall - pausedAt).toBeGreaterThanOrEqual(pauseMs - 50);
      const done = await prisma.generationJob.findMany({ where: { campaignId: { in: run.campaignIds } } });
      expect(done.map((row) => row.attempts)).toEqual([1, 1, 1, 1]);
    } finally {
      await queue.close();
    }
  }, 30_000);
});
