/**
 * Spreadsheet files in and out: an uploaded `.xlsx` or `.csv` becomes the engine's {@link Sheet}
 * (a 2-D array of strings, numbers, booleans and nulls, row 0 = the header row = sheet row 1), and
 * a Sheet becomes a file of the same format again.
 *
 * Reading mirrors what the add-ins get from their hosts: a formula cell gives its last computed
 * value, a date cell its serial number in the workbook's date system (with its number format, so
 * the engine tells dates from numbers), rich text and hyperlinks their text, an error cell its
 * error text (`#N/A`), and a merged area its value in the top-left cell only. CSV cells are all
 * text, so `0012` stays `0012`.
 *
 * Writing never produces a formula: values only, and every string cell is a string cell with the
 * Text format (`@`). Callers make text inert first (safety.ts's prefix), so the file stays safe
 * when a person re-types a cell or saves it as CSV.
 */
import { parse } from 'csv-parse/sync';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText, isBlank, isDateFormat, type CellValue, type DateSystem, type Sheet } from '@storesync/core';

export type SheetFormat = 'xlsx' | 'csv';

/** What is wrong with the file itself, in words for the person who uploaded it (answered as 400). */
export class FileProblem extends Error {}

export interface FileLimits {
  /** Data rows (below the header) a file may have. */
  maxRows: number;
  /** Columns a sheet may use. */
  maxColumns: number;
  /** Uncompressed size of everything inside an .xlsx (zip bombs). */
  maxUnzippedBytes: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxRows: 10_000,
  maxColumns: 500,
  maxUnzippedBytes: 256 * 1024 * 1024,
};

export interface ColumnLook {
  width?: number;
  hidden?: boolean;
}

export interface SheetFile {
  format: SheetFormat;
  /** The worksheet read (CSV: the file name without extension). */
  sheetName: string;
  sheet: Sheet;
  dateSystem: DateSystem;
  /** CSV: the field separator found in the file. */
  delimiter?: string;
  /** CSV: the file began with Excel's `sep=` line. */
  sepLine?: boolean;
  /** xlsx: the source columns' widths, to keep the result file looking like the upload. */
  columns?: ColumnLook[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const XLSX_EXTENSIONS = new Set(['xlsx', 'xlsm']);
const TEXT_EXTENSIONS = new Set(['csv', 'tsv', 'txt']);
const UPLOAD_HINT = 'upload an Excel workbook (.xlsx) or a CSV file (.csv)';

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, index) => bytes[index] === byte);

export function extensionOf(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(filename.trim());
  return match?.[1]?.toLowerCase() ?? '';
}

/** The file's format from its content first, its name second; anything else is a {@link FileProblem}. */
export function detectFormat(bytes: Uint8Array, filename: string): SheetFormat {
  const extension = extensionOf(filename);
  if (bytes.length === 0) throw new FileProblem(`The file "${filename}" is empty; ${UPLOAD_HINT}`);
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new FileProblem(
      `"${filename}" is an Excel 97-2003 workbook (.xls), which StoreSync does not read; in Excel choose File › Save As › Excel Workbook (.xlsx) and upload that`,
    );
  }
  if (startsWith(bytes, ZIP_MAGIC)) {
    if (extension === 'ods') throw new FileProblem(`"${filename}" is an OpenDocument spreadsheet; save it as .xlsx or .csv and upload that`);
    if (extension && !XLSX_EXTENSIONS.has(extension)) {
      throw new FileProblem(`"${filename}" is a .${extension} file, not a spreadsheet StoreSync reads; ${UPLOAD_HINT}`);
    }
    return 'xlsx';
  }
  if (XLSX_EXTENSIONS.has(extension)) {
    throw new FileProblem(`"${filename}" is named .${extension} but is not an Excel workbook (it is not a zip file); save it again from Excel, or ${UPLOAD_HINT}`);
  }
  if (extension && !TEXT_EXTENSIONS.has(extension)) {
    throw new FileProblem(`"${filename}" is a .${extension} file; ${UPLOAD_HINT}`);
  }
  const sample = bytes.subarray(0, 8192);
  const utf16 = (sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff);
  if (!utf16 && sample.includes(0)) throw new FileProblem(`"${filename}" is not a spreadsheet or text file; ${UPLOAD_HINT}`);
  return 'csv';
}

