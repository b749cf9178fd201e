/**
 * The one seam between the shared task pane and a spreadsheet.
 *
 * The pane (React, Fluent UI) never calls Office.js or Apps Script: each add-in gives it an
 * object implementing {@link Host} (addin-excel: Office.js; addin-sheets: typed
 * `google.script.run` calls), and tests use the in-memory `FakeHost` (testing/fake-host.ts).
 *
 * Coordinates follow the sync engine (`@storesync/core`, core/src/sync/README.md): a table is read
 * as a {@link Sheet} whose `values[0]` is the header row, and every row or column index on this
 * interface is 0-based into that array (row 0 = header, row 1 = first data row; column 0 = the
 * table's first column), exactly the coordinates of `WritePlan` blocks. Indexes are positions in
 * the snapshot the host last read; rows move when a person sorts, so the pane locates rows by
 * identity (the engine's `indexRows`/`locateRow`) on a fresh read before it selects one.
 *
 * Every method may reject with an `Error` whose message the pane shows as is, so it should say
 * what went wrong in words for the person at the sheet. A table that no longer exists (deleted,
 * renamed in a way the host cannot follow) rejects with {@link HostTableMissingError}.
 */
import type { CellValue, DateSystem, HostLimits, ManualMapping, Sheet, SheetKind, WritePlan } from '@storesync/core';

export type ThemeName = 'light' | 'dark';

/** Call it to stop listening. Calling it twice is harmless. */
export type Unsubscribe = () => void;

/** A table or range a person can connect to StoreSync. */
export interface HostTable {
  /**
   * Stable across sessions and renames where the host can manage it (Excel: the table's id, or a
   * named range; Sheets: the sheet id). The pane stores connections under this id.
   */
  id: string;
  /** What the person sees: the table's name (Excel) or the sheet's name (Sheets). */
  name: string;
  /** The worksheet it lives on. */
  sheetName: string;
  /** Data rows, without the header row. */
  rowCount: number;
  /** The header row as written (cheap for hosts), so the pane can propose a sheet kind without reading every row. */
  headers: CellValue[];
}

/** How the workbook counts dates, for the engine's `readRows` and `planWrites`. */
export interface DateSettings {
  /** Excel: `excel-1904` when `workbook.use1904DateSystem`, else `excel-1900`; Sheets: `sheets`. */
  dateSystem: DateSystem;
  /**
   * IANA zone for dates without an offset (Sheets: the spreadsheet's time zone; Excel has none, so
   * the browser's `Intl.DateTimeFormat().resolvedOptions().timeZone`).
   */
  timeZone: string;
}

/** A change a person made in a connected table (never a change the add-in wrote itself). */
export interface UserEdit {
  tableId: string;
  /** The changed rectangle, 0-based in table coordinates (row 0 = header). */
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
  /**
   * The new values of the rectangle when the host has them at no extra cost (Excel `onChanged`
   * details of a single cell; Sheets `onEdit`'s `e.value`); otherwise absent and the pane reads the
   * table when it needs them.
   */
  values?: CellValue[][];
}

export interface Host {
  /** For messages: `Excel`, `Google Sheets`. */
  readonly name: string;
  /** Cell and request limits the engine plans with (`EXCEL_LIMITS`, `SHEETS_LIMITS`). */
  readonly limits: HostLimits;
  /**
   * Whether the person can act between two calls of one plan (Sheets: each call is a server round
   * trip). When true, the pane gives {@link applyWritePlan} one call at a time and reads and plans
   * again in between, as the engine requires (README "Re-plan after yielding").
   */
  readonly yieldsBetweenCalls: boolean;

  /** Tables (Excel) or sheets/ranges (Sheets) of the open document that have a header row. */
  listTables(): Promise<HostTable[]>;

  /**
   * The table's current content: header row plus every data row, with `numberFormats` of the same
   * shape (the engine tells dates and percentages by them). Hosts pass values as their API gives
   * them, except Apps Script `Date` objects, which become serials (`dateToSerial`).
   */
  readTable(tableId: string): Promise<Sheet>;

  /**
   * Applies a plan from the engine's `planWrites`, with the semantics of the engine's reference
   * `applyWritePlan`:
   * 1. `plan.addColumns` first, after the table's last column (never inserted between existing
   *    columns): header text, the column's number format, hidden (the StoreSync id) and wrapped
   *    (long copy) as asked. Hosts may decorate known columns too (status colours, a status list).
   * 2. Then each entry of `plan.calls` as ONE host round trip (one `context.sync()` / one
   *    `google.script.run`), within `limits.maxRequestBytes`. Inside a call, each block's
   *    `numberFormats` are set BEFORE its `values` (a `null` format leaves the cell's format
   *    alone), so text never turns into a formula, a date or a number.
   * Writes made here must not reach {@link onUserEdit} handlers. Resolves when every call is done;
   * rejects at the first failed call (planning is idempotent, so the pane simply plans again).
   */
  applyWritePlan(tableId: string, plan: WritePlan): Promise<void>;

  /** Selects (and scrolls to) one row of the table; `rowIndex` ≥ 1. */
  selectRow(tableId: string, rowIndex: number): Promise<void>;

  /** Data rows (≥ 1) the current selection touches in this table, ascending; `[]` when the selection is elsewhere. */
  getSelectedRows(tableId: string): Promise<number[]>;

  /**
   * Calls `handler` after each change a PERSON makes in the table (typing, paste, delete, fill).
   * Changes written by {@link applyWritePlan} must not be reported. Hosts that cannot listen
   * (a closed sidebar) may report late or not at all; the pane re-reads before it syncs anyway.
   */
  onUserEdit(tableId: string, handler: (edit: UserEdit) => void): Unsubscribe;

  /** Read when a sync starts, since a workbook's settings can change while the pane is open. */
  getDateSettings(): Promise<DateSettings>;

  /**
   * Settings stored IN the document, shared by everyone who opens it (Excel: document settings;
   * Sheets: document properties): which tables are connected as what, and hand column mappings.
   * Values are JSON; `get` of an unknown key gives `undefined`. `set` persists before resolving.
   * Never put tokens here: the document travels.
   */
  readonly documentSettings: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown): Promise<void>;
  };

  /**
   * Storage for THIS person only, never in the document (Excel: `OfficeRuntime.storage` or
   * `localStorage`; Sheets: user properties): the refresh token and the chosen brand.
   */
  readonly userStorage: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string): Promise<void>;
    remove(key: string): Promise<void>;
  };

  /** The office theme now (Excel: `Office.context.officeTheme`; Sheets: `light`). */
  readonly theme: ThemeName;
  onThemeChange(handler: (theme: ThemeName) => void): Unsubscribe;
}

/** The table was deleted or can no longer be found under its id; the pane offers to reconnect. */
export class HostTableMissingError extends Error {
  constructor(readonly tableId: string, message = 'The connected table no longer exists in this workbook; connect a table again.') {
    super(message);
    this.name = 'HostTableMissingError';
  }
}

/**
 * A connected table as the pane keeps it in `documentSettings`. Also read by hosts that work
 * while the pane is closed (the Sheets add-in's background trigger), so it lives with the host contract.
 */
export interface Connection {
  tableId: string;
  /** The table's name when it was connected, to say which table a stale connection meant. */
  tableName: string;
  kind: SheetKind;
  brandId: string;
  /** Hand mappings (`rememberMapping`), keyed by normalised header, so moved columns keep them. */
  manual: ManualMapping;
  /**
   * Change-feed cursor: where this table's next catch-up starts. Set by the first sync, then only
   * moved by catch-ups, so no change made elsewhere in between is skipped.
   */
  cursor: string | null;
}
