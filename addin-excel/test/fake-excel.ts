/**
 * A small simulated workbook behind the Excel JavaScript API, built from Microsoft's
 * `office-addin-mock` objects, for the host's unit tests.
 *
 * Every object the host touches (request context, workbook, tables, ranges, worksheets,
 * collections) is an `OfficeMockObject`, so the mock's rules hold: reading a property that was not
 * `load`ed, or before `context.sync()`, gives office-addin-mock's error string instead of data.
 * The mock has no model of a grid, so the fake adds one: ranges are created over cells of a
 * simulated worksheet, and property writes (`values`, `numberFormat`, `columnHidden`, `format.*`)
 * are queued in call order and applied when the context syncs, like Office.js. Every queued
 * operation lands in `ops` (with the number of the sync it belongs to), so tests can check the
 * order of writes and count `context.sync()` calls. After a sync that changed a table's cells,
 * the fake raises `onChanged` on that table asynchronously, as Excel does for an add-in's own
 * writes; `typeCell`, `pasteCells` and `sortTable` act as a person.
 *
 * Conditional formats and data validation rules are kept per worksheet rectangle
 * (`conditionalFormats`, `validations`), and every sync's payload is metered (`payloads`: bytes of
 * the `values` and `numberFormat` arrays it sent and the ones it loaded), for the benchmark.
 */
import { OfficeMockObject } from 'office-addin-mock';
import { formatAddress, intersect, type Rect } from '../src/host/addresses.ts';
import type { ExcelRun } from '../src/host/office.ts';

type Value = string | number | boolean;

export interface FakeTable {
  id: string;
  name: string;
  sheet: string;
  /** Worksheet row of the header (0-based). */
  row: number;
  /** Worksheet column of the first column (0-based). */
  column: number;
  /** Data rows. */
  rows: number;
  columns: number;
  showHeaders: boolean;
}

export interface Op {
  /** 1-based number of the context.sync() the operation was sent with. */
  sync: number;
  kind:
    | 'values'
    | 'numberFormat'
    | 'columnHidden'
    | 'wrapText'
    | 'columnWidth'
    | 'suspendCalculation'
    | 'addColumn'
    | 'addRows'
    | 'select'
    | 'load'
    | 'conditionalFormat'
    | 'clearConditionalFormats'
    | 'dataValidation'
    | 'clearDataValidation';
  sheet?: string;
  address?: string;
  value?: unknown;
}

/** A conditional format as the add-in created it. */
export interface FakeConditionalFormat {
  sheet: string;
  rect: Rect;
  type: string;
  rule?: unknown;
  fill?: string;
  font?: string;
}

/** A data validation rule on a rectangle. */
export interface FakeValidation {
  sheet: string;
  rect: Rect;
  rule: unknown;
  errorAlert?: unknown;
}

/** What one context.sync() carried: UTF-8 bytes of the values and number formats written and loaded. */
export interface SyncPayload {
  sync: number;
  sent: number;
  received: number;
}

/** UTF-8 bytes of a value as JSON (what Office.js sends for it, near enough). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export interface FakeEvent {
  type: 'TableChanged';
  tableId: string;
  worksheetId: string;
  address: string;
  changeType: string;
  source: 'Local' | 'Remote';
  details?: { valueAfter: unknown; valueBefore: unknown };
}

const MOCK_ERRORS = new Set(['Error, property was not loaded', 'Error, context.sync() was not called']);

interface Batch {
  ops: (() => void)[];
  log: Omit<Op, 'sync'>[];
  mocks: OfficeMockObject[];
  failure?: { code: string; message: string };
  touched: Map<string, Rect[]>;
  /** How often this context synced. */
  syncs: number;
  /** Bytes of values/numberFormat assigned since the last sync. */
  sent: number;
  /** Bytes of values/numberFormat loaded since the last sync. */
  loads: (() => number)[];
}

