/**
 * The Excel host of the shared task pane: the only code of StoreSync that calls Office.js.
 *
 * It implements `Host` (pane/src/host.ts) on the Excel JavaScript API (requirement set ExcelApi
 * 1.7, as the manifest asks; 1.9 is used for multi-area selections when present) and follows
 * Microsoft's performance guidance for Excel add-ins:
 * - every method queues its work and calls `context.sync()` as few times as it can: a write plan
 *   takes exactly one `context.sync()` per `plan.calls` entry (one more only when it appends rows,
 *   to learn the table's size), each in its own short `Excel.run`;
 * - values and number formats are written as 2-D arrays per block, formats FIRST (text cells get
 *   `@`, `null` leaves a format alone), so text never becomes a formula, date or number;
 * - calculation is suspended while a call writes (`application.suspendApiCalculationUntilNextSync()`);
 * - the same format for a whole added column is set as one value, not an array per cell;
 * - tables are read in chunks that stay under `readChunkBytes` (Excel on the web refuses
 *   requests and responses over 5 MB), sized from the bytes per row seen so far;
 * - only the properties used are loaded (`load('values,numberFormat')`, never a bare `load()`).
 *
 * The campaign Status column gets its colours and its list of valid statuses (status-format.ts)
 * once per table: in the plan's first call when the plan adds the column, else, when a read
 * table has one, in one short `Excel.run` after the plan (one `context.sync()` to look at the
 * column's rules, one more only when they are missing). A column that already has conditional
 * formats or a validation rule (StoreSync's from an earlier session, or the person's own) is left
 * as it is.
 *
 * Coordinates are the engine's: a table reads as a `Sheet` whose row 0 is the header row and whose
 * column 0 is the table's first column, and plan blocks are addressed relative to the header row's
 * first cell (`getCell(row, column)` may reach past the range it is called on), so writing needs
 * no extra round trip to find where the table is.
 */
import { EXCEL_LIMITS, recogniseHeader, type CellValue, type DateSystem, type Sheet, type WritePlan } from '@storesync/core';
import { HostTableMissingError, type DateSettings, type Host, type HostTable, type ThemeName, type Unsubscribe, type UserEdit } from '@storesync/pane/host';
import { parseAddress, type Rect } from './addresses.ts';
import { WriteLedger } from './ledger.ts';
import { defaultOffice, defaultRun, officeGlobals, type ExcelHostOptions, type ExcelRun, type MatchMediaLike, type OfficeLike } from './office.ts';
import { currentTheme, documentSettings, themeWatcher, userStorage, type DocumentSettings, type UserStorage } from './settings.ts';
import { findStatusColumn, queueStatusFormat } from './status-format.ts';

/** A plan was stopped between two calls because the person changed the table meanwhile; plan again. */
export class PlanInterruptedError extends Error {
  constructor(readonly tableId: string) {
    super('The table changed while StoreSync was writing to it; StoreSync will read it again and write what is still missing.');
    this.name = 'PlanInterruptedError';
  }
}

/** Width (points) given to added columns of long text (Generated Content). */
const WRAP_COLUMN_WIDTH = 320;
const PAYLOAD_TOO_LARGE = new Set(['RequestPayloadSizeLimitExceeded', 'ResponsePayloadSizeLimitExceeded', 'PayloadTooLarge']);
const NOT_FOUND = new Set(['ItemNotFound', 'InvalidReference']);

interface Origin {
  /** Worksheet row (0-based) of the table's header row. */
  row: number;
  /** Worksheet column (0-based) of the table's first column. */
  column: number;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a cell holds, as the engine's `CellValue`. */
function toCellValue(value: unknown): CellValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

function approximateBytes(values: unknown, formats: unknown): number {
  return JSON.stringify(values).length + JSON.stringify(formats).length;
}

export class ExcelHost implements Host {
  readonly name = 'Excel';
  readonly limits = EXCEL_LIMITS;
  /**
   * Excel lets the person work between two `Excel.run`s, but one plan's calls follow each other
   * at once; a change seen between them stops the plan ({@link PlanInterruptedError}) instead.
   */
  readonly yieldsBetweenCalls = false;
  readonly documentSettings: DocumentSettings;
  readonly userStorage: UserStorage;

