/**
 * Write plans: what a host writes into a sheet after the server answered (or to pull server
 * records into it), as few rectangles as the changed cells allow, in calls that stay under a
 * byte budget.
 *
 * `planWrites(sheet, mapping, results, options)`:
 * 1. Finds each result's row by identity (identity.ts), never by position. A result that matches no
 *    row, or several, is listed in `unplaced` and written nowhere (or, when pulling with
 *    `appendUnmatched`, appended below the last row).
 * 2. Decides the cells: the StoreSync id, the outputs (Status, Generated Content, Reviewer, Review
 *    Comments, Version, Last Synced, Sync Error) and, when pulling, the input, info and extra
 *    columns. An error result writes only its Sync Error cell; `options.problems` (from readRows)
 *    fill the Sync Error cell of their rows. Output columns the sheet lacks are added after its
 *    last used column (never inserted, so no existing cell moves), listed in `addColumns` with their
 *    header, number format and whether hosts hide or wrap them.
 * 3. Skips cells that already hold the value, merges the rest into rectangles (runs of adjacent
 *    changed cells in a row, stacked while consecutive rows have the same run), splits rectangles
 *    so no block exceeds the budget, and packs blocks into calls of at most `maxRequestBytes`.
 *
 * Bytes are estimated as the UTF-8 size of the block's `values` and `numberFormats` as JSON, plus
 * {@link BLOCK_OVERHEAD} per block for the address and envelope. Every string cell is written as
 * safe text (safety.ts); hosts must apply `numberFormats` before `values` (see safety.ts).
 *
 * A plan is valid for the snapshot it was computed from, and planning is idempotent: applying a
 * plan and planning again with the same results gives an empty plan. So a host that yields between
 * calls (Sheets: every call is a server round trip) re-reads the sheet and plans again before the
 * next call, and gets exactly the writes still missing, at the rows where they now are.
 */
import { EXTRA_TARGET, FIELDS, type FieldDef } from './fields.ts';
import { extraKey, type HeaderMapping } from './headers.ts';
import { indexRows, locateRow, rowIdentity, type RowIndex } from './identity.ts';
import { recordKey, recordValues, type RecordMap } from './records.ts';
import { readFieldCell } from './rows.ts';
import { jsonBytes, TEXT_FORMAT, toCellWrite, type CellWrite } from './safety.ts';
import {
  assertTimeZone,
  extraFromCell,
  instantToWallClock,
  isBlank,
  isDateFormat,
  isPercentFormat,
  jsonEqual,
  parseIsoDate,
  wallClockText,
  wallClockToSerial,
  type DateOptions,
} from './values.ts';
import { EXCEL_LIMITS, type CellValue, type HostLimits, type RowProblem, type RowRef, type Sheet, type SheetKind } from './types.ts';

/** The server's answer for one row: the record as it now is, or why the write failed. */
export type SyncResult<K extends SheetKind = SheetKind> =
  | { ref?: RowRef; record: RecordMap[K]; error?: undefined }
  | { ref: RowRef; error: string; record?: undefined };

export interface PlanOptions {
  /** Cell limit, request budget and date system of the host; default {@link EXCEL_LIMITS}. */
  limits?: HostLimits;
  /** Byte budget per call; default `limits.maxRequestBytes` (4 MiB). */
  maxRequestBytes?: number;
  /**
   * `results` (default): write ids and outputs only, never a cell a person types in.
   * `pull`: also write input, info and extra columns from the records (refresh from the server).
   */
  mode?: 'results' | 'pull';
  /** `pull` only: records with no row become new rows below the last used row. */
  appendUnmatched?: boolean;
  /** Problems from readRows; each data row's errors fill its Sync Error cell. */
  problems?: readonly RowProblem[];
  /** The Last Synced time; default now. */
  now?: Date;
  /** IANA zone for Last Synced and for dates written as text; default UTC. */
  timeZone?: string;
}

export interface AddedColumn {
  /** 0-based column index. */
  index: number;
  /** The field, or `attributes.<key>` / `customizations.<key>` for an extra column (pull). */
  field: string;
  header: string;
  /** Number format for the whole column (`@` = text). */
  numberFormat: string;
  hidden: boolean;
  wrap: boolean;
}

