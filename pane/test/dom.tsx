/**
 * What jsdom lacks that Fluent UI touches, and a render helper for the whole pane.
 */
import { cleanup, render } from '@testing-library/react';
import { afterEach } from 'vitest';
import { App } from '../src/components/App.tsx';
import type { FakeHost } from '../src/testing/fake-host.ts';
import type { StubApi } from '../src/testing/stub-api.ts';
import { createServices } from '../src/state/services.ts';
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

export function renderPane(world: { host: FakeHost; api: StubApi }, pollIntervalMs = 5) {
  const services = createServices({ host: world.host, apiBaseUrl: API, fetch: world.api.fetch, pollIntervalMs });
  return { services, ...render(<App services={services} />) };
}
