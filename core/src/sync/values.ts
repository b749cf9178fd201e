/**
 * Cell values in and out: blanks, text, booleans, numbers, spreadsheet errors, date serials and
 * time zones. No host APIs: dates are computed with `Date.UTC` and `Intl.DateTimeFormat`, both
 * present in browsers and in Apps Script's V8.
 *
 * Dates in cells are "wall clock" values (what the cell shows, with no zone). A campaign's
 * `scheduled_start` is an instant, so it is read in the time zone the host passes (`timeZone`,
 * an IANA name such as `America/Chicago`; default UTC). Extra columns keep the wall clock:
 * `2026-12-01` for a whole day, `2026-12-01T09:30:00` with a time.
 */
import { readCellText } from './safety.ts';
import type { CellValue, DateSystem, JsonValue } from './types.ts';

export function isBlank(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** A number as a person reads it: at most 15 significant digits, like the spreadsheet shows it. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  return String(Number.isInteger(value) ? value : Number.parseFloat(value.toPrecision(15)));
}

/** The text of a cell (booleans as TRUE/FALSE, numbers as shown, blanks as ''), untrimmed. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return value;
}

const ERROR_VALUES = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|ERROR!|PYTHON!|TIMEOUT!)$/;

/** Excel and Sheets report a formula error as its text (`#REF!`, `#N/A`, …) in the cell's value. */
export function isCellError(value: CellValue | undefined): value is string {
  return typeof value === 'string' && ERROR_VALUES.test(value.trim());
}

const TRUE_WORDS = new Set(['yes', 'true']);
const FALSE_WORDS = new Set(['no', 'false']);
const LOOSE_TRUE = new Set(['y', '1', 'active']);
const LOOSE_FALSE = new Set(['n', '0', 'inactive']);

/**
 * A real boolean, or yes/no/true/false in any case; `undefined` when it is none of these.
 * `loose` (for known yes/no columns such as Active) also takes y/n, 1/0 and active/inactive;
 * extra columns are strict, so a region "N" stays text.
 */
export function parseBoolean(value: CellValue | undefined, loose = false): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return loose ? (value === 1 ? true : value === 0 ? false : undefined) : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word) || (loose && LOOSE_TRUE.has(word))) return true;
  if (FALSE_WORDS.has(word) || (loose && LOOSE_FALSE.has(word))) return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Number formats

/** The format with quoted literals, escapes, fill/padding characters and [brackets] removed. */
function formatTokens(format: string): string {
  return format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[[^\]]*\]/g, '');
}

/** Whether a number format shows dates or times (`yyyy-mm-dd`, `m/d/yy h:mm`, `[$-409]mmm d`). */
export function isDateFormat(format: string | null | undefined): boolean {
  if (!format) return false;
  const tokens = formatTokens(format).toLowerCase();
  if (tokens === 'general' || tokens === '@') return false;
  return /[dmyhs]/.test(tokens.replace(/general/g, ''));
}

export function isPercentFormat(format: string | null | undefined): boolean {
  return !!format && formatTokens(format).includes('%');
}

export function isTextFormat(format: string | null | undefined): boolean {
  return !!format && formatTokens(format).trim() === '@';
}

// ---------------------------------------------------------------------------------------------
// Dates

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const EPOCHS: Record<DateSystem, number> = {
  'excel-1900': Date.UTC(1899, 11, 30),
  'excel-1904': Date.UTC(1904, 0, 1),
  sheets: Date.UTC(1899, 11, 30),
};

function wallClockOfUtc(ms: number): WallClock {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

function utcOfWallClock(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

/** A date serial as wall clock, to the nearest second. Excel's serials below 61 count from 1899-12-31. */
export function serialToWallClock(serial: number, dateSystem: DateSystem): WallClock | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_466) return undefined; // 9999-12-31
  let epoch = EPOCHS[dateSystem];
  if (dateSystem === 'excel-1900' && serial < 61) epoch += DAY_MS;
  return wallClockOfUtc(epoch + Math.round(serial * 86_400) * 1000);
}

