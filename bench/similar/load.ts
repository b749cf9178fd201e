/**
 * Fills a migrated, empty StoreSync database with the similarity data set, fast: multi-row
 * INSERTs of 500 campaigns each, with every embedding sent in pgvector's binary format (6 KiB a
 * row instead of about 15 KiB of text to parse). The vector indexes the migrations created are
 * dropped before the load and rebuilt from their own definitions afterwards, which is what
 * building them on a full table costs (inserting 100,000 vectors into a live HNSW graph one by
 * one is several times slower).
 */
import pg from 'pg';
import { DIMENSIONS, STATUSES, type SimilarDataset } from './dataset.ts';

const BATCH = 500;

export interface VectorIndex {
  name: string;
  definition: string;
}

export interface BuiltIndex extends VectorIndex {
  seconds: number;
  bytes: number;
}

/** pgvector's binary input format: int16 dimensions, int16 unused, then big-endian float4s. */
function vectorBinary(vectors: Float32Array, index: number): Buffer {
  const buffer = Buffer.allocUnsafe(4 + 4 * DIMENSIONS);
  buffer.writeInt16BE(DIMENSIONS, 0);
  buffer.writeInt16BE(0, 2);
  const offset = index * DIMENSIONS;
  for (let j = 0; j < DIMENSIONS; j++) buffer.writeFloatBE(vectors[offset + j] ?? 0, 4 + 4 * j);
  return buffer;
}

/** The ANN indexes (HNSW, IVFFlat) on location_campaigns, as the migrations define them. */
export async function vectorIndexes(client: pg.ClientBase): Promise<VectorIndex[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
     WHERE x.indrelid = 'location_campaigns'::regclass AND am.amname IN ('hnsw', 'ivfflat')
     ORDER BY i.relname`,
  );
  return rows;
}

export async function loadDataset(
  url: string,
  dataset: SimilarDataset,
  progress: (done: number) => void = () => undefined,
): Promise<VectorIndex[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const indexes = await vectorIndexes(client);
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);

    const { brands, locations, templates, campaigns } = dataset;
    await client.query(
      `INSERT INTO brands (id, name, slug, updated_at) SELECT *, now() FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      [brands.map((b) => b.id), brands.map((b) => b.name), brands.map((b) => b.slug)],
    );
    const brandId = (index: number) => brands[index]?.id ?? '';
    await client.query(
      `INSERT INTO locations (id, brand_id, name, store_number, updated_at)
       SELECT *, now() FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])`,
      [locations.map((l) => l.id), locations.map((l) => brandId(l.brandIndex)), locations.map((l) => l.name), locations.map((l) => l.storeNumber)],
    );
    await client.query(
      `INSERT INTO campaign_templates (id, brand_id, name, content_template, campaign_type, updated_at)
       SELECT *, 'x', 'sale', now() FROM unnest($1::uuid[], $2::uuid[], $3::text[])`,
      [templates.map((t) => t.id), templates.map((t) => brandId(t.brandIndex)), templates.map((t) => t.name)],
    );

    // While PostgreSQL inserts one batch, the next batch's embeddings are drawn.
    let inserting: Promise<unknown> = Promise.resolve();
    for (let start = 0; start < campaigns.count; start += BATCH) {
      const end = Math.min(campaigns.count, start + BATCH);
      dataset.fillVectors(end);
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < end; i++) {
        const p = values.length;
        rows.push(`($${p + 1}::uuid, $${p + 2}::uuid, $${p + 3}::uuid, $${p + 4}::"CampaignStatus", $${p + 5}, $${p + 6}::vector, now())`);
        values.push(
          campaigns.ids[i],
          locations[campaigns.location[i] ?? 0]?.id,
          templates[campaigns.template[i] ?? 0]?.id,
          STATUSES[campaigns.status[i] ?? 0],
          `Campaign ${i + 1}: copy of template ${(campaigns.template[i] ?? 0) + 1}`,
          vectorBinary(dataset.vectors, i),
        );
      }
      await inserting;
      inserting = client
        .query(
          `INSERT INTO location_campaigns (id, location_id, template_id, status, generated_content, content_embedding, updated_at) VALUES ${rows.join(', ')}`,
          values,
        )
        .then(() => progress(end));
    }
    await inserting;
    return indexes;
  } finally {
    await client.end();
  }
}

/**
 * Builds one index on the loaded table with enough maintenance memory for the graph to stay in
 * memory and one parallel worker beside the leader (2 cores); returns its build time and size.
 */
export async function buildIndex(url: string, index: VectorIndex, maintenanceWorkMem = '3GB'): Promise<BuiltIndex> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET maintenance_work_mem = '${maintenanceWorkMem}'`);
    await client.query('SET max_parallel_maintenance_workers = 1');
    const started = performance.now();
    await client.query(index.definition);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await client.query<{ bytes: string }>('SELECT pg_relation_size($1::regclass)::text AS bytes', [index.name]);
    return { ...index, seconds, bytes: Number(rows[0]?.bytes ?? 0) };
  } finally {
    await client.end();
  }
}

/** Fresh statistics and visibility map, as autovacuum would leave them on a long-lived database. */
export async function vacuumAnalyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}
