/**
 * One server under test, in its own process so it does not share an event loop with the load
 * generator. Forked by server-processes.ts (for api-bench.ts and sync-bench.ts) with a JSON
 * `ServerSpec` in BENCH_SERVER_SPEC; talks to its parent over the IPC channel (see
 * server-spec.ts). An entry point: do not import it.
 */
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../api/src/app.ts';
import { createAppDeps } from '../api/src/deps.ts';
import { createBaselineApp } from './baseline-server.ts';
import { benchEnv, type ServerSpec, type ToChild, type ToParent } from './server-spec.ts';

interface Running {
  fetch: (request: Request) => Response | Promise<Response>;
  close(): Promise<unknown>;
}

async function startStoreSync(spec: ServerSpec): Promise<Running> {
  const env = benchEnv(spec);
  // As api/src/server.ts builds it, with a silent logger.
  const deps = await createAppDeps(
    { ...env, DATABASE_POOL_SIZE: spec.poolSize },
    { logger: pino({ level: 'silent' }), redisKeyPrefix: `bench:${randomUUID()}:`, queuePrefix: `bench-${randomUUID().slice(0, 8)}` },
  );
  const app = createApp(deps, { collectProcessMetrics: true });
  return { fetch: app.fetch, close: () => deps.close() };
}

function startBare(spec: ServerSpec): Running {
  const env = benchEnv(spec);
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: spec.poolSize });
  const app = createBaselineApp(pool, { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });
  return { fetch: app.fetch, close: () => pool.end() };
}

function send(message: ToParent) {
  process.send?.(message);
}

async function main() {
  const raw = process.env.BENCH_SERVER_SPEC;
  if (!raw) throw new Error('BENCH_SERVER_SPEC is not set: this process is started by bench/server-processes.ts');
  const spec = JSON.parse(raw) as ServerSpec;
  const running = spec.kind === 'storesync' ? await startStoreSync(spec) : startBare(spec);
  // Requests the load generator sent just before it stopped may still be running when we
  // are asked to stop; the pools close only after they have answered.
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const fetch = async (request: Request) => {
    inFlight += 1;
    try {
      return await running.fetch(request);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) onIdle?.();
    }
  };
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info) => send({ type: 'ready', port: info.port }));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        onIdle = resolve;
        setTimeout(resolve, 5_000).unref();
      });
    }
    // Keep-alive sockets of the load generator would hold close() open.
    if ('closeAllConnections' in server) server.closeAllConnections();
    await closed;
    await running.close();
    send({ type: 'stopped' });
    process.disconnect?.();
  };
  process.on('message', (message: ToChild) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', microseconds: usage.user + usage.system });
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  // The parent died or dropped us: do not outlive it.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
