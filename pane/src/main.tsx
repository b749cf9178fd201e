/**
 * Entry of the built bundle (dist/index.html). Two ways for a host page to use it:
 * 1. define `window.storeSyncBoot` (returning `{ host, apiBaseUrl }`, or a promise of it) in a
 *    script that runs before this one: the pane mounts itself into `#root`;
 * 2. call `window.StoreSyncPane.mountPane(element, options)` itself, after the
 *    `storesync:pane-ready` event.
 * Without either, `?demo` (or the dev server) shows the demo: a fake workbook and an in-memory API.
 */
import { mountPane, type MountOptions } from './mount.tsx';

declare global {
  interface Window {
    StoreSyncPane?: { mountPane: typeof mountPane };
    storeSyncBoot?: () => MountOptions | Promise<MountOptions>;
  }
}

window.StoreSyncPane = { mountPane };

async function boot() {
  const root = document.getElementById('root');
  if (!root) return;
  const params = new URLSearchParams(window.location.search);
  if (window.storeSyncBoot) {
    mountPane(root, await window.storeSyncBoot());
  } else if (params.has('demo') || import.meta.env.DEV) {
    const { demoOptions } = await import('./demo/demo.ts');
    mountPane(root, demoOptions(params.get('theme') === 'dark' ? 'dark' : 'light'));
  }
  document.dispatchEvent(new CustomEvent('storesync:pane-ready'));
}

boot().catch((error: unknown) => {
  console.error('StoreSync pane failed to start', error);
  const root = document.getElementById('root');
  if (root) root.textContent = `StoreSync could not start: ${error instanceof Error ? error.message : String(error)}`;
});
