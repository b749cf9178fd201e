/**
 * `npm run bench:sync [-- --rows 10000 --changed 0.1]`
 *
 * POST /api/v1/sync/locations/ with 10,000 location rows (realistic addresses and attributes):
 * first as inserts, then as a re-sync where 10% changed. Each is printed in rows per second beside
 * PostgreSQL's own COPY of the same rows into a scratch table in the same database (same columns,
 * same unique index, no triggers), and the ratio (goal: the API reaches 25% of COPY).
 * Then the write-back: the host calls of the core engine's write plan for 10,000 changed rows
 * (Excel's limits), and the largest call's bytes.
 *
 * The API runs in this process behind a real HTTP server (node-server) on 127.0.0.1, with real
 * PostgreSQL and Redis, as api/src/server.ts builds it. The throwaway database is dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { EXCEL_LIMITS, mapHeaders, planWrites, readRows, type CellValue, type LocationRecord, type SyncResult } from '@storesync/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pino } from 'pino';
import { createApp } from '../api/src/app.ts';
import { createAppDeps } from '../api/src/deps.ts';
import { signAccessToken } from '../api/src/lib/auth/access-tokens.ts';
import { accessTokenConfig } from '../api/src/middleware/auth.ts';
import { createBenchDatabase } from './dataset.ts';
import { benchEnv } from './server-spec.ts';
import { seededRandom } from '@storesync/db/testing';

const GOAL_RATIO = 0.25;

function readConfig() {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, changed: { type: 'string' } }, strict: true });
  const rows = Number(values.rows ?? 10_000);
  const changed = Number(values.changed ?? 0.1);
  if (!Number.isInteger(rows) || rows < 100 || rows > 10_000) throw new Error(`--rows must be an integer in [100, 10000], got ${values.rows}`);
  if (!(changed > 0 && changed <= 1)) throw new Error(`--changed must be in (0, 1], got ${values.changed}`);
  return { rows, changed, serverUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
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

/** COPY of the same rows into a scratch copy of `locations` (columns, defaults, unique index; no triggers). */
async function copyRate(databaseUrl: string, brandId: string, rows: LocationRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_copy_locations (LIKE locations INCLUDING DEFAULTS INCLUDING INDEXES)');
    const escape = (text: string) => text.replace(/[\\\t\n\r]/g, (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char]!);
    const lines = rows.map(
      (row) =>
        [randomUUID(), brandId, row.name, row.store_number, JSON.stringify(row.address), JSON.stringify(row.attributes), 't', new Date().toISOString()]
          .map(escape)
          .join('\t') + '\n',
    );
    const started = performance.now();
    // The text is built before the clock starts, as the API's client builds its JSON before sending.
    await pipeline(
      Readable.from(lines),
      client.query(copyFrom('COPY bench_copy_locations (id, brand_id, name, store_number, address, attributes, is_active, updated_at) FROM STDIN')),
    );
    const seconds = (performance.now() - started) / 1000;
    return rows.length / seconds;
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_copy_locations');
    await client.end();
  }
}

