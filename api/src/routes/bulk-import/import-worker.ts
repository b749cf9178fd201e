/**
 * The bulk-import worker thread (see import-protocol.ts): file parsing, header mapping, readRows
 * and the result file run here, off the API's event loop. No database access.
 */
import { parentPort } from 'node:worker_threads';
import { HeaderProblems, finishImport, prepareImport, readImportRows, type ReferenceData, type SyncAnswer } from './importer.ts';
import { ownArrayBuffer, type FromWorker, type StartJob, type ToWorker, type WorkerFailure } from './import-protocol.ts';
import { detectFormat, FileProblem, readCsv, readXlsx, writeCsv, writeXlsx } from './sheet-files.ts';

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');

class Aborted extends Error {}

type Reply = Extract<ToWorker, { type: 'reference' | 'synced' }>;
const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();

function send(message: FromWorker, transfer: ArrayBuffer[] = []) {
  port?.postMessage(message, transfer);
}

function ask(id: number, message: FromWorker): Promise<Reply> {
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    send(message);
  });
}

function failureOf(error: unknown): WorkerFailure {
  if (error instanceof FileProblem) return { kind: 'file', message: error.message };
  if (error instanceof HeaderProblems) return { kind: 'header', message: error.message, problems: error.problems };
  const problem = error instanceof Error ? error : new Error(String(error));
  return { kind: 'internal', message: problem.message, ...(problem.stack ? { stack: problem.stack } : {}) };
}

async function runJob(job: StartJob) {
  const { id, filename, dryRun, timeZone } = job;
  const bytes = new Uint8Array(job.bytes);
  const format = detectFormat(bytes, filename);
  const file = format === 'xlsx' ? await readXlsx(bytes, { preferredSheet: job.kind }) : readCsv(bytes, filename);
  const prepared = prepareImport(file, job.kind);
  let reference: ReferenceData = {};
  if (prepared.kind === 'campaigns') {
    const reply = await ask(id, { type: 'need-reference', id, kind: prepared.kind });
    if (reply.type === 'reference') reference = reply.reference;
  }
  const rows = readImportRows(file, prepared, reference, timeZone);
  let outcome: SyncAnswer | undefined;
  if (rows.payloads.length > 0) {
    const reply = await ask(id, { type: 'sync', id, kind: prepared.kind, payloads: rows.payloads });
    if (reply.type === 'synced') outcome = reply.outcome;
  }
  const result = finishImport(file, prepared, rows, outcome, { dryRun, timeZone });
  const body =
    file.format === 'xlsx'
      ? await writeXlsx(result.resultSheet, { sheetName: file.sheetName, dateSystem: file.dateSystem, columns: result.columns })
      : writeCsv(result.resultSheet, { delimiter: file.delimiter ?? ',', sepLine: file.sepLine ?? false });
  const transferable = ownArrayBuffer(body);
  send(
    {
      type: 'done',
      id,
      answer: {
        kind: result.kind,
        counts: result.counts,
        results: result.results,
        warnings: result.warnings,
        ...(result.cursor ? { cursor: result.cursor } : {}),
        file: { format: file.format, sheetName: file.sheetName },
        body: transferable,
      },
    },
    [transferable],
  );
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    runJob(message).catch((error: unknown) => {
      if (!(error instanceof Aborted)) send({ type: 'failed', id: message.id, failure: failureOf(error) });
    }).finally(() => waiting.delete(message.id));
    return;
  }
  const waiter = waiting.get(message.id);
  if (!waiter) return;
  waiting.delete(message.id);
  if (message.type === 'abort') waiter.reject(new Aborted());
  else waiter.resolve(message);
});
