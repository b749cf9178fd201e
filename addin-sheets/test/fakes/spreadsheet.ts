/**
 * A fake of SpreadsheetApp (the parts StoreSync uses), following Google's documentation
 * (developers.google.com/apps-script/reference/spreadsheet):
 *
 * - `Range.getValues()` gives strings, numbers, booleans and `Date`s, `''` for empty cells;
 *   `setValues()` and `setNumberFormats()` throw when the array's dimensions differ from the
 *   range's, with Google's messages.
 * - `setValues()` takes strings as if typed, unless the cell's number format is plain text (`@`):
 *   `=…` becomes a formula, `0012` the number 12, `TRUE` a boolean, `2026-12-01` a date, and a
 *   leading apostrophe is dropped. That is why hosts must set formats BEFORE values.
 * - `getRange()` outside the sheet's grid throws; rows and columns are added with
 *   `insertRowsAfter`/`insertColumnsAfter`.
 * - Developer metadata on a ROW belongs to the row, not to its position: it moves when rows are
 *   sorted, inserted or deleted, and disappears with its row. It can only be added to whole rows
 *   or columns (`sheet.getRange('5:5')`), the sheet or the spreadsheet.
 * - Number formats default to `General`; plain text is `@`.
 *
 * Helpers outside Google's API (`type`, `sortData`, `select`, …) play the person at the sheet.
 */
import { appsScriptError, type FakeEnvironment } from './environment.ts';

export type CellContent = string | number | boolean | Date;

interface Cell {
  value: CellContent;
  format: string;
  formula: string;
}

interface Metadata {
  id: number;
  key: string;
  value: string | null;
  visibility: 'DOCUMENT' | 'PROJECT';
}

/** A row of the grid: its cells and the metadata that travels with it. */
interface Row {
  cells: Cell[];
  metadata: Metadata[];
}

export const DEFAULT_FORMAT = 'General';
export const TEXT_FORMAT = '@';

const emptyCell = (): Cell => ({ value: '', format: DEFAULT_FORMAT, formula: '' });

const isDate = (value: unknown): value is Date => Object.prototype.toString.call(value) === '[object Date]';

function copyValue(value: CellContent): CellContent {
  return isDate(value) ? new Date(value.getTime()) : value;
}

/** The instant of midnight of a calendar day in `zone` (how Sheets' dates come out of getValues). */
export function midnightIn(zone: string, year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(guess))
      .map((part) => [part.type, part.value]),
  );
  const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(guess - (shown - guess));
}

/** A string typed into a cell that is not plain text, as Sheets takes it. */
function parseTyped(text: string, zone: string): { value: CellContent; formula: string; format?: string } {
  if (text.startsWith("'")) return { value: text.slice(1), formula: '' };
  if (text.startsWith('=') && text.length > 1) return { value: '', formula: text };
  const trimmed = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return { value: Number(trimmed), formula: '' };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true', formula: '' };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (date) return { value: midnightIn(zone, Number(date[1]), Number(date[2]), Number(date[3])), formula: '', format: 'yyyy-mm-dd' };
  return { value: text, formula: '' };
}

export class FakeDeveloperMetadata {
  constructor(
    private readonly spreadsheet: FakeSpreadsheet,
    private readonly entry: Metadata,
  ) {}
  getId() {
    return this.entry.id;
  }
  getKey() {
    return this.entry.key;
  }
  getValue() {
    return this.entry.value;
  }
  getVisibility() {
    return this.entry.visibility;
  }
  setValue(value: string) {
    this.spreadsheet.env.current();
    this.entry.value = value;
    return this;
  }
  setKey(key: string) {
    this.spreadsheet.env.current();
    this.entry.key = key;
    return this;
  }
  remove() {
    this.spreadsheet.env.current();
    this.spreadsheet.removeMetadata(this.entry.id);
  }
  getLocation() {
    const place = this.spreadsheet.locateMetadata(this.entry.id);
    if (!place) throw appsScriptError('The developer metadata was removed.');
    const { sheet, row } = place;
    return {
      getLocationType: () => (row === null ? 'SHEET' : 'ROW'),
      getSheet: () => sheet,
      getRow: () => (row === null ? null : sheet.getRange(`${row}:${row}`)),
      getColumn: () => null,
      getSpreadsheet: () => null,
    };
  }
}

