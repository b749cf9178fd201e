/**
 * The Excel host against a simulated workbook made of office-addin-mock objects (fake-excel.ts):
 * reading tables, applying write plans (formats before values, one context.sync() per call,
 * calculation suspended), results landing by StoreSync id after a sort, and the add-in's own
 * writes never reported as a person's edits.
 */
import {
  applyWritePlan as applyToSheet,
  mapHeaders,
  planWrites,
  readRows,
  type CampaignRecord,
  type CellValue,
  type Sheet,
  type SyncResult,
  type WritePlan,
} from '@storesync/core';
import { HostTableMissingError, type UserEdit } from '@storesync/pane/host';
import { describe, expect, it } from 'vitest';
import { createExcelHost, PlanInterruptedError } from '../src/host/index.ts';
import { fakeOffice, FakeWorkbook } from './fake-excel.ts';

const NOW = new Date('2026-05-01T10:00:00Z');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function campaign(n: number, extra: Partial<CampaignRecord> = {}): CampaignRecord {
  return { id: uuid(n), store_number: String(n), template_name: 'Seasonal Sale', status: 'draft', generated_content: `Copy for store ${n}`, approval_history: [], ...extra };
}

/** A campaign table at C3 on Sheet1 (header row 3, first column C): Store #, Template, Sale Type. */
function campaignWorkbook(rows = 4): FakeWorkbook {
  const fake = new FakeWorkbook();
  fake.addTable({ id: '{T1}', name: 'Campaigns', sheet: 'Sheet1', row: 2, column: 2 }, [
    ['Store #', 'Template', 'Sale Type'],
    ...Array.from({ length: rows }, (_, i): (string | number)[] => [String(i + 1), 'Seasonal Sale', i % 2 ? 'clearance' : 'spring']),
  ]);
  return fake;
}

function host(fake: FakeWorkbook, options: Parameters<typeof createExcelHost>[0] = {}) {
  const office = fakeOffice();
  const created = createExcelHost({ run: fake.run, office: office.office as never, timeZone: 'UTC', ...options });
  return { host: created, office };
}

function plan(sheet: Sheet, results: SyncResult<'campaigns'>[], maxRequestBytes?: number): WritePlan {
  return planWrites(sheet, mapHeaders(sheet.values[0] ?? [], 'campaigns'), results, { now: NOW, ...(maxRequestBytes ? { maxRequestBytes } : {}) });
}

/** Rows as the engine's reference host leaves them, padded like a table (blank cells read as ''). */
function reference(sheet: Sheet, writePlan: WritePlan): CellValue[][] {
  const applied = applyToSheet(sheet, writePlan).values;
  const width = Math.max(...applied.map((row) => row.length));
  return applied.map((row) => Array.from({ length: width }, (_, c) => row[c] ?? ''));
}


