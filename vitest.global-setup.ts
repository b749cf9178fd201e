/**
 * Runs once per test run: rebuilds the migrated template database that every test file copies.
 * The one place tests read their configuration from the environment.
 */
import { prepareTemplateDatabase } from '@storesync/db/testing';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject) {
  const databaseServerUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  await prepareTemplateDatabase(databaseServerUrl);
  project.provide('databaseServerUrl', databaseServerUrl);
  project.provide('redisUrl', redisUrl);
}
