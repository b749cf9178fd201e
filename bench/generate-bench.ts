/**
 * `npm run bench:generate [-- --campaigns 1000 --workers 2 --concurrency 32]`
 *
 * A batch run of 1,000 campaigns through the real API (createApp in this process, requests
 * through app.fetch), real worker processes and the real Redis, against the fake OpenAI server
 * (in this process) answering every request after 300 ms and refusing more than 6,000 requests a
 * minute with 429s, as a provider account would. The workers are told the same limit
 * (OPENAI_REQUESTS_PER_MINUTE) and share it through Redis.
 *
 * Prints the wall time from POST /campaigns/generate/ until the run reports completed, the lower
 * bound that latency, concurrency and the rate limit set, their ratio (goal: at most 1.15), jobs
 * per second and each worker's peak memory. Exits 1 if any campaign did not get exactly one
 * version, a job failed, or the run did not finish; a fast run that lost work means nothing.
 *
 * Configuration: --campaigns/BENCH_CAMPAIGNS, --workers/BENCH_WORKERS, --concurrency/
 * BENCH_CONCURRENCY (per worker), --latency/BENCH_LATENCY_MS, --rpm/BENCH_RPM, TEST_DATABASE_URL (a
 * server where it may create a database), REDIS_URL. Talks only to 127.0.0.1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createPrismaClient } from '@storesync/db';
import { startFakeOpenAI, type FakeChatReplier, type FakeOpenAI } from '@storesync/worker/testing';
import { pino } from 'pino';
import { createApp } from '../api/src/app.ts';
import { createAppDeps } from '../api/src/deps.ts';
import { parseEnv } from '../api/src/env.ts';
import { signAccessToken } from '../api/src/lib/auth/access-tokens.ts';
import { accessTokenConfig } from '../api/src/middleware/auth.ts';
import { createBenchDatabase, type BenchDatabase } from './dataset.ts';
import { seedGenerationDataset } from './generate/seed.ts';
import { startWorkerProcess, type WorkerProcess } from './generate/worker-process.ts';

/** A job's calls, one after the other: embed the query (similar content is on), chat, embed the answer. */
const REQUESTS_PER_JOB = 3;
const GOAL_RATIO = 1.15;
/** How often the run is read: often enough to time it to a few tenths of a second, rarely enough not to load the database. */
const POLL_MS = 250;

function positive(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > max) throw new Error(`${name} must be a whole number in [1, ${max}], got "${raw}"`);
  return value;
}

