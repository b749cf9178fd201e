/**
 * What the Excel host needs from its environment, as narrow types, so that tests can hand it
 * `office-addin-mock` objects instead of the real `Excel` and `Office` globals. In the task pane
 * the defaults are the globals Office.js defines (`Excel.run`, `Office.context`,
 * `OfficeRuntime.storage`, `localStorage`, `matchMedia`); nothing here is touched at import time,
 * so this module loads in Node too.
 */
import type { DateSystem } from '@storesync/core';

/** `Excel.run` with a batch function (the only form the host uses). */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** The result Office's `…Async` callbacks receive. */
export interface AsyncResultLike {
  status: string;
  error?: { message?: string } | null;
}

/** `Office.context.document.settings`: per-document, per-add-in key/value settings. */
export interface SettingsLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  saveAsync(callback: (result: AsyncResultLike) => void): void;
}

/** The part of `Office` the host uses. */
export interface OfficeLike {
  context: {
    document: { settings: SettingsLike };
    /** Absent on some platforms (and before Office is ready). */
    officeTheme?: { bodyBackgroundColor?: string; isDarkTheme?: boolean } | null;
    requirements?: { isSetSupported(name: string, minVersion?: string): boolean };
  };
}

/** `OfficeRuntime.storage`: asynchronous, persistent, per-add-in key/value storage. */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/** `window.localStorage`. */
export interface SyncStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type MatchMediaLike = (query: string) => {
  matches: boolean;
  addEventListener?(type: 'change', listener: () => void): void;
  removeEventListener?(type: 'change', listener: () => void): void;
};

export interface ExcelHostOptions {
  /** Default: the global `Excel.run`. */
  run?: ExcelRun;
  /** Default: the global `Office`. */
  office?: OfficeLike;
  /** User storage. Default: `OfficeRuntime.storage` where Office provides it, else `localStorage`, else memory. */
  userStorage?: AsyncStorageLike | SyncStorageLike;
  /** Default: the global `matchMedia` (theme fallback where Office gives no theme). */
  matchMedia?: MatchMediaLike;
  /**
   * The workbook's date system. Office.js does not expose Excel's "Use 1904 date system" option,
   * so the host assumes `excel-1900` (every workbook Excel creates on Windows and on the web)
   * unless told otherwise.
   */
  dateSystem?: DateSystem;
  /** IANA zone for dates without an offset; default: the browser's zone. */
  timeZone?: string;
  /** Clock for the own-write ledger (tests). Default `Date.now`. */
  now?: () => number;
  /** How long after a plan's last `context.sync()` its change events are still taken as its own. Default 3000 ms. */
  ownWriteGraceMs?: number;
  /** Target response size of one read while reading a table in chunks. Default 2 MiB (Excel on the web refuses 5 MB). */
  readChunkBytes?: number;
  /** Rows of the first read chunk, read together with the header (small tables take one `context.sync()`). Default 500. */
  firstChunkRows?: number;
  /** How often to look at `Office.context.officeTheme` while someone listens for theme changes. Default 5000 ms. */
  themePollMs?: number;
  /** Timers (tests). Default: the global `setInterval`/`clearInterval`. */
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

interface OfficeGlobals {
  Excel?: { run: ExcelRun };
  Office?: OfficeLike;
  OfficeRuntime?: { storage?: AsyncStorageLike };
  localStorage?: SyncStorageLike;
  matchMedia?: MatchMediaLike;
}

export function officeGlobals(): OfficeGlobals {
  return globalThis as unknown as OfficeGlobals;
}

export function defaultRun(): ExcelRun {
  const excel = officeGlobals().Excel;
  if (!excel) throw new Error('Excel is not available: open StoreSync from the StoreSync tab in Excel.');
  return (batch) => excel.run(batch);
}

export function defaultOffice(): OfficeLike | undefined {
  return officeGlobals().Office;
}