class FakeMetadataFinder {
  private key: string | null = null;
  private value: string | null = null;
  private locationType: string | null = null;
  private visibility: string | null = null;
  constructor(
    private readonly spreadsheet: FakeSpreadsheet,
    private readonly sheets: () => FakeSheet[],
  ) {}
  withKey(key: string) {
    this.key = key;
    return this;
  }
  withValue(value: string) {
    this.value = value;
    return this;
  }
  withLocationType(type: string) {
    this.locationType = String(type);
    return this;
  }
  withVisibility(visibility: string) {
    this.visibility = String(visibility);
    return this;
  }
  find(): FakeDeveloperMetadata[] {
    this.spreadsheet.env.current();
    const found: FakeDeveloperMetadata[] = [];
    for (const sheet of this.sheets()) {
      const entries: [Metadata, string][] = [
        ...sheet.sheetMetadata.map((entry): [Metadata, string] => [entry, 'SHEET']),
        ...sheet.rows.flatMap((row) => row.metadata.map((entry): [Metadata, string] => [entry, 'ROW'])),
      ];
      for (const [entry, type] of entries) {
        if (this.key !== null && entry.key !== this.key) continue;
        if (this.value !== null && entry.value !== this.value) continue;
        if (this.locationType !== null && type !== this.locationType) continue;
        if (this.visibility !== null && entry.visibility !== this.visibility) continue;
        found.push(new FakeDeveloperMetadata(this.spreadsheet, entry));
      }
    }
    return found;
  }
}

export class FakeRange {
  constructor(
    readonly sheet: FakeSheet,
    private readonly row: number,
    private readonly column: number,
    private readonly numRows: number,
    private readonly numColumns: number,
    /** `5:5`-style ranges: whole rows, whatever the sheet's width becomes. */
    private readonly wholeRows = false,
  ) {}

  private get env() {
    return this.sheet.spreadsheet.env;
  }

  getRow() {
    return this.row;
  }
  getColumn() {
    return this.column;
  }
  getNumRows() {
    return this.numRows;
  }
  getNumColumns() {
    return this.wholeRows ? this.sheet.getMaxColumns() : this.numColumns;
  }
  getLastRow() {
    return this.row + this.numRows - 1;
  }
  getLastColumn() {
    return this.column + this.getNumColumns() - 1;
  }
  getSheet() {
    return this.sheet;
  }
  getA1Notation() {
    if (this.wholeRows) return `${this.row}:${this.getLastRow()}`;
    const cell = (row: number, column: number) => `${columnLetters(column)}${row}`;
    return this.numRows === 1 && this.numColumns === 1 ? cell(this.row, this.column) : `${cell(this.row, this.column)}:${cell(this.getLastRow(), this.getLastColumn())}`;
  }

  private cells(): Cell[][] {
    return Array.from({ length: this.numRows }, (_, r) => Array.from({ length: this.getNumColumns() }, (_, c) => this.sheet.cellAt(this.row + r, this.column + c)));
  }

  private checkShape(data: unknown, what: 'data' | 'formats'): unknown[][] {
    if (!Array.isArray(data) || data.some((row) => !Array.isArray(row))) {
      throw appsScriptError(`The parameters (${typeof data}) don't match the method signature for SpreadsheetApp.Range.set${what === 'data' ? 'Values' : 'NumberFormats'}.`);
    }
    const rows = data as unknown[][];
    if (rows.length !== this.numRows) {
      throw appsScriptError(`The number of rows in the data does not match the number of rows in the range. The data has ${rows.length} but the range has ${this.numRows}.`);
    }
    for (const row of rows) {
      if (row.length !== this.getNumColumns()) {
        throw appsScriptError(`The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.getNumColumns()}.`);
      }
    }
    return rows;
  }