export class FakeWorkbook {
  readonly ops: Op[] = [];
  syncs = 0;
  runs = 0;
  /** onChanged events raised (own writes and a person's). */
  raised = 0;
  /** Raise onChanged for the add-in's own writes (Excel does). */
  raiseOwnEvents = true;
  /** Also pass `details` (ExcelApi 1.9) with single-cell events. */
  eventDetails = true;
  selection: { sheet: string; areas: Rect[] } = { sheet: 'Sheet1', areas: [{ row: 0, column: 0, rowCount: 1, columnCount: 1 }] };
  readonly tables: FakeTable[] = [];
  readonly hiddenColumns = new Map<string, Set<number>>();
  readonly columnWidths = new Map<string, number>();
  readonly wrapped = new Map<string, Set<number>>();
  readonly conditionalFormats: FakeConditionalFormat[] = [];
  readonly validations: FakeValidation[] = [];
  /** One entry per context.sync(), in order. */
  readonly payloads: SyncPayload[] = [];
  private readonly cells = new Map<string, Map<string, { value: Value; format: string }>>();
  private readonly handlers = new Map<string, Set<(event: FakeEvent) => Promise<unknown>>>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(readonly sheetIds: Record<string, string> = { Sheet1: '{sheet-1}', Sheet2: '{sheet-2}' }) {}

  // ---- the simulated grid --------------------------------------------------------------------

  private grid(sheet: string) {
    let grid = this.cells.get(sheet);
    if (!grid) this.cells.set(sheet, (grid = new Map()));
    return grid;
  }

  cell(sheet: string, row: number, column: number): { value: Value; format: string } {
    return this.grid(sheet).get(`${row},${column}`) ?? { value: '', format: 'General' };
  }

  setCell(sheet: string, row: number, column: number, value?: Value, format?: string): void {
    const old = this.cell(sheet, row, column);
    this.grid(sheet).set(`${row},${column}`, { value: value ?? old.value, format: format ?? old.format });
  }

  read(sheet: string, rect: Rect): { values: Value[][]; formats: string[][] } {
    const values: Value[][] = [];
    const formats: string[][] = [];
    for (let r = 0; r < rect.rowCount; r += 1) {
      values.push([]);
      formats.push([]);
      for (let c = 0; c < rect.columnCount; c += 1) {
        const cell = this.cell(sheet, rect.row + r, rect.column + c);
        values[r]?.push(cell.value);
        formats[r]?.push(cell.format);
      }
    }
    return { values, formats };
  }

  /** Adds a table whose header row starts at (row, column) with `values[0]` as headers. */
  addTable(table: Omit<FakeTable, 'rows' | 'columns' | 'showHeaders'> & { showHeaders?: boolean }, values: Value[][], formats?: string[][]): FakeTable {
    const created: FakeTable = { showHeaders: true, ...table, rows: Math.max(1, values.length - 1), columns: values[0]?.length ?? 1 };
    values.forEach((line, r) => line.forEach((value, c) => this.setCell(table.sheet, table.row + r, table.column + c, value, formats?.[r]?.[c])));
    this.tables.push(created);
    return created;
  }

  table(id: string): FakeTable {
    const table = this.tables.find((candidate) => candidate.id === id);
    if (!table) throw new Error(`no table ${id}`);
    return table;
  }

  /** The table as a plain grid: header + data rows. */
  tableValues(id: string): Value[][] {
    const table = this.table(id);
    return this.read(table.sheet, { row: table.row, column: table.column, rowCount: table.rows + 1, columnCount: table.columns }).values;
  }

  tableFormats(id: string): string[][] {
    const table = this.table(id);
    return this.read(table.sheet, { row: table.row, column: table.column, rowCount: table.rows + 1, columnCount: table.columns }).formats;
  }

  // ---- a person at the keyboard --------------------------------------------------------------

  /** A person types into one cell (table coordinates: row 0 = header). */
  typeCell(tableId: string, row: number, column: number, value: Value, source: 'Local' | 'Remote' = 'Local'): void {
    const table = this.table(tableId);
    const before = this.cell(table.sheet, table.row + row, table.column + column).value;
    this.setCell(table.sheet, table.row + row, table.column + column, value);
    const rect = { row: table.row + row, column: table.column + column, rowCount: 1, columnCount: 1 };
    this.emit(table, rect, 'RangeEdited', source, { valueAfter: value, valueBefore: before });
  }

