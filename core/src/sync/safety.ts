/**
 * Cell safety: what StoreSync writes into a cell is always inert text or a plain number/boolean,
 * never a formula, and long text is kept whole up to the host's cell limit.
 *
 * ## The convention every host must follow
 *
 * 1. **Text format first.** Every write block of a plan (plan.ts) carries `numberFormats`, the
 *    same shape as its `values`: `'@'` (Text) for every string cell, `null` for cells whose format
 *    is left alone (numbers, booleans). The host applies the formats, then the values, in the same
 *    request:
 *    - Excel: `range.numberFormat = block.numberFormats; range.values = block.values;` then
 *      `context.sync()`. Office.js leaves a cell's format unchanged for a `null` entry of a 2-D
 *      array ("null input in 2-D array").
 *    - Sheets: `range.setNumberFormats(formats)` with each `null` replaced by the cell's current
 *      format (`range.getNumberFormats()`), then `range.setValues(values)`, in one server call.
 *    A Text-formatted cell keeps a string as written in both hosts: not a formula, and not turned
 *    into a number, date or boolean (`0012` stays `0012`, `2026-12-01` stays text).
 * 2. **Inert prefix, in the value itself.** A string starting with `=`, `+`, `-`, `@`, tab,
 *    carriage return or line feed (or the full-width `＝＋－＠`), or already starting with the
 *    prefix itself, is written with one U+200B ZERO WIDTH SPACE in front ({@link SAFE_PREFIX}).
 *    A cell whose first character is none of those is never parsed as a formula by Excel or
 *    Sheets, so the value stays inert even where the Text format is lost: a person clears formats
 *    and re-enters the cell, pastes it elsewhere, or exports the sheet as CSV (CSV injection).
 *    The prefix is invisible. The engine removes exactly one leading U+200B whenever it reads a
 *    cell ({@link readCellText}), so server values round-trip unchanged.
 *    Not an apostrophe: a leading `'` is a quote prefix that Excel and Sheets consume when a
 *    person types it, but whether an API write keeps it as a visible character or consumes it
 *    differs between hosts and write paths, so the value read back would be ambiguous; a visible
 *    `'` in front of someone's ad copy is also worse than an invisible character.
 * 3. **Length.** Text longer than the host's cell limit (`HostLimits.maxCellChars`: Excel 32,767,
 *    Sheets 50,000 UTF-16 code units) is cut, never split inside a surrogate pair, and ends with a
 *    visible marker `… [truncated: N characters]` (N = characters left out), prefix and marker
 *    included in the limit. Reading such a cell reports it as truncated, and rows.ts never sends
 *    a truncated cell back to the server.
 * 4. **Blanks.** Plans never contain `null` values: an empty string clears a cell.
 */
import type { CellValue, HostLimits } from './types.ts';

export const SAFE_PREFIX = '\u200B';
export const TEXT_FORMAT = '@';

const FORMULA_LEADS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Whether a host would read this text as a formula (or something that becomes one). */
export function isFormulaLike(text: string): boolean {
  return text.length > 0 && FORMULA_LEADS.has(text.charAt(0));
}

function needsPrefix(text: string): boolean {
  return isFormulaLike(text) || text.startsWith(SAFE_PREFIX);
}

const MARKER = /… \[truncated: \d+ characters\]$/;
const marker = (cut: number) => `… [truncated: ${cut} characters]`;

/** Smallest cell limit the engine works with: room for a prefix, some text and the marker. */
export const MIN_CELL_CHARS = 64;

export interface SafeText {
  /** The text to write. */
  text: string;
  /** Whether the inert prefix was added. */
  inert: boolean;
  /** Characters of the original left out (0 when the text fits). */
  truncated: number;
}

/** The form of `value` StoreSync writes into a cell (see the convention above). */
export function safeCellText(value: string, limits: Pick<HostLimits, 'maxCellChars'>): SafeText {
  const max = Math.max(limits.maxCellChars, MIN_CELL_CHARS);
  const prefix = needsPrefix(value) ? SAFE_PREFIX : '';
  if (prefix.length + value.length <= max) return { text: prefix + value, inert: prefix !== '', truncated: 0 };
  let cut = value.length - (max - prefix.length - marker(value.length).length);
  let keep = value.length - cut;
  const code = value.charCodeAt(keep - 1);
  if (code >= 0xd800 && code <= 0xdbff) keep -= 1; // never leave half a surrogate pair
  cut = value.length - keep;
  return { text: prefix + value.slice(0, keep) + marker(cut), inert: prefix !== '', truncated: cut };
}

export interface ReadText {
  /** The text with StoreSync's inert prefix removed. */
  text: string;
  /** Whether the cell ends with StoreSync's truncation marker. */
  truncated: boolean;
}

/** The value StoreSync meant when it wrote `cell` (inverse of {@link safeCellText} for text that fits). */
export function readCellText(cell: string): ReadText {
  const text = cell.startsWith(SAFE_PREFIX) ? cell.slice(SAFE_PREFIX.length) : cell;
  return { text, truncated: MARKER.test(text) };
}

export interface CellWrite {
  value: CellValue;
  /** `'@'` for text, `null` to leave the cell's number format alone. */
  numberFormat: string | null;
}

/** Any value from the server as a cell write: safe text, a finite number, a boolean or '' (clear). */
export function toCellWrite(value: unknown, limits: Pick<HostLimits, 'maxCellChars'>): CellWrite {
  if (value === null || value === undefined) return { value: '', numberFormat: null };
  if (typeof value === 'number') return Number.isFinite(value) ? { value, numberFormat: null } : { value: '', numberFormat: null };
  if (typeof value === 'boolean') return { value, numberFormat: null };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === '') return { value: '', numberFormat: null };
  return { value: safeCellText(text, limits).text, numberFormat: TEXT_FORMAT };
}

/** UTF-8 length of a string without TextEncoder (absent in Apps Script). Lone surrogates count 3. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Bytes of `value` as JSON in UTF-8: the engine's estimate of what a host call carries. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? '');
}
