/**
 * Runs once per test run: builds the migrated template database that every test file copies.
 * The one place tests read their configuration from the environment.
 */
import { createTemplateDatabase, dropDatabase } from '@storesync/db/testing';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject) {
  const databaseServerUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const templateDatabase = await createTemplateDatabase(databaseServerUrl);
  project.provide('databaseServerUrl', databaseServerUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('redisUrl', redisUrl);
  return () => dropDatabase(databaseServerUrl, templateDatabase);
}