  /** A person pastes a block (table coordinates). */
  pasteCells(tableId: string, row: number, column: number, values: Value[][]): void {
    const table = this.table(tableId);
    values.forEach((line, r) => line.forEach((value, c) => this.setCell(table.sheet, table.row + row + r, table.column + column + c, value)));
    this.emit(table, { row: table.row + row, column: table.column + column, rowCount: values.length, columnCount: values[0]?.length ?? 1 }, 'RangeEdited', 'Local');
  }

  /** A person sorts the table's data rows by one column (whole rows move, formats with them). */
  sortTable(tableId: string, column: number, descending = false): void {
    const table = this.table(tableId);
    const body: Rect = { row: table.row + 1, column: table.column, rowCount: table.rows, columnCount: table.columns };
    const { values, formats } = this.read(table.sheet, body);
    const order = values.map((_, index) => index);
    const key = (index: number) => String(values[index]?.[column] ?? '');
    order.sort((a, b) => (descending ? -1 : 1) * key(a).localeCompare(key(b), 'en', { numeric: true }));
    order.forEach((from, to) =>
      values[from]?.forEach((value, c) => this.setCell(table.sheet, body.row + to, body.column + c, value, formats[from]?.[c])),
    );
    this.emit(table, body, 'RangeEdited', 'Local');
  }

  private emit(table: FakeTable, rect: Rect, changeType: string, source: 'Local' | 'Remote', details?: FakeEvent['details']): void {
    const event: FakeEvent = {
      type: 'TableChanged',
      tableId: table.id,
      worksheetId: this.sheetIds[table.sheet] ?? table.sheet,
      address: formatAddress(rect),
      changeType,
      source,
    };
    if (details && this.eventDetails && rect.rowCount === 1 && rect.columnCount === 1) event.details = details;
    const handlers = [...(this.handlers.get(table.id) ?? [])];
    this.raised += 1;
    const delivery = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => Promise.all(handlers.map((handler) => handler(event))));
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Waits until every raised event was handled (and the handlers' own Excel.run calls are done). */
  async settle(): Promise<void> {
    for (let round = 0; round < 20; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.pending.size === 0) return;
      await Promise.all([...this.pending]);
    }
  }

  handlerCount(tableId: string): number {
    return this.handlers.get(tableId)?.size ?? 0;
  }

  /** Drops every onChanged handler, as Office does when the task pane that added them closes. */
  removeAllHandlers(): void {
    this.handlers.clear();
  }

  opsOfSync(sync: number): Op[] {
    return this.ops.filter((op) => op.sync === sync);
  }

  // ---- Excel.run over office-addin-mock objects ------------------------------------------------

  /** `Excel.run` over this workbook: each call gets a fresh request context. */
  readonly run: ExcelRun = async (batch) => {
    this.runs += 1;
    const context = this.context();
    return batch(context as unknown as Excel.RequestContext);
  };

  private queue(batch: Batch, kind: Op['kind'], apply: () => void, detail: Omit<Op, 'sync' | 'kind'> = {}): void {
    batch.log.push({ kind, ...detail });
    batch.ops.push(apply);
  }

  private mock<T extends object>(batch: Batch, data: T): OfficeMockObject & T {
    const mock = new OfficeMockObject(data) as OfficeMockObject & T;
    batch.mocks.push(mock);
    return mock;
  }

  /** A mock collection whose `load('items/a,items/b')` loads those properties of each item. */
  private collection<T extends OfficeMockObject>(batch: Batch, items: T[], extra: Record<string, unknown> = {}) {
    const collection = this.mock(batch, {
      items,
      ...extra,
      load(this: OfficeMockObject, argument: string) {
        const names = argument.split(',').map((name) => name.trim());
        const itemProperties = names.filter((name) => name.startsWith('items/')).map((name) => name.slice('items/'.length));
        OfficeMockObject.prototype.load.call(this, 'items');
        if (itemProperties.length > 0) for (const item of items) item.load(itemProperties);
        return this;
      },
    });
    return collection;
  }