describe('reading', () => {
  it('lists the tables that have a header row, with their sheet, size and headers, in two syncs', async () => {
    const fake = campaignWorkbook(4);
    fake.addTable({ id: '{T2}', name: 'Stores', sheet: 'Sheet2', row: 0, column: 0 }, [['Store #', 'Name'], ['1', 'Main St'], ['2', 'Harbor']]);
    fake.addTable({ id: '{T3}', name: 'NoHeaders', sheet: 'Sheet2', row: 10, column: 0, showHeaders: false }, [['x'], ['y']]);
    const { host: excel } = host(fake);
    expect(await excel.listTables()).toEqual([
      { id: '{T1}', name: 'Campaigns', sheetName: 'Sheet1', rowCount: 4, headers: ['Store #', 'Template', 'Sale Type'] },
      { id: '{T2}', name: 'Stores', sheetName: 'Sheet2', rowCount: 2, headers: ['Store #', 'Name'] },
    ]);
    expect(fake.syncs).toBe(2);
  });

  it('reads a table as a Sheet (header first) with values and number formats, a small table in one sync', async () => {
    const fake = new FakeWorkbook();
    fake.addTable(
      { id: '{T1}', name: 'Campaigns', sheet: 'Sheet1', row: 4, column: 1 },
      [['Store #', 'Start', 'Discount'], ['0012', 46143, 0.3], ['7', 46150, 0.25]],
      [['General', 'General', 'General'], ['@', 'yyyy-mm-dd', '0%'], ['@', 'yyyy-mm-dd', '0%']],
    );
    // Cells right below the table are not part of it.
    fake.setCell('Sheet1', 7, 1, 'a note under the table');
    const { host: excel } = host(fake);
    const sheet = await excel.readTable('{T1}');
    expect(sheet).toEqual({
      values: [['Store #', 'Start', 'Discount'], ['0012', 46143, 0.3], ['7', 46150, 0.25]],
      numberFormats: [['General', 'General', 'General'], ['@', 'yyyy-mm-dd', '0%'], ['@', 'yyyy-mm-dd', '0%']],
    });
    expect(fake.syncs).toBe(1);
  });

  it('reads a large table in chunks that stay under the byte budget', async () => {
    const fake = new FakeWorkbook();
    const rows = Array.from({ length: 250 }, (_, i) => [String(i + 1), `Store ${i + 1}`, 'x'.repeat(200)]);
    fake.addTable({ id: '{T1}', name: 'Stores', sheet: 'Sheet1', row: 0, column: 0 }, [['Store #', 'Name', 'Notes'], ...rows]);
    const { host: excel } = host(fake, { readChunkBytes: 16 * 1024, firstChunkRows: 20 });
    const sheet = await excel.readTable('{T1}');
    expect(sheet.values).toEqual([['Store #', 'Name', 'Notes'], ...rows]);
    expect(sheet.numberFormats).toHaveLength(251);
    // 250 rows of ~260 bytes in 16 KiB reads: the first 20 rows with the header, then ~60 rows per read.
    expect(fake.syncs).toBeGreaterThanOrEqual(5);
    expect(fake.syncs).toBeLessThanOrEqual(7);
  });

  it('says the table is gone when it was deleted', async () => {
    const { host: excel } = host(campaignWorkbook());
    await expect(excel.readTable('{missing}')).rejects.toBeInstanceOf(HostTableMissingError);
  });
});

