/**
 * The Excel entry page build (scripts/build-taskpane.ts) over a stand-in for the pane's build:
 * Office.js, then the Excel boot script, then the pane's module script; the pane's files beside
 * it; and a boot bundle that sets `window.storeSyncBoot` and says so when Office.js is missing.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTaskpane, OFFICE_JS_URL, taskpaneHtml } from '../scripts/build-taskpane.ts';

const base = await mkdtemp(path.join(tmpdir(), 'storesync-taskpane-'));
afterAll(() => rm(base, { recursive: true, force: true }));

const PANE_INDEX = `<!doctype html>
<html lang="en">
  <head>
    <title>StoreSync</title>
    <script type="module" crossorigin src="./assets/index-Dj7753C5.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

describe('the task pane entry page', () => {
  it('loads Office.js, then the Excel boot script, then the pane', async () => {
    const paneDist = path.join(base, 'pane-dist') + path.sep;
    await mkdir(path.join(paneDist, 'assets'), { recursive: true });
    await writeFile(path.join(paneDist, 'index.html'), PANE_INDEX);
    await writeFile(path.join(paneDist, 'assets', 'index-Dj7753C5.js'), 'window.paneLoaded = true;');
    const outDir = path.join(base, 'out') + path.sep;
    const { html, bootScript } = await buildTaskpane({ paneDist, outDir, buildPane: false });

    expect(await readFile(path.join(outDir, 'taskpane.html'), 'utf8')).toBe(html);
    const office = html.indexOf(`<script src="${OFFICE_JS_URL}"></script>`);
    const boot = html.indexOf(`src="./assets/${bootScript}"`);
    const pane = html.indexOf('src="./assets/index-Dj7753C5.js"');
    expect(office).toBeGreaterThan(0);
    expect(boot).toBeGreaterThan(office);
    expect(pane).toBeGreaterThan(boot);
    expect((await readdir(path.join(outDir, 'assets'))).sort()).toEqual([bootScript, 'index-Dj7753C5.js'].sort());

    // The bundle runs on its own: it defines storeSyncBoot, which needs Office.js.
    const globals = globalThis as { storeSyncBoot?: () => Promise<unknown> };
    delete globals.storeSyncBoot;
    await import(pathToFileURL(path.join(outDir, 'assets', bootScript)).href);
    const storeSyncBoot = (globalThis as { storeSyncBoot?: () => Promise<unknown> }).storeSyncBoot;
    expect(typeof storeSyncBoot).toBe('function');
    await expect(storeSyncBoot?.()).rejects.toThrow(/Office.js did not load/);
    delete globals.storeSyncBoot;
  });

  it('refuses a pane build without a module script', () => {
    expect(() => taskpaneHtml('<html><body></body></html>', 'excel-boot-x.js')).toThrow(/no module script/);
  });
});
