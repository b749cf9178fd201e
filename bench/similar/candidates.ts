/**
 * The designs docs/similarity-search.md compares, measured on a database the similarity bench
 * left behind:
 *
 *   npm run bench:similar -- --keep-database          # prints the database's URL at the end
 *   npx tsx bench/similar/candidates.ts --database postgresql://postgres@127.0.0.1:5432/storesync_bench_…
 *   npx tsx bench/similar/candidates.ts --database … --only final,binary-k100
 *
 * Each candidate is a search function with findSimilarCampaigns' signature plus the vector
 * indexes it needs; before measuring one, the script drops every other vector index and builds
 * the missing ones (which changes the kept database: drop it afterwards). The queries, warm-up
 * and scoring are the bench's. Talks only to 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import { createPrismaClient, findSimilarCampaigns, Prisma, type PrismaClient, type SimilarCampaign, type SimilarityQuery } from '@storesync/db';
import pg from 'pg';
import { toSql } from 'pgvector';
import { generateDataset } from './dataset.ts';
import { exactTopK } from './exact.ts';
import { buildIndex, type BuiltIndex } from './load.ts';
import { Searcher, summarize, type SearchFunction } from './measure.ts';

const K = 10;
const HNSW_INDEX = 'location_campaigns_content_embedding_hnsw_idx';
const INDEXES = {
  /** pgvector's defaults (m 16, ef_construction 64): what the init migration built. */
  default: `CREATE INDEX ${HNSW_INDEX} ON location_campaigns USING hnsw (content_embedding vector_cosine_ops)`,
  efc128: `CREATE INDEX ${HNSW_INDEX} ON location_campaigns USING hnsw (content_embedding vector_cosine_ops) WITH (ef_construction = 128)`,
  halfvec: `CREATE INDEX similar_candidate_halfvec_idx ON location_campaigns USING hnsw ((content_embedding::halfvec(1536)) halfvec_cosine_ops)`,
  binary: `CREATE INDEX similar_candidate_binary_idx ON location_campaigns USING hnsw ((binary_quantize(content_embedding)::bit(1536)) bit_hamming_ops)`,
} as const;
type IndexName = keyof typeof INDEXES;
const PARTIAL_INDEX = 'location_campaigns_embedded_location_id_status_idx';

interface Candidate {
  name: string;
  what: string;
  indexes: IndexName[];
  search: SearchFunction;
  /** Fewer queries over all brands for designs too slow to run 200 of (the original one scans the table). */
  queries?: number;
}

interface Settings {
  efSearch: number;
  /** Switch sorting off so that the planner walks the index (see findSimilarCampaigns). */
  forceIndex: boolean;
}

async function withSettings<T>(prisma: PrismaClient, settings: Settings, query: Prisma.Sql): Promise<T[]> {
  const [, rows] = await prisma.$transaction([
    prisma.$queryRaw`
      SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),
             set_config('hnsw.ef_search', ${String(settings.efSearch)}, true),
             set_config('enable_sort', ${settings.forceIndex ? 'off' : 'on'}, true),
             set_config('jit', ${settings.forceIndex ? 'off' : 'on'}, true)`,
    prisma.$queryRaw<T[]>(query),
  ]);
  return rows;
}

const output = Prisma.sql`
      SELECT c.id, l.brand_id AS "brandId", l.name AS "locationName", t.name AS "templateName",
             c.generated_content AS content, c.status::text AS status, (1 - nearest.distance)::float8 AS similarity
      FROM nearest
      JOIN location_campaigns c ON c.id = nearest.id
      JOIN locations l ON l.id = c.location_id
      JOIN campaign_templates t ON t.id = c.template_id
      ORDER BY nearest.distance`;

function filters(query: SimilarityQuery, statusAsText = false): Prisma.Sql {
  const status = statusAsText
    ? Prisma.sql`c.status::text = ANY(${[...query.statuses]}::text[])`
    : Prisma.sql`c.status = ANY(${[...query.statuses]}::"CampaignStatus"[])`;
  const brand = query.brandIds ? Prisma.sql`AND l.brand_id = ANY(${query.brandIds}::uuid[])` : Prisma.empty;
  return Prisma.sql`c.content_embedding IS NOT NULL AND ${status} ${brand}`;
}

