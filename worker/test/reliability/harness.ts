/**
 * Shared pieces of the reliability tests: real worker processes (`node --import tsx
 * worker/src/main.ts`), a private redis-server, seeding campaigns with their generation jobs the
 * way the API does, and bounded waits that fail with a clear message.
 *
 * Every process started here is remembered and killed (SIGKILL to its process group) by
 * `killAll()` in the test files' afterAll, and again when the test process exits, so a failing
 * test never leaves a worker or a redis-server behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrismaClient, type PrismaClient } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import {
  createGenerationQueue,
  enqueueGeneration,
  generationJobId,
  hashGenerationInputs,
  redisConnectionOptions,
} from '../../src/queue.ts';
import type { FakeChatReplier, FakeOpenAI } from '../fake-openai.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Processes

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone (or the group was never created): nothing to kill.
  }
}

// The last line of defence: a test process that exits for any reason takes its children along.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** stdout and stderr lines, in arrival order. */
  lines: string[];
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to the process group (SIGKILL takes every process the command started). */
  signal(signal: NodeJS.Signals): void;
  /** The last lines of output, for failure messages. */
  tail(count?: number): string;
}

function startProcess(name: string, command: string, args: string[], env: Record<string, string>): ManagedProcess {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env,
    // Its own process group, so a kill reaches everything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
    stream?.on('end', () => {
      if (rest) lines.push(rest);
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      running.delete(child);
      lines.push(`spawn failed: ${error.message}`);
      resolve({ code: -1, signal: null });
    });
  });
  return {
    name,
    child,
    lines,
    exited,
    signal: (signal) => killGroup(child, signal),
    tail: (count = 15) => lines.slice(-count).join('\n'),
  };
}

/** A test file's own database (a copy of the migrated template) and a Prisma client on it. */
export async function openFileDatabase(poolSize: number): Promise<{ database: TestDatabase; prisma: PrismaClient }> {
  const database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  return { database, prisma: createPrismaClient(database.url, { poolSize }) };
}

export interface FileResources {
  database?: TestDatabase;
  prisma?: PrismaClient;
  fakes?: (FakeOpenAI | undefined)[];
  /** The file's queue, whose keys are removed. */
  queue?: { redisUrl: string; prefix: string };
  /** Anything else to stop once the workers are gone (a private Redis). */
  stop?: () => Promise<unknown>;
}

/**
 * Ends a test file: worker processes first (they hold connections to all the rest), then
 * whatever the file started. Parts that never started (a failed beforeAll) are skipped.
 */
export async function cleanUpFile(resources: FileResources): Promise<void> {
  await killAll();
  await resources.stop?.();
  await Promise.all((resources.fakes ?? []).map(async (fake) => fake?.close()));
  await resources.prisma?.$disconnect();
  await resources.database?.drop();
  if (resources.queue) await deleteQueueKeys(resources.queue.redisUrl, resources.queue.prefix);
}

/** SIGKILLs every process still running and waits until each has exited. */
export async function killAll(): Promise<void> {
  const children = [...running];
  for (const child of children) killGroup(child, 'SIGKILL');
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => once(child, 'exit')),
  );
}

export interface WorkerProcessOptions {
  name: string;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  fake: FakeOpenAI;
  concurrency: number;
  /**
   * BullMQ lock duration and stalled-check interval; short ones make a killed worker's jobs come
   * back in seconds. Unset: BullMQ's defaults (30 s each), as in production.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface WorkerProcess extends ManagedProcess {
  /** Resolves once the worker logged "worker started" (rejects if it exits first or takes too long). */
  ready: Promise<void>;
}

export function startWorker(options: WorkerProcessOptions): WorkerProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: String(Math.max(4, options.concurrency + 2)),
    REDIS_URL: options.redisUrl,
    BULLMQ_PREFIX: options.prefix,
    OPENAI_API_KEY: 'sk-reliability-test',
    OPENAI_BASE_URL: options.fake.baseURL,
    OPENAI_TIMEOUT_MS: '20000',
    WORKER_CONCURRENCY: String(options.concurrency),
    LOG_LEVEL: 'info',
  };
  if (options.lockDurationMs) env.WORKER_LOCK_DURATION_MS = String(options.lockDurationMs);
  if (options.stalledIntervalMs) env.WORKER_STALLED_INTERVAL_MS = String(options.stalledIntervalMs);
  const managed = startProcess(options.name, process.execPath, ['--import', 'tsx', 'worker/src/main.ts'], env);
  const ready = (async () => {
    const deadline = Date.now() + 20_000;
    let exited = false;
    void managed.exited.then(() => (exited = true));
    while (!managed.lines.some((line) => line.includes('"msg":"worker started"'))) {
      if (exited) throw new Error(`worker ${options.name} exited before it started:\n${managed.tail()}`);
      if (Date.now() > deadline) throw new Error(`worker ${options.name} did not log "worker started" within 20 s:\n${managed.tail()}`);
      await sleep(25);
    }
  })();
  // Callers await `ready`; this only keeps an unawaited rejection from crashing the run.
  ready.catch(() => undefined);
  return { ...managed, ready };
}

