/**
 * Shared types of the sync engine (`core/src/sync/`).
 *
 * The engine never talks to a spreadsheet: a host (the Excel task pane through Office.js, the
 * Sheets sidebar through Apps Script) reads the used range into a {@link Sheet}, hands it to the
 * engine, and applies the {@link WritePlan}-s it gets back. Everything here is plain data, so it
 * runs unchanged in a browser, in Apps Script's V8 and in Node.
 *
 * Coordinates: `Sheet.values[0]` is the header row. Problems name rows the way a person sees them
 * (1-based: the header is row 1, the first data row is row 2); write plans use 0-based indexes
 * into `values` (row 0 = header, column 0 = A), like `worksheet.getRangeByIndexes` in Excel
 * (Sheets' `getRange(row + 1, column + 1, …)`).
 */

/** What a host reads from or writes to one cell. Empty cells read as `''` or `null`. */
export type CellValue = string | number | boolean | null;

/**
 * One sheet as the host read it.
 *
 * - `values`: the used range, row 0 = headers. Rows may be ragged (missing cells are blank).
 *   Hosts pass what their API gives for values (Excel `range.values`; Sheets `getValues()` with
 *   `Date` objects turned into serial numbers by {@link dateToSerial} from `values.ts`).
 * - `numberFormats`: optional, same shape (Excel `range.numberFormat`, Sheets
 *   `getNumberFormats()`). Used to tell a date serial (`45992` formatted `yyyy-mm-dd`) from a
 *   number and `30%` (stored as 0.3) from 0.3. Without it, numbers in extra columns stay numbers.
 */
export interface Sheet {
  values: CellValue[][];
  numberFormats?: (string | null)[][];
}

export type SheetKind = 'locations' | 'campaigns' | 'templates';
export const SHEET_KINDS: readonly SheetKind[] = ['locations', 'campaigns', 'templates'];

/**
 * How date serial numbers count days:
 * - `excel-1900`: Windows Excel and Excel on the web (serial 1 = 1900-01-01, with Lotus' phantom
 *   1900-02-29, so serials from 61 on count from 1899-12-30);
 * - `excel-1904`: workbooks with the 1904 date system (serial 0 = 1904-01-01);
 * - `sheets`: Google Sheets (serial 0 = 1899-12-30, no phantom day).
 */
export type DateSystem = 'excel-1900' | 'excel-1904' | 'sheets';

export interface HostLimits {
  host: 'excel' | 'sheets';
  /** Longest text a cell holds; longer text is cut with a visible marker (safety.ts). */
  maxCellChars: number;
  /** Byte budget of one host call (one `context.sync()` / one `google.script.run`), see plan.ts. */
  maxRequestBytes: number;
  dateSystem: DateSystem;
}

/** 4 MiB: Excel on the web refuses requests over 5 MB; the rest is headroom for the envelope. */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export const EXCEL_LIMITS: HostLimits = Object.freeze({
  host: 'excel',
  maxCellChars: 32_767,
  maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  dateSystem: 'excel-1900',
});

export const SHEETS_LIMITS: HostLimits = Object.freeze({
  host: 'sheets',
  maxCellChars: 50_000,
  maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  dateSystem: 'sheets',
});

/**
 * One thing wrong with the sheet, as the pane lists it and as the row's Sync Error cell shows it.
 * `error` keeps the row from being sent; `warning` does not (the row is sent without the value).
 */
export interface RowProblem {
  /** 1-based sheet row: 1 is the header row, 2 the first data row. */
  row: number;
  /** The header text of the column (or `column F` when the header is blank; `''` for the whole row). */
  column: string;
  /** What is wrong and how to fix it, in words for the person at the sheet. */
  message: string;
  severity: 'error' | 'warning';
  /** The engine's field name when the problem is about one (`store_number`, `customizations.sale_type`). */
  field?: string;
  /** The row's identity when the problem is about a data row, so the plan can find it again after a sort. */
  ref?: RowRef;
}

/**
 * How a result finds its row again (identity.ts): the StoreSync id first, then the natural key
 * (store number; store number + template; template name), then, for rows that have neither yet,
 * a fingerprint of the row's own input cells. Never by position.
 */
export interface RowRef {
  id?: string | null;
  key?: string | null;
  fingerprint?: string | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