export interface WriteBlock {
  /** 0-based row of the top-left cell (0 = header row). */
  row: number;
  /** 0-based column of the top-left cell (0 = A). */
  column: number;
  values: CellValue[][];
  /** Same shape as `values`: `'@'` for text cells, `null` to leave the format alone. */
  numberFormats: (string | null)[][];
  /** Estimated bytes of this block in a host call. */
  bytes: number;
}

export interface WriteCall {
  writes: WriteBlock[];
  bytes: number;
}

export interface Unplaced {
  ref: RowRef;
  reason: 'not_found' | 'ambiguous' | 'duplicate_result';
  message: string;
}

export interface WritePlan {
  addColumns: AddedColumn[];
  /** Every block, in call order. */
  writes: WriteBlock[];
  /** Blocks grouped into host calls, each at most `maxRequestBytes`. */
  calls: WriteCall[];
  /** Results (and problems) that found no row, or more than one. */
  unplaced: Unplaced[];
  /** Rows appended for unmatched records (pull with `appendUnmatched`). */
  appendedRows: number;
  cellsChanged: number;
  maxCallBytes: number;
  maxRequestBytes: number;
}

/** Bytes added to each block's estimate for its address and the call envelope. */
export const BLOCK_OVERHEAD = 128;

interface Desired extends CellWrite {
  /** Whether the cell already shows this (beyond plain equality). */
  same?: (existing: CellValue | undefined, format: string | null | undefined) => boolean;
}

function blankOf(value: CellValue | undefined): CellValue {
  return value === null || value === undefined || value === '' ? '' : value;
}

function cellEquals(existing: CellValue | undefined, value: CellValue): boolean {
  return blankOf(existing) === blankOf(value);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** How Last Synced reads: `2026-05-01 09:30` in the host's zone. */
export function lastSyncedText(now: Date, timeZone = 'UTC'): string {
  const clock = instantToWallClock(now.getTime(), timeZone);
  return `${clock.year}-${pad2(clock.month)}-${pad2(clock.day)} ${pad2(clock.hour)}:${pad2(clock.minute)}`;
}

/** A known field's server value as a cell write, with how to tell the cell already shows it. */
function fieldWrite(def: FieldDef, value: unknown, format: string | null | undefined, limits: HostLimits, dates: DateOptions): Desired {
  const semantic = (expected: unknown) => (existing: CellValue | undefined) => {
    const read = readFieldCell(def, existing, dates);
    return read.ok && !read.truncated && jsonEqual(read.value ?? null, expected ?? null);
  };
  switch (def.type) {
    case 'boolean':
      return typeof value === 'boolean' ? { value, numberFormat: null, same: semantic(value) } : toCellWrite(value, limits);
    case 'number':
      return typeof value === 'number' ? { value, numberFormat: null } : toCellWrite(value, limits);
    case 'list': {
      const items = Array.isArray(value) ? value.map(String) : [];
      return { ...toCellWrite(items.join(', '), limits), same: semantic(items) };
    }
    case 'datetime': {
      if (value === null || value === undefined || value === '') return { value: '', numberFormat: null, same: semantic(undefined) };
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) return toCellWrite(value, limits);
      const clock = instantToWallClock(ms, dates.timeZone);
      const expected = new Date(ms).toISOString();
      const sameInstant = (existing: CellValue | undefined) => {
        const read = readFieldCell(def, existing, dates);
        return read.ok && typeof read.value === 'string' && Date.parse(read.value) === Date.parse(expected);
      };
      if (isDateFormat(format)) return { value: wallClockToSerial(clock, dates.dateSystem), numberFormat: null, same: sameInstant };
      return { ...toCellWrite(wallClockText(clock), limits), same: sameInstant };
    }
    default: {
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
      return { ...toCellWrite(text, limits), same: semantic(text === '' ? undefined : text.trim()) };
    }
  }
}