  getValues(): CellContent[][] {
    this.env.current();
    return this.cells().map((row) => row.map((cell) => copyValue(cell.value)));
  }
  getValue(): CellContent {
    return this.getValues()[0]?.[0] ?? '';
  }
  getFormulas(): string[][] {
    this.env.current();
    return this.cells().map((row) => row.map((cell) => cell.formula));
  }
  getNumberFormats(): string[][] {
    this.env.current();
    return this.cells().map((row) => row.map((cell) => cell.format));
  }
  getNumberFormat(): string {
    return this.getNumberFormats()[0]?.[0] ?? DEFAULT_FORMAT;
  }

  setValues(values: unknown[][]) {
    this.env.current();
    const rows = this.checkShape(values, 'data');
    this.sheet.spreadsheet.counters.setValues += 1;
    rows.forEach((row, r) =>
      row.forEach((value, c) => {
        const cell = this.sheet.cellAt(this.row + r, this.column + c, true);
        this.sheet.writeCell(cell, value);
      }),
    );
    return this;
  }
  setValue(value: unknown) {
    return this.setValues(Array.from({ length: this.numRows }, () => Array.from({ length: this.getNumColumns() }, () => value)));
  }
  setNumberFormats(formats: unknown[][]) {
    this.env.current();
    const rows = this.checkShape(formats, 'formats');
    this.sheet.spreadsheet.counters.setNumberFormats += 1;
    rows.forEach((row, r) =>
      row.forEach((format, c) => {
        if (typeof format !== 'string') throw appsScriptError(`Invalid number format: ${String(format)}`);
        this.sheet.cellAt(this.row + r, this.column + c, true).format = format;
      }),
    );
    return this;
  }
  setNumberFormat(format: string) {
    this.env.current();
    for (const row of this.cells()) for (const cell of row) cell.format = format;
    return this;
  }
  setWrap(wrap: boolean) {
    this.env.current();
    for (let c = 0; c < this.getNumColumns(); c += 1) this.sheet.wrapped.set(this.column + c, wrap);
    return this;
  }
  activate() {
    this.env.current();
    this.sheet.spreadsheet.select(this.sheet, [this]);
    return this;
  }

  /** Sorts the range's rows by a column (1-based, of the sheet) or `{ column, ascending }` specs. */
  sort(spec: number | { column: number; ascending?: boolean } | ({ column: number; ascending?: boolean } | number)[]) {
    this.env.current();
    const specs = (Array.isArray(spec) ? spec : [spec]).map((entry) => (typeof entry === 'number' ? { column: entry, ascending: true } : { ascending: true, ...entry }));
    this.sheet.sortRows(this.row, this.getLastRow(), specs, this.column === 1 && (this.wholeRows || this.getNumColumns() >= this.sheet.getMaxColumns()) ? null : [this.column, this.getLastColumn()]);
    return this;
  }

  addDeveloperMetadata(key: string, value?: string, visibility: 'DOCUMENT' | 'PROJECT' = 'DOCUMENT') {
    this.env.current();
    if (!this.wholeRows || this.numRows !== 1) {
      throw appsScriptError(
        'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to the top-level spreadsheet, an individual sheet, or an entire row or column.',
      );
    }
    this.sheet.spreadsheet.addMetadata(this.sheet.rowObject(this.row, true).metadata, key, value ?? null, visibility);
    return this;
  }
  createDeveloperMetadataFinder() {
    return new FakeMetadataFinder(this.sheet.spreadsheet, () => [this.sheet]);
  }
}

