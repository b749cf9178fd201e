/**
 * The parent's side of a server under test in its own process (server-process.ts), so that the
 * server does not share an event loop, a heap or a core with the bench that drives it: as in
 * production, where the API is its own process and the client another machine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerKind, ServerSpec, ToChild, ToParent } from './server-spec.ts';

export const SERVER_LABELS: Record<ServerKind, string> = { storesync: 'StoreSync API', bare: 'bare Hono + pg' };

export function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const started = new Set<ChildProcess>();

/** A server under test in a child process started by us (see server-process.ts). */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(spec: ServerSpec): Promise<ServerProcess> {
    const label = SERVER_LABELS[spec.kind];
    const child = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      // In the environment rather than argv, so the JWT secret does not show in `ps`.
      env: { ...process.env, BENCH_SERVER_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    started.add(child);
    child.once('exit', () => started.delete(child));
    const ready = new Promise<number>((resolve, reject) => {
      child.on('message', (message: ToParent) => {
        if (message.type === 'ready') resolve(message.port);
        if (message.type === 'failed') reject(new Error(`${label} did not start: ${message.message}`));
      });
      child.once('exit', (code) => reject(new Error(`${label} exited with code ${code} before it listened`)));
    });
    try {
      return new ServerProcess(child, await withTimeout(`starting ${label}`, 30_000, ready));
    } catch (error) {
      await stopChild(child);
      throw error;
    }
  }

  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** CPU time (user + system) the server process has used so far, in seconds. */
  cpuSeconds(): Promise<number> {
    const reply = new Promise<number>((resolve) => {
      const listener = (message: ToParent) => {
        if (message.type !== 'cpu') return;
        this.child.off('message', listener);
        resolve(message.microseconds / 1e6);
      };
      this.child.on('message', listener);
    });
    this.child.send({ type: 'cpu' } satisfies ToChild);
    return withTimeout('reading server CPU time', 5_000, reply);
  }

  stop() {
    return stopChild(this.child);
  }
}

/** Asks the child to close its server and pools; kills it (by its pid) if it has not exited in 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' } satisfies ToChild);
  else child.kill('SIGTERM');
  await withTimeout('stopping a server', 10_000, exited).catch(() => {
    child.kill('SIGKILL');
  });
}

/** Every server still running, on the way out (a signal, a failure). */
export async function stopAllServers(): Promise<void> {
  await Promise.allSettled([...started].map(stopChild));
}