/** findSimilarCampaigns as it was before this work (commit 5e826e7): the status compared as text. */
const original: SearchFunction = (prisma, query) => {
  const vector = toSql(query.embedding) as string;
  return withSettings<SimilarCampaign>(
    prisma,
    { efSearch: Math.max(40, 4 * query.limit), forceIndex: false },
    Prisma.sql`
      WITH nearest AS MATERIALIZED (
        SELECT c.id, c.content_embedding <=> ${vector}::vector AS distance
        FROM location_campaigns c JOIN locations l ON l.id = c.location_id
        WHERE ${filters(query, true)}
        ORDER BY c.content_embedding <=> ${vector}::vector
        LIMIT ${query.limit}
      )
      ${output}`,
  );
};

/** The HNSW index on the full vectors, ordered by exact distance. */
function fullVectors(settings: Settings): SearchFunction {
  return (prisma, query) => {
    const vector = toSql(query.embedding) as string;
    return withSettings<SimilarCampaign>(
      prisma,
      settings,
      Prisma.sql`
        WITH nearest AS MATERIALIZED (
          SELECT c.id, c.content_embedding <=> ${vector}::vector AS distance
          FROM location_campaigns c JOIN locations l ON l.id = c.location_id
          WHERE ${filters(query)}
          ORDER BY c.content_embedding <=> ${vector}::vector
          LIMIT ${query.limit}
        )
        ${output}`,
    );
  };
}

/**
 * A quantised index (`order` is its distance expression for the query) finds `candidates` rows,
 * which are then re-ranked by their exact distance.
 */
function reranked(settings: Settings, candidates: number, order: (vector: string) => Prisma.Sql): SearchFunction {
  return (prisma, query) => {
    const vector = toSql(query.embedding) as string;
    return withSettings<SimilarCampaign>(
      prisma,
      settings,
      Prisma.sql`
        WITH found AS MATERIALIZED (
          SELECT c.id FROM location_campaigns c JOIN locations l ON l.id = c.location_id
          WHERE ${filters(query)}
          ORDER BY ${order(vector)}
          LIMIT ${candidates}
        ),
        scored AS MATERIALIZED (
          SELECT c.id, c.content_embedding <=> ${vector}::vector AS distance
          FROM found JOIN location_campaigns c ON c.id = found.id
        ),
        nearest AS (SELECT id, distance FROM scored ORDER BY distance LIMIT ${query.limit})
        ${output}`,
    );
  };
}

const halfvecOrder = (vector: string) => Prisma.sql`c.content_embedding::halfvec(1536) <=> ${vector}::halfvec(1536)`;
const binaryOrder = (vector: string) => Prisma.sql`binary_quantize(c.content_embedding)::bit(1536) <~> binary_quantize(${vector}::vector)`;

const CANDIDATES: Candidate[] = [
  { name: 'original', what: 'findSimilarCampaigns before this work (status compared as text)', indexes: ['default'], search: original, queries: 30 },
  { name: 'enum-ef40', what: 'status compared as the enum, planner chooses, ef_search 40', indexes: ['default'], search: fullVectors({ efSearch: 40, forceIndex: false }) },
  { name: 'enum-ef100', what: 'status compared as the enum, planner chooses, ef_search 100', indexes: ['default'], search: fullVectors({ efSearch: 100, forceIndex: false }) },
  { name: 'forced-ef40', what: 'index forced (sorting off), ef_search 40', indexes: ['default'], search: fullVectors({ efSearch: 40, forceIndex: true }) },
  { name: 'forced-ef100', what: 'index forced, ef_search 100', indexes: ['default'], search: fullVectors({ efSearch: 100, forceIndex: true }) },
  {
    name: 'halfvec-ef64',
    what: 'halfvec expression index, forced, ef_search 64, top 10 re-ranked exactly',
    indexes: ['halfvec'],
    search: reranked({ efSearch: 64, forceIndex: true }, K, halfvecOrder),
  },
  {
    name: 'binary-k40',
    what: 'binary quantisation index, forced, 40 candidates (ef_search 40) re-ranked exactly',
    indexes: ['binary'],
    search: reranked({ efSearch: 40, forceIndex: true }, 40, binaryOrder),
  },
  {
    name: 'binary-k100',
    what: 'binary quantisation index, forced, 100 candidates (ef_search 100) re-ranked exactly',
    indexes: ['binary'],
    search: reranked({ efSearch: 100, forceIndex: true }, 100, binaryOrder),
  },
  { name: 'efc128-ef40', what: 'ef_construction 128, forced, ef_search 40', indexes: ['efc128'], search: fullVectors({ efSearch: 40, forceIndex: true }) },
  { name: 'efc128-ef64', what: 'ef_construction 128, forced, ef_search 64', indexes: ['efc128'], search: fullVectors({ efSearch: 64, forceIndex: true }) },
  {
    name: 'final',
    what: 'findSimilarCampaigns: ef_construction 128, ef_search 64, exact below 600 matches',
    indexes: ['efc128'],
    search: findSimilarCampaigns,
  },
];

