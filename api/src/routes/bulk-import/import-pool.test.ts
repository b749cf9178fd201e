import { afterAll, describe, expect, it } from 'vitest';
import { ImportPool, ImportPoolBusy, ImportRejected, ImportWorkerFailed, type ImportJob } from './import-pool.ts';

const FIXTURE = new URL('./import-worker.fixture.ts', import.meta.url);
const pools: ImportPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

function pool(options: Partial<ConstructorParameters<typeof ImportPool>[0]> = {}) {
  const created = new ImportPool({ size: 1, maxQueue: 2, ...options });
  pools.push(created);
  return created;
}

function job(text: string, filename = 'stores.csv', overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    bytes: new TextEncoder().encode(text).buffer,
    filename,
    dryRun: false,
    timeZone: 'UTC',
    reference: () => Promise.resolve({ templates: [], locations: [] }),
    sync: (_kind, payloads) =>
      Promise.resolve({ results: payloads.map((_, index) => ({ index, status: 'created' as const, record: { id: `00000000-0000-4000-8000-00000000000${index}` } })), cursor: 'c1' }),
    ...overrides,
  };
}

describe('ImportPool (the real worker, under tsx)', () => {
  it('parses, asks for the sync, and answers with a transferred result file; file problems come back as such', async () => {
    const imports = pool();
    const upload = job('Store #,Name\n1,One\n2,Two\n');
    const answer = await imports.run(upload);
    expect(upload.bytes.byteLength).toBe(0); // transferred, not copied
    expect(answer).toMatchObject({ kind: 'locations', counts: { created: 2 }, cursor: 'c1', file: { format: 'csv', sheetName: 'stores' } });
    expect(answer.body).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(answer.body).toString('utf8')).toContain('Sync Status');

    const empty = imports.run(job('', 'empty.csv'));
    await expect(empty).rejects.toBeInstanceOf(ImportRejected);
    await expect(empty).rejects.toThrow(/empty/);
    const header = await imports.run(job('Name,Name\nA,B\n', 'x.csv', { kind: 'locations' })).catch((error: unknown) => error);
    expect(header).toBeInstanceOf(ImportRejected);
    expect((header as ImportRejected).failure.kind).toBe('header');
    expect(imports.load).toMatchObject({ running: 0, waiting: 0, workers: 1 });
  });

  it('asks for reference data for campaigns, and a database error ends the job without harming the worker', async () => {
    const imports = pool();
    const asked: string[] = [];
    const failing = job('Store #,Template\n1,Sale\n', 'c.csv', {
      reference: (kind) => {
        asked.push(kind);
        return Promise.resolve({ templates: [], locations: [] });
      },
      sync: () => Promise.reject(new Error('database down')),
    });
    // Every row has a problem (unknown template and store), so nothing reaches the sync.
    const answer = await imports.run(failing);
    expect(asked).toEqual(['campaigns']);
    expect(answer.counts.error).toBe(1);
    await expect(imports.run(job('Store #,Name\n1,One\n', 's.csv', { sync: () => Promise.reject(new Error('database down')) }))).rejects.toThrow('database down');
    expect((await imports.run(job('Store #,Name\n1,One\n'))).counts.created).toBe(1);
  });
});

describe('ImportPool failures (a misbehaving worker)', () => {
  it('turns a crash, an exit, an unexpected error and a hang into ImportWorkerFailed, and recovers', async () => {
    const imports = pool({ workerUrl: FIXTURE, stepTimeoutMs: 1_000 });
    await expect(imports.run(job('x', 'exit.csv'))).rejects.toThrow(/exited \(code 3\)/);
    await expect(imports.run(job('x', 'throw.csv'))).rejects.toThrow(/crashed: boom in the worker/);
    await expect(imports.run(job('x', 'internal.csv'))).rejects.toThrow(/failed: unexpected state/);
    const hang = imports.run(job('x', 'hang.csv'));
    await expect(hang).rejects.toBeInstanceOf(ImportWorkerFailed);
    await expect(hang).rejects.toThrow(/more than 1000 ms/);
    expect((await imports.run(job('x', 'ok.csv'))).file.format).toBe('csv');
  }, 20_000);

  it('queues up to maxQueue jobs beyond the pool size and refuses more with ImportPoolBusy', async () => {
    const imports = pool({ workerUrl: FIXTURE, size: 1, maxQueue: 1 });
    const first = imports.run(job('x', 'slow.csv'));
    const second = imports.run(job('x', 'slow.csv'));
    await expect(imports.run(job('x', 'slow.csv'))).rejects.toBeInstanceOf(ImportPoolBusy);
    expect(imports.load).toMatchObject({ running: 1, waiting: 1 });
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    await imports.close();
    await expect(imports.run(job('x', 'ok.csv'))).rejects.toBeInstanceOf(ImportWorkerFailed);
  });
});
