/**
 * An embedded PostgreSQL for `npm start` when no DATABASE_URL is given: PGlite (PostgreSQL
 * compiled to WebAssembly, from npm, nothing to download or install) with pgvector, data kept
 * in a folder, served over TCP by @electric-sql/pglite-socket, so the API, the migrations and
 * the seed use the same node-postgres adapter as with a real server.
 *
 *   node --import tsx prisma/scripts/embedded-postgres.ts [--data-dir DIR] [--host HOST]
 *     [--port PORT] [--max-connections N] [-- COMMAND ARGS...]
 *
 * With a command: runs it with DATABASE_URL pointing at the server, DATABASE_POOL_SIZE set
 * to --max-connections (1) and DATABASE_COPY=false (no COPY FROM STDIN over pglite-socket), stops when it exits and exits with its code. Without one: serves until SIGINT or
 * SIGTERM. Either way the database is closed cleanly on SIGINT, SIGTERM and SIGHUP.
 *
 * One connection at a time: PGlite is a single PostgreSQL session. pglite-socket can
 * multiplex several client connections onto it (`--max-connections`), but it interleaves
 * their protocol messages one by one, so two clients running extended-protocol queries at once
 * (node-postgres' unnamed statements, what Prisma sends) can bind to each other's statements.
 * Hence the default of 1 and a pool of 1 for the clients we start. A second connection is
 * refused while the first is open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const log = (message: string) => console.log(`[embedded-postgres] ${message}`);
const fail = (message: string): never => {
  console.error(`[embedded-postgres] ${message}`);
  process.exit(1);
};

const { values: options, positionals: command } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: '.data/pglite' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5433' },
    'max-connections': { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(
    'usage: embedded-postgres.ts [--data-dir DIR] [--host HOST] [--port PORT] [--max-connections N] [-- COMMAND ARGS...]',
  );
  process.exit(0);
}
const dataDir = path.resolve(options['data-dir']);
const requestedPort = Number(options.port);
const maxConnections = Number(options['max-connections']);
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) fail(`invalid --port ${options.port}`);
if (!Number.isInteger(maxConnections) || maxConnections < 1) fail(`invalid --max-connections ${options['max-connections']}`);

/**
 * Two PGlite instances on one data folder would corrupt it; PGlite has no postmaster.pid of
 * its own, so we keep a pid file beside the folder.
 */
const lockFile = `${dataDir}.pid`;
async function acquireLock(): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  try {
    await writeFile(lockFile, String(process.pid), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (holder && holder !== process.pid && (await isLauncher(holder))) {
    fail(`${path.relative(process.cwd(), dataDir)} is in use by process ${holder} (another npm start?); stop it first`);
  }
  await writeFile(lockFile, String(process.pid));
}

/** Whether `pid` is a running launcher (not a zombie, not an unrelated process that reused the pid). */
async function isLauncher(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (cmdline === null) return true; // no /proc (macOS): trust the pid
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/\) Z /.test(stat) && cmdline.includes('embedded-postgres');
}

async function releaseLock(): Promise<void> {
  const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (holder === process.pid) await rm(lockFile, { force: true });
}

/** Listens on the requested port, or on a free one chosen by the OS when it is taken. */
async function listen(db: PGlite): Promise<{ server: PGLiteSocketServer; port: number }> {
  // A server whose listen failed cannot be started again, so each try gets its own.
  const start = async (port: number) => {
    const server = new PGLiteSocketServer({ db, host: options.host, port, maxConnections });
    await server.start();
    return { server, port: Number(server.getServerConn().split(':').at(-1)) };
  };
  try {
    return await start(requestedPort);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || requestedPort === 0) throw error;
  }
  const result = await start(0);
  log(`port ${requestedPort} is taken; using free port ${result.port} instead`);
  return result;
}

await acquireLock();
const started = performance.now();
const fresh = !(await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8').catch(() => null));
log(fresh ? `creating a new database in ${path.relative(process.cwd(), dataDir)} (first start only)` : 'opening the database');
let db: PGlite | undefined;
let server: PGLiteSocketServer;
let port: number;
try {
  db = await PGlite.create({ dataDir, extensions: { vector } });
  ({ server, port } = await listen(db));
} catch (error) {
  await db?.close().catch(() => undefined);
  await releaseLock();
  fail(`could not start: ${(error as Error).message}`);
}
const database = db!;
const databaseUrl = `postgresql://postgres@${options.host}:${port!}/postgres`;
const version = (await database.query<{ server_version: string }>('show server_version')).rows[0]?.server_version;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
log(`PGlite (PostgreSQL ${version}) with pgvector at ${databaseUrl}, ready in ${seconds}s`);

let child: ChildProcess | undefined;
let closing: Promise<void> | undefined;

/** Stops the server and closes PGlite (which flushes its data folder) exactly once. */
function close(exitCode: number): Promise<void> {
  closing ??= (async () => {
    try {
      await server.stop();
      await database.close();
    } catch (error) {
      console.error('[embedded-postgres] error while closing:', error);
      exitCode ||= 1;
    }
    await releaseLock();
    log('database closed');
    process.exit(exitCode);
  })();
  return closing;
}

const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const CHILD_GRACE_MS = 15_000;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      void close(SIGNAL_EXIT[signal] ?? 1);
      return;
    }
    // Ask the command to stop (on Ctrl-C it got SIGINT from the terminal too), give it time to
    // close its connections, then close the database; the child's exit handler does that.
    if (!child.killed) child.kill('SIGTERM');
    setTimeout(() => child?.kill('SIGKILL'), CHILD_GRACE_MS).unref();
  });
}

if (command.length === 0) {
  log('serving until interrupted (Ctrl-C)');
} else {
  const [file, ...args] = command as [string, ...string[]];
  // The command inherits this environment plus where the database is.
  child = spawn(file, args, {
    stdio: 'inherit',
    // pglite-socket cannot take COPY FROM STDIN: the API inserts with INSERT ... SELECT instead.
    env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(maxConnections), DATABASE_COPY: 'false' },
  });
  child.on('error', (error) => {
    console.error(`[embedded-postgres] could not run ${file}: ${error.message}`);
    void close(127);
  });
  child.on('exit', (code, signal) => {
    void close(code ?? (signal ? (SIGNAL_EXIT[signal] ?? 1) : 1));
  });
}