describe('applying a write plan', () => {
  it('adds the missing columns after the last one, hides the StoreSync ID, and writes what the engine planned', async () => {
    const fake = campaignWorkbook(4);
    const { host: excel } = host(fake);
    const sheet = await excel.readTable('{T1}');
    const writePlan = plan(sheet, [1, 2, 3, 4].map((n) => ({ record: campaign(n, { status: n === 2 ? 'pending_review' : 'draft' }) })));
    expect(writePlan.addColumns.map((column) => column.header)).toEqual(['Status', 'Generated Content', 'Reviewer', 'Review Comments', 'Last Synced', 'Sync Error', 'StoreSync ID']);
    expect(writePlan.addColumns.map((column) => column.index)).toEqual([3, 4, 5, 6, 7, 8, 9]);

    fake.syncs = 0;
    await excel.applyWritePlan('{T1}', writePlan);
    expect(fake.syncs).toBe(writePlan.calls.length);
    expect(fake.tableValues('{T1}')).toEqual(reference(sheet, writePlan));

    // Table column 3 + index → worksheet column C (2) + index.
    const idColumn = 2 + (writePlan.addColumns.find((column) => column.field === 'id')?.index ?? -1);
    expect([...(fake.hiddenColumns.get('Sheet1') ?? [])]).toEqual([idColumn]);
    const copyColumn = 2 + (writePlan.addColumns.find((column) => column.field === 'generated_content')?.index ?? -1);
    expect(fake.wrapped.get('Sheet1')?.has(copyColumn)).toBe(true);
    // Text cells are text: the id column and the copy have '@' in every data row.
    const formats = fake.tableFormats('{T1}');
    for (const row of formats.slice(1)) {
      expect(row[idColumn - 2]).toBe('@');
      expect(row[copyColumn - 2]).toBe('@');
    }
    // Planning again against what Excel now shows gives nothing more to do.
    const again = plan(await excel.readTable('{T1}'), [1, 2, 3, 4].map((n) => ({ record: campaign(n, { status: n === 2 ? 'pending_review' : 'draft' }) })));
    expect(again.writes.filter((write) => write.values.flat().some((value) => !/^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(String(value))))).toEqual([]);
  });

  it('sets number formats before values in every block, suspends calculation, and syncs once per call', async () => {
    const fake = campaignWorkbook(40);
    const { host: excel } = host(fake);
    const first = await excel.readTable('{T1}');
    await excel.applyWritePlan('{T1}', plan(first, Array.from({ length: 40 }, (_, i) => ({ record: campaign(i + 1) }))));
    const sheet = await excel.readTable('{T1}');
    // New copy for every row, in calls of at most 2 KiB: several calls.
    const records = Array.from({ length: 40 }, (_, i) => ({ record: campaign(i + 1, { generated_content: `=SUM(A1) new copy ${i + 1} ${'w'.repeat(200)}` }) }));
    const writePlan = plan(sheet, records, 2048);
    expect(writePlan.calls.length).toBeGreaterThan(2);

    fake.ops.length = 0;
    fake.syncs = 0;
    await excel.applyWritePlan('{T1}', writePlan);
    expect(fake.syncs).toBe(writePlan.calls.length);
    for (let sync = 1; sync <= fake.syncs; sync += 1) {
      const ops = fake.opsOfSync(sync);
      expect(ops[0]?.kind).toBe('suspendCalculation');
      const call = writePlan.calls[sync - 1];
      const valueWrites = ops.filter((op) => op.kind === 'values');
      expect(valueWrites).toHaveLength(call?.writes.length ?? -1);
      for (const write of valueWrites) {
        const formatAt = ops.findIndex((op) => op.kind === 'numberFormat' && op.address === write.address);
        expect(formatAt).toBeGreaterThanOrEqual(0);
        expect(formatAt).toBeLessThan(ops.indexOf(write));
      }
    }
    expect(fake.tableValues('{T1}')).toEqual(reference(sheet, writePlan));
    // The copy starting with '=' stays text: inert prefix from the engine, text format in the cell.
    const copyColumn = (sheet.values[0] ?? []).indexOf('Generated Content');
    expect(String(fake.tableValues('{T1}')[1]?.[copyColumn])).toBe('\u200B=SUM(A1) new copy 1 ' + 'w'.repeat(200));
    expect(fake.tableFormats('{T1}')[1]?.[copyColumn]).toBe('@');
  });

  it('appends rows a pull adds below the table, growing the table first (one extra sync to learn its size)', async () => {
    const fake = campaignWorkbook(2);
    const { host: excel } = host(fake);
    const sheet = await excel.readTable('{T1}');
    const mapping = mapHeaders(sheet.values[0] ?? [], 'campaigns');
    const writePlan = planWrites(sheet, mapping, [1, 2, 3].map((n) => ({ record: campaign(n) })), { now: NOW, mode: 'pull', appendUnmatched: true });
    expect(writePlan.appendedRows).toBe(1);
    fake.syncs = 0;
    await excel.applyWritePlan('{T1}', writePlan);
    expect(fake.syncs).toBe(writePlan.calls.length + 1);
    expect(fake.table('{T1}').rows).toBe(3);
    expect(fake.tableValues('{T1}')).toEqual(reference(sheet, writePlan));
  });

  it('does nothing, and syncs nothing, for an empty plan', async () => {
    const fake = campaignWorkbook(2);
    const { host: excel } = host(fake);
    fake.syncs = 0;
    await excel.applyWritePlan('{T1}', { addColumns: [], writes: [], calls: [], unplaced: [], appendedRows: 0, cellsChanged: 0, maxCallBytes: 0, maxRequestBytes: 1 });
    expect(fake.syncs).toBe(0);
  });

  it('says the table is gone when it was deleted before writing', async () => {
    const fake = campaignWorkbook(2);
    const { host: excel } = host(fake);
    const writePlan = plan(await excel.readTable('{T1}'), [{ record: campaign(1) }]);
    await expect(excel.applyWritePlan('{T2}', writePlan)).rejects.toBeInstanceOf(HostTableMissingError);
  });
});

