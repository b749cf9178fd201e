/**
 * Reading a connected table and writing into it through the host, the way the engine requires:
 * map headers on every read (columns move), plan writes on a fresh read, and, for hosts where the
 * person can act between calls, one call at a time with a fresh read and plan in between.
 */
import {
  cellText,
  indexRows,
  locateRow,
  mapHeaders,
  planWrites,
  type HeaderMapping,
  type ManualMapping,
  type PlanOptions,
  type RowProblem,
  type RowRef,
  type Sheet,
  type SheetKind,
  type SyncResult,
  type Unplaced,
  type WritePlan,
} from '@storesync/core';
import type { Host } from '../host.ts';

export interface TableSnapshot<K extends SheetKind = SheetKind> {
  sheet: Sheet;
  mapping: HeaderMapping<K>;
}

export async function readMapped<K extends SheetKind>(host: Host, tableId: string, kind: K, manual: ManualMapping): Promise<TableSnapshot<K>> {
  const sheet = await host.readTable(tableId);
  return { sheet, mapping: mapHeaders(sheet.values[0] ?? [], kind, manual) };
}

export interface WriteOutcome {
  cellsChanged: number;
  unplaced: Unplaced[];
  hostCalls: number;
}

const isEmpty = (plan: WritePlan) => plan.addColumns.length === 0 && plan.calls.length === 0;

/** At most this many plan-apply rounds for yielding hosts: each round finishes at least one call. */
const MAX_ROUNDS = 50;

export interface WriteOptions extends Omit<PlanOptions, 'limits'> {
  /**
   * Leave the Sync Error cells as they are. A plan rewrites the Sync Error of every row it writes
   * a record into (the row's problems, else blank), which suits a sync's own answers; writes that
   * only show what changed in StoreSync (the change feed) must not wipe a conflict or a problem
   * the last sync found, since the next sync is what settles them.
   */
  keepSyncErrors?: boolean;
}

/** The rows' Sync Error texts as problems, so a plan writes them back unchanged. */
function currentSyncErrors(sheet: Sheet, mapping: HeaderMapping): RowProblem[] {
  const errorColumn = mapping.fields.sync_error;
  const idColumn = mapping.fields.id;
  if (errorColumn === undefined || idColumn === undefined) return [];
  const problems: RowProblem[] = [];
  sheet.values.forEach((cells, index) => {
    if (index === 0) return;
    const message = cellText(cells[errorColumn] ?? null).trim();
    const id = cellText(cells[idColumn] ?? null).trim();
    if (message && id) problems.push({ row: index + 1, column: '', message, severity: 'error', ref: { id } });
  });
  return problems;
}

/**
 * Writes server results (or problems) into the table. Plans on a fresh read so rows the person
 * sorted meanwhile still get their own results (the plan finds rows by identity).
 */
export async function writeResults<K extends SheetKind>(
  host: Host,
  tableId: string,
  kind: K,
  manual: ManualMapping,
  results: readonly SyncResult<K>[],
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const { timeZone } = await host.getDateSettings();
  const { keepSyncErrors, ...planOptions } = options;
  const plan = async () => {
    const { sheet, mapping } = await readMapped(host, tableId, kind, manual);
    const kept = keepSyncErrors ? currentSyncErrors(sheet, mapping) : [];
    const problems = [...(planOptions.problems ?? []), ...kept];
    return planWrites(sheet, mapping, results, { timeZone, ...planOptions, ...(problems.length > 0 ? { problems } : {}), limits: host.limits });
  };
  let current = await plan();
  const unplaced = current.unplaced;
  let cellsChanged = 0;
  let hostCalls = 0;
  if (!host.yieldsBetweenCalls || current.calls.length <= 1) {
    if (!isEmpty(current)) await host.applyWritePlan(tableId, current);
    return { cellsChanged: current.cellsChanged, unplaced, hostCalls: current.calls.length };
  }
  // One call, then read and plan again: planning is idempotent, so each round writes only what is
  // still missing, at the rows where they are now (the person may have sorted in between).
  for (let round = 0; round < MAX_ROUNDS && !isEmpty(current); round += 1) {
    const first = current.calls[0];
    const step: WritePlan = first
      ? { ...current, calls: [first], writes: first.writes, cellsChanged: first.writes.reduce((sum, block) => sum + block.values.flat().length, 0) }
      : { ...current, calls: [], writes: [] };
    await host.applyWritePlan(tableId, step);
    cellsChanged += step.cellsChanged;
    hostCalls += step.calls.length;
    current = await plan();
  }
  return { cellsChanged, unplaced, hostCalls };
}

/** The current row of `ref` (0-based, ≥ 1) on a fresh read, or null when it moved out of reach. */
export async function locate<K extends SheetKind>(host: Host, tableId: string, kind: K, manual: ManualMapping, ref: RowRef): Promise<number | null> {
  const { sheet, mapping } = await readMapped(host, tableId, kind, manual);
  const found = locateRow(indexRows(sheet, mapping), ref);
  return found.row;
}
