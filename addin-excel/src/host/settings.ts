/**
 * The host's storage and theme, on Office's common API:
 * - document settings (`Office.context.document.settings` + `saveAsync`): stored in the workbook
 *   for this add-in, shared by everyone who opens it;
 * - user storage: `OfficeRuntime.storage` where Office provides it, else `localStorage` under a
 *   `storesync:` prefix (the pane's origin is shared with the web app), else memory;
 * - the Office theme (`Office.context.officeTheme`), with `prefers-color-scheme` as fallback.
 */
import type { Host, ThemeName, Unsubscribe } from '@storesync/pane/host';
import type { AsyncStorageLike, MatchMediaLike, OfficeLike, SettingsLike, SyncStorageLike } from './office.ts';

export type DocumentSettings = Host['documentSettings'];
export type UserStorage = Host['userStorage'];

/** Document settings with one `saveAsync` at a time, in call order. */
export function documentSettings(settings: () => SettingsLike): DocumentSettings {
  let queue: Promise<unknown> = Promise.resolve();
  const save = () =>
    new Promise<void>((resolve, reject) => {
      settings().saveAsync((result) => {
        if (result.status === 'succeeded') resolve();
        else reject(new Error(`Excel could not save the StoreSync settings in this workbook: ${result.error?.message ?? 'unknown error'}`));
      });
    });
  return {
    get(key) {
      const value = settings().get(key);
      return Promise.resolve(value === null ? undefined : value);
    },
    set(key, value) {
      const next = queue.then(() => {
        if (value === undefined) settings().remove(key);
        else settings().set(key, value);
        return save();
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

const PREFIX = 'storesync:';

function isAsyncStorage(storage: AsyncStorageLike | SyncStorageLike): storage is AsyncStorageLike {
  // localStorage (the Web Storage API) has `length`; OfficeRuntime.storage does not.
  return !('length' in storage);
}

/** Per-person storage over `OfficeRuntime.storage`, `localStorage` or, failing both, memory. */
export function userStorage(storage: AsyncStorageLike | SyncStorageLike | undefined): UserStorage {
  if (storage && isAsyncStorage(storage)) {
    return {
      get: (key) => storage.getItem(key),
      set: (key, value) => storage.setItem(key, value),
      remove: (key) => storage.removeItem(key),
    };
  }
  if (storage) {
    const sync = storage;
    return {
      get: (key) => Promise.resolve(sync.getItem(PREFIX + key)),
      set: (key, value) => Promise.resolve(sync.setItem(PREFIX + key, value)),
      remove: (key) => Promise.resolve(sync.removeItem(PREFIX + key)),
    };
  }
  const memory = new Map<string, string>();
  return {
    get: (key) => Promise.resolve(memory.get(key) ?? null),
    set: (key, value) => Promise.resolve(void memory.set(key, value)),
    remove: (key) => Promise.resolve(void memory.delete(key)),
  };
}

/** `#RRGGBB` → relative luminance 0..1, or null. */
function luminance(color: string | undefined): number | null {
  const match = /^#?([0-9a-f]{6})$/i.exec(color ?? '');
  if (!match?.[1]) return null;
  const value = Number.parseInt(match[1], 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** The theme Office shows now: `isDarkTheme` where Office has it, else by body background, else the system's. */
export function currentTheme(office: OfficeLike | undefined, matchMedia: MatchMediaLike | undefined): ThemeName {
  const theme = office?.context.officeTheme;
  if (theme) {
    if (typeof theme.isDarkTheme === 'boolean') return theme.isDarkTheme ? 'dark' : 'light';
    const light = luminance(theme.bodyBackgroundColor);
    if (light !== null) return light < 0.4 ? 'dark' : 'light';
  }
  return matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export interface ThemeWatchOptions {
  office: () => OfficeLike | undefined;
  matchMedia: MatchMediaLike | undefined;
  pollMs: number;
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

/**
 * Theme changes. Excel raises no theme event to task panes (`OfficeThemeChanged` is Outlook's),
 * so while someone listens the host looks at `officeTheme` every `pollMs` and also follows the
 * system's `prefers-color-scheme`. Handlers hear only real changes.
 */
export function themeWatcher(options: ThemeWatchOptions): (handler: (theme: ThemeName) => void) => Unsubscribe {
  const handlers = new Set<(theme: ThemeName) => void>();
  let last: ThemeName = currentTheme(options.office(), options.matchMedia);
  let timer: unknown;
  const query = options.matchMedia?.('(prefers-color-scheme: dark)');
  const check = () => {
    const now = currentTheme(options.office(), options.matchMedia);
    if (now === last) return;
    last = now;
    for (const handler of [...handlers]) handler(now);
  };
  const start = () => {
    last = currentTheme(options.office(), options.matchMedia);
    timer = options.setInterval(check, options.pollMs);
    query?.addEventListener?.('change', check);
  };
  const stop = () => {
    options.clearInterval(timer);
    timer = undefined;
    query?.removeEventListener?.('change', check);
  };
  return (handler) => {
    if (handlers.size === 0) start();
    handlers.add(handler);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      handlers.delete(handler);
      if (handlers.size === 0) stop();
    };
  };
}
