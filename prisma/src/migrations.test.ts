import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import pg from 'pg';
import { pendingSchemaChanges } from './schema-engine.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
});
afterAll(() => database.drop());

describe('migrations folder', () => {
  it('builds exactly the database schema.prisma describes', async () => {
    expect(
      await pendingSchemaChanges(database.url),
      'schema.prisma and prisma/migrations disagree: run `npm run db:migration -- <name>`',
    ).toEqual([]);
  });

  it('creates the HNSW cosine index on campaign embeddings', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'location_campaigns_content_embedding_hnsw_idx'",
      );
      expect(rows[0]?.indexdef).toMatch(/USING hnsw \(content_embedding vector_cosine_ops\)/);
    } finally {
      await client.end();
    }
  });
});
