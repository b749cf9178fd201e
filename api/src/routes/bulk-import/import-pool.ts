/**
 * A small pool of bulk-import worker threads (import-worker.ts), so parsing a 10,000-row file,
 * reading its rows and writing the result file never stall the API's event loop. The database
 * part (reference data, runSync) stays on the API thread: the worker asks for it mid-job.
 *
 * One job holds one worker for its whole conversation. Jobs beyond the pool size wait in a queue
 * of bounded length; beyond that, {@link ImportPoolBusy} (answered 503 with Retry-After). A worker
 * that crashes, exits or runs past the step timeout fails its job with {@link ImportWorkerFailed}
 * (answered 500) and is replaced by the next job; a job never hangs.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SheetKind, SyncRowMap } from '@storesync/core';
import type { ImportKind, ReferenceData, SyncAnswer } from './importer.ts';
import type { FromWorker, StartJob, ToWorker, WorkerAnswer, WorkerFailure } from './import-protocol.ts';

export interface ImportPoolOptions {
  size: number;
  /** Jobs that may wait for a worker; one more is refused with ImportPoolBusy. */
  maxQueue: number;
  /** The worker's longest single step (parse, read, write) before it is stopped. */
  stepTimeoutMs?: number;
  /** The worker entry (tests point it elsewhere). */
  workerUrl?: URL;
}

export interface ImportJob extends Omit<StartJob, 'type' | 'id'> {
  /** The brand's reference data (database), asked for campaigns sheets. */
  reference(kind: ImportKind): Promise<ReferenceData>;
  /** The rows through the sync engine (database). */
  sync(kind: ImportKind, payloads: SyncRowMap[SheetKind][]): Promise<SyncAnswer>;
}

/** Every worker is busy and the queue is full. */
export class ImportPoolBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('busy');
  }
}

/** The worker crashed, exited, timed out or threw an unexpected error. */
export class ImportWorkerFailed extends Error {}

/** A file or header problem found in the worker: `failure` carries it across the thread boundary. */
export class ImportRejected extends Error {
  constructor(readonly failure: Exclude<WorkerFailure, { kind: 'internal' }>) {
    super(failure.message);
  }
}

const DEFAULT_WORKER_URL = new URL('./import-worker.ts', import.meta.url);
const DEFAULT_STEP_TIMEOUT_MS = 120_000;

/**
 * The worker runs TypeScript like the API. On Node 20, `--import tsx` in a worker's execArgv does
 * not reach the worker's entry ("Unknown file extension .ts"), so a .ts entry is started by a
 * one-line bootstrap that registers tsx's ESM loader in the worker first (tsx's own API, resolved
 * from here so it works whatever the working directory). A compiled .js entry starts directly.
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

interface Running {
  id: number;
  job: ImportJob;
  resolve(answer: WorkerAnswer): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  dead: boolean;
  /** Held by a job (set when handed out, before its conversation starts). */
  busy: boolean;
  running?: Running;
  timer?: NodeJS.Timeout;
}

