import { extraFromCell, type Sheet } from '@storesync/core';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  declaredUnzippedBytes,
  decodeText,
  detectDelimiter,
  detectFormat,
  FileProblem,
  readCsv,
  readXlsx,
  writeCsv,
  writeXlsx,
} from './sheet-files.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

async function workbookBytes(build: (workbook: ExcelJS.Workbook) => void) {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A zip whose central directory declares one entry of `size` bytes (nothing else in it is real). */
function fakeZip(size: number) {
  const name = bytes('xl/worksheets/sheet1.xml');
  const local = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(26).fill(0)]);
  const central = new Uint8Array(46 + name.length);
  const view = new DataView(central.buffer);
  view.setUint32(0, 0x02014b50, true);
  view.setUint32(24, size, true);
  view.setUint16(28, name.length, true);
  central.set(name, 46);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, 1, true);
  endView.setUint16(10, 1, true);
  endView.setUint32(12, central.length, true);
  endView.setUint32(16, local.length, true);
  return new Uint8Array([...local, ...central, ...end]);
}

describe('detectFormat', () => {
  it('goes by content first, then by name, and explains what it refuses', async () => {
    const xlsx = await workbookBytes((workbook) => workbook.addWorksheet('A').addRow(['x']));
    expect(detectFormat(xlsx, 'stores.xlsx')).toBe('xlsx');
    expect(detectFormat(xlsx, 'download')).toBe('xlsx');
    expect(detectFormat(bytes('Store #,Name\n1,A'), 'stores.csv')).toBe('csv');
    expect(detectFormat(bytes('Store #\tName'), 'export')).toBe('csv');
    expect(detectFormat(new Uint8Array([0xff, 0xfe, 0x53, 0x00]), 'unicode.txt')).toBe('csv');
    const refused: [Uint8Array, string, RegExp][] = [
      [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'old.xls', /Excel 97-2003/],
      [xlsx, 'sheet.ods', /OpenDocument/],
      [xlsx, 'letter.docx', /\.docx file/],
      [bytes('hello'), 'notes.json', /\.json file/],
      [new Uint8Array([1, 0, 2, 0]), 'blob', /not a spreadsheet/],
      [new Uint8Array(), 'empty.csv', /empty/],
    ];
    for (const [content, name, message] of refused) {
      expect(() => detectFormat(content, name), name).toThrow(FileProblem);
      expect(() => detectFormat(content, name), name).toThrow(message);
    }
  });
});

describe('CSV', () => {
  it('decodes UTF-8 (BOM or not), UTF-16 and Windows-1252', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('Café')]))).toBe('Café');
    expect(decodeText(bytes('Café'))).toBe('Café');
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x43, 0x00, 0xe9, 0x00]))).toBe('Cé');
    expect(decodeText(new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x80]))).toBe('Café€');
  });

  it('finds the separator of the header line, outside quotes', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('"a,b";c;d\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('reads text cells as written, pads ragged rows, drops trailing blank rows, honours sep=', () => {
    const file = readCsv(bytes('sep=;\r\nStore #;Name;Notes\r\n0012;"Two\nlines";=1+1\r\n7;Short\r\n;;\r\n\r\n'), 'stores.csv');
    expect(file).toMatchObject({ format: 'csv', sheetName: 'stores', delimiter: ';', sepLine: true });
    expect(file.sheet.values).toEqual([
      ['Store #', 'Name', 'Notes'],
      ['0012', 'Two\nlines', '=1+1'],
      ['7', 'Short', null],
    ]);
  });

  it('refuses more rows than the limit', () => {
    const text = ['Store #', '1', '2', '3', '4'].join('\n');
    expect(() => readCsv(bytes(text), 'x.csv', { limits: { maxRows: 3, maxColumns: 10, maxUnzippedBytes: 1 } })).toThrow(/at most 3 rows/);
  });

  it('writes UTF-8 with BOM, quoting what needs it', () => {
    const sheet: Sheet = { values: [['a', 'b;c', 'say "hi"', 'two\nlines', 3.5, true, null]] };
    const text = writeCsv(sheet, { delimiter: ';', sepLine: true }).toString('utf8');
    expect(text).toBe('\uFEFFsep=;\r\na;"b;c";"say ""hi""";"two\nlines";3.5;TRUE;\r\n');
  });
});

