/**
 * The day's URL fetch budget of this person (Apps Script's quota is per account and day).
 *
 * Every fetch is counted in memory and the count is saved in user properties once per execution
 * (main.ts flushes it when an entry point returns), not once per fetch, so counting costs no
 * PropertiesService quota of its own. The background trigger stops when only the reserve for the
 * person's own actions is left; anything stops when the whole budget is used.
 */
import { backgroundReserve, dailyFetchBudget } from './config.ts';
import { SERVER_KEYS, userStore } from './storage.ts';

export class FetchBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchBudgetError';
  }
}

interface StoredCount {
  day: string;
  count: number;
}

let loaded: StoredCount | null = null;
let unsaved = 0;

/** Quotas count per day; UTC days are a close, predictable stand-in for Google's rolling window. */
function today(): string {
  return new Date(Date.now()).toISOString().slice(0, 10);
}

function current(): StoredCount {
  const day = today();
  if (loaded === null || loaded.day !== day) {
    const raw = userStore().getProperty(SERVER_KEYS.fetches);
    let stored: StoredCount | null = null;
    if (raw) {
      try {
        stored = JSON.parse(raw) as StoredCount;
      } catch {
        stored = null; // a damaged count restarts at zero: at worst one day's estimate is low
      }
    }
    loaded = stored && stored.day === day && Number.isFinite(stored.count) ? stored : { day, count: 0 };
  }
  return loaded;
}

export function fetchesToday(): number {
  return current().count;
}

/** Counts one fetch; refuses when the day's budget is used up. */
export function recordFetch(): void {
  const count = current();
  if (count.count >= dailyFetchBudget()) {
    throw new FetchBudgetError(`StoreSync used its ${dailyFetchBudget()} requests for today; it can reach its server again tomorrow.`);
  }
  count.count += 1;
  unsaved += 1;
}

/** Fetches the background run may still make today. */
export function backgroundFetchesLeft(): number {
  return Math.max(0, dailyFetchBudget() - backgroundReserve() - current().count);
}

/** Google said the quota is gone: count the day as used up. */
export function markBudgetExhausted(): void {
  const count = current();
  count.count = Math.max(count.count, dailyFetchBudget());
  unsaved += 1;
}

/** Saves the count when this execution fetched anything. */
export function flushFetchCount(): void {
  if (unsaved === 0 || loaded === null) return;
  const store = userStore();
  // Another execution may have counted meanwhile: add ours to what is stored now.
  let stored: StoredCount | null = null;
  const raw = store.getProperty(SERVER_KEYS.fetches);
  if (raw) {
    try {
      stored = JSON.parse(raw) as StoredCount;
    } catch {
      stored = null;
    }
  }
  const base = stored && stored.day === loaded.day ? stored.count : 0;
  const count = Math.max(base + unsaved, loaded.count);
  store.setProperty(SERVER_KEYS.fetches, JSON.stringify({ day: loaded.day, count }));
  loaded = { day: loaded.day, count };
  unsaved = 0;
}

