/**
 * What the end-to-end test serves, built fresh into a temporary folder (never into the shared
 * dist/ folders, which other work in the checkout may be using):
 *
 * 1. the shared pane, with its own Vite config (pane/vite.config.ts), as `npm run build -w
 *    @storesync/pane` does;
 * 2. the Excel entry page over it with `buildTaskpane` (scripts/build-taskpane.ts), exactly as
 *    `npm run build -w @storesync/addin-excel` does: taskpane.html loads Office.js, then the Excel
 *    boot script (the real host, createExcelHost), then the pane;
 * 3. the simulated Excel for the browser (browser/simulated-excel.ts with fake-excel.ts and
 *    office-addin-mock), one classic script.
 *
 * About 3 s together.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildTaskpane } from '../../scripts/build-taskpane.ts';

const ADDIN_DIR = fileURLToPath(new URL('../../', import.meta.url));
const PANE_DIR = path.resolve(ADDIN_DIR, '..', 'pane');
const BROWSER_DIR = fileURLToPath(new URL('./browser/', import.meta.url));

export interface E2EBuild {
  /** Built pane + Excel entry page (taskpane.html, assets/), to serve under /addin/. */
  taskpaneDir: string;
  /** The simulated Excel, one classic script. */
  simulatedExcel: string;
}

async function buildPane(outDir: string): Promise<void> {
  await build({
    root: PANE_DIR,
    configFile: path.join(PANE_DIR, 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

async function buildSimulatedExcel(outDir: string): Promise<string> {
  await build({
    configFile: false,
    root: ADDIN_DIR,
    logLevel: 'warn',
    resolve: { alias: [{ find: /^office-addin-manifest$/, replacement: path.join(BROWSER_DIR, 'office-addin-manifest.ts') }] },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      lib: { entry: path.join(BROWSER_DIR, 'simulated-excel.ts'), formats: ['iife'], name: 'StoreSyncSimulatedExcel', fileName: () => 'simulated-excel.js' },
    },
  });
  return readFile(path.join(outDir, 'simulated-excel.js'), 'utf8');
}

export async function buildForE2E(workDir: string): Promise<E2EBuild> {
  const paneDist = path.join(workDir, 'pane') + path.sep;
  const taskpaneDir = path.join(workDir, 'taskpane') + path.sep;
  await mkdir(workDir, { recursive: true });
  const [, simulatedExcel] = await Promise.all([
    buildPane(paneDist).then(() => buildTaskpane({ paneDist, outDir: taskpaneDir, buildPane: false })),
    buildSimulatedExcel(path.join(workDir, 'simulated-excel')),
  ]);
  return { taskpaneDir, simulatedExcel };
}
