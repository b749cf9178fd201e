/**
 * The Excel entry of the task pane (built into dist/taskpane/ by scripts/build-taskpane.ts and
 * loaded by taskpane.html after Office.js and before the pane's bundle): tells the shared pane to
 * start on the Excel host once Office is ready, with the API on the same origin (the StoreSync
 * API serves this page, see api/src/routes/addin/).
 */
import { createExcelHost } from '../host/index.ts';

interface BootGlobals {
  Office?: { onReady(): Promise<unknown> };
  storeSyncBoot?: () => Promise<{ host: ReturnType<typeof createExcelHost>; apiBaseUrl: string }>;
}

const globals = globalThis as unknown as BootGlobals;

globals.storeSyncBoot = async () => {
  const office = globals.Office;
  if (!office) throw new Error('Office.js did not load: open StoreSync from the StoreSync tab in Excel (and check the network can reach Microsoft’s Office.js CDN).');
  await office.onReady();
  return { host: createExcelHost(), apiBaseUrl: '' };
};