/** An attributes/customizations value as a cell write (pull), typed back the way rows.ts reads it. */
function extraWrite(value: unknown, format: string | null | undefined, limits: HostLimits, dates: DateOptions): Desired {
  const expected = value === null ? undefined : value;
  const same = (existing: CellValue | undefined, existingFormat: string | null | undefined) =>
    jsonEqual(extraFromCell(existing, existingFormat, dates.dateSystem) ?? null, expected ?? null);
  if (typeof value === 'number' && Number.isFinite(value) && isPercentFormat(format)) {
    return { value: Number.parseFloat((value / 100).toPrecision(15)), numberFormat: null, same };
  }
  if (typeof value === 'string' && isDateFormat(format)) {
    const parsed = parseIsoDate(value);
    if (parsed && parsed.offsetMinutes === undefined) {
      return { value: wallClockToSerial(parsed.clock, dates.dateSystem), numberFormat: null, same };
    }
  }
  return { ...toCellWrite(value, limits), same };
}

function sheetWidth(sheet: Sheet, mapping: HeaderMapping): number {
  let width = mapping.width;
  for (const row of sheet.values) {
    for (let index = row.length - 1; index >= width; index -= 1) {
      if (!isBlank(row[index])) {
        width = index + 1;
        break;
      }
    }
  }
  return width;
}

function lastUsedRow(sheet: Sheet): number {
  for (let row = sheet.values.length - 1; row >= 0; row -= 1) {
    if ((sheet.values[row] ?? []).some((cell) => !isBlank(cell))) return row;
  }
  return -1;
}

const refText = (ref: RowRef) => (ref.id ? `StoreSync ID ${ref.id}` : ref.key ? `key ${ref.key.replace('\u001f', ' / ')}` : 'a row');

