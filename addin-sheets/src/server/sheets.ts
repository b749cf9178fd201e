/**
 * The spreadsheet side of the Sheets host: every SpreadsheetApp call of the add-in.
 *
 * A "table" is a whole sheet: row 1 is the header row, the data rows follow, and the table's id
 * is the sheet's id (stable across renames and moves). Following Google's best practices, a read
 * is one `getValues()` and one `getNumberFormats()` of the used range, and each block of a write
 * plan is one `setNumberFormats()` and one `setValues()` (plus one `getNumberFormats()` when the
 * block leaves some cells' formats alone, since Sheets has no "leave unchanged" entry).
 *
 * Row identity: besides the hidden StoreSync ID column, each synced row carries developer
 * metadata (`storesync.rowId` = the StoreSync id) on the ROW. Metadata belongs to the row itself,
 * so it moves with the row when people sort, insert or move rows, and it cannot be typed over.
 * When a sheet is read, a row's metadata wins over its id cell; rows without metadata (synced
 * before it existed, or whose metadata could not be written) fall back to the id cell.
 */
import { dateToSerial, recogniseHeader, type CellValue, type Sheet as EngineSheet } from '@storesync/core';
import type { HostTable } from '@storesync/pane/host';
import type { RecordedEdit, WriteCallAnswer, WriteCallRequest } from '../shared/server-api.ts';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export const ROW_ID_METADATA_KEY = 'storesync.rowId';
/** Prefix of errors the sidebar turns into the pane's HostTableMissingError. */
export const TABLE_MISSING_PREFIX = 'StoreSync:table-missing:';
/** Width (pixels) of an added column of long text (Generated Content). */
const WRAP_COLUMN_WIDTH = 320;

export function spreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet {
  const active = SpreadsheetApp.getActiveSpreadsheet();
  if (!active) throw new Error('StoreSync runs inside a Google Sheets spreadsheet; open it from the spreadsheet’s menu.');
  return active;
}

export function timeZone(): string {
  return spreadsheet().getSpreadsheetTimeZone() || 'UTC';
}

export function findSheet(tableId: string): Sheet {
  const wanted = String(tableId);
  const sheet = spreadsheet()
    .getSheets()
    .find((candidate) => String(candidate.getSheetId()) === wanted);
  if (!sheet) throw new Error(`${TABLE_MISSING_PREFIX}The connected sheet (id ${wanted}) is no longer in this spreadsheet; connect a sheet again.`);
  return sheet;
}

