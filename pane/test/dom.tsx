/**
 * What jsdom lacks that Fluent UI touches, and a render helper for the whole pane.
 */
import { cleanup, render } from '@testing-library/react';
import { afterEach } from 'vitest';
import { App } from '../src/components/App.tsx';
import type { FakeHost } from '../src/testing/fake-host.ts';
import type { StubApi } from '../src/testing/stub-api.ts';
import { createServices } from '../src/state/services.ts';
import type { LiveTiming } from '../src/workflows/live.ts';
import { API } from './world.ts';

if (typeof window !== 'undefined' && !('matchMedia' in window && typeof window.matchMedia === 'function')) {
  Object.defineProperty(window, 'matchMedia', {
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
}

if (typeof window !== 'undefined' && !('ResizeObserver' in window)) {
  // MessageBar measures itself to reflow its actions; jsdom has no layout, so nothing to observe.
  class NoResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { value: NoResizeObserver });
}

afterEach(() => cleanup());

/** Live updates in the pane's tests: the StubApi streams (its fetch is a custom one), batches and polls fast. */
export const TEST_LIVE_TIMING: Partial<LiveTiming> = { batchMs: 20, pollMs: 50, backoffMs: 10, maxBackoffMs: 50 };

export function renderPane(world: { host: FakeHost; api: StubApi }, pollIntervalMs = 5, options: { streaming?: boolean } = {}) {
  const services = createServices({ host: world.host, apiBaseUrl: API, fetch: world.api.fetch, streaming: options.streaming ?? true, pollIntervalMs, liveTiming: TEST_LIVE_TIMING });
  return { services, ...render(<App services={services} />) };
}
