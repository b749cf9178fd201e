import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, useTestContext, type TestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  world = await createWorld(ctx);
});

const ZWSP = '\u200B';
const PATH = '/api/v1/campaigns/bulk-import/';

/** A brand of its own per test, so tests never see each other's rows. */
async function freshBrand(context: TestContext) {
  const brand = await context.createBrand();
  const manager = await context.createUser('brand_manager', { brands: [brand.id] });
  return { brand, token: manager.token, userId: manager.id };
}

type Cell = ExcelJS.CellValue;

/** A real .xlsx made with exceljs: `rows[0]` is the header row; `formats` by A1 address. */
async function xlsx(rows: Cell[][], options: { sheetName?: string; formats?: Record<string, string>; before?: string[]; date1904?: boolean } = {}) {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const name of options.before ?? []) workbook.addWorksheet(name).addRow(['Notes', 'nothing to import here']);
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Sheet1');
  for (const row of rows) sheet.addRow(row);
  for (const [address, format] of Object.entries(options.formats ?? {})) sheet.getCell(address).numFmt = format;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function readBack(bytes: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet in the result file');
  const headers = (sheet.getRow(1).values as Cell[]).slice(1).map(String);
  const column = (header: string) => {
    const index = headers.indexOf(header);
    if (index < 0) throw new Error(`no column "${header}" in ${headers.join(', ')}`);
    return index + 1;
  };
  const cell = (row: number, header: string) => sheet.getRow(row).getCell(column(header));
  return { workbook, sheet, headers, column, cell };
}

interface UploadFields {
  file: Uint8Array | string;
  filename: string;
  brand: string;
  kind?: string;
  dry_run?: string;
  time_zone?: string;
  extra?: Record<string, string>;
}

