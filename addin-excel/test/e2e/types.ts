/**
 * What the simulated Excel page (browser/simulated-excel.ts) offers the test through
 * `window.storeSyncExcel`, shared by the browser bundle and the test's `page.evaluate` calls.
 */

export type SeedValue = string | number | boolean;

/** A table to put into the workbook: `values[0]` is the header row. */
export interface SeedTable {
  id: string;
  name: string;
  sheet: string;
  /** Worksheet row (0-based) of the header; default 0. */
  row?: number;
  /** Worksheet column (0-based) of the first column; default 0. */
  column?: number;
  values: SeedValue[][];
  /** Number formats of the same shape (`@` for text). */
  formats?: string[][];
}

/** One data row of a table, by header text (hidden columns included). */
export type RowByHeader = Record<string, SeedValue>;

/** How a cell looks: the conditional format that applies to it, if any. */
export interface CellLook {
  value: SeedValue;
  fill: string | null;
  font: string | null;
}

export interface SimulatedExcelApi {
  addTable(seed: SeedTable): void;
  /** The ribbon's "Open StoreSync" button: opens the task pane (an iframe of /addin/taskpane.html). */
  openPane(): void;
  /** The task pane's close button: the pane's page goes away and its event handlers with it. */
  closePane(): void;
  /** Draws the grid now (it also redraws itself shortly after every change). */
  redraw(): void;
  /** Shows a worksheet in the grid (sheet tabs). */
  showSheet(sheet: string): void;
  /** A person sorts the table by the column with this header (Data → Sort). */
  sortTable(tableId: string, header: string, descending?: boolean): void;
  /** A person selects data rows `first`..`first + count - 1` (1-based) of the table, all its columns. */
  selectRows(tableId: string, first: number, count: number): void;
  /** The table's data rows by header, in the order the sheet shows them. */
  rows(tableId: string): RowByHeader[];
  /** Header texts of the hidden columns of the table. */
  hiddenHeaders(tableId: string): string[];
  /** The value and conditional-format colours of one cell (data row ≥ 1, by header). */
  look(tableId: string, row: number, header: string): CellLook;
  /** Data validation list source on the column's data body, if any. */
  validationList(tableId: string, header: string): string | null;
  /** `Excel.run` calls, `context.sync()` calls and change events raised so far. */
  counters(): { runs: number; syncs: number; events: number };
}

export interface SimulatedExcelWindow {
  storeSyncExcel: SimulatedExcelApi;
}