  private context() {
    const batch: Batch = { ops: [], log: [], mocks: [], touched: new Map(), syncs: 0, sent: 0, loads: [] };
    const tableMocks = this.tables.map((table) => this.tableMock(batch, table));
    const context = this.mock(batch, {
      workbook: {
        application: {
          suspendApiCalculationUntilNextSync: () => this.queue(batch, 'suspendCalculation', () => undefined),
        },
      },
      sync: async () => {
        if (batch.failure) throw Object.assign(new Error(batch.failure.message), { code: batch.failure.code });
        this.syncs += 1;
        const sync = this.syncs;
        for (const entry of batch.log) this.ops.push({ sync, ...entry });
        batch.log = [];
        this.payloads.push({ sync, sent: batch.sent, received: batch.loads.reduce((sum, bytes) => sum + bytes(), 0) });
        batch.sent = 0;
        batch.loads = [];
        const ops = batch.ops;
        batch.ops = [];
        for (const apply of ops) apply();
        batch.syncs += 1;
        for (const mock of batch.mocks) await OfficeMockObject.prototype.sync.call(mock);
        await new Promise((resolve) => setTimeout(resolve, 0)); // office-addin-mock updates nested properties asynchronously
        const touched = [...batch.touched];
        batch.touched.clear();
        if (this.raiseOwnEvents) {
          for (const [tableId, rects] of touched) {
            const table = this.tables.find((candidate) => candidate.id === tableId);
            if (table) for (const rect of rects) this.emit(table, rect, 'RangeEdited', 'Local');
          }
        }
      },
    });
    // Collections and methods that build objects on demand (office-addin-mock has no model for them).
    const workbook = context.workbook as unknown as Record<string, unknown>;
    workbook.tables = this.collection(batch, tableMocks, {
      getItem: (id: string) => {
        const found = tableMocks.find((mock) => (mock as unknown as { _fake: FakeTable })._fake.id === id);
        if (found) return found;
        batch.failure = { code: 'ItemNotFound', message: `The requested resource doesn't exist. (table ${id})` };
        return this.tableMock(batch, { id, name: id, sheet: 'Sheet1', row: 0, column: 0, rows: 1, columns: 1, showHeaders: true });
      },
    });
    workbook.getSelectedRanges = () => {
      const areas = this.selection.areas.map((rect) => this.rangeMock(batch, this.selection.sheet, rect));
      const selected = this.mock(batch, { worksheet: this.worksheetData(this.selection.sheet) });
      (selected as unknown as Record<string, unknown>).areas = this.collection(batch, areas);
      return selected;
    };
    workbook.getSelectedRange = () => {
      const first = this.selection.areas[0];
      if (!first || this.selection.areas.length > 1) batch.failure = { code: 'InvalidSelection', message: 'multiple selection' };
      return this.rangeMock(batch, this.selection.sheet, first ?? { row: 0, column: 0, rowCount: 1, columnCount: 1 });
    };
    return context;
  }

  private worksheetData(sheet: string) {
    return { id: this.sheetIds[sheet] ?? sheet, name: sheet };
  }

  private touch(batch: Batch, sheet: string, rect: Rect): void {
    for (const table of this.tables) {
      if (table.sheet !== sheet) continue;
      const inside =
        rect.row >= table.row && rect.row < table.row + table.rows + 1 && rect.column >= table.column && rect.column < table.column + table.columns;
      if (!inside) continue;
      const list = batch.touched.get(table.id) ?? [];
      list.push(rect);
      batch.touched.set(table.id, list);
    }
  }