  private readonly runOption?: ExcelRun;
  private readonly officeOption?: OfficeLike;
  private readonly matchMedia?: MatchMediaLike;
  private readonly ledger: WriteLedger;
  private readonly origins = new Map<string, Origin>();
  /** The header row of each table as last read. */
  private readonly headers = new Map<string, CellValue[]>();
  /** Tables whose Status column was decorated (or found decorated) in this session. */
  private readonly statusFormatted = new Set<string>();
  /** Changes by a person seen per table (own writes excluded). */
  private readonly foreignChanges = new Map<string, number>();
  private readonly dateSystem: DateSystem;
  private readonly timeZone?: string;
  private readonly readChunkBytes: number;
  private readonly firstChunkRows: number;
  private readonly watchTheme: (handler: (theme: ThemeName) => void) => Unsubscribe;

  constructor(options: ExcelHostOptions = {}) {
    this.runOption = options.run;
    this.officeOption = options.office;
    const globals = officeGlobals();
    this.matchMedia = options.matchMedia ?? (typeof globals.matchMedia === 'function' ? globals.matchMedia.bind(globalThis) : undefined);
    this.ledger = new WriteLedger(options.now ?? Date.now, options.ownWriteGraceMs ?? 3000);
    this.dateSystem = options.dateSystem ?? 'excel-1900';
    this.timeZone = options.timeZone;
    this.readChunkBytes = options.readChunkBytes ?? 2 * 1024 * 1024;
    this.firstChunkRows = Math.max(1, options.firstChunkRows ?? 500);
    this.documentSettings = documentSettings(() => {
      const office = this.office;
      if (!office) throw new Error('Office is not ready: open StoreSync from the StoreSync tab in Excel.');
      return office.context.document.settings;
    });
    this.userStorage = userStorage(options.userStorage ?? globals.OfficeRuntime?.storage ?? globals.localStorage);
    this.watchTheme = themeWatcher({
      office: () => this.office,
      matchMedia: this.matchMedia,
      pollMs: options.themePollMs ?? 5000,
      setInterval: options.setInterval ?? ((callback, ms) => setInterval(callback, ms)),
      clearInterval: options.clearInterval ?? ((handle) => clearInterval(handle as ReturnType<typeof setInterval>)),
    });
  }

  private get office(): OfficeLike | undefined {
    return this.officeOption ?? defaultOffice();
  }

  private run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
    return (this.runOption ?? defaultRun())(batch);
  }

  private supports(version: string): boolean {
    return this.office?.context.requirements?.isSetSupported('ExcelApi', version) ?? false;
  }

  /** Turns Office.js errors into errors the pane can show as they are. */
  private failure(error: unknown, tableId: string, doing: string): Error {
    if (error instanceof HostTableMissingError || error instanceof PlanInterruptedError) return error;
    if (NOT_FOUND.has(errorCode(error) ?? '')) return new HostTableMissingError(tableId);
    return new Error(`Excel could not ${doing} the table: ${errorMessage(error)}`, { cause: error });
  }

  async listTables(): Promise<HostTable[]> {
    return this.run(async (context) => {
      const tables = context.workbook.tables;
      tables.load('items/id,items/name,items/showHeaders');
      await context.sync();
      const found = tables.items
        .filter((table) => table.showHeaders)
        .map((table) => {
          const worksheet = table.worksheet;
          worksheet.load('name');
          const header = table.getHeaderRowRange();
          header.load('values');
          const body = table.getDataBodyRange();
          body.load('rowCount');
          return { table, worksheet, header, body };
        });
      await context.sync();
      return found.map(({ table, worksheet, header, body }) => ({
        id: table.id,
        name: table.name,
        sheetName: worksheet.name,
        rowCount: body.rowCount,
        headers: ((header.values as unknown[][])[0] ?? []).map(toCellValue),
      }));
    });
  }

