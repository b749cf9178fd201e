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
    templateDatabase: string;
    redisUrl: string;
  }
}

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

const uniqueName = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

/**
 * Builds this test run's template database from the migrations folder and returns its name.
 * Each run has its own, so concurrent runs on one server do not disturb each other.
 */
export async function createTemplateDatabase(serverUrl: string): Promise<string> {
  const name = uniqueName('storesync_template');
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  await applyMigrations(databaseUrl(serverUrl, name));
  return name;
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database copied from the run's template. */
export async function createTestDatabase(serverUrl: string, templateDatabase: string): Promise<TestDatabase> {
  const name = uniqueName('storesync_test');
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase}`));
  return { url: databaseUrl(serverUrl, name), drop: () => dropDatabase(serverUrl, name) };
}

export { databaseUrl };

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so fixtures and benches are the same every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
