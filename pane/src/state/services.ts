/**
 * What every part of the pane shares: the host, the API client, and a signal for "the session
 * ended" (the client notices it deep inside any request; the session state listens here).
 */
import { StoreSyncClient, type TokenStore } from '../api/client.ts';
import type { Host } from '../host.ts';

export interface PaneServices {
  host: Host;
  client: StoreSyncClient;
  onSignedOut: (listener: () => void) => () => void;
  /** How often a running generation is polled; tests shorten it. */
  pollIntervalMs: number;
}

/** Keys in host.userStorage (per person, never in the document). */
export const STORAGE_KEYS = {
  refreshToken: 'storesync.refreshToken',
  brandId: 'storesync.brandId',
} as const;

export interface ServiceOptions {
  host: Host;
  apiBaseUrl: string;
  fetch?: typeof fetch;
  pollIntervalMs?: number;
}

export function createServices({ host, apiBaseUrl, fetch, pollIntervalMs = 2_000 }: ServiceOptions): PaneServices {
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
    onSignedOut: () => {
      for (const listener of listeners) listener();
    },
  });
  return {
    host,
    client,
    pollIntervalMs,
    onSignedOut: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
