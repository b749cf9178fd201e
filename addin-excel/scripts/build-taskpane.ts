/**
 * `npm run build -w @storesync/addin-excel [-- --no-pane]`: the task pane's Excel entry in
 * dist/taskpane/, which the API serves under /addin/ (src/paths.ts, api/src/routes/addin/):
 *
 * 1. builds the shared pane (`npm run build -w @storesync/pane`, skipped with `--no-pane`: then
 *    pane/dist must be built already) and copies pane/dist into dist/taskpane/;
 * 2. bundles src/taskpane/boot.ts (the Excel host and `window.storeSyncBoot`) with Vite into
 *    dist/taskpane/assets/excel-boot-HASH.js;
 * 3. writes dist/taskpane/taskpane.html: the pane's index.html with Office.js (Microsoft's CDN,
 *    as Office requires) and the boot script before the pane's own module script.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { PANE_DIST_DIR } from '../src/paths.ts';

export const OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const ADDIN_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPO_DIR = path.resolve(ADDIN_DIR, '..');

/** The pane's index.html with Office.js and the boot script inserted before its first module script. */
export function taskpaneHtml(paneIndex: string, bootScript: string): string {
  const moduleScript = /<script\s+type="module"/i.exec(paneIndex);
  if (!moduleScript) throw new Error("the pane's index.html has no module script: is pane/dist a Vite build?");
  const inserted =
    `<script src="${OFFICE_JS_URL}"></script>\n    ` +
    `<script type="module" crossorigin src="./assets/${bootScript}"></script>\n    `;
  const html = paneIndex.slice(0, moduleScript.index) + inserted + paneIndex.slice(moduleScript.index);
  return html.replace(/<title>[^<]*<\/title>/i, '<title>StoreSync</title>');
}

export async function buildTaskpane(options: { paneDist: string; outDir: string; buildPane: boolean }): Promise<{ html: string; bootScript: string }> {
  if (options.buildPane) execFileSync('npm', ['run', 'build', '-w', '@storesync/pane'], { cwd: REPO_DIR, stdio: 'inherit' });
  const paneIndex = await readFile(path.join(options.paneDist, 'index.html'), 'utf8').catch(() => {
    throw new Error(`${options.paneDist}index.html is missing: build the pane (npm run build -w @storesync/pane) or drop --no-pane`);
  });
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  await cp(options.paneDist, options.outDir, { recursive: true });
  await build({
    configFile: false,
    logLevel: 'warn',
    root: ADDIN_DIR,
    build: {
      outDir: options.outDir,
      emptyOutDir: false,
      target: 'es2022',
      rolldownOptions: {
        input: { 'excel-boot': path.join(ADDIN_DIR, 'src/taskpane/boot.ts') },
        output: { entryFileNames: 'assets/[name]-[hash].js', chunkFileNames: 'assets/[name]-[hash].js' },
        // @storesync/core's modules only declare things (as in pane/vite.config.ts).
        treeshake: { moduleSideEffects: (id: string) => !/[\\/]core[\\/]src[\\/]/.test(id) },
      },
    },
  });
  const bootScript = (await readdir(path.join(options.outDir, 'assets'))).find((name) => /^excel-boot-[A-Za-z0-9_-]+\.js$/.test(name));
  if (!bootScript) throw new Error('Vite did not write the excel-boot script');
  const html = taskpaneHtml(paneIndex, bootScript);
  await writeFile(path.join(options.outDir, 'taskpane.html'), html);
  return { html, bootScript };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { 'no-pane': { type: 'boolean' } }, strict: true });
  const paneDist = path.join(REPO_DIR, 'pane', 'dist') + path.sep;
  const { bootScript } = await buildTaskpane({ paneDist, outDir: PANE_DIST_DIR, buildPane: !values['no-pane'] });
  console.log(`[build] ${path.relative(REPO_DIR, PANE_DIST_DIR)}: taskpane.html (Office.js, assets/${bootScript}, the pane) and the pane's assets`);
}
