/**
 * An in-memory {@link Host} over plain 2-D arrays, for the pane's tests and the browser demo.
 *
 * Writes go through the engine's reference `applyWritePlan`, so what a test sees in a FakeHost is
 * exactly what a correct Office.js or Apps Script host must produce. The helpers below the
 * interface (`typeCell`, `sortRows`, `select`, `setTheme`) play the person at the sheet.
 */
import { applyWritePlan, EXCEL_LIMITS, type CellValue, type HostLimits, type Sheet, type WritePlan } from '@storesync/core';
import {
  HostTableMissingError,
  type DateSettings,
  type Host,
  type HostTable,
  type ThemeName,
  type Unsubscribe,
  type UserEdit,
} from '../host.ts';

export interface FakeTable {
  id: string;
  name: string;
  sheetName?: string;
  values: CellValue[][];
  numberFormats?: (string | null)[][];
}

export interface FakeHostOptions {
  tables?: FakeTable[];
  limits?: HostLimits;
  name?: string;
  yieldsBetweenCalls?: boolean;
  dateSettings?: DateSettings;
  theme?: ThemeName;
  documentSettings?: Record<string, unknown>;
  userStorage?: Record<string, string>;
}

interface StoredTable {
  id: string;
  name: string;
  sheetName: string;
  sheet: Sheet;
}

const copySheet = (sheet: Sheet): Sheet => ({
  values: sheet.values.map((row) => [...row]),
  ...(sheet.numberFormats ? { numberFormats: sheet.numberFormats.map((row) => [...row]) } : {}),
});

