/**
 * `npm run bench:sync [-- --rows 10000 --changed 0.1 --rounds 5]`
 *
 * POST /api/v1/sync/locations/ with 10,000 location rows (realistic addresses and attributes):
 * first as inserts, then as a re-sync where 10% changed. Each is printed in rows per second beside
 * PostgreSQL's own COPY of the same rows into a scratch table in the same database (same columns,
 * same unique index, no triggers), and the ratio (goal: the API reaches 25% of COPY). Each round
 * measures COPY, the insert and the re-sync back to back on a new brand; the figures are the
 * medians of the rounds, after one full-size warm-up round (JIT, pools, caches: a server that has
 * been running). Then the write-back: the host calls of the core engine's write plan for 10,000
 * changed rows (Excel's limits), and the largest call's bytes.
 *
 * The API runs in its own process (server-processes.ts) behind a real HTTP server on 127.0.0.1,
 * with real PostgreSQL and Redis, as api/src/server.ts builds it: the bench's own work (building
 * and parsing 3 MiB of JSON) does not share its event loop. The throwaway database is dropped at
 * the end.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { EXCEL_LIMITS, mapHeaders, planWrites, readRows, type CellValue, type LocationRecord, type SyncResult } from '@storesync/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { signAccessToken } from '../api/src/lib/auth/access-tokens.ts';
import { accessTokenConfig } from '../api/src/middleware/auth.ts';
import { createBenchDatabase } from './dataset.ts';
import { ServerProcess, stopAllServers } from './server-processes.ts';
import { benchEnv } from './server-spec.ts';
import { percentile } from './similar/measure.ts';
import { copyText, createPrismaClient } from '@storesync/db';
import { seededRandom } from '@storesync/db/testing';

const GOAL_RATIO = 0.25;

function readConfig() {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, changed: { type: 'string' }, rounds: { type: 'string' } }, strict: true });
  const rows = Number(values.rows ?? 10_000);
  const changed = Number(values.changed ?? 0.1);
  const rounds = Number(values.rounds ?? 5);
  if (!Number.isInteger(rows) || rows < 100 || rows > 10_000) throw new Error(`--rows must be an integer in [100, 10000], got ${values.rows}`);
  if (!(changed > 0 && changed <= 1)) throw new Error(`--changed must be in (0, 1], got ${values.changed}`);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error(`--rounds must be an integer in [1, 20], got ${values.rounds}`);
  return { rows, changed, rounds, serverUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
}

const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Washington Blvd', 'Lake Rd', 'Hillcrest Way'];
const CITIES = [
  ['Austin', 'TX', '787'],
  ['Denver', 'CO', '802'],
  ['Portland', 'OR', '972'],
  ['Columbus', 'OH', '432'],
  ['Raleigh', 'NC', '276'],
  ['Madison', 'WI', '537'],
] as const;
const REGIONS = ['Northeast', 'Southeast', 'Midwest', 'Southwest', 'West'];

interface LocationRow {
  name: string;
  store_number: string;
  address: { street: string; city: string; state: string; zip: string; country: string };
  attributes: Record<string, string | number | boolean>;
}

function makeRows(count: number): LocationRow[] {
  const random = seededRandom(11);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const [city, state, zip] = pick(CITIES);
    return {
      name: `${city} ${pick(STREETS).split(' ')[0]} #${index + 1}`,
      store_number: String(index + 1).padStart(5, '0'),
      address: { street: `${100 + Math.floor(random() * 9800)} ${pick(STREETS)}`, city, state, zip: `${zip}${String(Math.floor(random() * 100)).padStart(2, '0')}`, country: 'US' },
      attributes: {
        region: pick(REGIONS),
        square_footage: 2_000 + Math.floor(random() * 18_000),
        has_gas_station: random() < 0.3,
        store_manager: `Manager ${Math.floor(random() * 5_000)}`,
        phone: `(555) ${String(Math.floor(random() * 1000)).padStart(3, '0')}-${String(Math.floor(random() * 10000)).padStart(4, '0')}`,
        opened: `20${String(5 + Math.floor(random() * 20)).padStart(2, '0')}-0${1 + Math.floor(random() * 9)}-15`,
      },
    };
  });
}

/** COPY of the same rows into a scratch copy of `locations` (columns, defaults, unique index; no triggers), in rows/s. */
async function copyRate(databaseUrl: string, brandId: string, rows: LocationRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_copy_locations (LIKE locations INCLUDING DEFAULTS INCLUDING INDEXES)');
    const stamp = new Date().toISOString();
    // Built before the clock starts, as the API's client builds its JSON before sending; in the
    // same chunks as the API's own COPY (copyText), so neither pays for one socket write per line.
    const chunks = [...copyText(rows.map((row) => [randomUUID(), brandId, row.name, row.store_number, row.address, row.attributes, true, stamp]))];
    const started = performance.now();
    await pipeline(
      Readable.from(chunks),
      client.query(copyFrom('COPY bench_copy_locations (id, brand_id, name, store_number, address, attributes, is_active, updated_at) FROM STDIN')),
    );
    const seconds = (performance.now() - started) / 1000;
    return rows.length / seconds;
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_copy_locations');
    await client.end();
  }
}

const median = (values: number[]) => percentile(values, 0.5);

type PostedRecord = LocationRecord & { row_version: number };