  async readTable(tableId: string): Promise<Sheet> {
    try {
      const first = await this.run(async (context) => {
        const table = context.workbook.tables.getItem(tableId);
        const header = table.getHeaderRowRange();
        header.load('values,numberFormat,rowIndex,columnIndex,columnCount');
        const body = table.getDataBodyRange();
        body.load('rowCount');
        // The first rows come with the header, so a small table takes one round trip.
        const chunk = body.getRow(0).getResizedRange(this.firstChunkRows - 1, 0);
        chunk.load('values,numberFormat');
        await context.sync();
        return {
          origin: { row: header.rowIndex, column: header.columnIndex },
          columnCount: header.columnCount,
          rowCount: body.rowCount,
          header: header.values as unknown[][],
          headerFormats: header.numberFormat as unknown[][],
          values: chunk.values as unknown[][],
          formats: chunk.numberFormat as unknown[][],
        };
      });
      this.origins.set(tableId, first.origin);
      const values: CellValue[][] = [(first.header[0] ?? []).map(toCellValue)];
      const numberFormats: (string | null)[][] = [(first.headerFormats[0] ?? []).map((format) => (typeof format === 'string' ? format : null))];
      const take = (rows: unknown[][], formats: unknown[][], count: number) => {
        for (let index = 0; index < count; index += 1) {
          values.push((rows[index] ?? []).map(toCellValue));
          numberFormats.push((formats[index] ?? []).map((format) => (typeof format === 'string' ? format : null)));
        }
      };
      let start = Math.min(first.rowCount, this.firstChunkRows);
      take(first.values, first.formats, start);
      const firstBytes = approximateBytes(first.values.slice(0, start), first.formats.slice(0, start));
      let bytesPerRow = start > 0 ? Math.max(1, firstBytes / start) : 64 * first.columnCount;
      let rowsPerChunk = Math.max(1, Math.floor(this.readChunkBytes / bytesPerRow));
      while (start < first.rowCount) {
        const count = Math.min(rowsPerChunk, first.rowCount - start);
        const from = start;
        let chunk: { values: unknown[][]; formats: unknown[][] };
        try {
          chunk = await this.run(async (context) => {
            const body = context.workbook.tables.getItem(tableId).getDataBodyRange();
            const range = body.getCell(from, 0).getResizedRange(count - 1, first.columnCount - 1);
            range.load('values,numberFormat');
            await context.sync();
            return { values: range.values as unknown[][], formats: range.numberFormat as unknown[][] };
          });
        } catch (error) {
          if (PAYLOAD_TOO_LARGE.has(errorCode(error) ?? '') && count > 1) {
            rowsPerChunk = Math.ceil(count / 2);
            continue;
          }
          throw error;
        }
        take(chunk.values, chunk.formats, count);
        bytesPerRow = Math.max(bytesPerRow * 0.5, approximateBytes(chunk.values, chunk.formats) / count);
        rowsPerChunk = Math.max(1, Math.floor(this.readChunkBytes / bytesPerRow));
        start += count;
      }
      this.headers.set(tableId, values[0] ?? []);
      return { values, numberFormats };
    } catch (error) {
      throw this.failure(error, tableId, 'read');
    }
  }

  async applyWritePlan(tableId: string, plan: WritePlan): Promise<void> {
    const structural = plan.addColumns.length > 0 || plan.appendedRows > 0;
    if (plan.calls.length === 0 && !structural) return;
    const ledgerPlan = this.ledger.begin(tableId);
    const changesAtStart = this.foreignChanges.get(tableId) ?? 0;
    try {
      // Rows a pull appends below the last data row: the table grows first, so they join it.
      let append: { rows: number; width: number; after: number } | undefined;
      if (plan.appendedRows > 0) {
        const lastRow = plan.writes.reduce((last, write) => Math.max(last, write.row + write.values.length - 1), 0);
        const shape = await this.run(async (context) => {
          const table = context.workbook.tables.getItem(tableId);
          const header = table.getHeaderRowRange();
          header.load('columnCount');
          const body = table.getDataBodyRange();
          body.load('rowCount');
          await context.sync();
          return { rowCount: body.rowCount, columnCount: header.columnCount };
        });
        if (lastRow > shape.rowCount) append = { rows: lastRow - shape.rowCount, width: shape.columnCount + plan.addColumns.length, after: shape.rowCount };
      }

      let origin: Origin | undefined;
      let statusAdded = false;
      const calls = plan.calls.length > 0 ? plan.calls : [{ writes: [], bytes: 0 }];
      for (const [index, call] of calls.entries()) {
        if (index > 0) {
          // Let Excel deliver the change events raised meanwhile (they come as separate tasks).
          await new Promise((resolve) => setTimeout(resolve, 0));
          if ((this.foreignChanges.get(tableId) ?? 0) !== changesAtStart) throw new PlanInterruptedError(tableId);
        }
        origin = await this.run(async (context) => {
          const table = context.workbook.tables.getItem(tableId);
          context.workbook.application.suspendApiCalculationUntilNextSync();
          const header = table.getHeaderRowRange();
          let body: Excel.Range | undefined;
          if (index === 0) {
            statusAdded = this.queueStructure(table, plan, append);
            header.load('rowIndex,columnIndex');
            body = table.getDataBodyRange();
            body.load('rowCount');
          }
          for (const write of call.writes) {
            const range = header.getCell(write.row, write.column).getResizedRange(write.values.length - 1, (write.values[0]?.length ?? 1) - 1);
            range.numberFormat = write.numberFormats; // FIRST: `@` for text, null leaves the format alone
            range.values = write.values;
          }
          await context.sync();

          // What this call wrote, in worksheet coordinates, so its change events are not taken for a person's.
          const at = origin ?? { row: header.rowIndex, column: header.columnIndex };
          if (index === 0 && body) {
            const height = body.rowCount + 1;
            for (const added of plan.addColumns) this.ledger.record(ledgerPlan, { row: at.row, column: at.column + added.index, rowCount: height, columnCount: 1 });
            if (append) this.ledger.record(ledgerPlan, { row: at.row + 1 + append.after, column: at.column, rowCount: append.rows, columnCount: append.width });
          }
          for (const write of call.writes) {
            const rect: Rect = { row: at.row + write.row, column: at.column + write.column, rowCount: write.values.length, columnCount: write.values[0]?.length ?? 1 };
            this.ledger.record(ledgerPlan, rect, write.values);
          }
          return at;
        });
        this.origins.set(tableId, origin);
      }
      if (statusAdded) this.statusFormatted.add(tableId);
    } catch (error) {
      throw this.failure(error, tableId, 'write to');
    } finally {
      this.ledger.end(ledgerPlan);
    }
    await this.ensureStatusFormat(tableId);
  }

