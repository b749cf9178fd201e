/**
 * How a host entry point shows the pane: `mountPane(element, { host, apiBaseUrl })`.
 * addin-excel passes its Office.js host, addin-sheets its `google.script.run` host.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { createServices, type ServiceOptions } from './state/services.ts';

/** What a host page passes to {@link mountPane}: the pane's services' options (state/services.ts). */
export type MountOptions = ServiceOptions;

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
