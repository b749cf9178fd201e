/**
 * `npm run bench:similar [-- --campaigns 100000 --brands 50 --queries 200]`
 *
 * Recall and latency of `findSimilarCampaigns`, the similarity search of the API and the worker:
 * a throwaway database with 100,000 campaigns whose 1536-dimension embeddings have the structure
 * of real ones (bench/similar/dataset.ts) over 50 brands of skewed sizes, the indexes the
 * migrations define, and 200 queries (limit 10) through the real code path over all brands and
 * within one brand. Recall@10 is measured against an exact brute-force search. Talks only to
 * 127.0.0.1; the database is dropped at the end, also on Ctrl-C.
 *
 * Configuration: --campaigns, --brands, --queries, TEST_DATABASE_URL (a server where it may
 * create a database). --keep-database leaves the database in place to study query plans.
 * Exits 1 if a search returns rows that break its filters or order, or a phase fails.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createPrismaClient, REVIEWED_STATUSES } from '@storesync/db';
import pg from 'pg';
import { createBenchDatabase, type BenchDatabase } from './dataset.ts';
import { generateDataset, type SimilarDataset } from './similar/dataset.ts';
import { exactTopK } from './similar/exact.ts';
import { buildIndex, loadDataset, vacuumAnalyze, type BuiltIndex } from './similar/load.ts';
import { Searcher, summarize, percentile, type Case, type CaseResult } from './similar/measure.ts';

const K = 10;
const WARMUP_QUERIES = 100;
const GOAL = { recall: 0.95, p95: 15 };
const LABELS: Record<Case, string> = { all: 'all brands', brand: 'one brand' };

// --- configuration ----------------------------------------------------------------------

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return value;
}

function readConfig() {
  const { values } = parseArgs({
    options: {
      campaigns: { type: 'string' },
      brands: { type: 'string' },
      queries: { type: 'string' },
      'keep-database': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const brands = integer('--brands', values.brands, 50, 1, 1000);
  return {
    campaigns: integer('--campaigns', values.campaigns, 100_000, brands * 20, 1_000_000),
    brands,
    queries: integer('--queries', values.queries, 200, 1, 10_000),
    keepDatabase: values['keep-database'],
    serverUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  };
}
type Config = ReturnType<typeof readConfig>;

function assertLocal(name: string, url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`${name} points at ${host}; the bench only talks to 127.0.0.1`);
  }
}

function withTimeout<T>(what: string, seconds: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `work`, printing `label ... <seconds> s`. */
async function phase<T>(label: string, seconds: number, work: () => Promise<T>, detail: (result: T) => string = () => ''): Promise<T> {
  process.stdout.write(`  ${label} ...`);
  const started = performance.now();
  const result = await withTimeout(label, seconds, work());
  const extra = detail(result);
  process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(1)} s${extra ? ` (${extra})` : ''}\n`);
  return result;
}

// --- report ----------------------------------------------------------------------------

const formatInt = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(1);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   '))
    .join('\n');
}

interface ServerInfo {
  postgres: string;
  pgvector: string;
  sharedBuffers: string;
}

async function serverInfo(url: string): Promise<ServerInfo> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<ServerInfo>(
      `SELECT current_setting('server_version') AS postgres, current_setting('shared_buffers') AS "sharedBuffers",
              (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`,
    );
    if (!rows[0]) throw new Error('no server information');
    return rows[0];
  } finally {
    await client.end();
  }
}

function report(dataset: SimilarDataset, info: ServerInfo, indexes: BuiltIndex[], results: CaseResult[], loadAtStart: number) {
  const { brands, campaigns } = dataset;
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const reviewed = campaigns.reviewed.reduce((sum, value) => sum + value, 0);
  const sizes = brands.map((brand) => brand.size);
  console.log('');
  console.log(
    `machine  ${cpus.length} cores (${model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
      `1-min load average ${loadAtStart.toFixed(2)} at start, ${(os.loadavg()[0] ?? 0).toFixed(2)} at the end`,
  );
  console.log(`software Node ${process.version}, PostgreSQL ${info.postgres} (shared_buffers ${info.sharedBuffers}), pgvector ${info.pgvector}`);
  console.log(
    `dataset  ${formatInt(campaigns.count)} campaigns with 1536-dimension embeddings (${formatInt(reviewed)} in a reviewed status), ` +
      `${brands.length} brands of ${formatInt(Math.min(...sizes))} to ${formatInt(Math.max(...sizes))} campaigns, ` +
      `${formatInt(dataset.locations.length)} locations, ${dataset.templates.length} templates`,
  );
  console.log(
    `queries  ${formatInt(results[0]?.outcomes.length ?? 0)} new samples of the brands' templates (every brand equally often), ` +
      `after ${WARMUP_QUERIES} warm-up queries per case; findSimilarCampaigns(limit ${K}, statuses ${REVIEWED_STATUSES.join('/')}), ` +
      `brandIds null (all brands) or [the query's brand] (one brand), one at a time`,
  );
  console.log('');
  console.log(table([['index', 'build s', 'size'], ...indexes.map((index) => [index.name, index.seconds.toFixed(1), mib(index.bytes)])]));
  for (const index of indexes) console.log(`  ${index.definition.replace(/^CREATE INDEX \S+ ON /, 'on ')}`);
  console.log('');
  const rows = [['case', `recall@${K}`, 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'goal']];
  for (const result of results) {
    const met = result.recall >= GOAL.recall && result.p95 <= GOAL.p95;
    rows.push([LABELS[result.case], result.recall.toFixed(3), ms(result.p50), ms(result.p95), ms(result.p99), ms(result.max), met ? 'met' : 'MISSED']);
  }
  console.log(table(rows));

  // The one-brand case by brand size: small brands take the exact path, large ones the index.
  const brandCase = results.find((result) => result.case === 'brand');
  if (brandCase) {
    const share = (size: number) => size / campaigns.count;
    const groups: [string, (size: number) => boolean][] = [
      ['  brands under 1% of campaigns', (size) => share(size) < 0.01],
      ['  brands of 1-5%', (size) => share(size) >= 0.01 && share(size) < 0.05],
      ['  brands of 5% or more', (size) => share(size) >= 0.05],
    ];
    const breakdown = [['one brand, by brand size', 'brands', 'queries', `recall@${K}`, 'p50 ms', 'p95 ms', 'max ms']];
    for (const [label, member] of groups) {
      const outcomes = brandCase.outcomes.filter((outcome) => member(brands[outcome.query.brandIndex]?.size ?? 0));
      if (!outcomes.length) continue;
      const summary = summarize('brand', outcomes);
      const latencies = outcomes.map((outcome) => outcome.milliseconds);
      breakdown.push([
        label,
        String(brands.filter((brand) => member(brand.size)).length),
        String(outcomes.length),
        summary.recall.toFixed(3),
        ms(percentile(latencies, 0.5)),
        ms(percentile(latencies, 0.95)),
        ms(summary.max),
      ]);
    }
    console.log('');
    console.log(table(breakdown));
  }
  console.log('');
  const allMet = results.every((result) => result.recall >= GOAL.recall && result.p95 <= GOAL.p95);
  console.log(`goal     recall@${K} >= ${GOAL.recall} at p95 <= ${GOAL.p95} ms in both cases: ${allMet ? 'met' : 'MISSED'}`);
}

// --- main ------------------------------------------------------------------------------

async function main(config: Config): Promise<number> {
  assertLocal('TEST_DATABASE_URL', config.serverUrl);
  const scale = config.campaigns / 100_000;
  // About 2 minutes for 100,000 campaigns on 2 cores; 10 minutes means something is wrong.
  const budgetSeconds = 60 + 540 * scale;
  const watchdog = setTimeout(() => {
    console.error(`\n[bench] still running after ${Math.round(budgetSeconds)} s; giving up`);
    void cleanup().finally(() => process.exit(1));
  }, budgetSeconds * 1000);
  watchdog.unref();

  console.log(
    `StoreSync similarity bench: ${formatInt(config.campaigns)} campaigns x 1536 dimensions, ${config.brands} brands, ` +
      `${config.queries} queries, recall@${K}`,
  );
  const startedAt = performance.now();
  // Other work on the machine skews the latencies; the report shows how busy it was.
  const loadAtStart = os.loadavg()[0] ?? 0;

  const dataset = generateDataset({ campaigns: config.campaigns, brands: config.brands, queries: config.queries }, WARMUP_QUERIES);
  const db = await phase('creating a throwaway database', 60, () => createBenchDatabase(config.serverUrl), (created) => created.name);
  database = db;
  const indexes = await phase(
    'drawing the embeddings and loading the campaigns',
    120 + 180 * scale,
    () => loadDataset(db.url, dataset),
  );
  const built: BuiltIndex[] = [];
  for (const index of indexes) {
    built.push(await phase(`building ${index.name}`, 60 + 420 * scale, () => buildIndex(db.url, index), (done) => mib(done.bytes)));
  }
  await phase('VACUUM ANALYZE', 120, () => vacuumAnalyze(db.url));
  const exact = await phase(`exact top-${K} of ${config.queries} queries by brute force`, 60 + 180 * scale, () => exactTopK(dataset, dataset.queries, K));
  const info = await serverInfo(db.url);

  const prisma = createPrismaClient(db.url, { poolSize: 2 });
  const results: CaseResult[] = [];
  try {
    const searcher = new Searcher(prisma, dataset, K);
    for (const kind of ['all', 'brand'] as const) {
      const result = await phase(
        `${LABELS[kind]}: ${WARMUP_QUERIES} warm-up queries, ${config.queries} measured`,
        300,
        async () => {
          await searcher.run(dataset.warmupQueries, kind, null);
          return summarize(kind, await searcher.run(dataset.queries, kind, exact));
        },
        (done) => `recall@${K} ${done.recall.toFixed(3)}, p95 ${ms(done.p95)} ms`,
      );
      results.push(result);
    }
  } finally {
    await prisma.$disconnect();
  }

  report(dataset, info, built, results, loadAtStart);
  console.log(`\ntotal ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return 0;
}

let database: BenchDatabase | undefined;
let cleaning: Promise<void> | undefined;
let keepDatabase = false;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (!database) return;
    if (keepDatabase) {
      console.log(`[bench] kept the database: ${database.url}`);
      return;
    }
    await withTimeout('dropping the database', 30, database.drop()).catch((error: unknown) => {
      console.error(`[bench] could not drop ${database?.name}: ${(error as Error).message}`);
    });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    keepDatabase = false;
    void cleanup().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  const config = readConfig();
  keepDatabase = config.keepDatabase;
  exitCode = await main(config);
} catch (error) {
  console.error(`\n[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