// ---------------------------------------------------------------------------------------------
// .xlsx

/**
 * The total uncompressed size a zip's central directory declares, so a small upload cannot
 * unpack into gigabytes. Zip64 archives (only needed past 4 GiB) are refused.
 */
export function declaredUnzippedBytes(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 22 - 65_535); offset -= 1) {
    if (view.getUint32(offset, true) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new FileProblem('The workbook is damaged (its zip directory is missing); open it in Excel and save it again');
  const entries = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw new FileProblem('The workbook is too large for StoreSync to read (zip64); split it into smaller files');
  }
  if (directoryOffset + directorySize > bytes.length) {
    throw new FileProblem('The workbook is damaged (truncated upload?); open it in Excel and save it again');
  }
  let total = 0;
  let offset = directoryOffset;
  for (let entry = 0; entry < entries; entry += 1) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) {
      throw new FileProblem('The workbook is damaged (its zip directory is unreadable); open it in Excel and save it again');
    }
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) throw new FileProblem('The workbook is too large for StoreSync to read (zip64); split it into smaller files');
    total += size;
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return total;
}

const DAY_MS = 86_400_000;
/** Days from each system's serial 0 to 1970-01-01, as exceljs converts (inverse of its excelToDate). */
const UNIX_EPOCH_SERIAL = { 'excel-1900': 25_569, 'excel-1904': 24_107 } as const;

/** A date exceljs made from a serial, back to that serial. */
export function dateToSerialNumber(date: Date, dateSystem: 'excel-1900' | 'excel-1904'): number {
  const serial = date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL[dateSystem];
  return Math.round(serial * 86_400_000) / 86_400_000;
}

function plainValue(value: ExcelJS.CellValue | undefined, dateSystem: 'excel-1900' | 'excel-1904'): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : dateToSerialNumber(value, dateSystem);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    // The value Excel last computed, as the add-ins read it; a formula never reaches the engine.
    return plainValue((value as ExcelJS.CellFormulaValue).result, dateSystem);
  }
  if ('hyperlink' in value) {
    const text = (value as { text?: unknown }).text;
    if (typeof text === 'string') return text;
    return text && typeof text === 'object' ? plainValue(text as ExcelJS.CellValue, dateSystem) : null;
  }
  return null;
}

const normalName = (name: string) => name.trim().toLowerCase().replace(/[^a-z]/g, '');

/** The worksheet named like `preferred` (`Locations`, `campaigns`), else the first visible one. */
function pickWorksheet(workbook: ExcelJS.Workbook, preferred: string | undefined): ExcelJS.Worksheet {
  const visible = workbook.worksheets.filter((worksheet) => (worksheet.state ?? 'visible') === 'visible');
  if (preferred) {
    const named = visible.find((worksheet) => normalName(worksheet.name) === normalName(preferred));
    if (named) return named;
  }
  const first = visible[0];
  if (!first) throw new FileProblem('The workbook has no visible worksheet; unhide the sheet to import and upload it again');
  return first;
}