/** Plans the writes for `results`; see the file header. */
export function planWrites<K extends SheetKind>(
  sheet: Sheet,
  mapping: HeaderMapping<K>,
  results: readonly SyncResult<K>[],
  options: PlanOptions = {},
): WritePlan {
  const kind = mapping.kind;
  const limits = options.limits ?? EXCEL_LIMITS;
  const budget = options.maxRequestBytes ?? limits.maxRequestBytes;
  if (!(budget > BLOCK_OVERHEAD + 16)) throw new RangeError(`maxRequestBytes must be more than ${BLOCK_OVERHEAD + 16} bytes`);
  const mode = options.mode ?? 'results';
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const dates: DateOptions = { dateSystem: limits.dateSystem, timeZone };
  const syncedText = lastSyncedText(options.now ?? new Date(), timeZone);
  const defs = FIELDS[kind];
  const extraTarget = EXTRA_TARGET[kind];

  // Columns: the sheet's own, then added ones after the last used column.
  const columnOf = new Map<string, number>();
  for (const [field, index] of Object.entries(mapping.fields)) if (index !== undefined) columnOf.set(field, index);
  const extraColumnOf = new Map<string, number>();
  for (const column of mapping.extras) if (column.extraKey) extraColumnOf.set(column.extraKey, column.index);
  const addColumns: AddedColumn[] = [];
  let nextColumn = sheetWidth(sheet, mapping);
  const addColumn = (field: string, header: string, def?: FieldDef) => {
    const index = nextColumn++;
    addColumns.push({ index, field, header, numberFormat: def?.numberFormat ?? 'General', hidden: !!def?.hidden, wrap: !!def?.wrap });
    return index;
  };

  const records = results.flatMap((result) => (result.record === undefined ? [] : [result.record]));
  const hasValue = (value: unknown) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  const anyErrors = results.some((result) => result.error !== undefined) || (options.problems ?? []).some((p) => p.severity === 'error' && p.row > 1);
  const pulledFields = new Set<string>();
  const pulledExtras: string[] = [];
  if (mode === 'pull') {
    for (const record of records) {
      const values = recordValues(kind, record);
      for (const [field, value] of Object.entries(values.fields)) if (hasValue(value)) pulledFields.add(field);
      for (const [key, value] of Object.entries(values.extras ?? {})) {
        if (hasValue(value) && !pulledExtras.includes(key)) pulledExtras.push(key);
      }
    }
  }
  // Added in this order: pulled inputs, pulled extras, outputs, the (hidden) id last.
  // Records from older servers, or hand-made ones, may lack row_version: no empty version column then.
  const versioned = records.some((record) => record.row_version !== undefined);
  const wanted = (def: FieldDef) =>
    !columnOf.has(def.field) &&
    ((records.length > 0 && def.autoAdd && (def.field !== 'row_version' || versioned)) ||
      (def.field === 'sync_error' && anyErrors) ||
      (mode === 'pull' && (def.role === 'input' || def.role === 'info') && pulledFields.has(def.field)));
  const addFields = (roles: readonly string[]) => {
    for (const def of defs) if (roles.includes(def.role) && wanted(def)) columnOf.set(def.field, addColumn(def.field, def.label, def));
  };
  addFields(['input', 'info']);
  if (mode === 'pull' && extraTarget) {
    for (const key of pulledExtras) {
      if (extraColumnOf.has(key) || extraKey(key) !== key) continue; // a key no header gives back is not shown
      extraColumnOf.set(key, addColumn(`${extraTarget}.${key}`, key));
    }
  }
  addFields(['output']);
  addFields(['id']);

  // The cells each row should show.
  const desired = new Map<number, Map<number, Desired>>();
  const set = (row: number, column: number | undefined, write: Desired) => {
    if (column === undefined) return;
    let cells = desired.get(row);
    if (!cells) desired.set(row, (cells = new Map<number, Desired>()));
    cells.set(column, write);
  };
  const formatAt = (row: number, column: number) => sheet.numberFormats?.[row]?.[column];
  for (const added of addColumns) set(0, added.index, { value: added.header, numberFormat: TEXT_FORMAT });

  const index: RowIndex = indexRows(sheet, mapping);
  const unplaced: Unplaced[] = [];
  const claimed = new Set<number>();
  const errorsByRow = new Map<number, string[]>();
  let nextRow = lastUsedRow(sheet) + 1;
  if (nextRow < 1) nextRow = 1;
  let appendedRows = 0;

  // Results located by id first, so a key match never takes a row an id match needs.
  const ordered = [...results].sort((a, b) => Number(!index.byId.has(idOf(a) ?? '')) - Number(!index.byId.has(idOf(b) ?? '')));
  for (const result of ordered) {
    const ref: RowRef = { ...(result.ref ?? {}) };
    if (result.record) {
      ref.id = result.record.id || ref.id;
      ref.key = ref.key ?? recordKey(kind, result.record);
    }
    let located = locateRow(index, ref, claimed);
    if (located.row === null && result.record && located.reason === 'not_found') {
      const key = recordKey(kind, result.record);
      if (key && key !== ref.key) located = locateRow(index, { key }, claimed);
    }
    let row: number;
    if (located.row !== null) {
      if (claimed.has(located.row)) {
        unplaced.push({ ref, reason: 'duplicate_result', message: `two results name the row of ${refText(ref)}; the second was not written` });
        continue;
      }
      row = located.row;
    } else if (mode === 'pull' && options.appendUnmatched && result.record && located.reason === 'not_found') {
      row = nextRow++;
      appendedRows += 1;
    } else {
      unplaced.push({
        ref,
        reason: located.reason,
        message:
          located.reason === 'ambiguous'
            ? `several rows match ${refText(ref)}, so the result was not written; remove the duplicate rows`
            : `no row matches ${refText(ref)} any more (deleted, or its key changed), so the result was not written`,
      });
      continue;
    }
    claimed.add(row);

    if (result.record === undefined) {
      errorsByRow.set(row, [...(errorsByRow.get(row) ?? []), result.error ?? 'the server refused the row']);
      continue;
    }
    const values = recordValues(kind, result.record);
    for (const def of defs) {
      const column = columnOf.get(def.field);
      if (column === undefined) continue;
      const writes = def.role === 'id' || def.role === 'output' || (mode === 'pull' && (def.role === 'input' || def.role === 'info'));
      if (!writes) continue;
      if (def.field === 'last_synced') {
        set(row, column, toCellWrite(syncedText, limits));
        continue;
      }
      if (def.field === 'sync_error') continue; // below, with the problems
      if (!(def.field in values.fields)) continue;
      const value = values.fields[def.field];
      // Ids and outputs are shown exactly as the server has them; inputs compare as rows.ts reads them.
      if (def.role === 'id' || def.role === 'output') set(row, column, toCellWrite(value, limits));
      else set(row, column, fieldWrite(def, value, formatAt(row, column), limits, dates));
    }
    if (!errorsByRow.has(row)) errorsByRow.set(row, []);
    if (mode === 'pull' && values.extras) {
      for (const [key, column] of extraColumnOf) {
        set(row, column, extraWrite(values.extras[key], formatAt(row, column), limits, dates));
      }
    }
  }

  // Problems found before sending: their rows' Sync Error cells.
  for (const problem of options.problems ?? []) {
    if (problem.severity !== 'error' || problem.row <= 1) continue;
    const ref = problem.ref ?? {};
    let located = locateRow(index, ref);
    if (located.row === null && located.reason === 'ambiguous' && ref.id && ref.fingerprint) {
      // A copied row: the copy that still has the content the problem was found on.
      const copies = (index.byId.get(ref.id) ?? []).filter((row) => rowIdentity(mapping, sheet.values[row] ?? []).fingerprint === ref.fingerprint);
      if (copies.length === 1 && copies[0] !== undefined) located = { row: copies[0], by: 'fingerprint' };
    }
    if (located.row === null) {
      unplaced.push({ ref: problem.ref ?? {}, reason: located.reason, message: `row ${problem.row} moved or changed; its problem was not written` });
      continue;
    }
    const text = problem.column ? `${problem.column}: ${problem.message}` : problem.message;
    const list = errorsByRow.get(located.row) ?? [];
    if (!list.includes(text)) list.push(text);
    errorsByRow.set(located.row, list);
  }
  const errorColumn = columnOf.get('sync_error');
  for (const [row, messages] of errorsByRow) set(row, errorColumn, toCellWrite(messages.join('\n'), limits));

  // Changed cells only.
  const changed = new Map<number, Map<number, CellWrite>>();
  let cellsChanged = 0;
  for (const [row, cells] of desired) {
    for (const [column, write] of cells) {
      const existing = sheet.values[row]?.[column];
      if (cellEquals(existing, write.value)) continue;
      if (write.same?.(existing, formatAt(row, column))) continue;
      let rowChanges = changed.get(row);
      if (!rowChanges) changed.set(row, (rowChanges = new Map<number, CellWrite>()));
      rowChanges.set(column, { value: write.value ?? '', numberFormat: write.numberFormat });
      cellsChanged += 1;
    }
  }

  const blocks = rectangles(changed).flatMap((rect) => splitBlock(rect, budget));
  const calls: WriteCall[] = [];
  for (const block of blocks) {
    const last = calls[calls.length - 1];
    if (last && last.bytes + block.bytes <= budget) {
      last.writes.push(block);
      last.bytes += block.bytes;
    } else calls.push({ writes: [block], bytes: block.bytes });
  }
  return {
    addColumns,
    writes: calls.flatMap((call) => call.writes),
    calls,
    unplaced,
    appendedRows,
    cellsChanged,
    maxCallBytes: calls.reduce((max, call) => Math.max(max, call.bytes), 0),
    maxRequestBytes: budget,
  };
}

