/**
 * A real worker process for the generation bench: `node --import tsx worker/src/main.ts`, as
 * `npm run start -w @storesync/worker` runs it, with its peak memory read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** USER_HZ, which Linux fixes at 100 for /proc whatever the kernel's own tick rate. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Resolves once the worker logged "worker started". */
  ready: Promise<void>;
  /** The process's peak resident memory so far (VmHWM), in bytes. */
  peakRss(): Promise<number>;
  /** CPU time (user + system) the process has used so far, in seconds. */
  cpuSeconds(): Promise<number>;
  /** SIGTERM (running jobs finish), then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** Its last lines of output, for error messages. */
  tail(): string;
}

export function startWorkerProcess(name: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 50));
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => lines.slice(-15).join('\n');
  const ready = (async () => {
    const deadline = Date.now() + 30_000;
    while (!lines.some((line) => line.includes('"msg":"worker started"'))) {
      if (child.exitCode !== null) throw new Error(`${name} exited before it started:\n${tail()}`);
      if (Date.now() > deadline) throw new Error(`${name} did not start within 30 s:\n${tail()}`);
      await sleep(50);
    }
  })();
  return {
    name,
    child,
    ready,
    async peakRss() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (!kib) throw new Error(`no VmHWM in /proc/${child.pid}/status`);
      return Number(kib) * 1024;
    },
    async cpuSeconds() {
      // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, counted after the
      // command name, which is in parentheses and may contain spaces.
      const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(10_000, 'timeout' as const)]);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
    tail,
  };
}
