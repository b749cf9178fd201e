/**
 * Test databases: one migrated template per test run, one copy per test file, so test files
 * are isolated from each other and can run in any order or in parallel.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from './schema-engine.ts';

import type {} from 'vitest';

/** What the vitest global setup provides to every test file through `inject()`. */
declare module 'vitest' {
  export interface ProvidedContext {
    databaseServerUrl: string;
    redisUrl: string;
  }
}

const TEMPLATE_DATABASE = 'storesync_test_template';

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Rebuilds the template database from the migrations folder. Run once per test run. */
export async function prepareTemplateDatabase(serverUrl: string): Promise<void> {
  await withAdmin(serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  await applyMigrations(databaseUrl(serverUrl, TEMPLATE_DATABASE));
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database copied from the template. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `storesync_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export { databaseUrl };
