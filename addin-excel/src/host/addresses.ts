/**
 * A1 addresses as Excel reports them in events (`B3`, `Sheet1!B3:D9`, `'My sheet'!$B$3:$D$9`,
 * whole columns `C:D`, whole rows `4:6`, several areas separated by commas) turned into 0-based
 * rectangles on the worksheet, and the few rectangle operations the host needs.
 */

/** A rectangle of cells, 0-based (row 0 = worksheet row 1, column 0 = column A). */
export interface Rect {
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

/** Excel's grid: 1,048,576 rows × 16,384 columns. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/** `A` → 0, `Z` → 25, `AA` → 26; -1 when `letters` is not a column name. */
export function columnIndex(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return -1;
  let index = 0;
  for (const char of letters.toUpperCase()) index = index * 26 + (char.charCodeAt(0) - 64);
  return index - 1;
}

/** 0 → `A`, 27 → `AB`. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

interface CellRef {
  row?: number;
  column?: number;
}

function parseRef(text: string): CellRef | null {
  const match = /^\$?([A-Za-z]{0,3})\$?(\d*)$/.exec(text);
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const ref: CellRef = {};
  if (match[1]) {
    const column = columnIndex(match[1]);
    if (column < 0 || column >= MAX_COLUMNS) return null;
    ref.column = column;
  }
  if (match[2]) {
    const row = Number.parseInt(match[2], 10) - 1;
    if (!(row >= 0 && row < MAX_ROWS)) return null;
    ref.row = row;
  }
  return ref;
}

function stripSheet(area: string): string {
  const bang = area.lastIndexOf('!');
  return (bang >= 0 ? area.slice(bang + 1) : area).trim();
}

/**
 * The areas of an address, or `[]` when it cannot be read. A sheet name is ignored (events name
 * their worksheet separately). Commas inside a quoted sheet name are not supported: Excel quotes
 * such names, and this host only reads addresses of its own tables' events.
 */
export function parseAddress(address: string): Rect[] {
  const rects: Rect[] = [];
  for (const rawArea of address.split(',')) {
    const area = stripSheet(rawArea);
    if (!area) continue;
    const [startText = '', endText = startText] = area.split(':');
    const start = parseRef(startText);
    const end = parseRef(endText);
    if (!start || !end) return [];
    // A whole column (`C:D`) has no rows, a whole row (`4:6`) no columns.
    const top = Math.min(start.row ?? 0, end.row ?? 0);
    const bottom = start.row === undefined || end.row === undefined ? MAX_ROWS - 1 : Math.max(start.row, end.row);
    const left = Math.min(start.column ?? 0, end.column ?? 0);
    const right = start.column === undefined || end.column === undefined ? MAX_COLUMNS - 1 : Math.max(start.column, end.column);
    rects.push({ row: top, column: left, rowCount: bottom - top + 1, columnCount: right - left + 1 });
  }
  return rects;
}

/** `{row: 2, column: 1, rowCount: 3, columnCount: 2}` → `B3:C5`. */
export function formatAddress(rect: Rect): string {
  const start = `${columnLetters(rect.column)}${rect.row + 1}`;
  if (rect.rowCount === 1 && rect.columnCount === 1) return start;
  return `${start}:${columnLetters(rect.column + rect.columnCount - 1)}${rect.row + rect.rowCount}`;
}

/** Whether `inner` lies entirely inside `outer`. */
export function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.row >= outer.row &&
    inner.column >= outer.column &&
    inner.row + inner.rowCount <= outer.row + outer.rowCount &&
    inner.column + inner.columnCount <= outer.column + outer.columnCount
  );
}

/** The overlap of two rectangles, or null. */
export function intersect(a: Rect, b: Rect): Rect | null {
  const row = Math.max(a.row, b.row);
  const column = Math.max(a.column, b.column);
  const bottom = Math.min(a.row + a.rowCount, b.row + b.rowCount);
  const right = Math.min(a.column + a.columnCount, b.column + b.columnCount);
  return bottom > row && right > column ? { row, column, rowCount: bottom - row, columnCount: right - column } : null;
}
