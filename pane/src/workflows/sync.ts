/**
 * One sync of a connected table: read rows with the engine, send them, write the answers back.
 *
 * Host-free and React-free, so tests drive it directly and the hooks only keep its state.
 * Conflicts (both the sheet and StoreSync changed a field since the row was last synced) keep the
 * server's record in the output cells and explain the conflict in the row's Sync Error cell.
 */
import {
  readRows,
  type ReadOptions,
  type RowProblem,
  type RowRef,
  type SheetKind,
  type SyncResult,
  type SyncRecordMap,
  type SyncRowStatus,
  type Unplaced,
  SYNC_MAX_ROWS,
  toSyncRow,
  withoutVersion,
} from '@storesync/core';
import type { StoreSyncClient } from '../api/client.ts';
import type { Host } from '../host.ts';
import { saveConnection, type Connection } from './connections.ts';
import { readMapped, writeResults } from './table.ts';

export type SyncCounts = Record<SyncRowStatus, number>;

/** One line of the pane's problem list; `ref` finds the row again when the person clicks it. */
export interface SyncIssue {
  /** 1-based row as the person saw it when the sync read the table (it may have moved since). */
  row: number;
  column: string;
  message: string;
  severity: 'error' | 'warning' | 'conflict';
  ref?: RowRef;
  /** Conflicts: the server's record, to resolve with {@link resolveConflict}. */
  record?: SyncRecordMap[SheetKind];
}

export interface SyncSummary {
  counts: SyncCounts;
  /** Rows the engine refused before sending (problems with severity `error` on data rows). */
  notSent: number;
  /** Header problems stop the whole sync: fix the columns first. */
  blockedByHeaders: boolean;
  issues: SyncIssue[];
  unplaced: Unplaced[];
  /** Rows skipped because every input cell is blank. */
  blankRows: number;
}

export interface SyncDeps {
  host: Host;
  client: StoreSyncClient;
  connection: Connection;
  /** Templates and locations of the brand, for campaign checks (`readRows` options). */
  reference?: Pick<ReadOptions, 'templates' | 'locations'>;
}

const emptyCounts = (): SyncCounts => ({ created: 0, updated: 0, unchanged: 0, conflict: 0, error: 0 });

function problemIssue(problem: RowProblem): SyncIssue {
  return { row: problem.row, column: problem.column, message: problem.message, severity: problem.severity, ...(problem.ref ? { ref: problem.ref } : {}) };
}

export async function runSync<K extends SheetKind>(deps: SyncDeps & { connection: Connection & { kind: K } }): Promise<SyncSummary> {
  const { host, client, connection } = deps;
  const kind = connection.kind;
  const dates = await host.getDateSettings();
  const { sheet, mapping } = await readMapped(host, connection.tableId, kind, connection.manual);
  const read = readRows(sheet, mapping, { ...deps.reference, dateSystem: dates.dateSystem, timeZone: dates.timeZone });
  const summary: SyncSummary = {
    counts: emptyCounts(),
    notSent: 0,
    blockedByHeaders: mapping.problems.some((problem) => problem.severity === 'error'),
    issues: read.problems.map(problemIssue),
    unplaced: [],
    blankRows: read.skipped.length,
  };
  if (summary.blockedByHeaders) return summary;
  summary.notSent = new Set(read.problems.filter((problem) => problem.severity === 'error' && problem.row > 1).map((problem) => problem.row)).size;

  // Each row carries its hidden StoreSync Version, so the server merges rather than overwrites.
  const rows = read.rows.map((row) => toSyncRow(row));

  const results: SyncResult<K>[] = [];
  const conflictProblems: RowProblem[] = [];
  let cursor = connection.cursor;
  for (let start = 0; start < rows.length; start += SYNC_MAX_ROWS) {
    const chunk = rows.slice(start, start + SYNC_MAX_ROWS);
    const answer = await client.sync(kind, { brand: connection.brandId, rows: chunk });
    // The first sync starts the change feed here; later ones keep their own cursor, so changes
    // made elsewhere since the last catch-up are still pulled.
    cursor ??= answer.cursor;
    for (const result of answer.results) {
      const sent = read.rows[start + result.index];
      const ref: RowRef = result.ref ?? sent?.ref ?? {};
      const row = sent?.row ?? 0;
      summary.counts[result.status] += 1;
      if (result.status === 'error' || !result.record) {
        const message = result.message ?? 'StoreSync refused this row';
        results.push({ ref, error: result.field ? `${result.field}: ${message}` : message });
        summary.issues.push({ row, column: result.field ?? '', message, severity: 'error', ref });
        continue;
      }
      if (result.status !== 'conflict') {
        results.push({ ref, record: result.record });
      } else {
        // Not written, so the sheet keeps its version and the conflict stays until it is resolved.
        results.push({ ref, record: withoutVersion(result.record) as typeof result.record });
        const fields = (result.conflicts ?? []).map((conflict) => conflict.field).join(', ');
        const message = result.message ?? `changed both here and in StoreSync since the last sync${fields ? ` (${fields})` : ''}; StoreSync kept its values`;
        conflictProblems.push({ row, column: '', message: `Conflict: ${message}`, severity: 'error', ref: { ...ref, id: result.record.id } });
        summary.issues.push({ row, column: fields, message, severity: 'conflict', ref: { ...ref, id: result.record.id }, record: result.record });
      }
    }
  }

  const outcome = await writeResults(host, connection.tableId, kind, connection.manual, results, {
    problems: [...read.problems, ...conflictProblems],
    timeZone: dates.timeZone,
  });
  summary.unplaced = outcome.unplaced;
  if (cursor !== connection.cursor) await saveConnection(host, { ...connection, cursor });
  // Issues in sheet order, so the list reads top to bottom like the table.
  summary.issues.sort((a, b) => a.row - b.row);
  return summary;
}

/**
 * Settles a conflict the person has looked at:
 * - `theirs`: the row takes StoreSync's values (a pull of that record: inputs, outputs, version);
 * - `mine`: the row keeps its values and takes the server's version, so the next sync sends the
 *   sheet's values as edits on top of StoreSync's and they win.
 */
export async function resolveConflict(host: Host, connection: Connection, issue: SyncIssue, choice: 'theirs' | 'mine'): Promise<void> {
  if (!issue.record) throw new Error('This problem is not a conflict.');
  const result: SyncResult = { ref: { ...issue.ref, id: issue.record.id }, record: issue.record };
  await writeResults(host, connection.tableId, connection.kind, connection.manual, [result], { mode: choice === 'theirs' ? 'pull' : 'results' });
}