export function wallClockToSerial(clock: WallClock, dateSystem: DateSystem): number {
  const ms = utcOfWallClock(clock);
  let serial = (ms - EPOCHS[dateSystem]) / DAY_MS;
  if (dateSystem === 'excel-1900' && serial < 60) serial -= 1;
  return Math.round(serial * 86_400) / 86_400;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws RangeError for a time zone the platform does not know. */
export function assertTimeZone(timeZone: string): void {
  zoneFormatter(timeZone);
}

/** The wall clock of an instant in a time zone. */
export function instantToWallClock(ms: number, timeZone = 'UTC'): WallClock {
  if (timeZone === 'UTC') return wallClockOfUtc(ms);
  const parts: Record<string, number> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/**
 * The instant a wall clock names in a time zone. In the hour a DST change skips, the clock is read
 * with the offset before the change; in the hour it repeats, the first occurrence is taken.
 */
export function wallClockToInstant(clock: WallClock, timeZone = 'UTC'): number {
  const asUtc = utcOfWallClock(clock);
  if (timeZone === 'UTC') return asUtc;
  const offsetAt = (ms: number) => utcOfWallClock(instantToWallClock(ms, timeZone)) - (ms - (ms % 1000));
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  if (first === second) return first;
  // Offsets differ around a change. A repeated hour: the earlier candidate that shows the clock.
  // A skipped hour (no candidate shows it): the clock read with the offset before the change,
  // which lands after the gap (02:30 on a spring-forward night becomes 03:30), like Temporal.
  const candidates = [first, second].sort((a, b) => a - b);
  return candidates.find((ms) => utcOfWallClock(instantToWallClock(ms, timeZone)) === asUtc) ?? Math.max(first, second);
}

/**
 * For the Sheets host: Apps Script's `getValues()` gives `Date` objects for date cells. This turns
 * one into the serial the cell holds (wall clock in the spreadsheet's time zone,
 * `SpreadsheetApp.getActive().getSpreadsheetTimeZone()`).
 */
export function dateToSerial(date: Date, dateSystem: DateSystem, timeZone = 'UTC'): number {
  return wallClockToSerial(instantToWallClock(date.getTime(), timeZone), dateSystem);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-12-01` when the clock is midnight, otherwise `2026-12-01T09:30:00`. */
export function wallClockIso(clock: WallClock): string {
  const date = `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
  if (clock.hour === 0 && clock.minute === 0 && clock.second === 0) return date;
  return `${date}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
}

/** `2026-12-01 09:30` (seconds only when not zero): how StoreSync writes a date as text. */
export function wallClockText(clock: WallClock): string {
  const date = `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
  const time = `${pad(clock.hour)}:${pad(clock.minute)}${clock.second ? `:${pad(clock.second)}` : ''}`;
  return `${date} ${time}`;
}

const ISO_DATE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export interface ParsedDate {
  clock: WallClock;
  /** Minutes east of UTC when the text named an offset (`Z`, `+02:00`). */
  offsetMinutes?: number;
  hasTime: boolean;
}

/** An ISO-style date (`2026-12-01`, `2026-12-01 09:00`, `2026-12-01T09:00:00Z`, `…+02:00`). */
export function parseIsoDate(text: string): ParsedDate | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, zone] = match;
  const clock: WallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) return undefined;
  const check = wallClockOfUtc(utcOfWallClock(clock));
  if (check.year !== clock.year || check.month !== clock.month || check.day !== clock.day) return undefined;
  let offsetMinutes: number | undefined;
  if (zone) {
    if (zone.toUpperCase() === 'Z') offsetMinutes = 0;
    else {
      const digits = zone.replace(':', '');
      const sign = digits.startsWith('-') ? -1 : 1;
      offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
  }
  return { clock, offsetMinutes, hasTime: h !== undefined };
}

export interface DateOptions {
  dateSystem: DateSystem;
  timeZone: string;
}

/**
 * A cell meant as an instant (a campaign's start or end) as an ISO 8601 UTC string, or
 * `undefined` when it is not a date. Serials and zone-less text are read in `timeZone`.
 */
export function cellToInstant(value: CellValue | undefined, options: DateOptions): string | undefined {
  if (typeof value === 'number') {
    const clock = serialToWallClock(value, options.dateSystem);
    return clock ? new Date(wallClockToInstant(clock, options.timeZone)).toISOString() : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const parsed = parseIsoDate(readCellText(value).text);
  if (!parsed) return undefined;
  const ms =
    parsed.offsetMinutes === undefined
      ? wallClockToInstant(parsed.clock, options.timeZone)
      : utcOfWallClock(parsed.clock) - parsed.offsetMinutes * 60_000;
  return new Date(ms).toISOString();
}

/** An instant as the wall clock text StoreSync writes (`2026-12-01 09:00`) in `timeZone`. */
export function instantText(iso: string, timeZone = 'UTC'): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : wallClockText(instantToWallClock(ms, timeZone));
}

// ---------------------------------------------------------------------------------------------
// Extra columns (attributes, customizations)

const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * The typed value of an extra column's cell, or `undefined` for a blank one:
 * - booleans stay booleans; yes/no/true/false (any case) become booleans;
 * - numbers stay numbers, text that is a plain number (`30`, `-2.5`, not `0012`) becomes one;
 *   a percent-formatted cell is read as shown (0.3 shown as `30%` is 30);
 * - a number in a date-formatted cell becomes its ISO wall clock (`2026-12-01`,
 *   `2026-12-01T09:30:00`); ISO text dates are kept as written;
 * - text starting with `[` or `{` that is valid JSON becomes that JSON (how StoreSync writes
 *   lists and objects);
 * - any other text is kept, trimmed.
 */
export function extraFromCell(value: CellValue | undefined, format: string | null | undefined, dateSystem: DateSystem): JsonValue | undefined {
  if (isBlank(value) || value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (isDateFormat(format)) {
      const clock = serialToWallClock(value, dateSystem);
      if (clock) return wallClockIso(clock);
    }
    if (isPercentFormat(format)) return Number.parseFloat((value * 100).toPrecision(15));
    return value;
  }
  const text = readCellText(value).text.trim();
  const bool = parseBoolean(text);
  if (bool !== undefined) return bool;
  if (CANONICAL_NUMBER.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number) && numberText(number) === text) return number;
  }
  if ((text.startsWith('[') && text.endsWith(']')) || (text.startsWith('{') && text.endsWith('}'))) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => jsonEqual(left[key], right[key]));
}