/** What a cell of `getValues()` is for the engine: Dates become Sheets serials in the spreadsheet's zone. */
export function toCellValue(value: unknown, zone: string): CellValue {
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const date = value as Date;
    return Number.isNaN(date.getTime()) ? null : dateToSerial(date, 'sheets', zone);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

export function listTables(): HostTable[] {
  const tables: HostTable[] = [];
  for (const sheet of spreadsheet().getSheets()) {
    const lastColumn = sheet.getLastColumn();
    if (lastColumn === 0) continue;
    const headers = (sheet.getRange(1, 1, 1, lastColumn).getValues()[0] ?? []).map((cell) => toCellValue(cell, 'UTC'));
    if (headers.every((cell) => cell === null || String(cell).trim() === '')) continue;
    tables.push({ id: String(sheet.getSheetId()), name: sheet.getName(), sheetName: sheet.getName(), rowCount: Math.max(0, sheet.getLastRow() - 1), headers });
  }
  return tables;
}

/** The 0-based column of the StoreSync ID header, or -1. */
export function idColumnOf(headers: readonly CellValue[]): number {
  return headers.findIndex((header) => recogniseHeader('locations', header)?.field === 'id');
}

/** The StoreSync id of each row that has one in its metadata, by 1-based sheet row. */
export function rowIdsFromMetadata(sheet: Sheet): Map<number, GoogleAppsScript.Spreadsheet.DeveloperMetadata> {
  const found = sheet
    .createDeveloperMetadataFinder()
    .withKey(ROW_ID_METADATA_KEY)
    .withLocationType(SpreadsheetApp.DeveloperMetadataLocationType.ROW)
    .find();
  const byRow = new Map<number, GoogleAppsScript.Spreadsheet.DeveloperMetadata>();
  for (const metadata of found) {
    const row = metadata.getLocation().getRow()?.getRow();
    if (row !== undefined && row !== null) byRow.set(row, metadata);
  }
  return byRow;
}

/** The whole sheet as the engine reads it: header row plus data rows, values and number formats. */
export function readTable(tableId: string): EngineSheet {
  const sheet = findSheet(tableId);
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  if (lastRow === 0 || lastColumn === 0) return { values: [], numberFormats: [] };
  const range = sheet.getRange(1, 1, lastRow, lastColumn);
  const zone = timeZone();
  const values = range.getValues().map((row) => row.map((cell) => toCellValue(cell, zone)));
  const numberFormats = range.getNumberFormats().map((row) => row.map((format) => (typeof format === 'string' ? format : null)));
  const idColumn = idColumnOf(values[0] ?? []);
  if (idColumn >= 0) {
    const tagged = [...rowIdsFromMetadata(sheet)].map(([row, metadata]) => ({ row, id: metadata.getValue() ?? '' }));
    const rowsPerId = new Map<string, number>();
    for (const { id } of tagged) rowsPerId.set(id, (rowsPerId.get(id) ?? 0) + 1);
    for (const { row, id } of tagged) {
      const cells = values[row - 1];
      // Two rows tagged with one id cannot both be it: leave them to their cells, where the
      // engine reports the duplicate and clearing the copy's cell resolves it.
      if (row < 2 || !cells || !id || rowsPerId.get(id) !== 1) continue;
      cells[idColumn] = id;
    }
  }
  return { values, numberFormats };
}

function ensureSize(sheet: Sheet, rows: number, columns: number): void {
  const maxRows = sheet.getMaxRows();
  if (rows > maxRows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxColumns = sheet.getMaxColumns();
  if (columns > maxColumns) sheet.insertColumnsAfter(maxColumns, columns - maxColumns);
}

function assertRectangle(values: unknown[][], what: string): number {
  const width = values[0]?.length ?? 0;
  if (values.length === 0 || width === 0 || values.some((row) => !Array.isArray(row) || row.length !== width)) {
    throw new Error(`StoreSync received a malformed write (${what} is not a rectangle); plan again.`);
  }
  return width;
}

/**
 * One call of a write plan (the engine's `WritePlan.calls[i]`): the added columns first (formats,
 * hidden, wrapped; only in the first call), then each block, formats before values, so text
 * becomes text (`@`) before it is written and can never turn into a formula, number or date.
 */
export function applyWriteCall(tableId: string, call: WriteCallRequest): WriteCallAnswer {
  const sheet = findSheet(tableId);
  let neededRows = sheet.getLastRow();
  let neededColumns = sheet.getLastColumn();
  for (const added of call.addColumns) neededColumns = Math.max(neededColumns, added.index + 1);
  for (const write of call.writes) {
    const width = assertRectangle(write.values, 'values');
    neededRows = Math.max(neededRows, write.row + write.values.length);
    neededColumns = Math.max(neededColumns, write.column + width);
  }
  ensureSize(sheet, Math.max(neededRows, 1), Math.max(neededColumns, 1));

  const dataRows = Math.max(sheet.getMaxRows() - 1, 1);
  for (const added of [...call.addColumns].sort((a, b) => a.index - b.index)) {
    const column = added.index + 1;
    // One format for the whole column below the header, so rows added later are text too.
    sheet.getRange(2, column, dataRows, 1).setNumberFormat(added.numberFormat);
    if (added.wrap) {
      sheet.getRange(2, column, dataRows, 1).setWrap(true);
      sheet.setColumnWidth(column, WRAP_COLUMN_WIDTH);
    }
    if (added.hidden) sheet.hideColumns(column);
  }

  const writtenIds = new Map<number, string>();
  const touchedRows = new Set<number>();
  for (const write of call.writes) {
    const width = write.values[0]?.length ?? 0;
    const range = sheet.getRange(write.row + 1, write.column + 1, write.values.length, width);
    assertRectangle(write.numberFormats, 'numberFormats');
    if (write.numberFormats.some((row) => row.some((format) => format !== null))) {
      const leavesSome = write.numberFormats.some((row) => row.some((format) => format === null));
      const current = leavesSome ? range.getNumberFormats() : [];
      range.setNumberFormats(write.numberFormats.map((row, r) => row.map((format, c) => format ?? current[r]?.[c] ?? 'General')));
    }
    range.setValues(write.values.map((row) => row.map((cell) => (cell === null ? '' : cell))));
    for (let r = 0; r < write.values.length; r += 1) if (write.row + r >= 1) touchedRows.add(write.row + r + 1);
  }
  if (touchedRows.size === 0) return {};
  // The header after the writes: this very call may have added the StoreSync ID column.
  const header = (sheet.getRange(1, 1, 1, Math.max(sheet.getLastColumn(), 1)).getValues()[0] ?? []).map((cell) => toCellValue(cell, 'UTC'));
  const idColumn = idColumnOf(header);
  for (const write of call.writes) {
    const width = write.values[0]?.length ?? 0;
    if (idColumn >= write.column && idColumn < write.column + width) {
      write.values.forEach((row, r) => {
        const id = String(row[idColumn - write.column] ?? '').trim();
        if (write.row + r >= 1 && id) writtenIds.set(write.row + r + 1, id);
      });
    }
  }
  if (idColumn < 0) return {};
  try {
    tagRows(sheet, idColumn, touchedRows, writtenIds);
    return {};
  } catch (error) {
    // The ids are in the id column already, the fallback; say so rather than fail the write.
    const message = `StoreSync wrote the ids into the StoreSync ID column but could not tag the rows (${error instanceof Error ? error.message : String(error)}); sorting still works while that column stays with the rows.`;
    console.warn(message);
    return { metadataWarning: message };
  }
}

/**
 * Row tags after a write: a row the plan gave an id gets that id as its tag (replacing an older
 * one); any other row the write touched that has an id in its cell but no tag yet (synced before
 * tags, or tagging failed then) gets one. A tag is never removed or overwritten from a cell: a
 * cleared or mistyped id cell does not change which record the row is.
 */
function tagRows(sheet: Sheet, idColumn: number, touchedRows: Set<number>, writtenIds: Map<number, string>): void {
  const lastRow = sheet.getLastRow();
  const cells = lastRow >= 2 ? sheet.getRange(2, idColumn + 1, lastRow - 1, 1).getValues() : [];
  const wanted = new Map<number, { id: string; replace: boolean }>();
  for (const row of touchedRows) {
    const explicit = writtenIds.get(row);
    if (explicit) wanted.set(row, { id: explicit, replace: true });
    else {
      const cell = String(cells[row - 2]?.[0] ?? '').trim();
      if (cell) wanted.set(row, { id: cell, replace: false });
    }
  }
  if (wanted.size > 0) writeRowIds(sheet, wanted);
}

/** Tags rows with their StoreSync ids (developer metadata on the row). */
export function writeRowIds(sheet: Sheet, ids: Map<number, { id: string; replace: boolean }>): void {
  const existing = rowIdsFromMetadata(sheet);
  for (const [row, { id, replace }] of ids) {
    const metadata = existing.get(row);
    if (!metadata) sheet.getRange(`${row}:${row}`).addDeveloperMetadata(ROW_ID_METADATA_KEY, id, SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT);
    else if (replace && metadata.getValue() !== id) metadata.setValue(id);
  }
}

export function selectRow(tableId: string, rowIndex: number): void {
  if (!Number.isInteger(rowIndex) || rowIndex < 1) throw new RangeError(`rowIndex must be a data row (1 or more), not ${rowIndex}`);
  const sheet = findSheet(tableId);
  sheet.activate();
  sheet.setActiveRange(sheet.getRange(rowIndex + 1, 1, 1, Math.max(sheet.getLastColumn(), 1)));
}

/** Data rows (≥ 1, 0-based with the header as row 0) the person's selection touches in this sheet. */
export function getSelectedRows(tableId: string): number[] {
  const sheet = findSheet(tableId);
  const active = spreadsheet().getActiveSheet();
  if (!active || active.getSheetId() !== sheet.getSheetId()) return [];
  const ranges = spreadsheet().getActiveRangeList()?.getRanges() ?? [];
  const lastRow = sheet.getLastRow();
  const rows = new Set<number>();
  for (const range of ranges) {
    const from = Math.max(range.getRow(), 2);
    const to = Math.min(range.getLastRow(), lastRow);
    for (let row = from; row <= to; row += 1) rows.add(row - 1);
  }
  return [...rows].sort((a, b) => a - b);
}

// --- Edits by the person (onEdit → the open sidebar) -----------------------------------------

const EDITS_KEY = 'storesync.edits';
const SIDEBAR_OPEN_KEY = 'storesync.sidebarOpen';
/** The sidebar polls every few seconds; edits older than this are of a sidebar that closed. */
const EDIT_TTL_SECONDS = 600;
const MAX_KEPT_EDITS = 200;

function readEdits(cache: GoogleAppsScript.Cache.Cache): RecordedEdit[] {
  const raw = cache.get(EDITS_KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as RecordedEdit[]) : [];
  } catch {
    return [];
  }
}

/**
 * The `onEdit` simple trigger: Apps Script runs it for edits by people only, never for writes by
 * scripts, which is exactly the Host contract of `onUserEdit`. It records the edit only while a
 * sidebar of this person is open (the sidebar's polls keep a flag alive), so editing stays cheap.
 */
export function recordUserEdit(event: GoogleAppsScript.Events.SheetsOnEdit): void {
  const cache = CacheService.getUserCache();
  if (!cache || !cache.get(SIDEBAR_OPEN_KEY)) return;
  const range = event.range;
  const edit: RecordedEdit = {
    tableId: String(range.getSheet().getSheetId()),
    row: range.getRow() - 1,
    column: range.getColumn() - 1,
    rowCount: range.getNumRows(),
    columnCount: range.getNumColumns(),
  };
  const lock = LockService.getUserLock();
  if (!lock.tryLock(2_000)) {
    console.warn('StoreSync: an edit was not passed to the sidebar (another edit was being recorded).');
    return;
  }
  try {
    const edits = [...readEdits(cache), edit].slice(-MAX_KEPT_EDITS);
    cache.put(EDITS_KEY, JSON.stringify(edits), EDIT_TTL_SECONDS);
  } finally {
    lock.releaseLock();
  }
}

/** The sidebar's poll: edits of these sheets since the last poll (and keeps edits being recorded). */
export function takeUserEdits(tableIds: string[]): RecordedEdit[] {
  const cache = CacheService.getUserCache();
  if (!cache) return [];
  cache.put(SIDEBAR_OPEN_KEY, '1', 60);
  const wanted = new Set((tableIds ?? []).map(String));
  const lock = LockService.getUserLock();
  lock.waitLock(10_000);
  try {
    const edits = readEdits(cache);
    if (edits.length === 0) return [];
    const mine = edits.filter((edit) => wanted.has(edit.tableId));
    const others = edits.filter((edit) => !wanted.has(edit.tableId));
    if (others.length > 0) cache.put(EDITS_KEY, JSON.stringify(others), EDIT_TTL_SECONDS);
    else cache.remove(EDITS_KEY);
    return mine;
  } finally {
    lock.releaseLock();
  }
}
