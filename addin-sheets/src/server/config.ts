/**
 * Settings of the Apps Script server code.
 *
 * Build time (scripts/build.ts injects `__STORESYNC_BUILD__`): the default API URL and the URL
 * prefixes of the manifest's `urlFetchWhitelist`, so the code never tries an address Apps Script
 * would refuse. Run time: the API URL of this document (StoreSync → Settings, a document
 * property) and a few limits a developer may tune per script project in its script properties
 * (Project Settings → Script properties) without rebuilding.
 */

export interface BuildSettings {
  /** The StoreSync API's origin, `https://storesync.example.com`. */
  apiUrl: string;
  /** `urlFetchWhitelist` of appsscript.json: every URL fetched must start with one of them. */
  allowedApiPrefixes: string[];
  version: string;
}

declare const __STORESYNC_BUILD__: BuildSettings;

export const BUILD: BuildSettings = __STORESYNC_BUILD__;

/** Consumer Google accounts may make 20,000 URL fetches a day (Workspace 100,000); keep a margin. */
export const DEFAULT_DAILY_FETCH_BUDGET = 18_000;
/** Fetches the background trigger leaves for the person's own actions each day. */
export const DEFAULT_BACKGROUND_RESERVE = 2_000;
/**
 * A background run stops starting new work after this long. Apps Script ends an execution at 6
 * minutes and the trigger fires every 5; stopping at 4½ leaves room for the last request (up to a
 * minute) and its write, and keeps one run from overlapping the next.
 */
export const BACKGROUND_MAX_RUN_MS = 270_000;
export const BACKGROUND_EVERY_MINUTES = 5;
/** Change-feed entries per request of the background run (the API allows up to 500). */
export const DEFAULT_BACKGROUND_PAGE_SIZE = 200;

function scriptNumber(name: string, fallback: number): number {
  const raw = PropertiesService.getScriptProperties().getProperty(name);
  if (raw === null || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`The script property ${name} must be a non-negative number, not "${raw}".`);
  return value;
}

export function dailyFetchBudget(): number {
  return scriptNumber('STORESYNC_DAILY_FETCH_BUDGET', DEFAULT_DAILY_FETCH_BUDGET);
}

export function backgroundReserve(): number {
  return scriptNumber('STORESYNC_BACKGROUND_RESERVE', DEFAULT_BACKGROUND_RESERVE);
}

export function backgroundPageSize(): number {
  return Math.max(1, Math.min(500, Math.floor(scriptNumber('STORESYNC_BACKGROUND_PAGE_SIZE', DEFAULT_BACKGROUND_PAGE_SIZE))));
}