/** Trailing blank rows and columns removed; holes filled with null. */
function densify(values: CellValue[][], formats: (string | null)[][], limits: FileLimits): Sheet {
  let height = 0;
  let width = 0;
  values.forEach((row, index) => {
    if (!row) return;
    for (let column = row.length - 1; column >= 0; column -= 1) {
      if (!isBlank(row[column])) {
        height = index + 1;
        width = Math.max(width, column + 1);
        break;
      }
    }
  });
  if (height - 1 > limits.maxRows) {
    throw new FileProblem(
      `The sheet has rows down to row ${height}; StoreSync imports at most ${limits.maxRows.toLocaleString('en-US')} rows per file, so split it into several files`,
    );
  }
  if (width > limits.maxColumns) {
    throw new FileProblem(`The sheet uses ${width} columns; StoreSync reads at most ${limits.maxColumns}, so delete the columns it does not need`);
  }
  const dense: CellValue[][] = [];
  const denseFormats: (string | null)[][] = [];
  let anyFormat = false;
  for (let row = 0; row < height; row += 1) {
    const line: CellValue[] = [];
    const formatLine: (string | null)[] = [];
    for (let column = 0; column < width; column += 1) {
      line.push(values[row]?.[column] ?? null);
      const format = formats[row]?.[column] ?? null;
      if (format !== null) anyFormat = true;
      formatLine.push(format);
    }
    dense.push(line);
    denseFormats.push(formatLine);
  }
  return anyFormat ? { values: dense, numberFormats: denseFormats } : { values: dense };
}

export async function readXlsx(
  bytes: Uint8Array,
  options: { preferredSheet?: string; limits?: FileLimits } = {},
): Promise<SheetFile> {
  const limits = options.limits ?? DEFAULT_FILE_LIMITS;
  const unzipped = declaredUnzippedBytes(bytes);
  if (unzipped > limits.maxUnzippedBytes) {
    throw new FileProblem(
      `The workbook unpacks to ${Math.round(unzipped / 1024 / 1024)} MiB, more than StoreSync reads (${Math.round(limits.maxUnzippedBytes / 1024 / 1024)} MiB); split it into smaller files`,
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings name Node's Buffer; a view over the same bytes is what it reads.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw new FileProblem(`StoreSync could not read the workbook (${(error as Error).message}); open it in Excel, save it again as .xlsx and upload that`);
  }
  const dateSystem = workbook.properties.date1904 ? 'excel-1904' : 'excel-1900';
  const worksheet = pickWorksheet(workbook, options.preferredSheet);
  const values: CellValue[][] = [];
  const formats: (string | null)[][] = [];
  let tooWide = 0;
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const line: CellValue[] = [];
    const formatLine: (string | null)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      if (columnNumber > limits.maxColumns) {
        if (!isBlank(plainValue(cell.value, dateSystem))) tooWide = Math.max(tooWide, columnNumber);
        return;
      }
      // Like Excel's range.values: a merged area holds its value in the top-left cell only.
      const value = cell.type === ExcelJS.ValueType.Merge ? null : plainValue(cell.value, dateSystem);
      line[columnNumber - 1] = value;
      const format = cell.numFmt;
      if (format && format !== 'General') formatLine[columnNumber - 1] = format;
    });
    values[rowNumber - 1] = line;
    formats[rowNumber - 1] = formatLine;
  });
  if (tooWide > 0) {
    throw new FileProblem(`The sheet uses ${tooWide} columns; StoreSync reads at most ${limits.maxColumns}, so delete the columns it does not need`);
  }
  const sheet = densify(values, formats, limits);
  const width = sheet.values[0]?.length ?? 0;
  const columns: ColumnLook[] = [];
  for (let column = 1; column <= width; column += 1) {
    const look = worksheet.getColumn(column);
    columns.push({ ...(look.width ? { width: look.width } : {}), ...(look.hidden ? { hidden: true } : {}) });
  }
  return { format: 'xlsx', sheetName: worksheet.name, sheet, dateSystem, columns };
}

const XLSX_TEXT = '@';
/** Days between the 1904 and the 1900 date systems' serial 0. */
const SERIALS_1904_TO_1900 = 1462;

export interface XlsxLook {
  sheetName: string;
  dateSystem: DateSystem;
  /** Per column: width, hidden, wrapped. */
  columns: { width?: number; hidden?: boolean; wrap?: boolean }[];
}