  private rangeMock(batch: Batch, sheet: string, rect: Rect): OfficeMockObject {
    const snapshot = this.read(sheet, rect);
    const address = formatAddress(rect);
    const mock = this.mock(batch, {
      values: snapshot.values,
      numberFormat: snapshot.formats,
      rowIndex: rect.row,
      columnIndex: rect.column,
      rowCount: rect.rowCount,
      columnCount: rect.columnCount,
      address: `${sheet}!${address}`,
      worksheet: this.worksheetData(sheet),
      getCell: (row: number, column: number) => this.rangeMock(batch, sheet, { row: rect.row + row, column: rect.column + column, rowCount: 1, columnCount: 1 }),
      getResizedRange: (rows: number, columns: number) =>
        this.rangeMock(batch, sheet, { ...rect, rowCount: rect.rowCount + rows, columnCount: rect.columnCount + columns }),
      getRow: (row: number) => this.rangeMock(batch, sheet, { row: rect.row + row, column: rect.column, rowCount: 1, columnCount: rect.columnCount }),
      select: () =>
        this.queue(batch, 'select', () => (this.selection = { sheet, areas: [rect] }), { sheet, address }),
    });
    const each = (value: unknown, apply: (row: number, column: number, cell: unknown) => void) => {
      for (let r = 0; r < rect.rowCount; r += 1) {
        for (let c = 0; c < rect.columnCount; c += 1) {
          const cell = Array.isArray(value) ? (value as unknown[][])[r]?.[c] : value;
          apply(rect.row + r, rect.column + c, cell);
        }
      }
    };
    const format = new Proxy<Record<string, unknown>>({}, {
      set: (target, property, value) => {
        target[property as string] = value;
        if (property === 'wrapText') {
          this.queue(batch, 'wrapText', () => {
            const set = this.wrapped.get(sheet) ?? new Set<number>();
            for (let c = 0; c < rect.columnCount; c += 1) set.add(rect.column + c);
            this.wrapped.set(sheet, set);
          }, { sheet, address, value });
        } else if (property === 'columnWidth') {
          this.queue(batch, 'columnWidth', () => {
            for (let c = 0; c < rect.columnCount; c += 1) this.columnWidths.set(`${sheet}:${rect.column + c}`, value as number);
          }, { sheet, address, value });
        }
        return true;
      },
    });
    const conditionalFormats = this.conditionalFormatsMock(batch, sheet, rect);
    let dataValidation: OfficeMockObject | undefined;
    const load = (...args: unknown[]) => {
      const first = args[0];
      const names = (Array.isArray(first) ? (first as string[]) : typeof first === 'string' ? first.split(',') : []).map((name) => name.trim());
      if (names.includes('values')) batch.loads.push(() => jsonBytes(snapshot.values));
      if (names.includes('numberFormat')) batch.loads.push(() => jsonBytes(snapshot.formats));
      return Reflect.apply(Reflect.get(mock, 'load') as (...a: unknown[]) => unknown, mock, args);
    };
    const proxy = new Proxy(mock, {
      get: (target, property) => {
        if (property === 'format') return format;
        if (property === 'load') return load;
        if (property === 'conditionalFormats') return conditionalFormats;
        if (property === 'dataValidation') return (dataValidation ??= this.dataValidationMock(batch, sheet, rect));
        return Reflect.get(target, property);
      },
      set: (target, property, value) => {
        const external = !MOCK_ERRORS.has(value as string) && (property === 'values' || property === 'numberFormat' || property === 'columnHidden');
        if (external) {
          if (property !== 'columnHidden') batch.sent += jsonBytes(value);
          const dimensionsOk =
            !Array.isArray(value) || ((value as unknown[][]).length === rect.rowCount && (value as unknown[][]).every((line) => line.length === rect.columnCount));
          if (!dimensionsOk) throw new Error(`${String(property)}: a ${rect.rowCount}x${rect.columnCount} array is needed for ${address}`);
          if (property === 'values') {
            this.queue(batch, 'values', () => each(value, (row, column, cell) => this.setCell(sheet, row, column, cell as Value)), { sheet, address, value });
            this.touch(batch, sheet, rect);
          } else if (property === 'numberFormat') {
            this.queue(batch, 'numberFormat', () => each(value, (row, column, cell) => {
              if (cell !== null && cell !== undefined) this.setCell(sheet, row, column, undefined, cell as string);
            }), { sheet, address, value });
          } else {
            this.queue(batch, 'columnHidden', () => {
              const set = this.hiddenColumns.get(sheet) ?? new Set<number>();
              for (let c = 0; c < rect.columnCount; c += 1) {
                if (value) set.add(rect.column + c);
                else set.delete(rect.column + c);
              }
              this.hiddenColumns.set(sheet, set);
            }, { sheet, address, value });
          }
        }
        return Reflect.set(target, property, value);
      },
    });
    return proxy;
  }