/** Waits for the process to end, failing with its last output after `timeoutMs`. */
export async function waitForExit(processInfo: ManagedProcess, timeoutMs: number) {
  const timeout = sleep(timeoutMs, 'timeout' as const);
  const outcome = await Promise.race([processInfo.exited, timeout]);
  if (outcome === 'timeout') throw new Error(`${processInfo.name} did not exit within ${timeoutMs} ms:\n${processInfo.tail()}`);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// A private redis-server

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  process: ManagedProcess;
  /** Starts redis-server (again) on the same port and data directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILLs redis-server, as a crash would, and waits until it is gone. */
  crash(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A redis-server of the test's own. With `persistent`, every write is appended to an AOF and
 * fsynced before Redis answers (`--appendonly yes --appendfsync always`), so a restart, even
 * after SIGKILL, comes back with every queued and running job: the setup production needs for
 * a queue that must survive a Redis restart.
 */
export async function startPrivateRedis(options: { persistent: boolean }): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'storesync-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--daemonize',
    'no',
    '--dir',
    dir,
    ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    process: undefined as unknown as ManagedProcess,
    async start() {
      redis.process = startProcess(`redis-server :${port}`, 'redis-server', args, { PATH: process.env.PATH ?? '/usr/bin:/bin' });
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await waitFor(`redis-server on port ${port} to answer PING`, 10_000, async () => {
          if (redis.process.child.exitCode !== null) throw new Error(`redis-server exited:\n${redis.process.tail()}`);
          try {
            if (client.status !== 'ready') await client.connect();
            return (await client.ping()) === 'PONG';
          } catch {
            client.disconnect();
            return false;
          }
        });
      } finally {
        client.disconnect();
      }
    },
    async crash() {
      redis.process.signal('SIGKILL');
      await waitForExit(redis.process, 5_000);
    },
    async destroy() {
      redis.process.signal('SIGKILL');
      await waitForExit(redis.process, 5_000).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

// ---------------------------------------------------------------------------------------------
// Waiting

/** Polls `check` until it returns true; throws with `description` (and the last detail) after `timeoutMs`. */
export async function waitFor(
  description: string,
  timeoutMs: number,
  check: () => Promise<boolean | { done: boolean; detail: string }>,
  intervalMs = 50,
): Promise<number> {
  const started = Date.now();
  let detail = '';
  for (;;) {
    const outcome = await check();
    const done = typeof outcome === 'boolean' ? outcome : outcome.done;
    if (typeof outcome !== 'boolean') detail = outcome.detail;
    if (done) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${detail ? ` (last seen: ${detail})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding, the way the API creates generation jobs

export const storeNumberOf = (index: number) => `R${String(index + 1).padStart(4, '0')}`;

export interface SeededRun {
  campaignIds: string[];
  jobIds: string[];
  /** store number → campaign id */
  campaignByStore: Map<string, string>;
}

/**
 * `count` draft campaigns, one per location of a new brand, each with its generation_jobs row
 * (id, campaignId, inputsHash, useSimilarContent false), as POST /generate-content/ creates them.
 */
export async function seedCampaigns(prisma: PrismaClient, count: number): Promise<SeededRun> {
  const suffix = randomUUID().slice(0, 8);
  const brand = await prisma.brand.create({ data: { name: `Reliability ${suffix}`, slug: `reliability-${suffix}` } });
  const template = await prisma.campaignTemplate.create({
    data: {
      brandId: brand.id,
      name: 'Weekend sale',
      contentTemplate: 'Weekend sale at {{location.name}}: {{campaign.discount}} off everything.',
      campaignType: 'sale',
    },
  });
  const locations = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    brandId: brand.id,
    name: `Store ${storeNumberOf(index)}`,
    storeNumber: storeNumberOf(index),
    address: { city: 'Springfield' },
  }));
  await prisma.location.createMany({ data: locations });
  const campaigns = locations.map((location) => ({
    id: randomUUID(),
    locationId: location.id,
    templateId: template.id,
    customizations: { discount: '20%' },
  }));
  await prisma.locationCampaign.createMany({ data: campaigns });
  const jobs = campaigns.map((campaign, index) => {
    const location = locations[index]!;
    const inputsHash = hashGenerationInputs({
      campaignId: campaign.id,
      templateId: template.id,
      templateVersion: template.version,
      location: { name: location.name, storeNumber: location.storeNumber, address: location.address, attributes: {} },
      customizations: campaign.customizations,
      brandSettings: brand.settings,
      useSimilarContent: false,
      additionalContext: '',
    });
    return { id: generationJobId(campaign.id, inputsHash), campaignId: campaign.id, inputsHash, useSimilarContent: false };
  });
  await prisma.generationJob.createMany({ data: jobs });
  return {
    campaignIds: campaigns.map((campaign) => campaign.id),
    jobIds: jobs.map((job) => job.id),
    campaignByStore: new Map(locations.map((location, index) => [location.storeNumber, campaigns[index]!.id])),
  };
}

/** Adds the jobs to the generation queue with the API's helper (one BullMQ job per generation_jobs row). */
export async function enqueueAll(redisUrl: string, prefix: string, jobIds: string[]): Promise<void> {
  const queue = createGenerationQueue({ connection: redisConnectionOptions(redisUrl), prefix });
  try {
    await Promise.all(jobIds.map((id) => enqueueGeneration(queue, id)));
  } finally {
    await queue.close();
  }
}

/** A queue handle for counting job states; the caller closes it. */
export function openQueue(redisUrl: string, prefix: string) {
  return createGenerationQueue({ connection: { ...redisConnectionOptions(redisUrl), maxRetriesPerRequest: 1 }, prefix });
}

/** Deletes every key under the prefix (the generation and lifecycle queues of one test file). */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

export const uniquePrefix = (label: string) => `reliability-${label}-${randomUUID().slice(0, 8)}`;

// ---------------------------------------------------------------------------------------------
// The fake model

const STORE_NUMBER = /- Store Number: (\S+)/;

/** The store number named in a chat request's prompt. */
export function storeNumberInPrompt(body: unknown): string | undefined {
  const messages = (body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
  for (const message of messages) {
    const match = typeof message.content === 'string' ? STORE_NUMBER.exec(message.content) : null;
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Copy that passes every output check and names its store, so each version can be traced. */
export const storeCopyReply: FakeChatReplier = (request) => {
  const store = request.messages.map((message) => STORE_NUMBER.exec(message.content)?.[1]).find(Boolean) ?? 'unknown';
  return `Weekend sale at store ${store}: 20% off everything. Come by this Saturday!`;
};

/** Chat completion requests the fake received (failed ones included). */
export const chatRequests = (fake: FakeOpenAI) => fake.requests.filter((request) => request.path === '/v1/chat/completions');

/** How many chat requests named each store. */
export function chatRequestsPerStore(...fakes: FakeOpenAI[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fake of fakes) {
    for (const request of chatRequests(fake)) {
      const store = storeNumberInPrompt(request.body) ?? 'unknown';
      counts.set(store, (counts.get(store) ?? 0) + 1);
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// What the database says about a run

export interface RunState {
  jobsByStatus: Record<string, number>;
  okVersions: number;
  /** Campaigns whose number of 'ok' versions is not exactly one. */
  campaignsWithoutExactlyOneOk: { campaignId: string; ok: number }[];
  /** (generation job, attempt) pairs stored more than once. */
  duplicateAttempts: number;
  /** generation_jobs rows the handler started more than once (its attempts counter). */
  jobsStartedTwice: number;
}

export async function runState(prisma: PrismaClient, campaignIds: string[]): Promise<RunState> {
  const statuses = await prisma.generationJob.groupBy({ by: ['status'], where: { campaignId: { in: campaignIds } }, _count: { _all: true } });
  const ok = await prisma.campaignContentVersion.groupBy({
    by: ['campaignId'],
    where: { campaignId: { in: campaignIds }, status: 'ok' },
    _count: { _all: true },
  });
  const okByCampaign = new Map(ok.map((row) => [row.campaignId, row._count._all]));
  const duplicates = await prisma.campaignContentVersion.groupBy({
    by: ['generationJobId', 'attempt'],
    where: { campaignId: { in: campaignIds } },
    _count: { _all: true },
    having: { generationJobId: { _count: { gt: 1 } } },
  });
  return {
    jobsByStatus: Object.fromEntries(statuses.map((row) => [row.status, row._count._all])),
    okVersions: ok.reduce((sum, row) => sum + row._count._all, 0),
    campaignsWithoutExactlyOneOk: campaignIds
      .map((campaignId) => ({ campaignId, ok: okByCampaign.get(campaignId) ?? 0 }))
      .filter((row) => row.ok !== 1),
    duplicateAttempts: duplicates.length,
    jobsStartedTwice: await prisma.generationJob.count({ where: { campaignId: { in: campaignIds }, attempts: { gt: 1 } } }),
  };
}

export const okVersionCount = (prisma: PrismaClient, campaignIds: string[]) =>
  prisma.campaignContentVersion.count({ where: { campaignId: { in: campaignIds }, status: 'ok' } });

export const completedJobCount = (prisma: PrismaClient, campaignIds: string[]) =>
  prisma.generationJob.count({ where: { campaignId: { in: campaignIds }, status: 'completed' } });