async function ensureIndexes(url: string, wanted: IndexName[]): Promise<BuiltIndex[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const built: BuiltIndex[] = [];
  try {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
       WHERE x.indrelid = 'location_campaigns'::regclass AND am.amname = 'hnsw'`,
    );
    const matches = (definition: string, name: IndexName) => {
      if (name === 'efc128') return definition.includes("ef_construction='128'");
      if (name === 'default') return definition.includes('vector_cosine_ops') && !definition.includes('WITH (');
      return definition.includes(name === 'halfvec' ? 'halfvec_cosine_ops' : 'bit_hamming_ops');
    };
    const present = new Set<IndexName>();
    for (const row of rows) {
      const name = wanted.find((candidate) => matches(row.definition, candidate));
      if (name) present.add(name);
      else await client.query(`DROP INDEX "${row.name}"`);
    }
    for (const name of wanted.filter((candidate) => !present.has(candidate))) {
      const definition = INDEXES[name];
      const indexName = /CREATE INDEX (\S+)/.exec(definition)?.[1] ?? name;
      process.stdout.write(`  building ${name} (${indexName}) ...`);
      const result = await buildIndex(url, { name: indexName, definition });
      process.stdout.write(` ${result.seconds.toFixed(1)} s, ${(result.bytes / 2 ** 20).toFixed(0)} MiB\n`);
      built.push(result);
    }
    await client.query('ANALYZE location_campaigns');
  } finally {
    await client.end();
  }
  return built;
}

async function main() {
  const { values } = parseArgs({ options: { database: { type: 'string' }, only: { type: 'string' } }, strict: true });
  if (!values.database) throw new Error('--database <url of a database left by npm run bench:similar -- --keep-database> is required');
  const host = new URL(values.database).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`--database points at ${host}; only 127.0.0.1`);
  const only = values.only?.split(',');
  const candidates = CANDIDATES.filter((candidate) => !only || only.includes(candidate.name));

  const prisma = createPrismaClient(values.database, { poolSize: 2 });
  try {
    const [{ count } = { count: 0 }] = await prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM location_campaigns`;
    const [{ partial } = { partial: false }] = await prisma.$queryRaw<{ partial: boolean }[]>`
      SELECT EXISTS (SELECT FROM pg_indexes WHERE indexname = ${PARTIAL_INDEX}) AS partial`;
    const brands = (await prisma.brand.count()) || 1;
    console.log(`database: ${count.toLocaleString('en-US')} campaigns, ${brands} brands; drawing the same data set and its exact answers ...`);
    const dataset = generateDataset({ campaigns: count, brands, queries: 200 }, 100);
    const sample = dataset.campaigns.ids[count - 1];
    const found = sample ? await prisma.locationCampaign.count({ where: { id: sample } }) : 0;
    if (!found || !partial) throw new Error('this database was not made by npm run bench:similar -- --keep-database with the same sizes');
    dataset.fillVectors(count);
    const exact = await exactTopK(dataset, dataset.queries, K);

    const rows = [['candidate', 'all: recall', 'p50', 'p95', 'one brand: recall', 'p50', 'p95', 'what']];
    for (const candidate of candidates) {
      console.log(`${candidate.name}: ${candidate.what}`);
      await ensureIndexes(values.database, candidate.indexes);
      const searcher = new Searcher(prisma, dataset, K, candidate.search);
      const cells: string[] = [];
      for (const kind of ['all', 'brand'] as const) {
        const cap = kind === 'all' ? candidate.queries : undefined;
        const queries = dataset.queries.slice(0, cap ?? dataset.queries.length);
        await searcher.run(dataset.warmupQueries.slice(0, cap ?? dataset.warmupQueries.length), kind, null);
        const result = summarize(kind, await searcher.run(queries, kind, exact));
        cells.push(result.recall.toFixed(3), result.p50.toFixed(1), result.p95.toFixed(1));
        console.log(`  ${kind}: recall@${K} ${result.recall.toFixed(3)}, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms (${queries.length} queries)`);
      }
      rows.push([candidate.name, ...cells, candidate.what]);
    }
    console.log('');
    const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
    const last = (rows[0]?.length ?? 1) - 1;
    for (const row of rows) {
      console.log(row.map((cell, column) => (column === 0 || column === last ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   '));
    }
  } finally {
    await prisma.$disconnect();
  }
}

await main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
