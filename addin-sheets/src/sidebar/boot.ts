/**
 * The sidebar's entry (bundled by scripts/build.ts into a classic script placed before the pane's
 * own module script in Sidebar.html). It waits for the pane's `storesync:pane-ready` event, asks
 * the server how to start (one call), and mounts the shared pane with the Sheets host and the
 * proxied fetch; the strip above the pane offers Google sign-in and background updates.
 */
import type { Host } from '@storesync/pane/host';
import { createProxyFetch } from './proxy-fetch.ts';
import { serverCaller } from './server.ts';
import { SheetsHost } from './sheets-host.ts';
import { BAR_STYLE, createSidebarBar } from './sidebar-bar.ts';

/** `mountPane`'s options and answer (pane/src/mount.tsx), which the pane's bundle exposes on `window`. */
interface MountOptions {
  host: Host;
  apiBaseUrl: string;
  fetch?: typeof fetch;
  streaming?: boolean;
  liveTiming?: { pollMs?: number };
}

/**
 * Every request of the sidebar is a UrlFetchApp call counted against the person's daily quota
 * (20,000 for consumer accounts), and UrlFetchApp cannot stream: the pane polls the change feed,
 * every 30 s rather than its default 10 s, so an open sidebar costs 120 calls an hour.
 */
const SIDEBAR_POLL_MS = 30_000;

interface MountedPane {
  unmount(): void;
}

interface PaneGlobals {
  StoreSyncPane?: { mountPane(element: HTMLElement, options: MountOptions): MountedPane };
}

async function start(): Promise<void> {
  const root = document.getElementById('root');
  const barElement = document.getElementById('storesync-sheets-bar');
  const pane = (window as unknown as PaneGlobals).StoreSyncPane;
  if (!root || !barElement || !pane) throw new Error('the sidebar page is incomplete (no #root, bar or pane bundle); build the add-in again');
  const style = document.createElement('style');
  style.textContent = BAR_STYLE;
  document.head.append(style);

  const call = serverCaller();
  const startup = await call('sidebarStart');
  const host = new SheetsHost({ call });
  const fetch = createProxyFetch(call);
  let mounted: MountedPane | null = null;
  const mount = () => {
    mounted?.unmount();
    mounted = pane.mountPane(root, { host, apiBaseUrl: startup.apiBaseUrl, fetch, streaming: false, liveTiming: { pollMs: SIDEBAR_POLL_MS } });
  };
  const bar = createSidebarBar({ element: barElement, call, googleEmail: startup.googleEmail, restartPane: mount });
  host.onSessionChange((signedIn) => bar.showSignedIn(signedIn));
  bar.showSignedIn(startup.signedIn, startup.signedIn ? startup.background : undefined);
  mount();
}

document.addEventListener('storesync:pane-ready', () => {
  start().catch((error: unknown) => {
    console.error('StoreSync sidebar failed to start', error);
    const root = document.getElementById('root');
    if (root) root.textContent = `StoreSync could not start: ${error instanceof Error ? error.message : String(error)}`;
  });
});