  /**
   * Colours and the status list on a Status column that was there before the plan, once per
   * table and session. Never fails the plan: a problem is logged and tried again next time.
   */
  private async ensureStatusFormat(tableId: string): Promise<void> {
    if (this.statusFormatted.has(tableId)) return;
    const index = findStatusColumn(this.headers.get(tableId));
    if (index < 0) return;
    const validation = this.supports('1.8');
    try {
      await this.run(async (context) => {
        const column = context.workbook.tables.getItem(tableId).columns.getItemAt(index);
        column.load('name');
        const data = column.getDataBodyRange();
        const rules = data.conditionalFormats.getCount();
        if (validation) data.dataValidation.load('type');
        await context.sync();
        // The person moved or renamed columns since the read: leave it for the next plan.
        if (recogniseHeader('campaigns', column.name)?.field !== 'status') return;
        const parts = { colours: rules.value === 0, validation: validation && data.dataValidation.type === 'None' };
        if (parts.colours || parts.validation) {
          queueStatusFormat(data, parts);
          await context.sync();
        }
        this.statusFormatted.add(tableId);
      });
    } catch (error) {
      console.warn(`StoreSync could not colour the Status column of table ${tableId}: ${errorMessage(error)}`);
    }
  }

  /**
   * Queues the plan's added columns (after the last one, never between) and appended rows; an
   * added Status column gets its colours and status list in the same call. Says whether it did.
   */
  private queueStructure(table: Excel.Table, plan: WritePlan, append: { rows: number; width: number } | undefined): boolean {
    let status = false;
    for (const added of [...plan.addColumns].sort((a, b) => a.index - b.index)) {
      const column = table.columns.add(undefined, undefined, added.header);
      const data = column.getDataBodyRange();
      // One format for every cell of the column: a single value, not an array per cell.
      (data as unknown as { numberFormat: string }).numberFormat = added.numberFormat;
      if (added.wrap) {
        data.format.wrapText = true;
        column.getRange().format.columnWidth = WRAP_COLUMN_WIDTH;
      }
      if (added.hidden) column.getRange().columnHidden = true;
      if (added.field === 'status') {
        // A new column can take its neighbour's rules; this one gets StoreSync's only.
        const validation = this.supports('1.8');
        data.conditionalFormats.clearAll();
        if (validation) data.dataValidation.clear();
        queueStatusFormat(data, { colours: true, validation });
        status = true;
      }
    }
    if (append && append.rows > 0) {
      table.rows.add(
        undefined,
        Array.from({ length: append.rows }, () => Array.from({ length: append.width }, () => '')),
      );
    }
    return status;
  }

  async selectRow(tableId: string, rowIndex: number): Promise<void> {
    if (!Number.isInteger(rowIndex) || rowIndex < 1) throw new RangeError(`rowIndex must be a data row (1 or more), not ${rowIndex}`);
    try {
      await this.run(async (context) => {
        context.workbook.tables.getItem(tableId).getDataBodyRange().getRow(rowIndex - 1).select();
        await context.sync();
      });
    } catch (error) {
      throw this.failure(error, tableId, 'select a row of');
    }
  }