async function upload(token: string | undefined, fields: UploadFields) {
  const form = new FormData();
  form.set('file', new File([fields.file], fields.filename));
  form.set('brand', fields.brand);
  if (fields.kind) form.set('kind', fields.kind);
  if (fields.dry_run) form.set('dry_run', fields.dry_run);
  if (fields.time_zone) form.set('time_zone', fields.time_zone);
  for (const [key, value] of Object.entries(fields.extra ?? {})) form.set(key, value);
  const response = await ctx.app.request(PATH, { method: 'POST', body: form, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function download(token: string, url: string) {
  const response = await ctx.app.request(new URL(url).pathname, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: await response.arrayBuffer() };
}

type RowResult = { row: number; status: string; id: string | null; message?: string; column?: string; problems?: { text: string }[] };
const byRow = (results: RowResult[]) => new Map(results.map((result) => [result.row, result]));

describe('POST /campaigns/bulk-import (locations)', () => {
  it('creates rows from an .xlsx, names row, column and fix for bad ones, and returns a result file with inert text', async () => {
    const { brand, token } = await freshBrand(ctx);
    const file = await xlsx([
      ['Store #', 'Name', 'City', 'ZIP', 'Region', 'Notes'],
      ['0012', 'Downtown', 'Austin', '78701', 'South', 'corner lot'],
      ['0013', '', 'Dallas', '75201', 'North', ''],
      ['0014', '=HYPERLINK("http://evil.example","click")', 'Waco', '76701', '+1', '@SUM(1,2)'],
      ['0015', 'Long zip', 'Waco', '76701-0000-0000-0000-0000', 'West', ''],
      [null, null, null, null, null, null],
      ['0016', 'After a blank row', 'Round Rock', '78664', '-5+3', 'ok'],
    ]);
    const response = await upload(token, { file, filename: 'stores.xlsx', brand: brand.id });
    expect(response.status).toBe(200);
    const body = response.json;
    expect(body).toMatchObject({ brand: brand.id, kind: 'locations', dry_run: false, file: { name: 'stores.xlsx', format: 'xlsx', rows: 5 } });
    expect(body.counts).toEqual({ created: 3, updated: 0, unchanged: 0, conflict: 0, error: 2 });

    const rows = byRow(body.results);
    expect([...rows.keys()]).toEqual([2, 3, 4, 5, 7]);
    expect(rows.get(3)).toMatchObject({ status: 'error', id: null, column: 'Name', message: 'the cell is empty; fill in the Name (it is required)' });
    expect(rows.get(3)?.problems?.[0]?.text).toBe('Row 3 · Name: the cell is empty; fill in the Name (it is required)');
    expect(rows.get(5)).toMatchObject({ status: 'error', column: 'ZIP' });
    expect(rows.get(5)?.message).toMatch(/shorten it to at most 20 characters/);

    const stored = await ctx.prisma.location.findMany({ where: { brandId: brand.id }, orderBy: { storeNumber: 'asc' } });
    expect(stored.map((location) => location.storeNumber)).toEqual(['0012', '0014', '0016']);
    expect(rows.get(2)).toMatchObject({ status: 'created', id: stored[0]?.id });
    expect(stored[0]).toMatchObject({ name: 'Downtown', address: { city: 'Austin', zip: '78701' }, attributes: { region: 'South', notes: 'corner lot' } });
    // Formula-looking text is data: stored exactly as typed.
    expect(stored[1]).toMatchObject({ name: '=HYPERLINK("http://evil.example","click")', attributes: { region: '+1', notes: '@SUM(1,2)' } });

    expect(body.result_file).toMatchObject({ filename: 'stores (StoreSync result).xlsx' });
    expect(body.result_file.url).toMatch(/\/api\/v1\/campaigns\/bulk-import\/[A-Za-z0-9_-]{22}\/result\/$/);
    const result = await download(token, body.result_file.url);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(result.headers.get('content-disposition')).toContain('attachment;');
    const { sheet, headers, cell, column } = await readBack(result.body);
    expect(headers.slice(0, 7)).toEqual(['Store #', 'Name', 'City', 'ZIP', 'Region', 'Notes', 'Sync Status']);
    expect(headers).toEqual(expect.arrayContaining(['StoreSync ID', 'Sync Error', 'Last Synced']));
    expect(sheet.getColumn(column('StoreSync ID')).hidden).toBe(true);
    expect(cell(2, 'StoreSync ID').value).toBe(stored[0]?.id);
    expect(cell(2, 'Sync Status').value).toBe('created');
    expect(cell(3, 'Sync Status').value).toBe('error');
    expect(cell(3, 'Sync Error').value).toBe('Name: the cell is empty; fill in the Name (it is required)');
    expect(cell(6, 'Sync Status').value).toBeNull();
    expect(cell(7, 'StoreSync ID').value).toBe(stored[2]?.id);
    // Store numbers stay text; formula-looking text comes back as inert string cells, never formulas.
    expect(cell(2, 'Store #').value).toBe('0012');
    for (const [header, text] of [
      ['Name', '=HYPERLINK("http://evil.example","click")'],
      ['Region', '+1'],
      ['Notes', '@SUM(1,2)'],
    ] as const) {
      const target = cell(4, header);
      expect(target.type, header).toBe(ExcelJS.ValueType.String);
      expect(target.formula, header).toBeUndefined();
      expect(target.value, header).toBe(`${ZWSP}${text}`);
      expect(target.numFmt, header).toBe('@');
    }
    expect(cell(7, 'Region').value).toBe(`${ZWSP}-5+3`);

    // The result file uploaded again: rows found by their StoreSync IDs, nothing changes, and the
    // inert prefix is read back off (the HYPERLINK name is unchanged, not renamed).
    const again = await upload(token, { file: new Uint8Array(result.body), filename: 'stores (StoreSync result).xlsx', brand: brand.id });
    expect(again.status).toBe(200);
    expect(again.json.counts).toEqual({ created: 0, updated: 0, unchanged: 3, conflict: 0, error: 2 });
    expect(await ctx.prisma.location.count({ where: { brandId: brand.id } })).toBe(3);
    const rereadAttributes = await ctx.prisma.location.findFirst({ where: { brandId: brand.id, storeNumber: '0012' } });
    expect(rereadAttributes?.attributes).not.toHaveProperty('sync_status');
    const second = await readBack((await download(token, again.json.result_file.url)).body);
    expect(second.headers.filter((header) => header === 'Sync Status')).toHaveLength(1);
    expect(second.sheet.getColumn(second.column('StoreSync ID')).hidden).toBe(true);
    expect(second.cell(2, 'Sync Status').value).toBe('unchanged');
    expect(second.cell(4, 'Name').value).toBe(`${ZWSP}=HYPERLINK("http://evil.example","click")`);
  });

  it('updates existing stores from a semicolon CSV (BOM, Windows quoting) and writes a protected result CSV', async () => {
    const { brand, token } = await freshBrand(ctx);
    const existing = await ctx.createLocation(brand.id, '100', { name: 'Old name', attributes: { region: 'East', size: 'L' } });
    const csv = '\uFEFFStore No.;Store Name;Active;Region;Size\r\n100;"New name; with semicolon";yes;West;\r\n200;"=1+1";no;"@evil";S\r\n';
    const response = await upload(token, { file: csv, filename: 'stores.csv', brand: brand.id });
    expect(response.status).toBe(200);
    expect(response.json.counts).toMatchObject({ created: 1, updated: 1, error: 0 });
    const rows = byRow(response.json.results);
    expect(rows.get(2)).toMatchObject({ status: 'updated', id: existing.id });
    const updated = await ctx.prisma.location.findUniqueOrThrow({ where: { id: existing.id } });
    // A blank extra cell removes its key, as in the add-ins.
    expect(updated).toMatchObject({ name: 'New name; with semicolon', isActive: true, attributes: { region: 'West' } });
    expect(updated.attributes).not.toHaveProperty('size');

    const result = await download(token, response.json.result_file.url);
    expect(result.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(result.body);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header = [], first = [], second = []] = parse(text.slice(1), { delimiter: ';' });
    expect(header.slice(0, 6)).toEqual(['Store No.', 'Store Name', 'Active', 'Region', 'Size', 'Sync Status']);
    expect(header).toEqual(expect.arrayContaining(['Last Synced', 'StoreSync ID']));
    expect(first.slice(0, 6)).toEqual(['100', 'New name; with semicolon', 'yes', 'West', '', 'updated']);
    expect(first[header.indexOf('StoreSync ID')]).toBe(existing.id);
    expect(first[header.indexOf('Last Synced')]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    // No cell of the CSV starts with a formula character: the formula-looking ones carry the inert prefix.
    expect(second.slice(0, 6)).toEqual(['200', `${ZWSP}=1+1`, 'no', `${ZWSP}@evil`, 'S', 'created']);
    for (const row of [header, first, second]) for (const field of row) expect(field).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('a result file edited and uploaded again merges against its StoreSync Version: changes on both sides are conflicts', async () => {
    const { brand, token } = await freshBrand(ctx);
    const first = await upload(token, {
      file: await xlsx([
        ['Store #', 'Name', 'City'],
        ['40', 'Forty', 'Austin'],
        ['41', 'Forty-one', 'Austin'],
      ]),
      filename: 'v1.xlsx',
      brand: brand.id,
    });
    const [forty, fortyOne] = first.json.results as RowResult[];
    // Meanwhile, in StoreSync: both stores are renamed, and store 41 moves.
    await ctx.prisma.location.update({ where: { id: forty?.id ?? '' }, data: { name: 'Forty (server)' } });
    await ctx.prisma.location.update({ where: { id: fortyOne?.id ?? '' }, data: { address: { city: 'Dallas' } } });

    // In the downloaded file: store 40 renamed too, store 41 renamed only here.
    const downloaded = await download(token, first.json.result_file.url);
    const { workbook, cell } = await readBack(downloaded.body);
    cell(2, 'Name').value = 'Forty (sheet)';
    cell(3, 'Name').value = 'Forty-one (sheet)';
    const edited = Buffer.from(await workbook.xlsx.writeBuffer());

    const second = await upload(token, { file: edited, filename: 'v2.xlsx', brand: brand.id });
    expect(second.status).toBe(200);
    const rows = byRow(second.json.results);
    expect(rows.get(2)).toMatchObject({ status: 'conflict', id: forty?.id });
    expect(rows.get(2)?.message).toMatch(/name/i);
    expect(rows.get(3)).toMatchObject({ status: 'updated', id: fortyOne?.id });
    expect(await ctx.prisma.location.findUniqueOrThrow({ where: { id: forty?.id ?? '' } })).toMatchObject({ name: 'Forty (server)' });
    // Only the sheet changed the name, only StoreSync the city: both kept.
    expect(await ctx.prisma.location.findUniqueOrThrow({ where: { id: fortyOne?.id ?? '' } })).toMatchObject({
      name: 'Forty-one (sheet)',
      address: { city: 'Dallas' },
    });
    const result = await readBack((await download(token, second.json.result_file.url)).body);
    expect(result.cell(2, 'Sync Status').value).toBe('conflict');
    expect(result.cell(2, 'Sync Error').text).toMatch(/^Conflict: /);
  });

  it('reads Windows-1252 CSV and tab-separated text', async () => {
    const { brand, token } = await freshBrand(ctx);
    const latin = Buffer.from('Store #,Name,City\r\n1,Caf\xe9 du Nord,Montr\xe9al\r\n', 'latin1');
    const response = await upload(token, { file: latin, filename: 'latin.csv', brand: brand.id });
    expect(response.status).toBe(200);
    const tabbed = await upload(token, { file: 'Store #\tName\n2\tTabbed\n', filename: 'tabbed.txt', brand: brand.id });
    expect(tabbed.status).toBe(200);
    const names = await ctx.prisma.location.findMany({ where: { brandId: brand.id }, orderBy: { storeNumber: 'asc' } });
    expect(names.map((location) => [location.name, (location.address as { city?: string }).city])).toEqual([
      ['Café du Nord', 'Montréal'],
      ['Tabbed', undefined],
    ]);
  });

  it('dry_run checks every row against the database and writes nothing', async () => {
    const { brand, token } = await freshBrand(ctx);
    const existing = await ctx.createLocation(brand.id, '300', { name: 'Kept' });
    const before = await ctx.prisma.location.findUniqueOrThrow({ where: { id: existing.id } });
    const file = await xlsx([
      ['Store #', 'Name'],
      ['300', 'Renamed'],
      ['301', 'New'],
      ['302', ''],
    ]);
    const response = await upload(token, { file, filename: 'dry.xlsx', brand: brand.id, dry_run: 'true' });
    expect(response.status).toBe(200);
    expect(response.json.dry_run).toBe(true);
    expect(response.json.counts).toEqual({ created: 1, updated: 1, unchanged: 0, conflict: 0, error: 1 });
    const rows = byRow(response.json.results);
    expect(rows.get(2)).toMatchObject({ status: 'updated', id: existing.id });
    expect(rows.get(3)).toMatchObject({ status: 'created', id: null });
    expect(response.json.cursor).toBeUndefined();

    expect(await ctx.prisma.location.count({ where: { brandId: brand.id } })).toBe(1);
    expect(await ctx.prisma.location.findUniqueOrThrow({ where: { id: existing.id } })).toEqual(before);
    const changes = await ctx.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM sync_changes WHERE brand_id = ${brand.id}::uuid AND entity_id <> ${existing.id}::uuid`;
    expect(changes[0]?.n).toBe(0n);

    const result = await download(token, response.json.result_file.url);
    const { cell, headers } = await readBack(result.body);
    expect(cell(2, 'Sync Status').value).toBe('would be updated');
    expect(cell(3, 'Sync Status').value).toBe('would be created');
    expect(cell(4, 'Sync Error').value).toBe('Name: the cell is empty; fill in the Name (it is required)');
    expect(headers).not.toContain('StoreSync ID');
  });

  it('never lets one bad row sink the file: every kind of problem is a row result, the rest are written', async () => {
    const { brand, token } = await freshBrand(ctx);
    const file = await xlsx(
      [
        ['Store #', 'Name', 'Active', 'StoreSync ID', 'Region'],
        ['1', 'Good one', 'yes', null, 'North'],
        ['2', 'Bad active', 'maybe', null, null],
        ['3', 'Copied id', null, 'not-a-uuid', null],
        ['4', 'Duplicate A', null, null, null],
        ['4', 'Duplicate B', null, null, null],
        ['5', 'Unknown id', null, '7b0f4f4e-9d36-4c55-b2a2-6a0c1d1e0f00', null],
        ['6', 'Spreadsheet error', null, null, { error: '#REF!' }],
        ['7', 'Good two', 'no', null, null],
      ],
      { sheetName: 'Locations' },
    );
    const response = await upload(token, { file, filename: 'mixed.xlsx', brand: brand.id });
    expect(response.status).toBe(200);
    const rows = byRow(response.json.results);
    expect(response.json.counts).toMatchObject({ created: 2, error: 6 });
    expect(rows.get(3)).toMatchObject({ status: 'error', column: 'Active', message: '"maybe" is not yes or no; write yes or no' });
    expect(rows.get(4)).toMatchObject({ status: 'error', column: 'StoreSync ID' });
    expect(rows.get(5)?.message).toMatch(/store 4 is also on row 6; keep one row per store/);
    expect(rows.get(6)?.message).toMatch(/store 4 is also on row 5/);
    // Found only by the server: the id names no location of this brand.
    expect(rows.get(7)).toMatchObject({ status: 'error', column: 'StoreSync ID' });
    expect(rows.get(7)?.message).toMatch(/is not a location of this brand/);
    expect(rows.get(8)).toMatchObject({ status: 'error', column: 'Region', message: 'the cell shows the error #REF!; fix its formula or type the value' });
    expect(rows.get(2)?.status).toBe('created');
    expect(rows.get(9)?.status).toBe('created');
    const stored = await ctx.prisma.location.findMany({ where: { brandId: brand.id }, orderBy: { storeNumber: 'asc' } });
    expect(stored.map((location) => [location.storeNumber, location.isActive])).toEqual([
      ['1', true],
      ['7', false],
    ]);

    const result = await download(token, response.json.result_file.url);
    const { cell } = await readBack(result.body);
    expect(cell(7, 'Sync Error').value).toMatch(/^StoreSync ID: StoreSync ID 7b0f4f4e-.* is not a location of this brand/);
    expect(cell(8, 'Sync Error').value).toBe('Region: the cell shows the error #REF!; fix its formula or type the value');
  });

  it('takes a 5,000-row file, and the result file uploaded again changes nothing', async () => {
    const { brand, token } = await freshBrand(ctx);
    const rows: Cell[][] = [['Store #', 'Name', 'Street', 'City', 'State', 'ZIP', 'Region', 'Sq Ft', 'Opened']];
    for (let index = 0; index < 5000; index += 1) {
      const number = String(index + 1).padStart(5, '0');
      rows.push([number, `Store ${number}`, `${100 + index} Main St`, 'Austin', 'TX', '78701', ['North', 'South', 'East', 'West'][index % 4] ?? '', 1000 + index, new Date(Date.UTC(2020, 0, 1 + (index % 365)))]);
    }
    const formats: Record<string, string> = {};
    for (let row = 2; row <= 5001; row += 1) formats[`I${row}`] = 'yyyy-mm-dd';
    const file = await xlsx(rows, { formats });

    let started = performance.now();
    const response = await upload(token, { file, filename: 'big.xlsx', brand: brand.id });
    const firstMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(response.json.counts).toMatchObject({ created: 5000, error: 0 });
    expect(await ctx.prisma.location.count({ where: { brandId: brand.id } })).toBe(5000);
    const sample = await ctx.prisma.location.findFirstOrThrow({ where: { brandId: brand.id, storeNumber: '00002' } });
    expect(sample.attributes).toEqual({ region: 'South', sq_ft: 1001, opened: '2020-01-02' });

    const result = await download(token, response.json.result_file.url);
    started = performance.now();
    const again = await upload(token, { file: new Uint8Array(result.body), filename: 'big.xlsx', brand: brand.id });
    const secondMs = performance.now() - started;
    expect(again.json.counts).toMatchObject({ unchanged: 5000, error: 0 });
    console.warn(`bulk import of 5,000 location rows: ${Math.round(firstMs)} ms as inserts, ${Math.round(secondMs)} ms re-uploaded (unchanged)`);
    expect(firstMs).toBeLessThan(60_000);
  }, 120_000);
});

describe('POST /campaigns/bulk-import (campaigns)', () => {
  it('detects a Campaigns sheet, checks templates, stores and required variables, and creates drafts', async () => {
    const { brand, token } = await freshBrand(ctx);
    const store = await ctx.createLocation(brand.id, '0012');
    await ctx.createLocation(brand.id, '0013');
    const template = await ctx.createTemplate(brand.id, { name: 'Seasonal sale', requiredVariables: ['sale_type'] });
    const file = await xlsx(
      [
        ['Store #', 'Template', 'Sale Type', 'Start', 'End'],
        ['0012', 'Seasonal sale', 'Summer', new Date(Date.UTC(2026, 5, 1, 9, 0)), new Date(Date.UTC(2026, 5, 30, 18, 0))],
        ['0013', 'Seasonal sale', null, null, null],
        ['0012', 'Seasnal sale', 'Winter', null, null],
        ['12', 'Seasonal sale', 'Fall', null, null],
      ],
      { sheetName: 'Campaigns', before: ['Read me'], formats: { D2: 'yyyy-mm-dd hh:mm', E2: 'yyyy-mm-dd hh:mm' } },
    );
    const response = await upload(token, { file, filename: 'campaigns.xlsx', brand: brand.id, kind: 'campaigns', time_zone: 'America/Chicago' });
    expect(response.status).toBe(200);
    expect(response.json.kind).toBe('campaigns');
    expect(response.json.file.sheet).toBe('Campaigns');
    expect(response.json.counts).toMatchObject({ created: 1, error: 3 });
    const rows = byRow(response.json.results);
    expect(rows.get(3)).toMatchObject({ status: 'error', column: 'Sale Type', message: 'the cell is empty, but the template "Seasonal sale" requires sale_type; fill it in' });
    expect(rows.get(4)).toMatchObject({ status: 'error', column: 'Template', message: 'there is no template named "Seasnal sale"; did you mean "Seasonal sale"?' });
    expect(rows.get(5)).toMatchObject({ status: 'error', column: 'Store #' });
    expect(rows.get(5)?.message).toMatch(/0012 does: the spreadsheet probably dropped its leading zeros/);

    const campaigns = await ctx.prisma.locationCampaign.findMany({ where: { templateId: template.id } });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ locationId: store.id, status: 'draft', customizations: { sale_type: 'Summer' } });
    // 09:00 wall clock in Chicago (CDT, UTC-5).
    expect(campaigns[0]?.scheduledStart?.toISOString()).toBe('2026-06-01T14:00:00.000Z');
    expect(rows.get(2)).toMatchObject({ status: 'created', id: campaigns[0]?.id });

    const result = await download(token, response.json.result_file.url);
    const { cell } = await readBack(result.body);
    expect(cell(2, 'Status').value).toBe('draft');
    expect(cell(2, 'StoreSync ID').value).toBe(campaigns[0]?.id);
    expect(cell(2, 'Sync Status').value).toBe('created');
    // The date cells come back as dates (serials with their format), not as text.
    expect(cell(2, 'Start').value).toBeInstanceOf(Date);
    expect(cell(4, 'Sync Error').value).toMatch(/^Template: there is no template named "Seasnal sale"/);

    // Without kind, the header row says it is a Campaigns sheet (the first worksheet).
    const detected = await upload(token, {
      file: await xlsx([
        ['Store #', 'Template', 'Sale Type'],
        ['0013', 'Seasonal sale', 'Spring'],
      ]),
      filename: 'more.xlsx',
      brand: brand.id,
    });
    expect(detected.status).toBe(200);
    expect(detected.json).toMatchObject({ kind: 'campaigns', counts: { created: 1 } });
  });
});

describe('bulk import: whole-file problems and access', () => {
  it('answers 400 naming the problem for files it cannot take', async () => {
    const { brand, token } = await freshBrand(ctx);
    const cases: [UploadFields, RegExp][] = [
      [{ file: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), filename: 'old.xls', brand: brand.id }, /Excel 97-2003 workbook \(\.xls\)/],
      [{ file: '%PDF-1.7 ...', filename: 'report.pdf', brand: brand.id }, /\.pdf file; upload an Excel workbook \(\.xlsx\) or a CSV file/],
      [{ file: 'Store #,Name\n', filename: 'stores.xlsx', brand: brand.id }, /not an Excel workbook/],
      [{ file: '', filename: 'empty.csv', brand: brand.id }, /is empty/],
      [{ file: 'Store #,Name\n', filename: 'headers-only.csv', brand: brand.id }, /no rows below them/],
      [{ file: 'Colour,Size\nred,L\n', filename: 'what.csv', brand: brand.id }, /could not tell from row 1/],
      [{ file: 'Name,City\nA,B\n', filename: 'no-store.csv', brand: brand.id, kind: 'locations' }, /Row 1 · Store #: the sheet has no Store # column/],
      [{ file: 'Store #,Name\n1,A\n', filename: 'tz.csv', brand: brand.id, time_zone: 'Mars/Olympus' }, /not a time zone/],
      [{ file: 'Store #,Name\n1,A\n', filename: 'kind.csv', brand: brand.id, kind: 'templates' }, /kind/],
      [{ file: 'Store #,Name\n1,A\n', filename: 'extra.csv', brand: brand.id, extra: { colour: 'red' } }, /colour/],
      [{ file: 'Store #,Name\n1,A\n', filename: 'brand.csv', brand: 'not-a-uuid' }, /brand/],
    ];
    for (const [fields, pattern] of cases) {
      const response = await upload(token, fields);
      expect(response.status, fields.filename).toBe(400);
      expect(JSON.stringify(response.json.error), fields.filename).toMatch(pattern);
      expect(response.json.error.request_id).toBeTruthy();
    }
    const headerProblem = await upload(token, { file: 'Name,City\nA,B\n', filename: 'no-store.csv', brand: brand.id, kind: 'locations' });
    expect(headerProblem.json.error.details[0]).toMatchObject({ field: 'file' });

    const notMultipart = await ctx.request('POST', PATH, { token, body: { brand: brand.id } });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.json.error.message).toMatch(/multipart\/form-data/);
    const noFile = new FormData();
    noFile.set('brand', brand.id);
    const missing = await ctx.app.request(PATH, { method: 'POST', body: noFile, headers: { Authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { details: unknown } }).error.details).toEqual([expect.objectContaining({ field: 'file' })]);

    const tooLarge = await upload(token, { file: new Uint8Array(33 * 1024 * 1024), filename: 'huge.xlsx', brand: brand.id });
    expect(tooLarge.status).toBe(413);
    expect(await ctx.prisma.location.count({ where: { brandId: brand.id } })).toBe(0);
  });

  it('refuses a file over 10,000 rows with nothing written', async () => {
    const { brand, token } = await freshBrand(ctx);
    const lines = ['Store #,Name'];
    for (let index = 0; index < 10_001; index += 1) lines.push(`${index},Store ${index}`);
    const response = await upload(token, { file: lines.join('\n'), filename: 'huge.csv', brand: brand.id });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toMatch(/at most 10,000 rows per file/);
    expect(await ctx.prisma.location.count({ where: { brandId: brand.id } })).toBe(0);
  });

  it('keeps other brands, viewers and bad tokens out, and location managers to their own stores', async () => {
    const file = 'Store #,Name\n001,Renamed by import\n003,New store\n';
    const brandId = world.brand.id;
    const other = await upload(world.users.otherBrandManager.token, { file, filename: 'x.csv', brand: brandId });
    expect(other.status).toBe(404);
    const viewer = await upload(world.users.viewer.token, { file, filename: 'x.csv', brand: brandId });
    expect(viewer.status).toBe(403);
    const viewerDry = await upload(world.users.viewer.token, { file, filename: 'x.csv', brand: brandId, dry_run: 'true' });
    expect(viewerDry.status).toBe(403);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', PATH);
    const unauthenticated = await upload(undefined, { file, filename: 'x.csv', brand: brandId });
    expect(unauthenticated.status).toBe(401);
    expect(await ctx.prisma.location.count({ where: { brandId } })).toBe(2);

    // A location manager updates their own store; adding one is for brand managers.
    const manager = await upload(world.users.locationManager.token, { file, filename: 'x.csv', brand: brandId });
    expect(manager.status).toBe(200);
    const rows = byRow(manager.json.results);
    expect(rows.get(2)).toMatchObject({ status: 'updated', id: world.location.id });
    expect(rows.get(3)).toMatchObject({ status: 'error', column: 'Store #' });
    expect(rows.get(3)?.message).toMatch(/Only admins and brand managers can add locations/);
    expect(await ctx.prisma.location.count({ where: { brandId } })).toBe(2);
  });

  it('serves a result file only to the user who uploaded it, for 24 hours', async () => {
    const { brand, token, userId } = await freshBrand(ctx);
    const colleague = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const response = await upload(token, { file: 'Store #,Name\n9,Nine\n', filename: 'mine.csv', brand: brand.id });
    const url: string = response.json.result_file.url;
    const path = new URL(url).pathname;
    expect((await download(token, url)).status).toBe(200);
    for (const someone of [colleague.token, world.users.admin.token, world.users.otherBrandManager.token]) {
      const refused = await ctx.request('GET', path, { token: someone });
      expect(refused.status).toBe(404);
      expect(refused.json.error.code).toBe('not_found');
    }
    await expectRejectsBadTokens(ctx, userId, 'GET', path);
    expect((await ctx.request('GET', '/api/v1/campaigns/bulk-import/AAAAAAAAAAAAAAAAAAAAAA/result/', { token })).status).toBe(404);
    expect((await ctx.request('GET', '/api/v1/campaigns/bulk-import/short/result/', { token })).status).toBe(400);
    const id: string = response.json.result_file.id;
    const ttl = await ctx.redis.ttl(`bulk-import:result:${id}`);
    expect(ttl).toBeGreaterThan(24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);

    // Removed from the brand since: the file is no longer theirs to read.
    await ctx.prisma.brandMembership.deleteMany({ where: { userId, brandId: brand.id } });
    expect((await ctx.request('GET', path, { token })).status).toBe(404);
  });
});