  /** `range.conditionalFormats`: add (cell value rules with fill and font), getCount, clearAll. */
  private conditionalFormatsMock(batch: Batch, sheet: string, rect: Rect) {
    const address = formatAddress(rect);
    const here = () => this.conditionalFormats.filter((rule) => rule.sheet === sheet && intersect(rule.rect, rect));
    return {
      add: (type: string) => {
        const cellValue = { format: { fill: { color: undefined as string | undefined }, font: { color: undefined as string | undefined } }, rule: undefined as unknown };
        this.queue(
          batch,
          'conditionalFormat',
          () => this.conditionalFormats.push({ sheet, rect, type, rule: cellValue.rule, fill: cellValue.format.fill.color, font: cellValue.format.font.color }),
          { sheet, address, value: type },
        );
        return { type, cellValue };
      },
      getCount: () => {
        const at = batch.syncs;
        return {
          get value(): number {
            if (batch.syncs === at) throw new Error('Error, context.sync() was not called');
            return here().length;
          },
        };
      },
      clearAll: () =>
        this.queue(batch, 'clearConditionalFormats', () => {
          for (const rule of here()) this.conditionalFormats.splice(this.conditionalFormats.indexOf(rule), 1);
        }, { sheet, address }),
    };
  }

  /** `range.dataValidation` (ExcelApi 1.8): `type` to load, `rule` and `errorAlert` to set, `clear()`. Excel refuses a rule over an existing one. */
  private dataValidationMock(batch: Batch, sheet: string, rect: Rect): OfficeMockObject {
    const address = formatAddress(rect);
    const here = () => this.validations.filter((rule) => rule.sheet === sheet && intersect(rule.rect, rect));
    const mock = this.mock(batch, {
      type: here().length > 0 ? 'List' : 'None',
      clear: () =>
        this.queue(batch, 'clearDataValidation', () => {
          for (const rule of here()) this.validations.splice(this.validations.indexOf(rule), 1);
        }, { sheet, address }),
    });
    return new Proxy(mock, {
      set: (target, property, value) => {
        if (property === 'rule') {
          this.queue(batch, 'dataValidation', () => {
            if (here().length > 0) throw Object.assign(new Error('The range already has a data validation rule; clear it first.'), { code: 'InvalidOperation' });
            this.validations.push({ sheet, rect, rule: value });
          }, { sheet, address, value });
        } else if (property === 'errorAlert') {
          this.queue(batch, 'dataValidation', () => {
            for (const rule of here()) rule.errorAlert = value;
          }, { sheet, address, value });
        }
        return Reflect.set(target, property, value);
      },
    });
  }