async function main() {
  const config = readConfig();
  const database = await createBenchDatabase(config.serverUrl);
  const stop = async () => {
    await database.drop();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    const env = benchEnv({ databaseUrl: database.url, redisUrl: config.redisUrl, jwtSecret: `bench-${randomUUID()}-${randomUUID()}` });
    const deps = await createAppDeps(env, { logger: pino({ level: 'silent' }), redisKeyPrefix: `bench:${randomUUID()}:`, queuePrefix: `bench-${randomUUID().slice(0, 8)}` });
    const app = createApp(deps);
    const server = await new Promise<{ port: number; close(): void }>((resolve) => {
      const instance = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve({ port: info.port, close: () => instance.close() }));
    });
    try {
      const brand = await deps.prisma.brand.create({ data: { name: 'Bench Chain', slug: 'bench-chain' } });
      const warmBrand = await deps.prisma.brand.create({ data: { name: 'Warm-up', slug: 'warm-up' } });
      const user = await deps.prisma.user.create({ data: { email: 'bench@example.test', passwordHash: 'x', role: 'admin' } });
      const token = await signAccessToken(accessTokenConfig(env), user.id);
      const post = async (brandId: string, rows: unknown[]) => {
        const body = JSON.stringify({ brand: brandId, rows });
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${server.port}/api/v1/sync/locations/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body,
        });
        const json = (await response.json()) as { counts: Record<string, number>; results: { record: LocationRecord & { row_version: number } }[] };
        const seconds = (performance.now() - started) / 1000;
        if (response.status !== 200) throw new Error(`sync answered ${response.status}: ${JSON.stringify(json).slice(0, 500)}`);
        return { json, seconds, bytes: body.length };
      };

      const rows = makeRows(config.rows);
      // Warm-up (JIT, connection pool, prepared plans) on another brand.
      await post(warmBrand.id, makeRows(500));

      const insert = await post(brand.id, rows);
      if (insert.json.counts.created !== rows.length) throw new Error(`expected ${rows.length} created, got ${JSON.stringify(insert.json.counts)}`);
      const changedEvery = Math.round(1 / config.changed);
      const resyncRows = rows.map((row, index) => {
        const record = insert.json.results[index]!.record;
        const changed = index % changedEvery === 0;
        return { ...row, id: record.id, row_version: record.row_version, ...(changed ? { attributes: { ...row.attributes, region: 'Changed' } } : {}) };
      });
      const resync = await post(brand.id, resyncRows);
      const expectedChanged = resyncRows.filter((_, index) => index % changedEvery === 0).length;
      if (resync.json.counts.updated !== expectedChanged) throw new Error(`expected ${expectedChanged} updated, got ${JSON.stringify(resync.json.counts)}`);

      const copyRowsPerSecond = await copyRate(database.url, randomUUID(), rows);
      const insertRate = rows.length / insert.seconds;
      const resyncRate = rows.length / resync.seconds;

      // Write-back: the sheet as the pane holds it, the server's answers, Excel's limits.
      const header: CellValue[] = ['Store #', 'Store Name', 'Street', 'City', 'State', 'ZIP', 'Region', 'Square Footage'];
      const sheetValues: CellValue[][] = [
        header,
        ...rows.map((row) => [row.store_number, row.name, row.address.street, row.address.city, row.address.state, row.address.zip, String(row.attributes.region), Number(row.attributes.square_footage)]),
      ];
      const sheet = { values: sheetValues };
      const mapping = mapHeaders(header, 'locations');
      const read = readRows(sheet, mapping);
      const results: SyncResult<'locations'>[] = read.rows.map((row, index) => ({ ref: row.ref, record: insert.json.results[index]!.record }));
      const plan = planWrites(sheet, mapping, results, { limits: EXCEL_LIMITS });
      const largestCall = Math.max(...plan.calls.map((call) => call.bytes));

      const format = (value: number) => Math.round(value).toLocaleString('en-US');
      console.log(`bench:sync  ${rows.length.toLocaleString('en-US')} location rows, request body ${(insert.bytes / 1024 / 1024).toFixed(1)} MiB`);
      console.log('');
      console.log('| phase | seconds | rows/s | COPY rows/s | API / COPY |');
      console.log('| --- | --- | --- | --- | --- |');
      console.log(`| insert (all new) | ${insert.seconds.toFixed(2)} | ${format(insertRate)} | ${format(copyRowsPerSecond)} | ${(insertRate / copyRowsPerSecond).toFixed(2)} |`);
      console.log(`| re-sync (${Math.round(config.changed * 100)}% changed) | ${resync.seconds.toFixed(2)} | ${format(resyncRate)} | ${format(copyRowsPerSecond)} | ${(resyncRate / copyRowsPerSecond).toFixed(2)} |`);
      console.log('');
      console.log(`write-back of ${results.length.toLocaleString('en-US')} synced rows (Excel limits, ${EXCEL_LIMITS.maxRequestBytes.toLocaleString('en-US')}-byte budget): ${plan.calls.length} host call(s), largest ${largestCall.toLocaleString('en-US')} bytes`);
      const worst = Math.min(insertRate, resyncRate) / copyRowsPerSecond;
      console.log(`goal: API >= ${GOAL_RATIO * 100}% of COPY: ${worst >= GOAL_RATIO ? 'met' : 'NOT met'} (worst ${(worst * 100).toFixed(0)}%)`);
    } finally {
      server.close();
      await deps.close();
    }
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