function idOf(result: SyncResult): string | undefined {
  return result.record?.id ?? result.ref?.id ?? undefined;
}

interface Rect {
  row: number;
  column: number;
  cells: CellWrite[][];
}

/** Runs of adjacent changed cells per row, stacked while consecutive rows have the same run. */
function rectangles(changed: Map<number, Map<number, CellWrite>>): Rect[] {
  const rects: Rect[] = [];
  let open = new Map<string, Rect>();
  for (const row of [...changed.keys()].sort((a, b) => a - b)) {
    const cells = changed.get(row) ?? new Map<number, CellWrite>();
    const columns = [...cells.keys()].sort((a, b) => a - b);
    const next = new Map<string, Rect>();
    let start = 0;
    while (start < columns.length) {
      let end = start;
      while (end + 1 < columns.length && columns[end + 1] === (columns[end] ?? 0) + 1) end += 1;
      const first = columns[start] ?? 0;
      const last = columns[end] ?? 0;
      const run = columns.slice(start, end + 1).map((column) => cells.get(column) ?? { value: '', numberFormat: null });
      const key = `${first}:${last}`;
      const rect = open.get(key);
      if (rect && rect.row + rect.cells.length === row) {
        rect.cells.push(run);
        next.set(key, rect);
      } else {
        const created: Rect = { row, column: first, cells: [run] };
        rects.push(created);
        next.set(key, created);
      }
      start = end + 1;
    }
    open = next;
  }
  return rects.sort((a, b) => a.row - b.row || a.column - b.column);
}

