/**
 * Prisma's schema engine compiled to WebAssembly. The Prisma CLI would download a native
 * engine binary, which this environment cannot fetch; the Wasm build ships inside an npm
 * package and records migrations in `_prisma_migrations` exactly like `prisma migrate deploy`.
 *
 * We instantiate the .wasm file ourselves instead of importing it as an ES module, so no
 * `--experimental-wasm-modules` flag is needed (also inside vitest workers).
 */
import { readFile, readdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type * as SchemaEngineModule from '@prisma/schema-engine-wasm';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(packageRoot, 'schema.prisma');
export const migrationsDir = path.join(packageRoot, 'migrations');

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

type WasmExports = Record<string, unknown> & { __wbindgen_start(): void };
type WasmBindings = typeof SchemaEngineModule & {
  __wbg_set_wasm(exports: WasmExports): void;
};

/** The slice of the WebAssembly global we use; @types/node 20 does not declare it. */
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: WasmExports } }>;
};

let bindingsPromise: Promise<WasmBindings> | undefined;

function loadBindings(): Promise<WasmBindings> {
  bindingsPromise ??= (async () => {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm'));
    const bindings = (await import(pathToFileURL(path.join(packageDir, 'schema_engine_bg.js')).href)) as WasmBindings;
    const wasmBytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(wasmBytes, {
      './schema_engine_bg.js': bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return bindings;
  })();
  return bindingsPromise;
}

export async function readSchema(): Promise<string> {
  return readFile(schemaPath, 'utf8');
}

/** Reads the migrations folder in Prisma's standard layout (`<timestamp>_<name>/migration.sql`). */
export async function readMigrationList(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const directories = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const lockfilePath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockfilePath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (directory) => ({
        path: directory,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(migrationsDir, directory, 'migration.sql'), 'utf8').then(
            (content) => ({ tag: 'ok' as const, value: content }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

const PG_CATALOG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type PerformIO = (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;

/**
 * Introspection reads catalog columns of PostgreSQL's one-byte `"char"` type (relkind,
 * contype, ...), which PrismaPg 7.10 refuses to map. Their values already arrive as strings,
 * so reporting them as text is exact.
 */
function readCatalogCharAsText(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const target = adapter as unknown as { performIO: PerformIO };
  const performIO = target.performIO.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) {
      if (field.dataTypeID === PG_CATALOG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  return adapter;
}

type ScriptRunner = {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
  executeScript(script: string): Promise<void>;
};

/**
 * PrismaPg runs a migration script by splitting it on every `;`, which breaks function bodies
 * (the sync_changes triggers are PL/pgSQL). Sent whole, as one simple-protocol query, the script
 * runs as Prisma's binary engine runs it: dollar quotes intact, one implicit transaction.
 */
function runScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const target = adapter as unknown as ScriptRunner;
  target.executeScript = async (script) => {
    try {
      await target.client.query(script);
    } catch (error) {
      target.onError(error);
    }
  };
  return adapter;
}

/** Every adapter the engine gets: exact catalog types, whole scripts. */
const prepareAdapter = (adapter: SqlDriverAdapter) => runScriptsWhole(readCatalogCharAsText(adapter));

/**
 * PrismaPg's own shadow database support drops the database while its pool still holds a
 * connection, which PostgreSQL refuses; this factory closes the pool first.
 */
function migrationAdapterFactory(
  databaseUrl: string,
): SqlMigrationAwareDriverAdapterFactory & { disposeAll(): Promise<void> } {
  const config = parseIntoClientConfig(databaseUrl);
  const adminQuery = async (sql: string) => {
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const main = new PrismaPg(config);
  // The engine does not dispose the adapters it opens; we close their pools when it is freed.
  const opened: SqlDriverAdapter[] = [];
  const track = (adapter: SqlDriverAdapter) => {
    opened.push(adapter);
    return prepareAdapter(adapter);
  };
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => track(await main.connect()),
    disposeAll: async () => {
      await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    },
    async connectToShadowDb() {
      const shadowName = `storesync_shadow_${randomUUID().replaceAll('-', '')}`;
      await adminQuery(`CREATE DATABASE "${shadowName}"`);
      const adapter = prepareAdapter(await new PrismaPg({ ...config, database: shadowName }).connect());
      const disposeAdapter = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await disposeAdapter();
        await adminQuery(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

/**
 * Opens an engine on `databaseUrl`. Diffs that replay the migrations folder create and drop a
 * temporary shadow database on the same server.
 */
export async function openSchemaEngine(
  databaseUrl: string,
  options: { log?: (line: string) => void } = {},
): Promise<SchemaEngine & AsyncDisposable> {
  const { SchemaEngine: Engine } = await loadBindings();
  const adapterFactory = migrationAdapterFactory(databaseUrl);
  const schema = await readSchema();
  const engine = await Engine.new(
    { datamodels: [[schemaPath, schema]] },
    options.log ?? (() => undefined),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  return Object.assign(engine, {
    [Symbol.asyncDispose]: async () => {
      engine.free();
      await adapterFactory.disposeAll();
    },
  });
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns their names. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  await using engine = await openSchemaEngine(databaseUrl);
  const result = await engine.applyMigrations({ migrationsList: await readMigrationList(), filters: noFilter });
  return result.appliedMigrationNames;
}

/**
 * SQL that would bring a database built from the migrations folder to `schema.prisma`.
 * An empty script means the two agree.
 */
export async function diffMigrationsToSchema(databaseUrl: string): Promise<string> {
  await using engine = await openSchemaEngine(databaseUrl);
  const schema = await readSchema();
  const result = await engine.diff({
    from: { tag: 'migrations', ...(await readMigrationList()) },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters: noFilter,
  });
  return result.stdout ?? '';
}

/** SQL that creates `schema.prisma` from an empty database (used to write a new migration). */
export async function diffEmptyToSchema(databaseUrl: string): Promise<string> {
  await using engine = await openSchemaEngine(databaseUrl);
  const schema = await readSchema();
  const result = await engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters: noFilter,
  });
  return result.stdout ?? '';
}

/**
 * Statements the engine always proposes that are not drift:
 * - it cannot describe the `vector` extension without the preview flag on the "from" side;
 * - the HNSW index is raw SQL in the init migration because Prisma's schema cannot express it.
 */
const KNOWN_DIFF_NOISE = new Set([
  'CREATE EXTENSION IF NOT EXISTS "vector";',
  'DROP INDEX "location_campaigns_content_embedding_hnsw_idx";',
]);

function splitStatements(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('--'))
    .join('\n')
    .split(/;\s*\n?/)
    .map((statement) => statement.trim())
    .filter(Boolean)
    .map((statement) => `${statement};`);
}

/**
 * The SQL statements a new migration needs so that the migrations folder builds what
 * `schema.prisma` describes. Empty when they agree. `serverDatabaseUrl` is any database on the
 * server; the replay happens in a temporary shadow database.
 */
export async function pendingSchemaChanges(serverDatabaseUrl: string): Promise<string[]> {
  const script = await diffMigrationsToSchema(serverDatabaseUrl);
  return splitStatements(script).filter((statement) => !KNOWN_DIFF_NOISE.has(statement));
}
