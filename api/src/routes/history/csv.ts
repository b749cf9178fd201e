/**
 * CSV for spreadsheets. Every cell is quoted (embedded quotes doubled), so commas, quotes and
 * line breaks in comments stay inside their cell. A cell that starts with = + - @, a tab or a
 * carriage return would be run as a formula by Excel, LibreOffice or Sheets (CSV injection), so
 * it gets a leading single quote, as OWASP advises: the sheet then shows it as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${inert.replaceAll('"', '""')}"`;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark. */
export const UTF8_BOM = '\uFEFF';