/** Structured clone through JSON: settings are JSON in every real host, so the fake keeps that honest. */
const json = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export class FakeHost implements Host {
  readonly name: string;
  readonly limits: HostLimits;
  readonly yieldsBetweenCalls: boolean;
  theme: ThemeName;
  dateSettings: DateSettings;

  /** Every plan applied, per table, in order: tests assert on round trips with it. */
  readonly appliedPlans: { tableId: string; plan: WritePlan }[] = [];
  /** Rows selected through {@link selectRow}, in order. */
  readonly selections: { tableId: string; rowIndex: number }[] = [];

  private readonly tables = new Map<string, StoredTable>();
  private selection: { tableId: string; rows: number[] } | null = null;
  private readonly editHandlers = new Set<{ tableId: string; handler: (edit: UserEdit) => void }>();
  private readonly themeHandlers = new Set<(theme: ThemeName) => void>();
  private readonly settings = new Map<string, unknown>();
  private readonly storage = new Map<string, string>();

  constructor(options: FakeHostOptions = {}) {
    this.name = options.name ?? 'Fake spreadsheet';
    this.limits = options.limits ?? EXCEL_LIMITS;
    this.yieldsBetweenCalls = options.yieldsBetweenCalls ?? false;
    this.theme = options.theme ?? 'light';
    this.dateSettings = options.dateSettings ?? { dateSystem: this.limits.dateSystem, timeZone: 'UTC' };
    for (const table of options.tables ?? []) this.addTable(table);
    for (const [key, value] of Object.entries(options.documentSettings ?? {})) this.settings.set(key, json(value));
    for (const [key, value] of Object.entries(options.userStorage ?? {})) this.storage.set(key, value);
  }

  // --- Host ---------------------------------------------------------------------------------

  listTables(): Promise<HostTable[]> {
    return Promise.resolve(
      [...this.tables.values()].map((table) => ({
        id: table.id,
        name: table.name,
        sheetName: table.sheetName,
        rowCount: Math.max(0, table.sheet.values.length - 1),
        headers: [...(table.sheet.values[0] ?? [])],
      })),
    );
  }

  // `Promise.resolve().then(…)`: a missing table rejects like a real host's call, never throws synchronously.
  readTable(tableId: string): Promise<Sheet> {
    return Promise.resolve().then(() => copySheet(this.table(tableId).sheet));
  }

  applyWritePlan(tableId: string, plan: WritePlan): Promise<void> {
    return Promise.resolve().then(() => {
      const table = this.table(tableId);
      // The reference semantics: added columns, then each call's formats before its values.
      table.sheet = applyWritePlan(table.sheet, plan);
      this.appliedPlans.push({ tableId, plan });
    });
  }

  selectRow(tableId: string, rowIndex: number): Promise<void> {
    return Promise.resolve().then(() => {
      const table = this.table(tableId);
      if (!(rowIndex >= 1 && rowIndex < table.sheet.values.length)) throw new RangeError(`row ${rowIndex} is outside the table`);
      this.selection = { tableId, rows: [rowIndex] };
      this.selections.push({ tableId, rowIndex });
    });
  }

  getSelectedRows(tableId: string): Promise<number[]> {
    return Promise.resolve(this.selection?.tableId === tableId ? [...this.selection.rows] : []);
  }

  onUserEdit(tableId: string, handler: (edit: UserEdit) => void): Unsubscribe {
    const entry = { tableId, handler };
    this.editHandlers.add(entry);
    return () => {
      this.editHandlers.delete(entry);
    };
  }

  getDateSettings(): Promise<DateSettings> {
    return Promise.resolve({ ...this.dateSettings });
  }

  readonly documentSettings = {
    get: (key: string): Promise<unknown> => Promise.resolve(json(this.settings.get(key))),
    set: (key: string, value: unknown): Promise<void> => {
      this.settings.set(key, json(value));
      return Promise.resolve();
    },
  };

  readonly userStorage = {
    get: (key: string): Promise<string | null> => Promise.resolve(this.storage.get(key) ?? null),
    set: (key: string, value: string): Promise<void> => {
      this.storage.set(key, value);
      return Promise.resolve();
    },
    remove: (key: string): Promise<void> => {
      this.storage.delete(key);
      return Promise.resolve();
    },
  };

  onThemeChange(handler: (theme: ThemeName) => void): Unsubscribe {
    this.themeHandlers.add(handler);
    return () => {
      this.themeHandlers.delete(handler);
    };
  }

  // --- The person at the sheet --------------------------------------------------------------

  addTable(table: FakeTable): void {
    this.tables.set(table.id, {
      id: table.id,
      name: table.name,
      sheetName: table.sheetName ?? table.name,
      sheet: copySheet({ values: table.values, ...(table.numberFormats ? { numberFormats: table.numberFormats } : {}) }),
    });
  }

  removeTable(tableId: string): void {
    this.tables.delete(tableId);
  }

  /** The table as it is now (a copy). */
  snapshot(tableId: string): Sheet {
    return copySheet(this.table(tableId).sheet);
  }

  /** Column index of a header, for tests that address cells by header. */
  columnOf(tableId: string, header: string): number {
    const index = (this.table(tableId).sheet.values[0] ?? []).findIndex((cell) => cell === header);
    if (index < 0) throw new Error(`no column "${header}" in ${tableId}`);
    return index;
  }

  /** Types a value into one cell and tells the edit listeners, as a person's edit. */
  typeCell(tableId: string, row: number, column: number, value: CellValue): void {
    const sheet = this.table(tableId).sheet;
    while (sheet.values.length <= row) sheet.values.push([]);
    const line = sheet.values[row] ?? [];
    while (line.length < column) line.push('');
    line[column] = value;
    this.emitEdit({ tableId, row, column, rowCount: 1, columnCount: 1, values: [[value]] });
  }

  /** Sorts the data rows by one column, as a person sorting the table would. */
  sortRows(tableId: string, column: number, direction: 'asc' | 'desc' = 'asc'): void {
    const sheet = this.table(tableId).sheet;
    const order = sheet.values.slice(1).map((row, index) => ({ row, formats: sheet.numberFormats?.[index + 1], index }));
    const text = (value: CellValue | undefined) => (value === null || value === undefined ? '' : String(value));
    order.sort((a, b) => text(a.row[column]).localeCompare(text(b.row[column]), undefined, { numeric: true }) * (direction === 'asc' ? 1 : -1));
    sheet.values = [sheet.values[0] ?? [], ...order.map((entry) => entry.row)];
    if (sheet.numberFormats) sheet.numberFormats = [sheet.numberFormats[0] ?? [], ...order.map((entry) => entry.formats ?? [])];
    this.emitEdit({ tableId, row: 1, column: 0, rowCount: order.length, columnCount: (sheet.values[0] ?? []).length });
  }

  /** Selects data rows as a person would (no record in {@link selections}). */
  select(tableId: string, rows: number[]): void {
    this.selection = { tableId, rows: [...rows].sort((a, b) => a - b) };
  }

  setTheme(theme: ThemeName): void {
    this.theme = theme;
    for (const handler of this.themeHandlers) handler(theme);
  }

  private emitEdit(edit: UserEdit): void {
    for (const entry of this.editHandlers) if (entry.tableId === edit.tableId) entry.handler(edit);
  }

  private table(tableId: string): StoredTable {
    const table = this.tables.get(tableId);
    if (!table) throw new HostTableMissingError(tableId);
    return table;
  }
}