describe('xlsx', () => {
  it('reads values as the add-ins get them: computed values, text of rich text and links, errors, merged areas, date serials', async () => {
    const file = await workbookBytes((workbook) => {
      workbook.addWorksheet('Hidden', { state: 'hidden' }).addRow(['Store #', 'Name']);
      const sheet = workbook.addWorksheet('Data');
      sheet.addRow(['Store #', 'Name', 'Total', 'Link', 'Opened', 'Broken']);
      sheet.addRow([
        '0012',
        { richText: [{ text: 'Down' }, { font: { bold: true }, text: 'town' }] },
        { formula: 'SUM(1,2)', result: 3 },
        { text: 'site', hyperlink: 'https://example.com' },
        new Date(Date.UTC(2026, 11, 1)),
        { error: '#REF!' },
      ]);
      sheet.getCell('E2').numFmt = 'yyyy-mm-dd';
      sheet.addRow(['merged', null, null, null, null, null]);
      sheet.mergeCells('A3:B3');
    });
    const read = await readXlsx(file);
    expect(read).toMatchObject({ format: 'xlsx', sheetName: 'Data', dateSystem: 'excel-1900' });
    expect(read.sheet.values).toEqual([
      ['Store #', 'Name', 'Total', 'Link', 'Opened', 'Broken'],
      ['0012', 'Downtown', 3, 'site', 46357, '#REF!'],
      ['merged', null, null, null, null, null],
    ]);
    expect(read.sheet.numberFormats?.[1]?.[4]).toBe('yyyy-mm-dd');
  });

  it('prefers the sheet named like the kind, and reads 1904 workbooks in their date system', async () => {
    const file = await workbookBytes((workbook) => {
      workbook.properties.date1904 = true;
      workbook.addWorksheet('Read me').addRow(['hello']);
      const sheet = workbook.addWorksheet('Campaigns');
      sheet.addRow(['Store #', 'Start']);
      sheet.addRow(['1', new Date(Date.UTC(2026, 11, 1))]);
      sheet.getCell('B2').numFmt = 'yyyy-mm-dd';
    });
    const first = await readXlsx(file);
    expect(first.sheetName).toBe('Read me');
    const read = await readXlsx(file, { preferredSheet: 'campaigns' });
    expect(read).toMatchObject({ sheetName: 'Campaigns', dateSystem: 'excel-1904' });
    const serial = read.sheet.values[1]?.[1] ?? null;
    expect(serial).toBe(46357 - 1462);
    expect(extraFromCell(serial, 'yyyy-mm-dd', read.dateSystem)).toBe('2026-12-01');

    // Written back in the 1900 system, the date is the same day.
    const written = await readXlsx(await writeXlsx(read.sheet, { sheetName: 'Campaigns', dateSystem: 'excel-1904', columns: [] }));
    expect(written.dateSystem).toBe('excel-1900');
    expect(extraFromCell(written.sheet.values[1]?.[1] ?? null, 'yyyy-mm-dd', 'excel-1900')).toBe('2026-12-01');
  });

  it('refuses a workbook that unpacks to more than the limit before unpacking it', async () => {
    const bomb = fakeZip(0xfffffff0);
    expect(declaredUnzippedBytes(bomb)).toBe(0xfffffff0);
    await expect(readXlsx(bomb)).rejects.toThrow(/unpacks to 4096 MiB/);
    await expect(readXlsx(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toThrow(/damaged/);
  });

  it('writes values only: strings as Text string cells (never formulas), numbers with their formats, hidden columns', async () => {
    const sheet: Sheet = {
      values: [
        ['Name', 'Opened', 'Id'],
        ['\u200B=HYPERLINK("x")', 46357, 'abc'],
      ],
      numberFormats: [
        [null, null, null],
        [null, 'yyyy-mm-dd', null],
      ],
    };
    const workbook = new ExcelJS.Workbook();
    const written = await writeXlsx(sheet, { sheetName: 'Result', dateSystem: 'excel-1900', columns: [{ width: 30 }, {}, { hidden: true }] });
    await workbook.xlsx.load(Uint8Array.from(written).buffer);
    const worksheet = workbook.getWorksheet('Result');
    expect(worksheet?.getColumn(1).width).toBe(30);
    expect(worksheet?.getColumn(3).hidden).toBe(true);
    const name = worksheet?.getCell('A2');
    expect(name?.type).toBe(ExcelJS.ValueType.String);
    expect(name?.value).toBe('\u200B=HYPERLINK("x")');
    expect(name?.numFmt).toBe('@');
    expect(worksheet?.getCell('B2').value).toEqual(new Date(Date.UTC(2026, 11, 1)));
  });
});