  private tableMock(batch: Batch, table: FakeTable): OfficeMockObject {
    const headerRect = () => ({ row: table.row, column: table.column, rowCount: 1, columnCount: table.columns });
    const bodyRect = () => ({ row: table.row + 1, column: table.column, rowCount: table.rows, columnCount: table.columns });
    const columnMock = (index: number) =>
      this.mock(batch, {
        index,
        name: String(this.cell(table.sheet, table.row, table.column + index).value),
        getRange: () => this.rangeMock(batch, table.sheet, { row: table.row, column: table.column + index, rowCount: table.rows + 1, columnCount: 1 }),
        getDataBodyRange: () => this.rangeMock(batch, table.sheet, { row: table.row + 1, column: table.column + index, rowCount: table.rows, columnCount: 1 }),
      });
    const mock = this.mock(batch, {
      id: table.id,
      name: table.name,
      showHeaders: table.showHeaders,
      worksheet: this.worksheetData(table.sheet),
      getHeaderRowRange: () => this.rangeMock(batch, table.sheet, headerRect()),
      getDataBodyRange: () => this.rangeMock(batch, table.sheet, bodyRect()),
      getRange: () => this.rangeMock(batch, table.sheet, { ...headerRect(), rowCount: table.rows + 1 }),
      onChanged: {
        add: (handler: (event: FakeEvent) => Promise<unknown>) => {
          this.queue(batch, 'load', () => {
            const set = this.handlers.get(table.id) ?? new Set();
            set.add(handler);
            this.handlers.set(table.id, set);
          });
          const context = { sync: () => Promise.resolve() };
          return {
            context,
            remove: () => {
              this.handlers.get(table.id)?.delete(handler);
            },
          };
        },
      },
    });
    // Structure changes take effect at once, so ranges made later in the batch see the new shape.
    (mock as unknown as Record<string, unknown>).columns = this.mock(batch, {
      add: (index: number | undefined, values: unknown, name: string) => {
        if (index !== undefined && index !== null && index !== table.columns) throw new Error('the fake only appends columns');
        if (values !== undefined && values !== null) throw new Error('the fake does not take column values');
        const at = table.columns;
        table.columns += 1;
        this.setCell(table.sheet, table.row, table.column + at, name);
        batch.log.push({ kind: 'addColumn', sheet: table.sheet, value: name });
        this.touch(batch, table.sheet, { row: table.row, column: table.column + at, rowCount: table.rows + 1, columnCount: 1 });
        return columnMock(at);
      },
      getItemAt: (index: number) => {
        if (index < 0 || index >= table.columns) batch.failure = { code: 'ItemNotFound', message: `no column ${index}` };
        return columnMock(index);
      },
    });
    (mock as unknown as Record<string, unknown>).rows = this.mock(batch, {
      add: (index: number | undefined, values: unknown[][]) => {
        if (index !== undefined && index !== null) throw new Error('the fake only appends rows');
        values.forEach((line, r) => line.forEach((value, c) => this.setCell(table.sheet, table.row + 1 + table.rows + r, table.column + c, value as Value)));
        const rect = { row: table.row + 1 + table.rows, column: table.column, rowCount: values.length, columnCount: table.columns };
        table.rows += values.length;
        batch.log.push({ kind: 'addRows', sheet: table.sheet, value: values.length });
        this.touch(batch, table.sheet, rect);
      },
    });
    (mock as unknown as { _fake: FakeTable })._fake = table;
    return mock;
  }
}

/** `Office` for the host: document settings saved in memory, a theme, requirement sets. */
export function fakeOffice(options: { theme?: { bodyBackgroundColor?: string; isDarkTheme?: boolean } | null; apiVersion?: string } = {}) {
  const stored = new Map<string, unknown>();
  const saved = new Map<string, unknown>();
  let saves = 0;
  const office = new OfficeMockObject({
    context: {
      document: {
        settings: {
          get: (name: string) => (stored.has(name) ? structuredClone(stored.get(name)) : null),
          set: (name: string, value: unknown) => void stored.set(name, structuredClone(value)),
          remove: (name: string) => void stored.delete(name),
          saveAsync: (callback: (result: { status: string }) => void) => {
            saves += 1;
            saved.clear();
            for (const [key, value] of stored) saved.set(key, structuredClone(value));
            setTimeout(() => callback({ status: 'succeeded' }), 0);
          },
        },
      },
      requirements: {
        isSetSupported: (name: string, version = '1.1') => {
          const [major = 0, minor = 0] = version.split('.').map(Number);
          const [haveMajor = 0, haveMinor = 0] = (options.apiVersion ?? '1.9').split('.').map(Number);
          return name === 'ExcelApi' && (haveMajor > major || (haveMajor === major && haveMinor >= minor));
        },
      },
    },
  });
  // officeTheme is a plain property of Office.context (no load needed); null means "not available".
  (office.context as Record<string, unknown>).officeTheme = options.theme === undefined ? { bodyBackgroundColor: '#ffffff' } : options.theme;
  return { office, saved, saves: () => saves };
}
