/**
 * `npm run bench:api [-- --duration 10 --connections 50 --warmup 2]`
 *
 * How much the StoreSync API stack (Hono + zod-openapi + middleware + Prisma) costs over a bare
 * server answering the same request: both list the newest 50 campaigns a brand manager may see,
 * with the count, from the same throwaway database, under the same load. Each server runs in
 * its own process; autocannon drives it from this one. Talks only to 127.0.0.1.
 *
 * Configuration: --duration/BENCH_DURATION (s), --connections/BENCH_CONNECTIONS,
 * --warmup/BENCH_WARMUP (s), TEST_DATABASE_URL (a server where it may create a database),
 * REDIS_URL. Exits 1 if any response was not 2xx, a request failed, or the two servers
 * disagreed on the answer.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { signAccessToken } from '../api/src/lib/auth/access-tokens.ts';
import { accessTokenConfig } from '../api/src/middleware/auth.ts';
import { createBenchDatabase, seedDataset, type BenchDatabase, type Dataset } from './dataset.ts';
import { runLoad, type LoadResult } from './load.ts';
import { SERVER_LABELS, ServerProcess, stopAllServers, withTimeout } from './server-processes.ts';
import { benchEnv, type ServerKind, type ServerSpec } from './server-spec.ts';

const PATH = '/api/v1/campaigns/?page_size=50';
const PAGE_SIZE = 50;
const PRISMA_DEFAULT_POOL_SIZE = 10;

// --- configuration ----------------------------------------------------------------------

function positive(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name} must be a number in (0, ${max}], got "${raw}"`);
  return value;
}

function readConfig() {
  const { values } = parseArgs({
    options: { duration: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' } },
    strict: true,
  });
  return {
    duration: positive('--duration', values.duration ?? process.env.BENCH_DURATION, 10, 600),
    connections: Math.round(positive('--connections', values.connections ?? process.env.BENCH_CONNECTIONS, 50, 1000)),
    warmup: positive('--warmup', values.warmup ?? process.env.BENCH_WARMUP, 2, 60),
    serverUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
type Config = ReturnType<typeof readConfig>;

function assertLocal(name: string, url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`${name} points at ${host}; the bench only talks to 127.0.0.1`);
  }
}

// --- one measurement -------------------------------------------------------------------

interface Measurement {
  kind: ServerKind;
  load: LoadResult;
  warmup: LoadResult;
  /** Server process CPU during the measured run, in % of one core. */
  cpuPercent: number;
  body: unknown;
}

async function fetchPage(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

async function measure(kind: ServerKind, spec: Omit<ServerSpec, 'kind'>, token: string, config: Config): Promise<Measurement> {
  const server = await ServerProcess.start({ ...spec, kind });
  try {
    const body = await withTimeout(`the first request to ${SERVER_LABELS[kind]}`, 15_000, fetchPage(server.url(PATH), token));
    process.stdout.write(`  ${SERVER_LABELS[kind]}: warming up ${config.warmup} s, measuring ${config.duration} s ...`);
    const warmup = await runLoad({ url: server.url(PATH), token, connections: config.connections, duration: config.warmup });
    const cpuBefore = await server.cpuSeconds();
    const load = await runLoad({ url: server.url(PATH), token, connections: config.connections, duration: config.duration });
    const cpuPercent = ((await server.cpuSeconds()) - cpuBefore) / load.seconds * 100;
    process.stdout.write(` ${Math.round(load.requestsPerSecond)} req/s\n`);
    return { kind, load, warmup, cpuPercent, body };
  } finally {
    await server.stop();
  }
}

// --- report ----------------------------------------------------------------------------

const formatInt = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(1);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   '))
    .join('\n');
}

/** Makes the two answers comparable: pagination links carry each server's own port. */
function withoutOrigin(body: unknown): unknown {
  const json = JSON.stringify(body).replace(/http:\/\/127\.0\.0\.1:\d+\//g, 'http://server/');
  return JSON.parse(json) as unknown;
}

function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const left = (a as Record<string, unknown>)[key];
    const right = (b as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(left, right)) return firstDifference(left, right, `${path}.${key}`);
  }
  return `${path}: same keys, different values`;
}