function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function compareCells(a: CellContent, b: CellContent): number {
  const rank = (value: CellContent) => (value === '' ? 3 : typeof value === 'number' || isDate(value) ? 0 : typeof value === 'boolean' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' || isDate(a)) return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

export class FakeSheet {
  /** Rows of the grid (index 0 = row 1); rows past the end are created on demand. */
  readonly rows: Row[] = [];
  readonly sheetMetadata: Metadata[] = [];
  readonly hidden = new Set<number>();
  readonly wrapped = new Map<number, boolean>();
  readonly widths = new Map<number, number>();
  private maxRows = 1000;
  private maxColumns = 26;
  private frozenRows = 0;

  constructor(
    readonly spreadsheet: FakeSpreadsheet,
    private readonly id: number,
    private name: string,
  ) {}

  // --- Google's API ----------------------------------------------------------------------

  getSheetId() {
    return this.id;
  }
  getName() {
    return this.name;
  }
  setName(name: string) {
    this.spreadsheet.env.current();
    this.name = name;
    return this;
  }
  getParent() {
    return this.spreadsheet;
  }
  getMaxRows() {
    return this.maxRows;
  }
  getMaxColumns() {
    return this.maxColumns;
  }
  getLastRow(): number {
    for (let index = this.rows.length - 1; index >= 0; index -= 1) {
      if ((this.rows[index]?.cells ?? []).some((cell) => cell.value !== '' || cell.formula !== '')) return index + 1;
    }
    return 0;
  }
  getLastColumn(): number {
    let last = 0;
    for (const row of this.rows) {
      for (let index = row.cells.length - 1; index >= last; index -= 1) {
        const cell = row.cells[index];
        if (cell && (cell.value !== '' || cell.formula !== '')) {
          last = index + 1;
          break;
        }
      }
    }
    return last;
  }
  getFrozenRows() {
    return this.frozenRows;
  }
  setFrozenRows(rows: number) {
    this.frozenRows = rows;
    return this;
  }
  insertRowsAfter(after: number, howMany: number) {
    this.spreadsheet.env.current();
    if (after < 1 || after > this.maxRows || howMany < 1) throw appsScriptError('Those rows are out of bounds.');
    this.rows.splice(after, 0, ...Array.from({ length: howMany }, (): Row => ({ cells: [], metadata: [] })));
    this.maxRows += howMany;
    return this;
  }
  insertColumnsAfter(after: number, howMany: number) {
    this.spreadsheet.env.current();
    if (after < 1 || after > this.maxColumns || howMany < 1) throw appsScriptError('Those columns are out of bounds.');
    for (const row of this.rows) if (row.cells.length > after) row.cells.splice(after, 0, ...Array.from({ length: howMany }, emptyCell));
    this.maxColumns += howMany;
    return this;
  }
  deleteRow(position: number) {
    this.spreadsheet.env.current();
    if (position < 1 || position > this.maxRows) throw appsScriptError('Those rows are out of bounds.');
    this.rows.splice(position - 1, 1); // its metadata goes with it
    this.maxRows -= 1;
    return this;
  }
  hideColumns(column: number, howMany = 1) {
    this.spreadsheet.env.current();
    for (let c = column; c < column + howMany; c += 1) this.hidden.add(c);
  }
  isColumnHiddenByUser(column: number) {
    return this.hidden.has(column);
  }
  setColumnWidth(column: number, width: number) {
    this.spreadsheet.env.current();
    this.widths.set(column, width);
    return this;
  }
  getRange(rowOrA1: number | string, column?: number, numRows = 1, numColumns = 1): FakeRange {
    this.spreadsheet.env.current();
    if (typeof rowOrA1 === 'string') return this.rangeFromA1(rowOrA1);
    const row = rowOrA1;
    if (!Number.isInteger(row) || row < 1) throw appsScriptError('The starting row of the range is too small.');
    if (column === undefined || !Number.isInteger(column) || column < 1) throw appsScriptError('The starting column of the range is too small.');
    if (!Number.isInteger(numRows) || numRows < 1) throw appsScriptError('The number of rows in the range must be at least 1.');
    if (!Number.isInteger(numColumns) || numColumns < 1) throw appsScriptError('The number of columns in the range must be at least 1.');
    if (row + numRows - 1 > this.maxRows || column + numColumns - 1 > this.maxColumns) throw appsScriptError('The coordinates of the range are outside the dimensions of the sheet.');
    return new FakeRange(this, row, column, numRows, numColumns);
  }
  getDataRange() {
    return this.getRange(1, 1, Math.max(this.getLastRow(), 1), Math.max(this.getLastColumn(), 1));
  }
  activate() {
    this.spreadsheet.env.current();
    this.spreadsheet.select(this, [this.getRange(1, 1)]);
    return this;
  }
  setActiveRange(range: FakeRange) {
    this.spreadsheet.env.current();
    this.spreadsheet.select(this, [range]);
    return range;
  }
  /** Sorts the sheet's rows below the frozen rows by a column (what Data → Sort sheet does). */
  sort(columnPosition: number, ascending = true) {
    this.spreadsheet.env.current();
    this.sortRows(this.frozenRows + 1, this.getLastRow(), [{ column: columnPosition, ascending }], null);
    return this;
  }
  addDeveloperMetadata(key: string, value?: string, visibility: 'DOCUMENT' | 'PROJECT' = 'DOCUMENT') {
    this.spreadsheet.env.current();
    this.spreadsheet.addMetadata(this.sheetMetadata, key, value ?? null, visibility);
    return this;
  }
  createDeveloperMetadataFinder() {
    return new FakeMetadataFinder(this.spreadsheet, () => [this]);
  }

  // --- Internals and the person's helpers --------------------------------------------------

  private rangeFromA1(a1: string): FakeRange {
    const rows = /^(\d+):(\d+)$/.exec(a1);
    if (rows) {
      const first = Number(rows[1]);
      const last = Number(rows[2]);
      if (first < 1 || last < first || last > this.maxRows) throw appsScriptError(`Range not found`);
      return new FakeRange(this, first, 1, last - first + 1, this.maxColumns, true);
    }
    const cells = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(a1);
    if (!cells) throw appsScriptError('Range not found');
    const col = (letters: string) => [...letters].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0);
    const row = Number(cells[2]);
    const column = col(cells[1] ?? 'A');
    const lastRow = cells[4] ? Number(cells[4]) : row;
    const lastColumn = cells[3] ? col(cells[3]) : column;
    return this.getRange(row, column, lastRow - row + 1, lastColumn - column + 1);
  }

  rowObject(row: number, create = false): Row {
    while (create && this.rows.length < row) this.rows.push({ cells: [], metadata: [] });
    return this.rows[row - 1] ?? { cells: [], metadata: [] };
  }

  cellAt(row: number, column: number, create = false): Cell {
    if (!create) return this.rows[row - 1]?.cells[column - 1] ?? emptyCell();
    const line = this.rowObject(row, true);
    while (line.cells.length < column) line.cells.push(emptyCell());
    return line.cells[column - 1] as Cell;
  }

  writeCell(cell: Cell, value: unknown): void {
    if (value === null || value === undefined) {
      cell.value = '';
      cell.formula = '';
    } else if (isDate(value)) {
      cell.value = new Date(value.getTime());
      cell.formula = '';
      if (cell.format === DEFAULT_FORMAT) cell.format = 'yyyy-mm-dd';
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      cell.value = value;
      cell.formula = '';
    } else if (typeof value === 'string') {
      if (cell.format === TEXT_FORMAT) {
        cell.value = value;
        cell.formula = '';
      } else {
        const typed = parseTyped(value, this.spreadsheet.getSpreadsheetTimeZone());
        cell.value = typed.value;
        cell.formula = typed.formula;
        if (typed.format && cell.format === DEFAULT_FORMAT) cell.format = typed.format;
      }
    } else {
      throw appsScriptError(`Cannot convert ${Object.prototype.toString.call(value)} to a cell value.`);
    }
  }

  /**
   * Sorts rows `first..last`. With `columns` null the whole rows move (cells and metadata), as
   * sorting a sheet or whole rows does; otherwise only the cells of those columns move.
   */
  sortRows(first: number, last: number, specs: { column: number; ascending: boolean }[], columns: [number, number] | null): void {
    if (last < first) return;
    for (let row = first; row <= last; row += 1) this.rowObject(row, true);
    const block = this.rows.slice(first - 1, last);
    const order = block
      .map((row, index) => ({ row, index }))
      .sort((a, b) => {
        for (const spec of specs) {
          const diff = compareCells(a.row.cells[spec.column - 1]?.value ?? '', b.row.cells[spec.column - 1]?.value ?? '');
          if (diff !== 0) return spec.ascending ? diff : -diff;
        }
        return a.index - b.index;
      });
    if (columns === null) {
      this.rows.splice(first - 1, block.length, ...order.map((entry) => entry.row));
      return;
    }
    const [from, to] = columns;
    const moved = order.map((entry) => Array.from({ length: to - from + 1 }, (_, c) => ({ ...(entry.row.cells[from - 1 + c] ?? emptyCell()) })));
    moved.forEach((cells, r) => cells.forEach((cell, c) => Object.assign(this.cellAt(first + r, from + c, true), cell)));
  }

  /** The person sorts the rows below the frozen ones by a column (Data → Sort sheet). */
  sortByPerson(column: number, ascending = true): void {
    this.sortRows(this.frozenRows + 1, this.getLastRow(), [{ column, ascending }], null);
  }

  /** What the person sees: every value of the used range (formulas as `=…`). */
  snapshot(): CellContent[][] {
    const lastRow = this.getLastRow();
    const lastColumn = this.getLastColumn();
    return Array.from({ length: lastRow }, (_, r) =>
      Array.from({ length: lastColumn }, (_, c) => {
        const cell = this.cellAt(r + 1, c + 1);
        return cell.formula || copyValue(cell.value);
      }),
    );
  }

  /** The person types `values` from `row`, `column` (1-based), as Sheets takes typed text. */
  type(row: number, column: number, values: unknown[][]): void {
    values.forEach((line, r) => line.forEach((value, c) => this.writeCell(this.cellAt(row + r, column + c, true), value)));
  }

  formatAt(row: number, column: number): string {
    return this.cellAt(row, column).format;
  }

  formulaCount(): number {
    return this.rows.reduce((sum, row) => sum + row.cells.filter((cell) => cell.formula !== '').length, 0);
  }

  rowMetadata(row: number): { key: string; value: string | null }[] {
    return (this.rows[row - 1]?.metadata ?? []).map((entry) => ({ key: entry.key, value: entry.value }));
  }
}

export class FakeUi {
  readonly menus: { title: string; items: { caption: string; functionName: string }[] }[] = [];
  readonly sidebars: { title: string; content: string }[] = [];
  readonly dialogs: { title: string; content: string; width: number; height: number }[] = [];
  readonly alerts: string[] = [];
  readonly ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' };
  readonly Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };

  constructor(private readonly env: FakeEnvironment) {}

  createMenu(title: string) {
    this.env.current();
    const menu = { title, items: [] as { caption: string; functionName: string }[] };
    const builder = {
      addItem: (caption: string, functionName: string) => {
        menu.items.push({ caption, functionName });
        return builder;
      },
      addSeparator: () => builder,
      addToUi: () => {
        this.menus.push(menu);
      },
    };
    return builder;
  }
  createAddonMenu() {
    return this.createMenu('Add-on');
  }
  showSidebar(output: { getTitle(): string; getContent(): string }) {
    this.env.current();
    if (this.env.execution?.kind === 'trigger') throw appsScriptError('Cannot call SpreadsheetApp.getUi() from this context.');
    this.sidebars.push({ title: output.getTitle(), content: output.getContent() });
  }
  showModalDialog(output: { getContent(): string; getWidth(): number; getHeight(): number }, title: string) {
    this.env.current();
    this.dialogs.push({ title, content: output.getContent(), width: output.getWidth(), height: output.getHeight() });
  }
  alert(titleOrPrompt: string, prompt?: string) {
    this.env.current();
    this.alerts.push(prompt ?? titleOrPrompt);
    return this.Button.OK;
  }
}

