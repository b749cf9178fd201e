/**
 * The change feed's promise, checked against real PostgreSQL: a reader that pages through a
 * brand's changes while writers commit out of order never skips one, and every writer (not only
 * the sync endpoints) is logged with the right row version.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createChangeNotifier } from './change-notifier.ts';
import { changedEntities, inputsAtVersions, insertLocations } from './sync.ts';
import { createPrismaClient, pgPoolOf, pgTransactionsOf, type PrismaClient } from './client.ts';
import { pgTransactions } from './pg-transaction.ts';
import { createTestDatabase, seededRandom, type TestDatabase } from './testing.ts';

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 4 });
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect() {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return client;
}

describe('sync_changes', () => {
  it('bumps row_version only when a synced field changes, and records the inputs each change replaced', async () => {
    const brand = await prisma.brand.create({ data: { name: 'Versions', slug: 'versions' } });
    const location = await prisma.location.create({ data: { brandId: brand.id, name: 'A', storeNumber: '1', attributes: { region: 'N' } } });
    expect(location.rowVersion).toBe(1);
    const touched = await prisma.location.update({ where: { id: location.id }, data: { updatedAt: new Date() } });
    expect(touched.rowVersion).toBe(1);
    const renamed = await prisma.location.update({ where: { id: location.id }, data: { name: 'B', rowVersion: 99 } });
    expect(renamed.rowVersion).toBe(2);
    const inputs = await inputsAtVersions(prisma, 'location', [
      { id: location.id, row_version: 1 },
      { id: location.id, row_version: 2 },
    ]);
    expect(inputs.get(`${location.id}:1`)).toMatchObject({ name: 'A', store_number: '1', attributes: { region: 'N' } });
    // The current version replaced nothing yet: a sheet that has it merges against the row itself.
    expect(inputs.has(`${location.id}:2`)).toBe(false);
  });

  it('logs the campaigns of a renamed store or template again, so sheets update the cells that show those names', async () => {
    const brand = await prisma.brand.create({ data: { name: 'Labels', slug: 'labels' } });
    const location = await prisma.location.create({ data: { brandId: brand.id, name: 'Old name', storeNumber: '7' } });
    const template = await prisma.campaignTemplate.create({ data: { brandId: brand.id, name: 'Spring', contentTemplate: 'x', campaignType: 'promo' } });
    const campaign = await prisma.locationCampaign.create({ data: { locationId: location.id, templateId: template.id } });
    const latest = async () => (await changedEntities(prisma, brand.id, 0n, 100)).at(-1)!;

    const before = await latest();
    await prisma.location.update({ where: { id: location.id }, data: { attributes: { region: 'N' } } });
    expect((await changedEntities(prisma, brand.id, before.seq, 100)).map((change) => change.entity)).toEqual(['location']);

    const afterAttributes = await latest();
    await prisma.location.update({ where: { id: location.id }, data: { storeNumber: '0007' } });
    const relabelled = await changedEntities(prisma, brand.id, afterAttributes.seq, 100);
    expect(relabelled.map((change) => [change.entity, change.entity_id]).sort()).toEqual(
      [['campaign', campaign.id], ['location', location.id]].sort(),
    );
    expect(relabelled.find((change) => change.entity === 'campaign')?.row_version).toBe(1);

    const afterStore = await latest();
    await prisma.campaignTemplate.update({ where: { id: template.id }, data: { name: 'Spring sale' } });
    const renamed = await changedEntities(prisma, brand.id, afterStore.seq, 100);
    expect(renamed.map((change) => change.entity).sort()).toEqual(['campaign', 'template']);
  });

  it('never lets a reader skip a change that commits after a later-numbered one', async () => {
    const brand = await prisma.brand.create({ data: { name: 'Race', slug: 'race' } });
    const otherBrand = await prisma.brand.create({ data: { name: 'Race 2', slug: 'race-2' } });
    const random = seededRandom(7);
    const writers = await Promise.all(Array.from({ length: 6 }, connect));
    const written = new Set<string>();
    let done = false;

    // Writers: each transaction inserts a few locations of one of two brands, then dawdles
    // before committing, so numbers are drawn in one order and committed in another.
    const writing = Promise.all(
      writers.map(async (client, writer) => {
        for (let round = 0; round < 15; round++) {
          const brandId = random() < 0.7 ? brand.id : otherBrand.id;
          await client.query('BEGIN');
          const { rows } = await client.query<{ id: string }>(
            `INSERT INTO locations (id, brand_id, name, store_number, updated_at)
             SELECT gen_random_uuid(), $1, 'w', $2 || '-' || g, now() FROM generate_series(1, 3) g RETURNING id`,
            [brandId, `${writer}-${round}`],
          );
          await sleep(Math.floor(random() * 15));
          await client.query('COMMIT');
          if (brandId === brand.id) for (const row of rows) written.add(row.id);
        }
      }),
    ).finally(() => {
      done = true;
    });

    // The reader pages as fast as it can, as a pane polling the feed would.
    const seen = new Set<string>();
    let cursor = 0n;
    const read = async () => {
      for (;;) {
        const page = await changedEntities(prisma, brand.id, cursor, 50);
        for (const change of page) seen.add(change.entity_id);
        if (page.length > 0) cursor = page.at(-1)!.seq;
        if (page.length < 50) return;
      }
    };
    while (!done) await read();
    await writing;
    await read();
    await Promise.all(writers.map((client) => client.end()));

    expect(written.size).toBeGreaterThan(100);
    // Without the brand lock in storesync_claim_brands this misses dozens of rows.
    expect([...written].filter((id) => !seen.has(id))).toEqual([]);
  });

  it('wakes listeners of a brand at commit, not before', async () => {
    const brand = await prisma.brand.create({ data: { name: 'Notify', slug: 'notify' } });
    const notifier = createChangeNotifier(database.url);
    let calls = 0;
    const unsubscribe = notifier.subscribe(brand.id, () => calls++);
    await sleep(200); // LISTEN is up, and its initial catch-up call is made
    const baseline = calls;
    const client = await connect();
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO locations (id, brand_id, name, store_number, updated_at) VALUES (gen_random_uuid(), $1, 'n', 'n1', now())`,
      [brand.id],
    );
    await sleep(200);
    expect(calls).toBe(baseline);
    await client.query('COMMIT');
    await expect.poll(() => calls, { timeout: 2_000 }).toBe(baseline + 1);
    unsubscribe();
    await client.end();
    await notifier.close();
  });
});

describe('insertLocations', () => {
  const write = (storeNumber: string) => ({
    name: `Store ${storeNumber}`,
    store_number: storeNumber,
    address: { street: '1 Main\tSt', city: 'Austin' },
    attributes: { region: 'N', note: 'line\nbreak \\ done' },
    is_active: true,
  });

  it('answers with exactly what COPY stored (ids, version 1, the transaction timestamp) and logs each row', async () => {
    const brand = await prisma.brand.create({ data: { name: 'Copy', slug: 'copy' } });
    const answered = await pgTransactionsOf(prisma).$transaction((tx) => insertLocations(tx, brand.id, [write('1'), write('2')]));
    const stored = await prisma.location.findMany({ where: { brandId: brand.id }, orderBy: { storeNumber: 'asc' } });
    expect(answered).toEqual(
      stored.map((location) => ({
        id: location.id,
        name: location.name,
        store_number: location.storeNumber,
        address: location.address,
        attributes: location.attributes,
        is_active: location.isActive,
        row_version: 1,
        created_at: location.createdAt,
        updated_at: location.updatedAt,
      })),
    );
    expect((await changedEntities(prisma, brand.id, 0n, 10)).map((change) => change.entity_id).sort()).toEqual(stored.map((location) => location.id).sort());
  });

  it.each([
    ['with COPY, falling back under a savepoint', true],
    ['without COPY (PGlite)', false],
  ])('leaves out a store number another writer took since the caller looked, and inserts the others (%s)', async (_, copyFromStdin) => {
    const brand = await prisma.brand.create({ data: { name: 'Race copy', slug: `race-copy-${String(copyFromStdin)}` } });
    const taken = await prisma.location.create({ data: { brandId: brand.id, name: 'Theirs', storeNumber: '7' } });
    const transactions = pgTransactions(pgPoolOf(prisma), { copyFromStdin });
    const answered = await transactions.$transaction((tx) => insertLocations(tx, brand.id, [write('7'), write('8')]));
    expect(answered.map((state) => state.store_number)).toEqual(['8']);
    const stored = await prisma.location.findMany({ where: { brandId: brand.id }, orderBy: { storeNumber: 'asc' } });
    expect(stored.map((location) => [location.storeNumber, location.name])).toEqual([
      ['7', 'Theirs'],
      ['8', 'Store 8'],
    ]);
    expect(stored[0]?.id).toBe(taken.id);
    expect(answered[0]).toMatchObject({ id: stored[1]?.id, attributes: write('8').attributes, row_version: 1 });
  });
});