  async getSelectedRows(tableId: string): Promise<number[]> {
    try {
      return await this.run(async (context) => {
        const table = context.workbook.tables.getItem(tableId);
        const tableSheet = table.worksheet;
        tableSheet.load('id');
        const header = table.getHeaderRowRange();
        header.load('rowIndex,columnIndex,columnCount');
        const body = table.getDataBodyRange();
        body.load('rowCount');
        let areas: () => Excel.Range[];
        let selectionSheet: Excel.Worksheet;
        if (this.supports('1.9')) {
          const selected = context.workbook.getSelectedRanges();
          selected.areas.load('items/rowIndex,items/rowCount,items/columnIndex,items/columnCount');
          selectionSheet = selected.worksheet;
          areas = () => selected.areas.items;
        } else {
          const selected = context.workbook.getSelectedRange();
          selected.load('rowIndex,rowCount,columnIndex,columnCount');
          selectionSheet = selected.worksheet;
          areas = () => [selected];
        }
        selectionSheet.load('id');
        await context.sync();
        if (selectionSheet.id !== tableSheet.id) return [];
        const rows = new Set<number>();
        const firstColumn = header.columnIndex;
        const lastColumn = header.columnIndex + header.columnCount - 1;
        for (const area of areas()) {
          if (area.columnIndex > lastColumn || area.columnIndex + area.columnCount - 1 < firstColumn) continue;
          const from = Math.max(area.rowIndex, header.rowIndex + 1);
          const to = Math.min(area.rowIndex + area.rowCount - 1, header.rowIndex + body.rowCount);
          for (let row = from; row <= to; row += 1) rows.add(row - header.rowIndex);
        }
        return [...rows].sort((a, b) => a - b);
      });
    } catch (error) {
      throw this.failure(error, tableId, 'read the selection in');
    }
  }

  onUserEdit(tableId: string, handler: (edit: UserEdit) => void): Unsubscribe {
    let stopped = false;
    const registration = this.run(async (context) => {
      const result = context.workbook.tables.getItem(tableId).onChanged.add(async (event) => {
        if (!stopped) await this.tableChanged(tableId, event, handler);
      });
      await context.sync();
      return result;
    }).catch((error: unknown) => {
      console.warn(`StoreSync could not watch table ${tableId} for edits: ${errorMessage(error)}`);
      return undefined;
    });
    return () => {
      if (stopped) return;
      stopped = true;
      void registration.then(async (result) => {
        if (!result) return;
        result.remove();
        await result.context.sync();
      }).catch(() => undefined);
    };
  }

  private async tableChanged(tableId: string, event: Excel.TableChangedEventArgs, handler: (edit: UserEdit) => void): Promise<void> {
    const rects = parseAddress(event.address);
    if (rects.length === 0) return;
    const single = rects.length === 1 && rects[0]?.rowCount === 1 && rects[0].columnCount === 1;
    const details = (event as { details?: Excel.ChangedEventDetail }).details;
    const valueAfter: unknown = single && details ? details.valueAfter : undefined;
    if (this.ledger.isOwnWrite(tableId, rects, valueAfter)) return;
    this.foreignChanges.set(tableId, (this.foreignChanges.get(tableId) ?? 0) + 1);
    const origin = await this.currentOrigin(tableId);
    if (!origin) return;
    for (const rect of rects) {
      const edit: UserEdit = {
        tableId,
        row: rect.row - origin.row,
        column: rect.column - origin.column,
        rowCount: rect.rowCount,
        columnCount: rect.columnCount,
      };
      if (single && valueAfter !== undefined) edit.values = [[toCellValue(valueAfter)]];
      handler(edit);
    }
  }

  /** Where the table's header row is now (rows inserted above it move it), or the last known place. */
  private async currentOrigin(tableId: string): Promise<Origin | undefined> {
    try {
      const origin = await this.run(async (context) => {
        const header = context.workbook.tables.getItem(tableId).getHeaderRowRange();
        header.load('rowIndex,columnIndex');
        await context.sync();
        return { row: header.rowIndex, column: header.columnIndex };
      });
      this.origins.set(tableId, origin);
      return origin;
    } catch {
      return this.origins.get(tableId);
    }
  }

  getDateSettings(): Promise<DateSettings> {
    return Promise.resolve({
      dateSystem: this.dateSystem,
      timeZone: this.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  }

  get theme(): ThemeName {
    return currentTheme(this.office, this.matchMedia);
  }

  onThemeChange(handler: (theme: ThemeName) => void): Unsubscribe {
    return this.watchTheme(handler);
  }
}

/** The Excel host for the task pane; call it after `Office.onReady`. */
export function createExcelHost(options: ExcelHostOptions = {}): ExcelHost {
  return new ExcelHost(options);
}
