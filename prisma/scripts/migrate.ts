/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, like `prisma migrate deploy`. */
import { applyMigrations } from '../src/schema-engine.ts';
import { loadScriptEnv } from './env.ts';

const { DATABASE_URL } = loadScriptEnv();
const applied = await applyMigrations(DATABASE_URL);
console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
// The Wasm schema engine leaves a 10-second timer pending after its work is done; exit now.
process.exit(0);