async function main() {
  const config = readConfig();
  const database = await createBenchDatabase(config.serverUrl);
  const stop = async () => {
    await stopAllServers();
    await database.drop();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  const prisma = createPrismaClient(database.url, { poolSize: 2 });
  try {
    const spec = { databaseUrl: database.url, redisUrl: config.redisUrl, jwtSecret: `bench-${randomUUID()}-${randomUUID()}`, poolSize: 10 };
    const server = await ServerProcess.start({ kind: 'storesync', ...spec });
    const user = await prisma.user.create({ data: { email: 'bench@example.test', passwordHash: 'x', role: 'admin' } });
    const token = await signAccessToken(accessTokenConfig(benchEnv(spec)), user.id);
    /**
     * The clock runs from sending the request to the last byte of the answer: the client builds
     * its JSON before and parses the answer after, as COPY's text is built before its clock.
     */
    const post = async (brandId: string, rows: unknown[]) => {
      const body = JSON.stringify({ brand: brandId, rows });
      const started = performance.now();
      const response = await fetch(server.url('/api/v1/sync/locations/'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
      });
      const answer = await response.text();
      const seconds = (performance.now() - started) / 1000;
      if (response.status !== 200) throw new Error(`sync answered ${response.status}: ${answer.slice(0, 500)}`);
      const json = JSON.parse(answer) as { counts: Record<string, number>; results: { record: PostedRecord }[] };
      return { json, seconds, bytes: body.length };
    };

    const rows = makeRows(config.rows);
    const changedEvery = Math.round(1 / config.changed);
    const expectedChanged = rows.filter((_, index) => index % changedEvery === 0).length;
    /** One brand's first sync of every row, then a re-sync of the same sheet with some rows changed. */
    const syncTwice = async (slug: string) => {
      const brand = await prisma.brand.create({ data: { name: slug, slug } });
      const insert = await post(brand.id, rows);
      if (insert.json.counts.created !== rows.length) throw new Error(`expected ${rows.length} created, got ${JSON.stringify(insert.json.counts)}`);
      const resyncRows = rows.map((row, index) => {
        const record = insert.json.results[index]!.record;
        const changed = index % changedEvery === 0;
        return { ...row, id: record.id, row_version: record.row_version, ...(changed ? { attributes: { ...row.attributes, region: 'Changed' } } : {}) };
      });
      const resync = await post(brand.id, resyncRows);
      if (resync.json.counts.updated !== expectedChanged) throw new Error(`expected ${expectedChanged} updated, got ${JSON.stringify(resync.json.counts)}`);
      return { insert, resync };
    };

    await syncTwice('warm-up');
    const rounds: { copy: number; insert: number; resync: number }[] = [];
    let firstInsert: Awaited<ReturnType<typeof syncTwice>>['insert'] | undefined;
    for (let round = 1; round <= config.rounds; round++) {
      const copy = await copyRate(database.url, randomUUID(), rows);
      const { insert, resync } = await syncTwice(`round-${round}`);
      firstInsert ??= insert;
      rounds.push({ copy, insert: rows.length / insert.seconds, resync: rows.length / resync.seconds });
      console.error(`round ${round}: copy ${(rows.length / copy).toFixed(2)} s, insert ${insert.seconds.toFixed(2)} s, re-sync ${resync.seconds.toFixed(2)} s`);
    }

    // Write-back: the sheet as the pane holds it, the server's answers, Excel's limits.
    const header: CellValue[] = ['Store #', 'Store Name', 'Street', 'City', 'State', 'ZIP', 'Region', 'Square Footage'];
    const sheetValues: CellValue[][] = [
      header,
      ...rows.map((row) => [row.store_number, row.name, row.address.street, row.address.city, row.address.state, row.address.zip, String(row.attributes.region), Number(row.attributes.square_footage)]),
    ];
    const sheet = { values: sheetValues };
    const mapping = mapHeaders(header, 'locations');
    const read = readRows(sheet, mapping);
    const results: SyncResult<'locations'>[] = read.rows.map((row, index) => ({ ref: row.ref, record: firstInsert!.json.results[index]!.record }));
    const plan = planWrites(sheet, mapping, results, { limits: EXCEL_LIMITS });
    const largestCall = Math.max(...plan.calls.map((call) => call.bytes));

    const format = (value: number) => Math.round(value).toLocaleString('en-US');
    const copyMedian = median(rounds.map((round) => round.copy));
    const phase = (label: string, rate: (round: (typeof rounds)[number]) => number) => {
      const ratios = rounds.map((round) => rate(round) / round.copy);
      const perRound = ratios.map((ratio) => ratio.toFixed(2)).join(', ');
      console.log(`| ${label} | ${(rows.length / median(rounds.map(rate))).toFixed(2)} | ${format(median(rounds.map(rate)))} | ${format(copyMedian)} | ${median(ratios).toFixed(2)} (${perRound}) |`);
      return median(ratios);
    };
    console.log(`bench:sync  ${rows.length.toLocaleString('en-US')} location rows, request body ${(firstInsert!.bytes / 1024 / 1024).toFixed(1)} MiB, median of ${config.rounds} round(s)`);
    console.log('');
    console.log('| phase | seconds | rows/s | COPY rows/s | API / COPY (per round) |');
    console.log('| --- | --- | --- | --- | --- |');
    const insertRatio = phase('insert (all new)', (round) => round.insert);
    const resyncRatio = phase(`re-sync (${Math.round(config.changed * 100)}% changed)`, (round) => round.resync);
    console.log('');
    console.log(`write-back of ${results.length.toLocaleString('en-US')} synced rows (Excel limits, ${EXCEL_LIMITS.maxRequestBytes.toLocaleString('en-US')}-byte budget): ${plan.calls.length} host call(s), largest ${largestCall.toLocaleString('en-US')} bytes`);
    const worst = Math.min(insertRatio, resyncRatio);
    console.log(`goal: API >= ${GOAL_RATIO * 100}% of COPY: ${worst >= GOAL_RATIO ? 'met' : 'NOT met'} (worst median ${(worst * 100).toFixed(0)}%)`);
  } finally {
    await prisma.$disconnect();
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
