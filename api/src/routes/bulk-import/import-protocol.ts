/**
 * Messages between the API thread and a bulk-import worker thread. One import is one conversation:
 * the API sends the uploaded bytes (transferred, not copied); the worker parses the file and maps
 * the headers, asks for the brand's reference data (campaigns), reads every row, asks the API to
 * sync the rows (the database stays on the API thread), then answers with the results and the
 * result file's bytes (transferred back).
 */
import type { RowProblem, SheetKind, SyncRowMap } from '@storesync/core';
import type { ImportKind, ImportOutcome, ReferenceData, SyncAnswer } from './importer.ts';
import type { SheetFormat } from './sheet-files.ts';

export interface StartJob {
  type: 'start';
  id: number;
  /** The upload; in the transfer list. */
  bytes: ArrayBuffer;
  filename: string;
  kind?: ImportKind;
  dryRun: boolean;
  timeZone: string;
}

export type ToWorker =
  | StartJob
  | { type: 'reference'; id: number; reference: ReferenceData }
  | { type: 'synced'; id: number; outcome: SyncAnswer }
  /** The API gave up on the job (its database part failed): forget it. */
  | { type: 'abort'; id: number };

export interface WorkerAnswer extends Pick<ImportOutcome, 'kind' | 'counts' | 'results' | 'warnings' | 'cursor'> {
  file: { format: SheetFormat; sheetName: string };
  /** The result file; in the transfer list. */
  body: ArrayBuffer;
}

export type WorkerFailure =
  | { kind: 'file'; message: string }
  | { kind: 'header'; message: string; problems: RowProblem[] }
  | { kind: 'internal'; message: string; stack?: string };

export type FromWorker =
  | { type: 'need-reference'; id: number; kind: ImportKind }
  | { type: 'sync'; id: number; kind: ImportKind; payloads: SyncRowMap[SheetKind][] }
  | { type: 'done'; id: number; answer: WorkerAnswer }
  | { type: 'failed'; id: number; failure: WorkerFailure };

/** The bytes of a Buffer as an ArrayBuffer of their own, so it can be transferred (pooled Buffers cannot). */
export function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return new Uint8Array(bytes).buffer;
}
