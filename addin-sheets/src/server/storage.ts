/**
 * Where the add-in keeps things, on PropertiesService:
 * - document properties: the pane's document settings (connections, hand mappings, the API URL),
 *   shared by everyone who opens the spreadsheet and travelling with it, so never a token;
 * - user properties: this person's values (the pane's chosen brand), the session's tokens, the
 *   background run's state and the day's URL fetch count. User properties are private to the
 *   person and this script, which is why tokens live only there.
 *
 * A property value holds at most 9 KB, so JSON longer than {@link MAX_VALUE_CHARS} is split over
 * numbered properties (`key#0`, `key#1`, …) written together with one `setProperties` call.
 */

/** Under the 9 KB per value PropertiesService allows (UTF-8 may take more bytes than characters). */
export const MAX_VALUE_CHARS = 2_800;
const CHUNKED = 'chunks:';

/** User-property keys only the server code uses; the sidebar can neither read nor write them. */
export const SERVER_KEYS = {
  session: 'storesync.server.session',
  pendingLogout: 'storesync.server.pendingLogout',
  background: 'storesync.server.background',
  fetches: 'storesync.server.fetches',
} as const;

export const API_URL_SETTING = 'storesync.apiUrl';

const chunkKey = (key: string, index: number) => `${key}#${index}`;

function chunkCount(value: string | null): number {
  return value !== null && value.startsWith(CHUNKED) ? Number(value.slice(CHUNKED.length)) || 0 : 0;
}

/** Text of `key`, joined from its chunks when it was split. */
export function readText(store: GoogleAppsScript.Properties.Properties, key: string): string | null {
  const head = store.getProperty(key);
  const chunks = chunkCount(head);
  if (chunks === 0) return head;
  let text = '';
  for (let index = 0; index < chunks; index += 1) {
    const part = store.getProperty(chunkKey(key, index));
    if (part === null) throw new Error(`The StoreSync setting "${key}" is damaged (part ${index + 1} of ${chunks} is missing); save it again.`);
    text += part;
  }
  return text;
}

/** Writes (or, with null, removes) `key`, splitting long text, and drops chunks of an older, longer value. */
export function writeText(store: GoogleAppsScript.Properties.Properties, key: string, text: string | null): void {
  const previousChunks = chunkCount(store.getProperty(key));
  if (text === null) {
    store.deleteProperty(key);
  } else if (text.length <= MAX_VALUE_CHARS && !text.startsWith(CHUNKED)) {
    store.setProperty(key, text);
  } else {
    const parts: Record<string, string> = {};
    let count = 0;
    for (let start = 0; start < text.length; start += MAX_VALUE_CHARS) parts[chunkKey(key, count++)] = text.slice(start, start + MAX_VALUE_CHARS);
    parts[key] = `${CHUNKED}${count}`;
    store.setProperties(parts);
    for (let index = count; index < previousChunks; index += 1) store.deleteProperty(chunkKey(key, index));
    return;
  }
  for (let index = 0; index < previousChunks; index += 1) store.deleteProperty(chunkKey(key, index));
}

export function readJson<T>(store: GoogleAppsScript.Properties.Properties, key: string): T | null {
  const text = readText(store, key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`The StoreSync setting "${key}" is not valid JSON; save it again.`);
  }
}

export function writeJson(store: GoogleAppsScript.Properties.Properties, key: string, value: unknown): void {
  writeText(store, key, value === undefined || value === null ? null : JSON.stringify(value));
}

export const documentStore = () => PropertiesService.getDocumentProperties();
export const userStore = () => PropertiesService.getUserProperties();

/** The sidebar may use `storesync.*` keys, but never the server's own. */
export function assertSidebarKey(key: string): void {
  if (typeof key !== 'string' || !/^storesync\.[A-Za-z0-9_.-]{1,100}$/.test(key) || key.startsWith('storesync.server.')) {
    throw new Error(`StoreSync cannot use the storage key "${String(key)}".`);
  }
}

/** Runs `work` holding this person's lock for this script: token rotation and the background run. */
export function withUserLock<T>(work: () => T, waitMs = 30_000): T {
  const lock = LockService.getUserLock();
  try {
    lock.waitLock(waitMs);
  } catch (error) {
    throw new Error(`StoreSync is busy with another of your requests (${error instanceof Error ? error.message : String(error)}); try again in a moment.`, { cause: error });
  }
  try {
    return work();
  } finally {
    lock.releaseLock();
  }
}

/** Runs `work` holding the document's lock: read-modify-write of document settings. */
export function withDocumentLock<T>(work: () => T, waitMs = 30_000): T {
  const lock = LockService.getDocumentLock();
  // Null only outside a bound script (an execution API call); then there is no document to guard.
  if (!lock) return work();
  try {
    lock.waitLock(waitMs);
  } catch (error) {
    throw new Error(`Someone else is saving StoreSync settings of this spreadsheet (${error instanceof Error ? error.message : String(error)}); try again in a moment.`, { cause: error });
  }
  try {
    return work();
  } finally {
    lock.releaseLock();
  }
}