/**
 * The sheet as a one-sheet workbook: values only (no formulas anywhere), strings as string cells
 * formatted as Text, numbers with the number format they came with (dates stay dates). Written
 * with exceljs's streaming writer (about 3x faster than building the workbook in memory), which
 * always uses the 1900 date system: dates of a 1904 workbook are moved to it.
 */
export async function writeXlsx(sheet: Sheet, look: XlsxLook): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'StoreSync';
  workbook.created = new Date();
  const worksheet = workbook.addWorksheet(look.sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31).trim() || 'Sheet1', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  look.columns.forEach((column, index) => {
    const target = worksheet.getColumn(index + 1);
    if (column.width) target.width = column.width;
    if (column.hidden) target.hidden = true;
  });
  sheet.values.forEach((line, rowIndex) => {
    const row = worksheet.getRow(rowIndex + 1);
    if (rowIndex === 0) row.font = { bold: true };
    line.forEach((value, columnIndex) => {
      if (value === null || value === '') return;
      const cell = row.getCell(columnIndex + 1);
      if (typeof value === 'string') {
        cell.value = value;
        cell.numFmt = XLSX_TEXT;
        if (look.columns[columnIndex]?.wrap && rowIndex > 0) cell.alignment = { wrapText: true, vertical: 'top' };
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) return;
        const format = sheet.numberFormats?.[rowIndex]?.[columnIndex];
        const moved = look.dateSystem === 'excel-1904' && isDateFormat(format) && value >= 1;
        cell.value = moved ? value + SERIALS_1904_TO_1900 : value;
        if (format && format !== XLSX_TEXT && format !== 'General') cell.numFmt = format;
      } else {
        cell.value = value;
      }
    });
    row.commit();
  });
  worksheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// .csv

/** The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV" on Windows writes the ANSI code page.
    return decodeWindows1252(bytes);
  }
}

/** 0x80..0x9F of Windows-1252 (the rest is Latin-1); Node's own decoder treats the label as Latin-1. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 8192) {
    const codes = Array.from(bytes.subarray(start, start + 8192), (byte) => (byte >= 0x80 && byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] ?? byte) : byte));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The separator of the first record (outside quotes): the most frequent of , ; tab |. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text.slice(0, 64 * 1024)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const delimiter of DELIMITERS) {
    const count = counts.get(delimiter) ?? 0;
    if (count > most) {
      best = delimiter;
      most = count;
    }
  }
  return best;
}

export function readCsv(bytes: Uint8Array, filename: string, options: { limits?: FileLimits } = {}): SheetFile {
  const limits = options.limits ?? DEFAULT_FILE_LIMITS;
  let text = decodeText(bytes);
  // Excel's `sep=;` first line names the separator and is not a row of the sheet.
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) text = text.slice(sep[0].length);
  const delimiter = sep?.[1] ?? detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      relax_quotes: true,
      // Records with more than maxRows + a margin are refused below; stop parsing early.
      to: limits.maxRows + 2,
    });
  } catch (error) {
    const detail = (error as Error).message.replace(/^Invalid Record Length: /, '');
    throw new FileProblem(`StoreSync could not read the CSV file (${detail}); check its quotes, or save it again from the spreadsheet as CSV UTF-8`);
  }
  const sheet = densify(records, [], limits);
  const baseName = filename.replace(/\.[^.]*$/, '') || 'Sheet1';
  return { format: 'csv', sheetName: baseName, sheet, dateSystem: 'excel-1900', delimiter, sepLine: !!sep };
}

function csvField(value: CellValue, delimiter: string): string {
  const text = value === null ? '' : typeof value === 'string' ? value : cellText(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The sheet as CSV in UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF line ends, the same separator. */
export function writeCsv(sheet: Sheet, options: { delimiter: string; sepLine?: boolean }): Buffer {
  const lines = sheet.values.map((line) => line.map((value) => csvField(value, options.delimiter)).join(options.delimiter));
  const body = `${options.sepLine ? `sep=${options.delimiter}\r\n` : ''}${lines.join('\r\n')}\r\n`;
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}
