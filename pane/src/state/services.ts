/**
 * What every part of the pane shares: the host, the API client, and a signal for "the session
 * ended" (the client notices it deep inside any request; the session state listens here).
 */
import { StoreSyncClient, type TokenStore } from '../api/client.ts';
import type { Host } from '../host.ts';
import type { LiveTiming } from '../workflows/live.ts';

export interface PaneServices {
  host: Host;
  client: StoreSyncClient;
  onSignedOut: (listener: () => void) => () => void;
  /** How often a running generation is polled; tests shorten it. */
  pollIntervalMs: number;
  /** Live updates' timing (batching, polling fallback, reconnects), when not the defaults. */
  liveTiming?: Partial<LiveTiming>;
}

/** Keys in host.userStorage (per person, never in the document). */
export const STORAGE_KEYS = {
  refreshToken: 'storesync.refreshToken',
  brandId: 'storesync.brandId',
  /** + `.<brand id>`: the table the person worked on last, made active again on the next open. */
  lastTable: 'storesync.lastTable',
} as const;

export interface ServiceOptions {
  host: Host;
  /** The API's origin (`https://storesync.example.com`), or `''` when the API serves the pane. */
  apiBaseUrl: string;
  /** Another transport than the page's fetch (tests; a host that proxies HTTP). */
  fetch?: typeof fetch;
  /**
   * Whether `fetch` hands over response bodies as they arrive, so live updates stream
   * (server-sent events). Default: `true` with the page's fetch, `false` with a custom `fetch`
   * (Sheets: `google.script.run` → UrlFetchApp cannot stream); without it the pane polls the
   * change feed every 10 s while it is visible.
   */
  streaming?: boolean;
  /** How often a running generation is polled (default 2 s). */
  pollIntervalMs?: number;
  /** Live updates' timing when not the defaults (tests, demos); see `DEFAULT_LIVE_TIMING`. */
  liveTiming?: Partial<LiveTiming>;
}

export function createServices({ host, apiBaseUrl, fetch, streaming, pollIntervalMs = 2_000, liveTiming }: ServiceOptions): PaneServices {
  const listeners = new Set<() => void>();
  const tokens: TokenStore = {
    loadRefreshToken: () => host.userStorage.get(STORAGE_KEYS.refreshToken),
    saveRefreshToken: (token) => host.userStorage.set(STORAGE_KEYS.refreshToken, token),
    clearRefreshToken: () => host.userStorage.remove(STORAGE_KEYS.refreshToken),
  };
  const client = new StoreSyncClient({
    baseUrl: apiBaseUrl,
    tokens,
    ...(fetch ? { fetch } : {}),
    ...(streaming !== undefined ? { streaming } : {}),
    onSignedOut: () => {
      for (const listener of listeners) listener();
    },
  });
  return {
    host,
    client,
    pollIntervalMs,
    ...(liveTiming ? { liveTiming } : {}),
    onSignedOut: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