function block(row: number, column: number, cells: CellWrite[][], bytes: number): WriteBlock {
  return {
    row,
    column,
    values: cells.map((line) => line.map((cell) => cell.value)),
    numberFormats: cells.map((line) => line.map((cell) => cell.numberFormat)),
    bytes,
  };
}

/**
 * Splits a rectangle into blocks of at most `budget` bytes: by rows, and a row too big by columns.
 * Sizes are exact sums: `values` and `numberFormats` of n rows as JSON take
 * 4 + Σ(row bytes) + 2(n - 1) bytes, where a row's bytes are its two JSON arrays.
 */
function splitBlock(rect: Rect, budget: number): WriteBlock[] {
  const rowBytes = rect.cells.map((line) => jsonBytes(line.map((cell) => cell.value)) + jsonBytes(line.map((cell) => cell.numberFormat)));
  const blocks: WriteBlock[] = [];
  let start = 0;
  while (start < rect.cells.length) {
    let end = start;
    let bytes = BLOCK_OVERHEAD + 4 + (rowBytes[start] ?? 0);
    while (end + 1 < rect.cells.length && bytes + 2 + (rowBytes[end + 1] ?? 0) <= budget) {
      end += 1;
      bytes += 2 + (rowBytes[end] ?? 0);
    }
    if (bytes > budget) blocks.push(...splitRow(rect.row + start, rect.column, rect.cells[start] ?? [], budget));
    else blocks.push(block(rect.row + start, rect.column, rect.cells.slice(start, end + 1), bytes));
    start = end + 1;
  }
  return blocks;
}

/** One row in pieces: `values` and `numberFormats` of m cells take 8 + Σ(cell bytes) + 2(m - 1) bytes. */
function splitRow(row: number, column: number, cells: CellWrite[], budget: number): WriteBlock[] {
  const cellBytes = cells.map((cell) => jsonBytes(cell.value) + jsonBytes(cell.numberFormat));
  const blocks: WriteBlock[] = [];
  let start = 0;
  while (start < cells.length) {
    let end = start;
    let bytes = BLOCK_OVERHEAD + 8 + (cellBytes[start] ?? 0);
    if (bytes > budget) {
      throw new RangeError(`one cell needs about ${bytes} bytes, more than the budget of ${budget} bytes per call; raise maxRequestBytes`);
    }
    while (end + 1 < cells.length && bytes + 2 + (cellBytes[end + 1] ?? 0) <= budget) {
      end += 1;
      bytes += 2 + (cellBytes[end] ?? 0);
    }
    blocks.push(block(row, column + start, [cells.slice(start, end + 1)], bytes));
    start = end + 1;
  }
  return blocks;
}

/**
 * Applies a plan to an in-memory copy of a sheet, exactly as hosts must (formats, then values):
 * the reference semantics for host adapters and the engine's tests.
 */
export function applyWritePlan(sheet: Sheet, plan: WritePlan): Sheet {
  const values = sheet.values.map((row) => [...row]);
  const formats = (sheet.numberFormats ?? []).map((row) => [...row]);
  const put = <T>(grid: T[][], row: number, column: number, value: T, blank: T) => {
    while (grid.length <= row) grid.push([]);
    const line = grid[row] ?? [];
    while (line.length < column) line.push(blank);
    line[column] = value;
  };
  for (const added of plan.addColumns) {
    for (let row = 0; row < Math.max(values.length, 1); row += 1) put(formats, row, added.index, added.numberFormat, null);
  }
  for (const call of plan.calls) {
    for (const write of call.writes) {
      write.values.forEach((line, r) =>
        line.forEach((value, c) => {
          const format = write.numberFormats[r]?.[c];
          if (format !== null && format !== undefined) put(formats, write.row + r, write.column + c, format, null);
          put(values, write.row + r, write.column + c, value, '');
        }),
      );
    }
  }
  return sheet.numberFormats || plan.addColumns.length || plan.writes.length ? { values, numberFormats: formats } : { values };
}