export class FakeSpreadsheet {
  readonly sheets: FakeSheet[] = [];
  readonly toasts: { message: string; title: string }[] = [];
  readonly counters = { setValues: 0, setNumberFormats: 0 };
  private nextSheetId = 0;
  private nextMetadataId = 1000;
  private activeSheet: FakeSheet | null = null;
  private activeRanges: FakeRange[] = [];

  constructor(
    readonly env: FakeEnvironment,
    readonly ui: FakeUi,
    private readonly timeZone = 'Europe/Berlin',
    readonly id = 'spreadsheet-1',
  ) {}

  getId() {
    return this.id;
  }
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
  getSheets() {
    this.env.current();
    return [...this.sheets];
  }
  getSheetByName(name: string) {
    return this.sheets.find((sheet) => sheet.getName() === name) ?? null;
  }
  insertSheet(name: string) {
    const sheet = new FakeSheet(this, this.nextSheetId === 0 ? 0 : 100_000 + this.nextSheetId * 7919, name);
    this.nextSheetId += 1;
    this.sheets.push(sheet);
    this.activeSheet ??= sheet;
    return sheet;
  }
  getActiveSheet() {
    this.env.current();
    return this.activeSheet ?? this.sheets[0] ?? null;
  }
  getActiveRange() {
    this.env.current();
    return this.activeRanges[0] ?? null;
  }
  getActiveRangeList() {
    this.env.current();
    return this.activeRanges.length ? { getRanges: () => [...this.activeRanges] } : null;
  }
  toast(message: string, title = '', _timeoutSeconds?: number) {
    this.env.current();
    this.toasts.push({ message, title });
  }
  createDeveloperMetadataFinder() {
    return new FakeMetadataFinder(this, () => this.sheets);
  }