describe('sort safety', () => {
  it('writes each result into the row of its StoreSync id (or key) after the person sorted the table', async () => {
    const fake = campaignWorkbook(6);
    const { host: excel } = host(fake);
    // First sync: every row gets its id.
    const first = await excel.readTable('{T1}');
    await excel.applyWritePlan('{T1}', plan(first, [1, 2, 3, 4, 5, 6].map((n) => ({ record: campaign(n) }))));

    // The pane sends the rows; while the server answers, the person sorts the table descending.
    const sent = await excel.readTable('{T1}');
    const mapping = mapHeaders(sent.values[0] ?? [], 'campaigns');
    const read = readRows(sent, mapping);
    expect(read.rows).toHaveLength(6);
    fake.sortTable('{T1}', 0, true);
    const answers: SyncResult<'campaigns'>[] = read.rows.map((row) => {
      const n = Number((row.payload as { store_number: string }).store_number);
      return { ref: row.ref, record: campaign(n, { status: 'pending_review', generated_content: `Fresh copy for store ${n}` }) };
    });

    // The host reads again and plans on what Excel shows now.
    const now = await excel.readTable('{T1}');
    expect(now.values.slice(1).map((row) => row[0])).toEqual(['6', '5', '4', '3', '2', '1']);
    await excel.applyWritePlan('{T1}', plan(now, answers));

    const after = fake.tableValues('{T1}');
    const header = after[0] ?? [];
    const at = (name: string) => header.indexOf(name);
    for (const row of after.slice(1)) {
      const n = Number(row[at('Store #')]);
      expect(row[at('StoreSync ID')]).toBe(uuid(n));
      expect(row[at('Generated Content')]).toBe(`Fresh copy for store ${n}`);
      expect(row[at('Status')]).toBe('pending_review');
    }
  });

  it('stops a multi-call plan when the person changes the table between two calls, and planning again fixes it', async () => {
    const fake = campaignWorkbook(30);
    const { host: excel } = host(fake);
    await excel.applyWritePlan('{T1}', plan(await excel.readTable('{T1}'), Array.from({ length: 30 }, (_, i) => ({ record: campaign(i + 1) }))));
    const sheet = await excel.readTable('{T1}');
    const results = Array.from({ length: 30 }, (_, i) => ({ record: campaign(i + 1, { generated_content: `Second copy ${i + 1} ${'z'.repeat(80)}` }) }));
    const writePlan = plan(sheet, results, 2048);
    expect(writePlan.calls.length).toBeGreaterThan(1);
    // The person sorts right after the first call reached Excel.
    const originalRun = fake.run;
    let sortAfterSync = Number.POSITIVE_INFINITY;
    const run: typeof fake.run = async (batch) => {
      const result = await originalRun(batch);
      if (fake.syncs === sortAfterSync) fake.sortTable('{T1}', 0, true);
      return result;
    };
    const interrupted = createExcelHost({ run, office: fakeOffice().office as never, timeZone: 'UTC' });
    const stopInterrupted = interrupted.onUserEdit('{T1}', () => undefined);
    await fake.settle();
    sortAfterSync = fake.syncs + 1;
    await expect(interrupted.applyWritePlan('{T1}', writePlan)).rejects.toBeInstanceOf(PlanInterruptedError);

    // Plan again on what the sheet shows now: every row ends with its own copy.
    await interrupted.applyWritePlan('{T1}', plan(await interrupted.readTable('{T1}'), results));
    const after = fake.tableValues('{T1}');
    const header = after[0] ?? [];
    for (const row of after.slice(1)) {
      const n = Number(row[header.indexOf('Store #')]);
      expect(row[header.indexOf('Generated Content')]).toBe(`Second copy ${n} ${'z'.repeat(80)}`);
    }
    stopInterrupted();
  });
});

