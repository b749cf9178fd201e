/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * with what schema.prisma adds to the migrations folder (Prisma's `migrate dev --create-only`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { migrationsDir, pendingSchemaChanges } from '../src/schema-engine.ts';
import { loadScriptEnv } from './env.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migration -- <name in lowercase_snake_case>');
  process.exit(1);
}
const { DATABASE_URL } = loadScriptEnv();
const statements = await pendingSchemaChanges(DATABASE_URL);
if (statements.length === 0) {
  console.log('schema.prisma and the migrations agree; nothing to write');
  process.exit(0);
}
const timestamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const directory = path.join(migrationsDir, `${timestamp}_${name}`);
await mkdir(directory, { recursive: true });
await writeFile(path.join(directory, 'migration.sql'), `${statements.join('\n\n')}\n`);
console.log(`wrote ${path.relative(process.cwd(), directory)}/migration.sql (${statements.length} statements)`);