  select(sheet: FakeSheet, ranges: FakeRange[]) {
    this.activeSheet = sheet;
    this.activeRanges = ranges;
  }

  addMetadata(list: Metadata[], key: string, value: string | null, visibility: 'DOCUMENT' | 'PROJECT') {
    if (!key) throw appsScriptError('Developer metadata must have a key.');
    list.push({ id: this.nextMetadataId++, key, value, visibility });
  }

  private allMetadata(): { entry: Metadata; sheet: FakeSheet; row: number | null; list: Metadata[] }[] {
    return this.sheets.flatMap((sheet) => [
      ...sheet.sheetMetadata.map((entry) => ({ entry, sheet, row: null, list: sheet.sheetMetadata })),
      ...sheet.rows.flatMap((row, index) => row.metadata.map((entry) => ({ entry, sheet, row: index + 1, list: row.metadata }))),
    ]);
  }

  locateMetadata(id: number): { sheet: FakeSheet; row: number | null } | null {
    const found = this.allMetadata().find((item) => item.entry.id === id);
    return found ? { sheet: found.sheet, row: found.row } : null;
  }

  removeMetadata(id: number) {
    const found = this.allMetadata().find((item) => item.entry.id === id);
    if (found) found.list.splice(found.list.indexOf(found.entry), 1);
  }

  /** The person selects rows `first..last` (1-based) of `sheet`, all its columns. */
  selectRows(sheet: FakeSheet, first: number, last = first) {
    this.activeSheet = sheet;
    this.activeRanges = [new FakeRange(sheet, first, 1, last - first + 1, Math.max(sheet.getLastColumn(), 1))];
  }
}

export function createSpreadsheetApp(spreadsheet: FakeSpreadsheet) {
  return {
    getActiveSpreadsheet: () => spreadsheet,
    getActive: () => spreadsheet,
    getUi: () => {
      spreadsheet.env.current();
      return spreadsheet.ui;
    },
    flush: () => undefined,
    DeveloperMetadataLocationType: { ROW: 'ROW', COLUMN: 'COLUMN', SHEET: 'SHEET', SPREADSHEET: 'SPREADSHEET' },
    DeveloperMetadataVisibility: { DOCUMENT: 'DOCUMENT', PROJECT: 'PROJECT' },
  };
}