function readConfig() {
  const { values } = parseArgs({
    options: {
      campaigns: { type: 'string' },
      workers: { type: 'string' },
      concurrency: { type: 'string' },
      latency: { type: 'string' },
      rpm: { type: 'string' },
    },
    strict: true,
  });
  return {
    campaigns: positive('--campaigns', values.campaigns ?? process.env.BENCH_CAMPAIGNS, 1_000, 5_000),
    workers: positive('--workers', values.workers ?? process.env.BENCH_WORKERS, 2, 8),
    concurrency: positive('--concurrency', values.concurrency ?? process.env.BENCH_CONCURRENCY, 32, 256),
    latencyMs: positive('--latency', values.latency ?? process.env.BENCH_LATENCY_MS, 300, 10_000),
    rpm: positive('--rpm', values.rpm ?? process.env.BENCH_RPM, 6_000, 1_000_000),
    serverUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
type Config = ReturnType<typeof readConfig>;

function assertLocal(name: string, url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`${name} points at ${host}; the bench only talks to 127.0.0.1`);
}

/** Copy that passes the output checks and names its store. */
const benchReply: FakeChatReplier = (request) => {
  const store = request.messages.map((message) => /- Store Number: (\S+)/.exec(message.content)?.[1]).find(Boolean) ?? 'unknown';
  return `Store ${store} is having a weekend sale: great prices on tools and garden supplies. Come by this Saturday!`;
};

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

interface RunJson {
  id: string;
  status: string;
  total: number;
  skipped: number;
  done: number;
  failed: number;
  cancelled: number;
}

let database: BenchDatabase | undefined;
let fake: FakeOpenAI | undefined;
const workers: WorkerProcess[] = [];
let closeApi: (() => Promise<void>) | undefined;

async function main(config: Config): Promise<number> {
  assertLocal('TEST_DATABASE_URL', config.serverUrl);
  assertLocal('REDIS_URL', config.redisUrl);
  const totalConcurrency = config.workers * config.concurrency;
  console.log(
    `StoreSync generation bench: ${config.campaigns} campaigns, ${config.workers} workers × concurrency ${config.concurrency}, ` +
      `fake OpenAI answering after ${config.latencyMs} ms, at most ${config.rpm} requests/min`,
  );
  const loadAtStart = os.loadavg()[0] ?? 0;
  const setupStarted = performance.now();
  process.stdout.write('  creating and filling a throwaway database ...');
  database = await createBenchDatabase(config.serverUrl);
  const dataset = await seedGenerationDataset(database.url, config.campaigns);
  process.stdout.write(` ${seconds(performance.now() - setupStarted)} s\n`);

  const apiKey = `sk-bench-${randomUUID().slice(0, 8)}`;
  fake = await startFakeOpenAI({ apiKey, delayMs: config.latencyMs, requestsPerMinute: config.rpm, chatReply: benchReply });
  const prefix = `bench-gen-${randomUUID().slice(0, 8)}`;
  const env = parseEnv({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: config.redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    OPENAI_API_KEY: apiKey,
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_REQUESTS_PER_MINUTE: String(config.rpm),
    WORKER_CONCURRENCY: String(totalConcurrency),
    LOG_LEVEL: 'silent',
  });
  const deps = await createAppDeps(env, { logger: pino({ level: 'silent' }), redisKeyPrefix: `${prefix}:api:`, queuePrefix: prefix });
  closeApi = async () => {
    await deps.generationQueue.obliterate({ force: true });
    await deps.close();
  };
  const app = createApp(deps);
  const token = await signAccessToken(accessTokenConfig(env), dataset.userId);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as RunJson;
  };

  process.stdout.write(`  starting ${config.workers} worker processes ...`);
  for (let index = 0; index < config.workers; index++) {
    workers.push(
      startWorkerProcess(`worker ${index + 1}`, {
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: String(Math.max(10, Math.ceil(config.concurrency / 2))),
        REDIS_URL: config.redisUrl,
        BULLMQ_PREFIX: prefix,
        OPENAI_API_KEY: apiKey,
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_TIMEOUT_MS: '30000',
        OPENAI_REQUESTS_PER_MINUTE: String(config.rpm),
        WORKER_CONCURRENCY: String(config.concurrency),
        LOG_LEVEL: 'info',
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.ready));
  process.stdout.write(' ready\n');

  process.stdout.write('  POST /api/v1/campaigns/generate/ and waiting for the run ...');
  const cpuBefore = await Promise.all(workers.map((worker) => worker.cpuSeconds()));
  const benchCpuBefore = process.cpuUsage();
  const started = performance.now();
  const run = await api('POST', '/api/v1/campaigns/generate/', { filter: { brand: dataset.brandId }, use_similar_content: true });
  const queuedMs = performance.now() - started;
  // Long enough for a run at a quarter of the expected pace; a hang fails the bench instead of stalling it.
  const expectedMs = Math.max((config.campaigns * REQUESTS_PER_JOB * 60_000) / config.rpm, (config.campaigns * REQUESTS_PER_JOB * config.latencyMs) / totalConcurrency);
  const deadline = started + 4 * expectedMs + 30_000;
  let progress = run;
  while (progress.status === 'running') {
    if (performance.now() > deadline) throw new Error(`the run did not finish in ${seconds(deadline - started)} s: ${JSON.stringify(progress)}`);
    await sleep(POLL_MS);
    progress = await api('GET', `/api/v1/runs/${run.id}/`);
  }
  const wallMs = performance.now() - started;
  process.stdout.write(` ${seconds(wallMs)} s\n`);
  const peaks = await Promise.all(workers.map((worker) => worker.peakRss()));
  const workerCpu = (await Promise.all(workers.map((worker) => worker.cpuSeconds()))).map((cpu, index) => cpu - (cpuBefore[index] ?? 0));
  const benchCpu = process.cpuUsage(benchCpuBefore);

  // What the run did, from the database and the fake server.
  const prisma = createPrismaClient(database.url, { poolSize: 2 });
  const [okVersions, unfinished, firstJob, lastJob, jobTimes] = await (async () => {
    try {
      return await Promise.all([
        prisma.campaignContentVersion.groupBy({ by: ['campaignId'], where: { status: 'ok' }, _count: { _all: true } }),
        prisma.generationJob.groupBy({ by: ['status', 'error'], where: { status: { not: 'completed' } }, _count: { _all: true } }),
        prisma.generationJob.aggregate({ _min: { startedAt: true } }),
        prisma.generationJob.aggregate({ _max: { finishedAt: true } }),
        prisma.$queryRaw<{ mean: number; p90: number }[]>`
          SELECT avg(ms)::float8 AS mean, percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::float8 AS p90
          FROM (SELECT extract(epoch FROM finished_at - started_at) * 1000 AS ms FROM generation_jobs WHERE status = 'completed') jobs`,
      ]);
    } finally {
      await prisma.$disconnect();
    }
  })();
  const requests = fake.requests.length;
  const answered429 = fake.requests.filter((request) => request.status === 429).length;
  const otherErrors = fake.requests.filter((request) => request.status !== 200 && request.status !== 429).length;

  const latencyBoundMs = (config.campaigns * REQUESTS_PER_JOB * config.latencyMs) / totalConcurrency;
  const rateBoundMs = (config.campaigns * REQUESTS_PER_JOB * 60_000) / config.rpm;
  const boundMs = Math.max(latencyBoundMs, rateBoundMs);
  const ratio = wallMs / boundMs;
  const jobsSpanMs = (lastJob._max.finishedAt?.getTime() ?? 0) - (firstJob._min.startedAt?.getTime() ?? 0);

  console.log('');
  console.log(`machine   ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, 1-min load average ${loadAtStart.toFixed(2)} at start`);
  console.log(
    `dataset   1 brand, ${dataset.locations} stores, ${dataset.templates} templates, ${config.campaigns} draft campaigns, ${dataset.examples} approved examples with embeddings`,
  );
  console.log(`run       POST /campaigns/generate/ (filter: the brand, use_similar_content), answered 202 in ${Math.round(queuedMs)} ms: ${run.total - run.skipped} campaigns queued, ${run.skipped} skipped (the approved examples)`);
  console.log(`pace      ${describePace(fake)}`);
  console.log(`requests  ${requests} to the fake (${(requests / config.campaigns).toFixed(2)} per job), ${answered429} answered 429, ${Math.round((requests * 60_000) / wallMs)} per minute on average`);
  console.log('');
  console.log(`wall time                 ${seconds(wallMs)} s   (first job started to last finished: ${seconds(jobsSpanMs)} s)`);
  console.log(
    `lower bound               ${seconds(boundMs)} s   = max(latency ${config.campaigns} × ${REQUESTS_PER_JOB} × ${config.latencyMs} ms / ${totalConcurrency} = ${seconds(latencyBoundMs)} s, ` +
      `rate ${config.campaigns} × ${REQUESTS_PER_JOB} / ${config.rpm} per min = ${seconds(rateBoundMs)} s)`,
  );
  console.log(`wall / lower bound        ${ratio.toFixed(3)}   (goal ≤ ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'})`);
  console.log(`jobs per second           ${(config.campaigns / (wallMs / 1000)).toFixed(1)}`);
  const [times] = jobTimes;
  console.log(
    `job duration              mean ${Math.round(times?.mean ?? 0)} ms, p90 ${Math.round(times?.p90 ?? 0)} ms ` +
      `(${REQUESTS_PER_JOB} × ${config.latencyMs} ms of provider latency, the rest database work and waits for the rate limit)`,
  );
  console.log(`peak worker memory (RSS)  ${workers.map((worker, index) => `${worker.name} ${mib(peaks[index] ?? 0)}`).join(', ')}`);
  const cpuPercent = (cpuSeconds: number) => `${Math.round((cpuSeconds * 100_000) / wallMs)}%`;
  console.log(
    `CPU during the run        ${workers.map((worker, index) => `${worker.name} ${cpuPercent(workerCpu[index] ?? 0)}`).join(', ')}, ` +
      `API + fake OpenAI (this process) ${cpuPercent((benchCpu.user + benchCpu.system) / 1e6)} (100% = one core)`,
  );

  const problems: string[] = [];
  if (progress.status !== 'completed' || progress.done !== config.campaigns) problems.push(`the run ended ${progress.status} with ${progress.done} of ${config.campaigns} done`);
  for (const group of unfinished) problems.push(`${group._count._all} jobs ended ${group.status}: ${group.error ?? 'no error recorded'}`);
  const notExactlyOne = config.campaigns - okVersions.filter((row) => row._count._all === 1).length;
  if (notExactlyOne > 0) problems.push(`${notExactlyOne} campaigns do not have exactly one version`);
  if (otherErrors > 0) problems.push(`the fake answered ${otherErrors} requests with an error other than 429`);
  for (const problem of problems) console.error(`[bench] FAILED: ${problem}`);
  return problems.length ? 1 : 0;
}

/** Requests per whole second between the first and the last second of the run: how steadily the limit was used. */
function describePace(server: FakeOpenAI): string {
  const times = server.requests.map((request) => request.receivedAt);
  const first = Math.min(...times);
  const perSecond = new Array<number>(Math.floor((Math.max(...times) - first) / 1000) + 1).fill(0);
  for (const time of times) perSecond[Math.floor((time - first) / 1000)]! += 1;
  const whole = perSecond.slice(1, -1).sort((a, b) => a - b);
  if (whole.length === 0) return 'the run lasted under 3 s';
  const at = (share: number) => whole[Math.min(whole.length - 1, Math.floor(share * whole.length))] ?? 0;
  return `requests per second over ${whole.length} whole seconds: min ${at(0)}, p10 ${at(0.1)}, median ${at(0.5)}, max ${at(1)}`;
}

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await closeApi?.().catch((error: unknown) => console.error(`[bench] closing the API failed: ${(error as Error).message}`));
    await fake?.close();
    await database?.drop().catch((error: unknown) => console.error(`[bench] could not drop ${database?.name}: ${(error as Error).message}`));
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

const benchStarted = performance.now();
let exitCode = 1;
try {
  exitCode = await main(readConfig());
} catch (error) {
  console.error(`\n[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  for (const worker of workers) console.error(`[bench] ${worker.name}'s last output:\n${worker.tail()}`);
} finally {
  await cleanup();
}
console.log(`\ntotal ${seconds(performance.now() - benchStarted)} s`);
// Pools and sockets of libraries may linger; the bench is done.
process.exit(exitCode);
