/**
 * The simulated Excel of the end-to-end test, bundled for the browser (../build.ts) and loaded by
 * the test's "Excel" page (../pages.ts): a workbook (the unit tests' FakeWorkbook over
 * office-addin-mock objects, fake-excel.ts) with a grid drawn from it, a ribbon button that opens
 * the task pane in an iframe (/addin/taskpane.html, served by the API), and the `Office` and
 * `Excel` globals that the pane's Office.js stand-in (../pages.ts, OFFICE_JS_STANDIN) takes from
 * here when the pane loads.
 *
 * As in Excel, the workbook outlives the task pane: closing and opening the pane gives a fresh
 * page (and drops its event handlers) over the same cells and document settings.
 */
import { intersect } from '../../../src/host/addresses.ts';
import type { ExcelRun, OfficeLike } from '../../../src/host/office.ts';
import { fakeOffice, FakeWorkbook, type FakeTable } from '../../fake-excel.ts';
import type { CellLook, RowByHeader, SeedTable, SimulatedExcelApi, SeedValue } from '../types.ts';
import { conditionalLook, renderGrid } from './grid-view.ts';

// fake-excel.ts meters payloads with Node's Buffer.byteLength; the browser has TextEncoder.
const encoder = new TextEncoder();
const globals = globalThis as unknown as { Buffer?: unknown; storeSyncExcel?: SimulatedExcel };
globals.Buffer ??= { byteLength: (text: string) => encoder.encode(text).length };

const SHEETS = { Stores: '{sheet-stores}', Campaigns: '{sheet-campaigns}' };

/** What the pane's Office.js stand-in installs as its globals. */
export interface PaneGlobals {
  Office: OfficeLike & { onReady(): Promise<{ host: string; platform: string }> };
  Excel: { run: ExcelRun };
}

class SimulatedExcel implements SimulatedExcelApi {
  readonly workbook = new FakeWorkbook(SHEETS);
  readonly office = fakeOffice({ theme: { bodyBackgroundColor: '#ffffff', isDarkTheme: false }, apiVersion: '1.9' });
  private activeSheet = 'Stores';
  private renderTimer: ReturnType<typeof setTimeout> | undefined;

  private element(id: string): HTMLElement {
    const found = document.getElementById(id);
    if (!found) throw new Error(`the Excel page has no #${id}`);
    return found;
  }

  private table(tableId: string): FakeTable {
    return this.workbook.table(tableId);
  }

  private columnOf(table: FakeTable, header: string): number {
    const index = this.workbook.tableValues(table.id)[0]?.indexOf(header) ?? -1;
    if (index < 0) throw new Error(`table ${table.id} has no column "${header}"`);
    return index;
  }

  /** Redraws the grid soon (once per burst of changes). */
  render(): void {
    clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => this.redraw(), 0);
  }

  redraw(): void {
    clearTimeout(this.renderTimer);
    renderGrid(this.element('grid'), this.workbook, this.activeSheet);
    for (const tab of document.querySelectorAll<HTMLElement>('#sheet-tabs [data-sheet]')) {
      tab.setAttribute('aria-selected', String(tab.dataset.sheet === this.activeSheet));
    }
  }

  // ---- the task pane -------------------------------------------------------------------------

  /** Called by the pane's Office.js stand-in: the globals its page runs on. */
  attachPane(pane: Window): PaneGlobals {
    pane.addEventListener('pagehide', () => this.workbook.removeAllHandlers());
    const run: ExcelRun = (batch) => this.workbook.run(batch).finally(() => this.render());
    const office = this.office.office as unknown as OfficeLike;
    return {
      Office: { context: office.context, onReady: () => Promise.resolve({ host: 'Excel', platform: 'OfficeOnline' }) },
      Excel: { run },
    };
  }

  openPane(): void {
    const slot = this.element('pane-slot');
    if (slot.querySelector('iframe')) return;
    const frame = document.createElement('iframe');
    frame.name = 'taskpane';
    frame.title = 'StoreSync task pane';
    frame.src = '/addin/taskpane.html';
    slot.append(frame);
    this.element('taskpane').hidden = false;
  }

  closePane(): void {
    this.element('pane-slot').replaceChildren();
    this.element('taskpane').hidden = true;
    this.workbook.removeAllHandlers();
  }

  // ---- a person at the workbook ----------------------------------------------------------------

  addTable(seed: SeedTable): void {
    this.workbook.addTable({ id: seed.id, name: seed.name, sheet: seed.sheet, row: seed.row ?? 0, column: seed.column ?? 0 }, seed.values, seed.formats);
    this.render();
  }

  showSheet(sheet: string): void {
    this.activeSheet = sheet;
    this.render();
  }

  sortTable(tableId: string, header: string, descending = false): void {
    const table = this.table(tableId);
    this.workbook.sortTable(tableId, this.columnOf(table, header), descending);
    this.showSheet(table.sheet);
  }

  selectRows(tableId: string, first: number, count: number): void {
    const table = this.table(tableId);
    this.workbook.selection = { sheet: table.sheet, areas: [{ row: table.row + first, column: table.column, rowCount: count, columnCount: table.columns }] };
    this.showSheet(table.sheet);
  }

  // ---- what the test reads -----------------------------------------------------------------------

  rows(tableId: string): RowByHeader[] {
    const [header = [], ...data] = this.workbook.tableValues(tableId);
    return data.map((line) => Object.fromEntries(header.map((name, index): [string, SeedValue] => [String(name), line[index] ?? ''])));
  }

  hiddenHeaders(tableId: string): string[] {
    const table = this.table(tableId);
    const hidden = this.workbook.hiddenColumns.get(table.sheet) ?? new Set<number>();
    const header = this.workbook.tableValues(tableId)[0] ?? [];
    return header.filter((_, index) => hidden.has(table.column + index)).map(String);
  }

  look(tableId: string, row: number, header: string): CellLook {
    const table = this.table(tableId);
    const column = table.column + this.columnOf(table, header);
    const { value } = this.workbook.cell(table.sheet, table.row + row, column);
    return { value, ...conditionalLook(this.workbook, table.sheet, table.row + row, column, value) };
  }

  validationList(tableId: string, header: string): string | null {
    const table = this.table(tableId);
    const body = { row: table.row + 1, column: table.column + this.columnOf(table, header), rowCount: table.rows, columnCount: 1 };
    const rule = this.workbook.validations.find((candidate) => candidate.sheet === table.sheet && intersect(candidate.rect, body));
    const source = (rule?.rule as { list?: { source?: unknown } } | undefined)?.list?.source;
    return typeof source === 'string' ? source : null;
  }

  counters() {
    return { runs: this.workbook.runs, syncs: this.workbook.syncs, events: this.workbook.raised };
  }

  /** Wires the page: ribbon button, pane close button, sheet tabs. */
  start(): void {
    this.element('open-storesync').addEventListener('click', () => this.openPane());
    this.element('close-pane').addEventListener('click', () => this.closePane());
    const tabs = this.element('sheet-tabs');
    for (const sheet of Object.keys(SHEETS)) {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.textContent = sheet;
      tab.dataset.sheet = sheet;
      tab.setAttribute('role', 'tab');
      tab.addEventListener('click', () => this.showSheet(sheet));
      tabs.append(tab);
    }
    this.render();
  }
}

const excel = new SimulatedExcel();
globals.storeSyncExcel = excel;
excel.start();
