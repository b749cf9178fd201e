/**
 * Two builds of the same pane:
 * - `vite build` → dist/: index.html + hashed assets, for hosts that serve files (the Excel task
 *   pane, served by the API);
 * - `vite build --mode singlefile` → dist-single/index.html, every script and style inlined,
 *   for Apps Script's HtmlService, which serves one HTML file and nothing else.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

export default defineConfig(({ mode }) => {
  const single = mode === 'singlefile';
  return {
    // Relative URLs, so the bundle works from whatever path a host serves it under.
    base: './',
    plugins: [react(), ...(single ? [viteSingleFile()] : [])],
    build: {
      outDir: single ? 'dist-single' : 'dist',
      emptyOutDir: true,
      // Office's webviews on Windows are Edge (Chromium) or, on old installs, IE11, which is out of
      // scope; Apps Script's sidebar runs in the user's browser.
      target: 'es2022',
      chunkSizeWarningLimit: 1_500,
      rolldownOptions: {
        // @storesync/core's modules only declare things; without this its zod schemas (brand
        // settings, config), which the pane never uses, would be bundled for their top-level calls.
        treeshake: { moduleSideEffects: (id: string) => !/[\\/]core[\\/]src[\\/]/.test(id) },
      },
    },
  };
});
