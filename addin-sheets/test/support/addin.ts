/**
 * The add-in under test: built once per test file (the real build, scripts/build.ts, for a public
 * API origin), run by the fake Apps Script runtime, its fake UrlFetchApp routed to a real API.
 *
 * `sidebarSession()` gives what the sidebar runs in the browser, in Node: the Sheets host and the
 * proxied fetch over `google.script.run` (here the runtime), and the shared pane's services and
 * workflows (pane/src), so tests drive the same code paths as the sidebar does.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { createServices, type PaneServices } from '../../../pane/src/state/services.ts';
import { buildAddin, type Manifest } from '../../scripts/build.ts';
import { createProxyFetch } from '../../src/sidebar/proxy-fetch.ts';
import type { CallServer } from '../../src/sidebar/server.ts';
import { SheetsHost } from '../../src/sidebar/sheets-host.ts';
import { AppsScriptWorld, type SyncHttp } from '../fakes/index.ts';
import { AppsScriptRuntime } from './runtime.ts';

export const TEST_API_URL = 'https://storesync.test';

export interface BuiltProject {
  dir: string;
  code: string;
  manifest: Manifest;
  /** Whether Sidebar.html holds the real pane or a stand-in. */
  realPane: boolean;
}

const STAND_IN_PANE = `<!doctype html>
<html lang="en"><head><title>pane</title><script type="module" crossorigin>document.dispatchEvent(new CustomEvent('storesync:pane-ready'));</script></head>
<body><div id="root"></div></body></html>`;

const PANE_DIR = fileURLToPath(new URL('../../../pane/', import.meta.url));

/** The pane's single-file page built fresh (never into pane/dist-single, which other work may be using). */
async function buildPaneSingleFile(outDir: string): Promise<string> {
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build; the
  // pane's own `vite build --mode singlefile` runs with production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: PANE_DIR, configFile: path.join(PANE_DIR, 'vite.config.ts'), mode: 'singlefile', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return path.join(outDir, 'index.html');
}

/**
 * Builds the add-in into a temporary folder. `pane: 'real'` builds the shared pane's single-file
 * page first (a few seconds; for tests that look at or render the sidebar), `'stand-in'` uses a
 * minimal page (tests that only run the server code).
 */
export async function buildProject(options: { pane: 'real' | 'stand-in' }): Promise<BuiltProject & { remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'storesync-sheets-'));
  let paneHtmlFile: string;
  if (options.pane === 'real') {
    paneHtmlFile = await buildPaneSingleFile(path.join(dir, 'pane'));
  } else {
    paneHtmlFile = path.join(dir, 'pane-stand-in.html');
    await writeFile(paneHtmlFile, STAND_IN_PANE);
  }
  const outDir = path.join(dir, 'build');
  const { manifest } = await buildAddin({ outDir, apiUrl: TEST_API_URL, buildPane: false, paneHtmlFile });
  return { dir: outDir, code: await readFile(path.join(outDir, 'Code.js'), 'utf8'), manifest, realPane: options.pane === 'real', remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface Sheets {
  world: AppsScriptWorld;
  runtime: AppsScriptRuntime;
  http: SyncHttp;
}

/** A fresh spreadsheet and Apps Script project (the build's manifest) whose API is `apiOrigin`. */
export function createSheets(project: BuiltProject, http: SyncHttp, apiOrigin: string): Sheets {
  const world = new AppsScriptWorld({ projectDir: project.dir, manifest: project.manifest, http });
  world.urlFetch.routes.set(TEST_API_URL, apiOrigin);
  return { world, runtime: new AppsScriptRuntime(world, project.code), http };
}

export interface SidebarSession {
  call: CallServer;
  host: SheetsHost;
  services: PaneServices;
}

/** What one open sidebar runs, for `user`, over the runtime's google.script.run. */
export function sidebarSession(runtime: AppsScriptRuntime, user = runtime.world.env.user): SidebarSession {
  const call: CallServer = ((name: string, ...args: unknown[]) => runtime.sidebar(name, args, user));
  // Edits are polled by hand in tests (host.pollEdits()), never by a timer.
  const host = new SheetsHost({ call, setInterval: () => 1, clearInterval: () => undefined });
  const services = createServices({ host, apiBaseUrl: TEST_API_URL, fetch: createProxyFetch(call), pollIntervalMs: 10 });
  return { call, host, services };
}
