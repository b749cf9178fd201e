/**
 * Syncs and write-backs the server runs by itself (menu "Sync now", the background trigger),
 * with the shared engine and the same rules as the pane's workflows (pane/src/workflows/):
 * rows are found by identity on a fresh read, never by position; write-backs from the change
 * feed write ids and outputs only and leave the row's StoreSync Version alone, so the next sync
 * still merges three ways; conflicts keep StoreSync's values and say so in Sync Error.
 *
 * Apps Script code is synchronous (UrlFetchApp blocks), so these are synchronous ports of the
 * pane's async workflows, on the same engine calls.
 */
import {
  mapHeaders,
  planWrites,
  readRows,
  feedResults,
  SHEETS_LIMITS,
  SYNC_MAX_ROWS,
  toSyncRow,
  withoutVersion,
  type ChangeFeedPage,
  type PlanOptions,
  type RowProblem,
  type SheetKind,
  type SyncResponse,
  type SyncResult,
  type SyncRowStatus,
  type WritePlan,
} from '@storesync/core';
import type { Connection } from '@storesync/pane/host';
import { apiPath, expectJson } from './http.ts';
import { authorizedFetch } from './session.ts';
import { applyWriteCall, readTable, timeZone } from './sheets.ts';
import { documentStore, readJson, withDocumentLock, writeJson } from './storage.ts';


export const CONNECTIONS_KEY = 'storesync.connections';

function isConnection(value: unknown): value is Connection {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Connection>;
  return typeof candidate.tableId === 'string' && typeof candidate.kind === 'string' && typeof candidate.brandId === 'string';
}

export function loadConnections(): Connection[] {
  const stored = readJson<unknown>(documentStore(), CONNECTIONS_KEY);
  if (!Array.isArray(stored)) return [];
  return stored.filter(isConnection).map((connection) => ({ ...connection, manual: connection.manual ?? {}, cursor: connection.cursor ?? null }));
}

/** Moves one connection's cursor, re-reading the list under the document lock so concurrent edits survive. */
export function saveCursor(tableId: string, cursor: string): void {
  withDocumentLock(() => {
    const stored = readJson<unknown>(documentStore(), CONNECTIONS_KEY);
    if (!Array.isArray(stored)) return;
    const next = (stored as unknown[]).map((entry): unknown => (isConnection(entry) && entry.tableId === tableId ? { ...entry, cursor } : entry));
    writeJson(documentStore(), CONNECTIONS_KEY, next);
  });
}

export interface WriteOutcome {
  cellsChanged: number;
  unplaced: number;
  calls: number;
}

/** Plans on a fresh read and applies every call of the plan. */
export function writeResults<K extends SheetKind>(connection: Connection & { kind: K }, results: readonly SyncResult<K>[], options: Omit<PlanOptions, 'limits'> = {}): WriteOutcome {
  const sheet = readTable(connection.tableId);
  const mapping = mapHeaders(sheet.values[0] ?? [], connection.kind, connection.manual);
  const plan: WritePlan = planWrites(sheet, mapping, results, { timeZone: timeZone(), ...options, limits: SHEETS_LIMITS });
  if (plan.addColumns.length === 0 && plan.calls.length === 0) return { cellsChanged: 0, unplaced: plan.unplaced.length, calls: 0 };
  const calls = plan.calls.length > 0 ? plan.calls : [{ writes: [], bytes: 0 }];
  calls.forEach((call, index) => applyWriteCall(connection.tableId, { addColumns: index === 0 ? plan.addColumns : [], writes: call.writes }));
  return { cellsChanged: plan.cellsChanged, unplaced: plan.unplaced.length, calls: calls.length };
}

export interface SyncSummary {
  counts: Record<SyncRowStatus, number>;
  /** Rows the engine refused before sending. */
  notSent: number;
  blockedByHeaders: boolean;
  /** Header problems, when blocked, in words. */
  headerProblems: string[];
  cellsChanged: number;
}

/** One sync of a connected sheet (pane/src/workflows/sync.ts `runSync`, synchronously). */
export function syncTable<K extends SheetKind>(connection: Connection & { kind: K }): SyncSummary {
  const kind = connection.kind;
  const zone = timeZone();
  const sheet = readTable(connection.tableId);
  const mapping = mapHeaders(sheet.values[0] ?? [], kind, connection.manual);
  const summary: SyncSummary = {
    counts: { created: 0, updated: 0, unchanged: 0, conflict: 0, error: 0 },
    notSent: 0,
    blockedByHeaders: mapping.problems.some((problem) => problem.severity === 'error'),
    headerProblems: mapping.problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.column}: ${problem.message}`),
    cellsChanged: 0,
  };
  if (summary.blockedByHeaders) return summary;
  const read = readRows(sheet, mapping, { dateSystem: 'sheets', timeZone: zone });
  summary.notSent = new Set(read.problems.filter((problem) => problem.severity === 'error' && problem.row > 1).map((problem) => problem.row)).size;
  const rows = read.rows.map((row) => toSyncRow(row));
  const results: SyncResult<K>[] = [];
  const conflicts: RowProblem[] = [];
  let cursor = connection.cursor;
  for (let start = 0; start < rows.length; start += SYNC_MAX_ROWS) {
    const answer = expectJson<SyncResponse<K>>(authorizedFetch('POST', apiPath(`/sync/${kind}/`), { brand: connection.brandId, rows: rows.slice(start, start + SYNC_MAX_ROWS) }));
    cursor ??= answer.cursor;
    for (const result of answer.results) {
      const sent = read.rows[start + result.index];
      const ref = result.ref ?? sent?.ref ?? {};
      summary.counts[result.status] += 1;
      if (result.status === 'error' || !result.record) {
        const message = result.message ?? 'StoreSync refused this row';
        results.push({ ref, error: result.field ? `${result.field}: ${message}` : message });
      } else if (result.status === 'conflict') {
        results.push({ ref, record: withoutVersion(result.record) as typeof result.record });
        const fields = (result.conflicts ?? []).map((conflict) => conflict.field).join(', ');
        const message = result.message ?? `changed both here and in StoreSync since the last sync${fields ? ` (${fields})` : ''}; StoreSync kept its values`;
        conflicts.push({ row: sent?.row ?? 0, column: '', message: `Conflict: ${message}`, severity: 'error', ref: { ...ref, id: result.record.id } });
      } else {
        results.push({ ref, record: result.record });
      }
    }
  }
  summary.cellsChanged = writeResults(connection, results, { problems: [...read.problems, ...conflicts], timeZone: zone }).cellsChanged;
  if (cursor !== null && cursor !== connection.cursor) saveCursor(connection.tableId, cursor);
  return summary;
}

export interface FeedPageOutcome {
  next: string;
  hasMore: boolean;
  /** Records of this sheet's kind in the page. */
  changed: number;
  cellsChanged: number;
}

/**
 * One page of the change feed written into a connected sheet, ids and outputs only, then the
 * cursor saved, so a run stopped after any page resumes exactly after it.
 */
export function applyFeedPage<K extends SheetKind>(connection: Connection & { kind: K; cursor: string }, page: ChangeFeedPage): FeedPageOutcome {
  const results = feedResults(connection.kind, page.changes);
  const cellsChanged = results.length > 0 ? writeResults(connection, results).cellsChanged : 0;
  if (page.next_cursor !== connection.cursor) saveCursor(connection.tableId, page.next_cursor);
  return { next: page.next_cursor, hasMore: page.has_more, changed: results.length, cellsChanged };
}
