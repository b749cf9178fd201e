/**
 * Draws the simulated workbook's active worksheet as Excel shows it, so that the end-to-end
 * screenshots show the cells beside the task pane: column letters and row numbers, the table's
 * header row and banded rows, hidden columns left out, wrapped columns wide, the conditional
 * formats the add-in created (status colours), and the selection. Display only: the test reads
 * cells from the workbook, never from this drawing.
 */
import { columnLetters, intersect, type Rect } from '../../../src/host/addresses.ts';
import type { FakeWorkbook } from '../../fake-excel.ts';

/** Worksheet rows drawn (Excel shows about this many at 100 % on a laptop screen). */
const VISIBLE_ROWS = 30;
const WRAPPED_WIDTH = 300;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A serial date with a date format, as Excel would show it (1900 date system, UTC). */
function display(value: string | number | boolean, format: string): string {
  if (typeof value === 'number' && /[dy]/i.test(format) && /m/i.test(format)) {
    const date = new Date(Math.round((value - 25569) * 86_400_000));
    return date.toISOString().slice(0, 16).replace('T', ' ');
  }
  return String(value);
}

/** `="approved"` → `approved` (the only kind of rule the add-in writes). */
function ruleText(rule: unknown): string | null {
  const formula = (rule as { formula1?: unknown } | undefined)?.formula1;
  if (typeof formula !== 'string') return null;
  const match = /^="(.*)"$/.exec(formula);
  return match ? (match[1] ?? '') : formula;
}

/** Fill and font of the conditional format that matches the cell, if any. */
export function conditionalLook(workbook: FakeWorkbook, sheet: string, row: number, column: number, value: unknown): { fill: string | null; font: string | null } {
  const cell: Rect = { row, column, rowCount: 1, columnCount: 1 };
  for (const rule of workbook.conditionalFormats) {
    if (rule.sheet !== sheet || !intersect(rule.rect, cell)) continue;
    if (ruleText(rule.rule) === String(value)) return { fill: rule.fill ?? null, font: rule.font ?? null };
  }
  return { fill: null, font: null };
}

export function renderGrid(target: HTMLElement, workbook: FakeWorkbook, sheet: string): void {
  const tables = workbook.tables.filter((table) => table.sheet === sheet);
  const lastColumn = Math.max(6, ...tables.map((table) => table.column + table.columns - 1));
  const hidden = workbook.hiddenColumns.get(sheet) ?? new Set<number>();
  const wrapped = workbook.wrapped.get(sheet) ?? new Set<number>();
  const columns = Array.from({ length: lastColumn + 2 }, (_, index) => index).filter((index) => !hidden.has(index));
  const rows = Array.from({ length: VISIBLE_ROWS }, (_, index) => index);
  const selection = workbook.selection.sheet === sheet ? workbook.selection.areas : [];

  const tableAt = (row: number, column: number) =>
    tables.find((table) => row >= table.row && row <= table.row + table.rows && column >= table.column && column < table.column + table.columns);
  const widthOf = (column: number) => {
    if (wrapped.has(column)) return WRAPPED_WIDTH;
    let longest = 4;
    for (const row of rows) longest = Math.max(longest, display(workbook.cell(sheet, row, column).value, workbook.cell(sheet, row, column).format).length);
    return Math.min(200, Math.max(56, longest * 7 + 14));
  };

  const head = columns.map((column) => `<th class="col" style="width:${widthOf(column)}px">${columnLetters(column)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = columns
        .map((column) => {
          const { value, format } = workbook.cell(sheet, row, column);
          const table = tableAt(row, column);
          const classes: string[] = [];
          const style: string[] = [];
          if (table && row === table.row) classes.push('table-header');
          else if (table && (row - table.row) % 2 === 1) classes.push('band');
          if (wrapped.has(column) && table && row > table.row) classes.push('wrap');
          if (typeof value === 'number') classes.push('number');
          const look = table && row > table.row ? conditionalLook(workbook, sheet, row, column, value) : { fill: null, font: null };
          if (look.fill) style.push(`background:${look.fill}`);
          if (look.font) style.push(`color:${look.font}`);
          if (selection.some((area) => intersect(area, { row, column, rowCount: 1, columnCount: 1 }))) classes.push('selected');
          const text = escapeHtml(display(value, format));
          return `<td class="${classes.join(' ')}" style="${style.join(';')}" title="${text}"><div>${text}</div></td>`;
        })
        .join('');
      return `<tr><th class="row">${row + 1}</th>${cells}</tr>`;
    })
    .join('');
  target.innerHTML = `<table class="sheet"><thead><tr><th class="corner"></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