export class ImportPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { resolve(slot: Slot): void; reject(error: Error): void }[] = [];
  private readonly stepTimeoutMs: number;
  private readonly workerUrl: URL;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ImportPoolOptions) {
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    this.workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
  }

  /** Jobs running and waiting (for tests and metrics). */
  get load() {
    return { running: this.slots.filter((slot) => slot.busy).length, waiting: this.queue.length, workers: this.slots.length };
  }

  async run(job: ImportJob): Promise<WorkerAnswer> {
    const slot = await this.acquire();
    try {
      return await this.converse(slot, job);
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new ImportWorkerFailed('the import pool was closed'));
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        slot.dead = true;
        this.fail(slot, new ImportWorkerFailed('the import pool was closed'));
        await slot.worker.terminate();
      }),
    );
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new ImportWorkerFailed('the import pool is closed'));
    const free = this.slots.find((slot) => !slot.dead && !slot.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    if (this.slots.length < this.options.size) return Promise.resolve(this.spawn());
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new ImportPoolBusy(5));
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  private release(slot: Slot) {
    if (slot.dead) this.remove(slot);
    const waiter = this.queue.shift();
    if (!waiter) {
      slot.busy = false;
      return;
    }
    // Handed straight to the next job: still busy (or a fresh worker in place of a dead one).
    waiter.resolve(slot.dead ? this.spawn() : slot);
  }

  private remove(slot: Slot) {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  private spawn(): Slot {
    const worker = startWorker(this.workerUrl);
    // An idle pool never keeps the process alive; a running job's request does.
    worker.unref();
    const slot: Slot = { worker, dead: false, busy: true };
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (error) => {
      slot.dead = true;
      this.fail(slot, new ImportWorkerFailed(`the import worker crashed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', (code) => {
      slot.dead = true;
      this.fail(slot, new ImportWorkerFailed(`the import worker exited (code ${code})`));
      // An idle worker that died leaves the pool now; a busy one when its job releases it.
      if (!slot.busy) this.remove(slot);
    });
    this.slots.push(slot);
    return slot;
  }

  private converse(slot: Slot, job: ImportJob): Promise<WorkerAnswer> {
    return new Promise<WorkerAnswer>((resolve, reject) => {
      const id = this.nextId++;
      slot.running = { id, job, resolve, reject };
      const { bytes, filename, kind, dryRun, timeZone } = job;
      const start: StartJob = { type: 'start', id, bytes, filename, dryRun, timeZone, ...(kind ? { kind } : {}) };
      this.post(slot, start, [bytes]);
    }).finally(() => {
      clearTimeout(slot.timer);
      slot.running = undefined;
    });
  }

  /** A message to the worker, which then computes: the step timeout runs until it answers. */
  private post(slot: Slot, message: ToWorker, transfer: ArrayBuffer[] = []) {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      slot.dead = true;
      this.fail(slot, new ImportWorkerFailed(`the import worker took more than ${this.stepTimeoutMs} ms for one step`));
      void slot.worker.terminate();
    }, this.stepTimeoutMs);
    slot.timer.unref();
    slot.worker.postMessage(message, transfer);
  }

  private fail(slot: Slot, error: Error) {
    clearTimeout(slot.timer);
    const running = slot.running;
    slot.running = undefined;
    running?.reject(error);
  }

  private onMessage(slot: Slot, message: FromWorker) {
    const running = slot.running;
    if (!running || message.id !== running.id) return;
    clearTimeout(slot.timer);
    switch (message.type) {
      case 'done':
        slot.running = undefined;
        running.resolve(message.answer);
        return;
      case 'failed': {
        slot.running = undefined;
        const { failure } = message;
        if (failure.kind === 'internal') {
          const error = new ImportWorkerFailed(`the import worker failed: ${failure.message}`);
          if (failure.stack) error.stack = failure.stack;
          running.reject(error);
        } else {
          running.reject(new ImportRejected(failure));
        }
        return;
      }
      case 'need-reference':
        this.answer(slot, running, running.job.reference(message.kind).then((reference) => ({ type: 'reference', id: running.id, reference })));
        return;
      case 'sync':
        this.answer(slot, running, running.job.sync(message.kind, message.payloads).then((outcome) => ({ type: 'synced', id: running.id, outcome })));
        return;
    }
  }

  /** The API thread's part of a step (database): its answer goes back to the worker, its error ends the job. */
  private answer(slot: Slot, running: Running, reply: Promise<ToWorker>) {
    reply.then(
      (message) => {
        if (slot.running !== running || slot.dead) return;
        try {
          this.post(slot, message);
        } catch (error) {
          // e.g. an answer that cannot be cloned: the job fails, the worker forgets it.
          this.fail(slot, new ImportWorkerFailed(`could not send the worker its answer: ${(error as Error).message}`, { cause: error }));
          slot.worker.postMessage({ type: 'abort', id: running.id } satisfies ToWorker);
        }
      },
      (error: unknown) => {
        if (slot.running !== running) return;
        slot.running = undefined;
        if (!slot.dead) slot.worker.postMessage({ type: 'abort', id: running.id } satisfies ToWorker);
        running.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}

let shared: ImportPool | undefined;

/** The process's pool, created on first use with the app's configuration. */
export function importPool(options: ImportPoolOptions): ImportPool {
  shared ??= new ImportPool(options);
  return shared;
}

/** Replaces the process's pool (tests), closing the old one. */
export async function replaceImportPool(pool: ImportPool | undefined): Promise<void> {
  const old = shared;
  shared = pool;
  if (old && old !== pool) await old.close();
}

/** Closes the process's pool (app shutdown, test teardown); the next import creates a new one. */
export async function closeImportPool(): Promise<void> {
  await replaceImportPool(undefined);
}
