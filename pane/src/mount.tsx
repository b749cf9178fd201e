/**
 * How a host entry point shows the pane: `mountPane(element, { host, apiBaseUrl })`.
 * addin-excel passes its Office.js host, addin-sheets its `google.script.run` host.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import type { Host } from './host.ts';
import { createServices } from './state/services.ts';
import type { LiveTiming } from './workflows/live.ts';

export interface MountOptions {
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

export interface MountedPane {
  unmount(): void;
}

export function mountPane(element: HTMLElement, options: MountOptions): MountedPane {
  const services = createServices(options);
  const root = createRoot(element);
  root.render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
  return { unmount: () => root.unmount() };
}