describe('user edits', () => {
  it('reports a person typing in the table, in table coordinates, with the new value', async () => {
    const fake = campaignWorkbook(3);
    const { host: excel } = host(fake);
    const edits: UserEdit[] = [];
    excel.onUserEdit('{T1}', (edit) => edits.push(edit));
    await fake.settle();
    fake.typeCell('{T1}', 2, 2, 'flash sale');
    await fake.settle();
    expect(edits).toEqual([{ tableId: '{T1}', row: 2, column: 2, rowCount: 1, columnCount: 1, values: [['flash sale']] }]);
  });

  it('never reports the add-in’s own writes, but does report edits made while it writes', async () => {
    const fake = campaignWorkbook(12);
    const { host: excel } = host(fake);
    const edits: UserEdit[] = [];
    excel.onUserEdit('{T1}', (edit) => edits.push(edit));
    await fake.settle();

    const sheet = await excel.readTable('{T1}');
    await excel.applyWritePlan('{T1}', plan(sheet, Array.from({ length: 12 }, (_, i) => ({ record: campaign(i + 1) }))));
    // A second plan in several calls; a person pastes into Sale Type in the middle of it.
    const again = await excel.readTable('{T1}');
    const writePlan = plan(again, Array.from({ length: 12 }, (_, i) => ({ record: campaign(i + 1, { generated_content: `v2 ${i + 1} ${'y'.repeat(300)}` }) })), 2048);
    expect(writePlan.calls.length).toBeGreaterThan(1);
    const raised = fake.raised;
    await excel.applyWritePlan('{T1}', writePlan);
    await fake.settle();
    expect(fake.raised - raised).toBeGreaterThanOrEqual(writePlan.writes.length);
    expect(edits).toEqual([]);

    fake.pasteCells('{T1}', 1, 2, [['clearance'], ['clearance']]);
    await fake.settle();
    expect(edits).toEqual([{ tableId: '{T1}', row: 1, column: 2, rowCount: 2, columnCount: 1 }]);
  });

  it('counts a person overwriting a cell the add-in just wrote (the value differs from what it wrote)', async () => {
    const fake = campaignWorkbook(2);
    const { host: excel } = host(fake);
    const edits: UserEdit[] = [];
    excel.onUserEdit('{T1}', (edit) => edits.push(edit));
    await fake.settle();
    const sheet = await excel.readTable('{T1}');
    const writePlan = plan(sheet, [{ record: campaign(1) }, { record: campaign(2) }]);
    await excel.applyWritePlan('{T1}', writePlan);
    const status = writePlan.addColumns.find((column) => column.field === 'status')?.index ?? -1;
    fake.typeCell('{T1}', 1, status, 'approved');
    await fake.settle();
    expect(edits).toEqual([{ tableId: '{T1}', row: 1, column: status, rowCount: 1, columnCount: 1, values: [['approved']] }]);
  });

  it('reports edits again after the grace period, and stops reporting after unsubscribing', async () => {
    let now = 1_000;
    const fake = campaignWorkbook(2);
    fake.eventDetails = false; // ExcelApi 1.7/1.8: no details, so only the ledger decides
    const { host: excel } = host(fake, { now: () => now, ownWriteGraceMs: 500 });
    const edits: UserEdit[] = [];
    const stop = excel.onUserEdit('{T1}', (edit) => edits.push(edit));
    await fake.settle();
    const writePlan = plan(await excel.readTable('{T1}'), [{ record: campaign(1) }]);
    await excel.applyWritePlan('{T1}', writePlan);
    await fake.settle();
    expect(edits).toEqual([]);
    const status = writePlan.addColumns.find((column) => column.field === 'status')?.index ?? -1;
    // Within the grace period, without details, a change to a cell the add-in wrote looks like its own.
    fake.typeCell('{T1}', 1, status, 'approved');
    await fake.settle();
    expect(edits).toEqual([]);
    now += 501;
    fake.typeCell('{T1}', 1, status, 'draft');
    await fake.settle();
    expect(edits).toHaveLength(1);
    stop();
    await fake.settle();
    expect(fake.handlerCount('{T1}')).toBe(0);
    fake.typeCell('{T1}', 1, 0, '99');
    await fake.settle();
    expect(edits).toHaveLength(1);
  });
});

describe('selection', () => {
  it('selects a data row and reads which data rows the selection touches', async () => {
    const fake = campaignWorkbook(6);
    const { host: excel } = host(fake);
    await excel.selectRow('{T1}', 3);
    // Row 3 of the data = worksheet row 2 (header) + 3, columns C:E.
    expect(fake.selection).toEqual({ sheet: 'Sheet1', areas: [{ row: 5, column: 2, rowCount: 1, columnCount: 3 }] });
    expect(await excel.getSelectedRows('{T1}')).toEqual([3]);

    // Two areas: rows 1-2 (from above the header) and row 5 and beyond the table; a third area left of the table.
    fake.selection = {
      sheet: 'Sheet1',
      areas: [
        { row: 0, column: 3, rowCount: 5, columnCount: 1 },
        { row: 7, column: 4, rowCount: 10, columnCount: 2 },
        { row: 4, column: 0, rowCount: 1, columnCount: 2 },
      ],
    };
    expect(await excel.getSelectedRows('{T1}')).toEqual([1, 2, 5, 6]);
    fake.selection = { sheet: 'Sheet2', areas: [{ row: 3, column: 2, rowCount: 1, columnCount: 1 }] };
    expect(await excel.getSelectedRows('{T1}')).toEqual([]);
  });

  it('uses the single selected range where ExcelApi 1.9 is missing', async () => {
    const fake = campaignWorkbook(6);
    const office = fakeOffice({ apiVersion: '1.7' });
    const excel = createExcelHost({ run: fake.run, office: office.office as never });
    fake.selection = { sheet: 'Sheet1', areas: [{ row: 4, column: 2, rowCount: 2, columnCount: 1 }] };
    expect(await excel.getSelectedRows('{T1}')).toEqual([2, 3]);
  });
});