function machine(loadAtStart: number) {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${cpus.length} cores (${model}), ${gib} GiB RAM, ${os.platform()} ${os.arch()}, 1-min load average ${loadAtStart.toFixed(2)} at start`;
}

function report(results: Measurement[], dataset: Dataset, config: Config, postgresVersion: string, loadAtStart: number): string[] {
  const version = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  const { counts } = dataset;
  console.log('');
  console.log(`machine  ${machine(loadAtStart)}`);
  console.log(`software Node ${process.version}, PostgreSQL ${postgresVersion}, autocannon ${version}`);
  console.log(
    `dataset  ${counts.brands} brands, ${formatInt(counts.locations)} locations, ${counts.templates} templates, ` +
      `${formatInt(counts.campaigns)} campaigns (${formatInt(counts.campaignsVisible)} visible to the user), ${counts.users} brand manager`,
  );
  console.log(`request  GET ${PATH} as the brand manager of brand 1 (count + newest ${PAGE_SIZE}, location and template joined)`);
  console.log(
    `load     ${config.connections} connections, ${config.warmup} s warm-up then ${config.duration} s per server; ` +
      `each server in its own process with a PostgreSQL pool of ${PRISMA_DEFAULT_POOL_SIZE}`,
  );
  console.log('');
  const rows = [['server', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors', 'server CPU']];
  for (const { kind, load, cpuPercent } of results) {
    rows.push([
      SERVER_LABELS[kind],
      formatInt(load.requestsPerSecond),
      ms(load.p50),
      ms(load.p95),
      ms(load.p99),
      ms(load.max),
      formatInt(load.requests),
      formatInt(load.non2xx),
      formatInt(load.errors),
      `${Math.round(cpuPercent)}%`,
    ]);
  }
  console.log(table(rows));
  console.log('(latency from each response\'s own timing; server CPU: the server process during the run, 100% = one core)');

  const problems: string[] = [];
  const [api, bare] = [results.find((r) => r.kind === 'storesync'), results.find((r) => r.kind === 'bare')];
  if (api && bare) {
    console.log('');
    console.log(
      `StoreSync / bare: ${(api.load.requestsPerSecond / bare.load.requestsPerSecond).toFixed(2)}x the requests/s, ` +
        `${(api.load.p99 / bare.load.p99).toFixed(2)}x the p99 latency`,
    );
    const [left, right] = [withoutOrigin(api.body), withoutOrigin(bare.body)];
    if (isDeepStrictEqual(left, right)) console.log('answers: both servers returned the same JSON (pagination links aside, which carry their port)');
    else problems.push(`the two servers answered differently: ${firstDifference(left, right)}`);
  }
  for (const { kind, load, warmup, body } of results) {
    for (const [phase, result] of [['warm-up', warmup], ['run', load]] as const) {
      if (result.non2xx > 0 || result.errors > 0) {
        const codes = Object.entries(result.statusCodes).map(([code, count]) => `${count}x ${code}`).join(', ');
        problems.push(`${SERVER_LABELS[kind]} ${phase}: ${result.non2xx} non-2xx (${codes}), ${result.errors} errors${result.firstError ? ` (${result.firstError})` : ''}`);
      }
    }
    const page = body as { count?: unknown; results?: unknown[] };
    if (page.count !== counts.campaignsVisible || page.results?.length !== Math.min(PAGE_SIZE, counts.campaignsVisible)) {
      problems.push(`${SERVER_LABELS[kind]} answered count ${String(page.count)} with ${page.results?.length} results; expected ${counts.campaignsVisible} with ${PAGE_SIZE}`);
    }
  }
  return problems;
}

// --- main ------------------------------------------------------------------------------

async function main(): Promise<number> {
  const config = readConfig();
  assertLocal('TEST_DATABASE_URL', config.serverUrl);
  assertLocal('REDIS_URL', config.redisUrl);
  // Setup, two servers (start, warm-up, run, stop) and cleanup; a hung phase fails the run.
  const budgetSeconds = 60 + 2 * (config.warmup + config.duration + 15);
  const watchdog = setTimeout(() => {
    console.error(`\n[bench] still running after ${budgetSeconds} s; giving up`);
    void cleanup().finally(() => process.exit(1));
  }, budgetSeconds * 1000);
  watchdog.unref();

  console.log(`StoreSync API bench: ${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per server`);
  const startedAt = performance.now();
  // Other work on the machine skews the figures; the report shows how busy it was.
  const loadAtStart = os.loadavg()[0] ?? 0;
  process.stdout.write('  creating and filling a throwaway database ...');
  const db = await withTimeout('creating the database', 60_000, createBenchDatabase(config.serverUrl));
  database = db;
  const dataset = await withTimeout('seeding the database', 60_000, seedDataset(db.url));
  process.stdout.write(` ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);

  const postgresVersion = await (async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
    } finally {
      await client.end();
    }
  })();

  const jwtSecret = randomBytes(32).toString('hex');
  const spec = { databaseUrl: db.url, redisUrl: config.redisUrl, jwtSecret, poolSize: PRISMA_DEFAULT_POOL_SIZE };
  const token = await signAccessToken(accessTokenConfig(benchEnv(spec)), dataset.userId);

  const results: Measurement[] = [];
  for (const kind of ['storesync', 'bare'] as const) results.push(await measure(kind, spec, token, config));

  const problems = report(results, dataset, config, postgresVersion, loadAtStart);
  console.log(`\ntotal ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  for (const problem of problems) console.error(`[bench] FAILED: ${problem}`);
  return problems.length ? 1 : 0;
}

let database: BenchDatabase | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stopAllServers();
    if (database) {
      await withTimeout('dropping the database', 15_000, database.drop()).catch((error: unknown) => {
        console.error(`[bench] could not drop ${database?.name}: ${(error as Error).message}`);
      });
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\n[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
}
// Pools and sockets of libraries may linger; the bench is done.
process.exit(exitCode);