describe('settings, storage and theme', () => {
  it('keeps document settings in the workbook (saveAsync after each set)', async () => {
    const fake = campaignWorkbook(1);
    const { host: excel, office } = host(fake);
    expect(await excel.documentSettings.get('connections')).toBeUndefined();
    await excel.documentSettings.set('connections', { '{T1}': { kind: 'campaigns', mapping: { saletype: { extra: 'sale_type' } } } });
    await excel.documentSettings.set('version', 2);
    expect(office.saves()).toBe(2);
    expect(office.saved.get('connections')).toEqual({ '{T1}': { kind: 'campaigns', mapping: { saletype: { extra: 'sale_type' } } } });
    expect(await excel.documentSettings.get('version')).toBe(2);
    await excel.documentSettings.set('version', undefined);
    expect(office.saved.has('version')).toBe(false);
  });

  it('keeps user storage in OfficeRuntime.storage when Office has it, else in localStorage under a prefix', async () => {
    const fake = campaignWorkbook(1);
    const runtime = new Map<string, string>();
    const runtimeStorage = {
      getItem: (key: string) => Promise.resolve(runtime.get(key) ?? null),
      setItem: (key: string, value: string) => Promise.resolve(void runtime.set(key, value)),
      removeItem: (key: string) => Promise.resolve(void runtime.delete(key)),
    };
    const withRuntime = createExcelHost({ run: fake.run, userStorage: runtimeStorage });
    await withRuntime.userStorage.set('refresh', 'r1');
    expect(runtime.get('refresh')).toBe('r1');
    expect(await withRuntime.userStorage.get('refresh')).toBe('r1');

    const local = new Map<string, string>();
    const localStorage = {
      get length() {
        return local.size;
      },
      getItem: (key: string) => local.get(key) ?? null,
      setItem: (key: string, value: string) => void local.set(key, value),
      removeItem: (key: string) => void local.delete(key),
    };
    const withLocal = createExcelHost({ run: fake.run, userStorage: localStorage });
    await withLocal.userStorage.set('brand', 'b-1');
    expect([...local.keys()]).toEqual(['storesync:brand']);
    await withLocal.userStorage.remove('brand');
    expect(await withLocal.userStorage.get('brand')).toBeNull();
  });

  it('follows the Office theme, and the system theme where Office gives none', () => {
    const fake = campaignWorkbook(1);
    const dark = createExcelHost({ run: fake.run, office: fakeOffice({ theme: { isDarkTheme: true } }).office as never });
    expect(dark.theme).toBe('dark');
    const byColour = createExcelHost({ run: fake.run, office: fakeOffice({ theme: { bodyBackgroundColor: '#262626' } }).office as never });
    expect(byColour.theme).toBe('dark');
    const light = createExcelHost({ run: fake.run, office: fakeOffice({ theme: { bodyBackgroundColor: '#FFFFFF' } }).office as never });
    expect(light.theme).toBe('light');
    const system = createExcelHost({ run: fake.run, office: fakeOffice({ theme: null }).office as never, matchMedia: () => ({ matches: true }) });
    expect(system.theme).toBe('dark');
  });

  it('tells theme changes to listeners while they listen', () => {
    const fake = campaignWorkbook(1);
    const { office } = fakeOffice({ theme: { isDarkTheme: false } });
    const timers: (() => void)[] = [];
    const excel = createExcelHost({
      run: fake.run,
      office: office as never,
      setInterval: (callback) => timers.push(callback),
      clearInterval: () => timers.splice(0),
    });
    const seen: string[] = [];
    const stop = excel.onThemeChange((theme) => seen.push(theme));
    (office.context as { officeTheme: { isDarkTheme: boolean } }).officeTheme = { isDarkTheme: true };
    timers.forEach((tick) => tick());
    timers.forEach((tick) => tick());
    expect(seen).toEqual(['dark']);
    stop();
    expect(timers).toHaveLength(0);
  });

  it('gives the date system and the time zone for the engine', async () => {
    const fake = campaignWorkbook(1);
    expect(await createExcelHost({ run: fake.run, timeZone: 'Europe/Paris' }).getDateSettings()).toEqual({ dateSystem: 'excel-1900', timeZone: 'Europe/Paris' });
    expect((await createExcelHost({ run: fake.run, dateSystem: 'excel-1904' }).getDateSettings()).dateSystem).toBe('excel-1904');
  });
});
