/**
 * `npm run build -w @storesync/addin-sheets [-- --api-url https://… --no-pane --out build]`:
 * the Apps Script project in build/, as `clasp push` takes it (clasp 3 compiles nothing):
 *
 * - Code.js: src/server/main.ts bundled by esbuild as one IIFE (`var StoreSync = …`), then one
 *   top-level stub per entry point (src/shared/entry-points.ts), because Apps Script only calls
 *   top-level functions;
 * - Sidebar.html: the shared pane's single-file build (pane/dist-single/index.html) with the
 *   sidebar's boot script (src/sidebar/boot.ts, the google.script.run host) inlined before the
 *   pane's module script and the sidebar's strip above `#root`: one self-contained file, which is
 *   all HtmlService serves;
 * - Settings.html: the settings dialog with its script inlined;
 * - appsscript.json: V8, explicit minimal OAuth scopes, and `urlFetchWhitelist` with the API origin.
 *
 * The API URL comes from `--api-url`, else STORESYNC_SHEETS_API_URL, else a placeholder (the
 * deploy script passes the environment's URL).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { GLOBAL_ENTRY_POINTS } from '../src/shared/entry-points.ts';

const ADDIN_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPO_DIR = path.resolve(ADDIN_DIR, '..');
export const DEFAULT_OUT_DIR = path.join(ADDIN_DIR, 'build');
export const PANE_SINGLE_FILE = path.join(REPO_DIR, 'pane', 'dist-single', 'index.html');
export const PLACEHOLDER_API_URL = 'https://storesync.example.com';

/** Google's scopes, each needed by something the add-in does (README "Permissions"). */
export const OAUTH_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly', // read and write this spreadsheet only
  'https://www.googleapis.com/auth/script.container.ui', // menu, sidebar, dialogs
  'https://www.googleapis.com/auth/script.external_request', // UrlFetchApp to the StoreSync API
  'https://www.googleapis.com/auth/script.scriptapp', // the background trigger
  'https://www.googleapis.com/auth/userinfo.email', // the Google account's email (sign-in with Google)
  'openid', // ScriptApp.getIdentityToken() for sign-in with Google
] as const;

export interface Manifest {
  timeZone: string;
  runtimeVersion: 'V8';
  exceptionLogging: 'STACKDRIVER';
  oauthScopes: string[];
  urlFetchWhitelist: string[];
}

/** `https://api.example.com/base` → `https://api.example.com/base/` (whitelist entries are prefixes ending in `/`). */
export function whitelistPrefix(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.protocol !== 'https:') throw new Error(`the API URL must be https:// (Apps Script fetches only whitelisted https URLs), not ${apiUrl}`);
  if (url.search || url.hash || url.username || url.password) throw new Error(`the API URL must be an origin with an optional path, not ${apiUrl}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/`;
}

export function manifest(apiUrl: string): Manifest {
  return {
    timeZone: 'Etc/UTC',
    runtimeVersion: 'V8',
    exceptionLogging: 'STACKDRIVER',
    oauthScopes: [...OAUTH_SCOPES],
    urlFetchWhitelist: [whitelistPrefix(apiUrl)],
  };
}

/** @storesync/core's modules only declare things; without this its unused zod schemas would be bundled. */
const coreHasNoSideEffects: Plugin = {
  name: 'core-side-effect-free',
  setup(context) {
    context.onLoad({ filter: /[\\/]core[\\/]src[\\/].*\.ts$/ }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'ts' }));
    context.onResolve({ filter: /^@storesync\/core$/ }, () => ({ path: path.join(REPO_DIR, 'core', 'src', 'index.ts'), sideEffects: false }));
    context.onResolve({ filter: /^\.{1,2}\// }, (args) =>
      /[\\/]core[\\/]src[\\/]/.test(args.importer) ? { path: path.resolve(path.dirname(args.importer), args.path), sideEffects: false } : undefined,
    );
  },
};

export function entryStubs(names: readonly string[] = GLOBAL_ENTRY_POINTS): string {
  return names.map((name) => `function ${name}() {\n  return StoreSync.${name}.apply(this, arguments);\n}`).join('\n');
}

export async function bundleServer(apiUrl: string, version: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(ADDIN_DIR, 'src', 'server', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'StoreSync',
    platform: 'browser',
    // Apps Script's V8 runs modern JavaScript, but not every newest syntax; ES2019 is safe.
    target: 'es2019',
    charset: 'utf8',
    legalComments: 'none',
    treeShaking: true,
    define: {
      __STORESYNC_BUILD__: JSON.stringify({ apiUrl: apiUrl.replace(/\/+$/, ''), allowedApiPrefixes: [whitelistPrefix(apiUrl)], version }),
    },
    plugins: [coreHasNoSideEffects],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error('esbuild produced no server bundle');
  return `// StoreSync for Google Sheets ${version}: built by addin-sheets/scripts/build.ts; do not edit.\n${code}\n// Apps Script calls only top-level functions: one per entry point.\n${entryStubs()}\n`;
}

async function bundleBrowserScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(ADDIN_DIR, 'src', 'sidebar', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    plugins: [coreHasNoSideEffects],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error(`esbuild produced no bundle for ${entry}`);
  // Inline scripts end at the first `</script`, wherever it is.
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

/** The pane's single-file page with the boot script before its module script and the bar above `#root`. */
export function sidebarHtml(paneHtml: string, bootScript: string): string {
  const moduleScript = /<script\s+type="module"/i.exec(paneHtml);
  if (!moduleScript) throw new Error("the pane's single-file build has no module script: is pane/dist-single a Vite build?");
  const root = /<div id="root"><\/div>/.exec(paneHtml);
  if (!root) throw new Error('the pane\'s single-file build has no <div id="root"></div>');
  let html = paneHtml.slice(0, moduleScript.index) + `<script>${bootScript}</script>\n    ` + paneHtml.slice(moduleScript.index);
  html = html.replace('<div id="root"></div>', '<div id="storesync-sheets-bar" hidden></div>\n    <div id="root"></div>');
  return html.replace(/<title>[^<]*<\/title>/i, '<title>StoreSync</title>');
}

export function settingsHtml(script: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <base target="_top" />
    <title>StoreSync settings</title>
    <style>
      body { font-family: "Segoe UI", system-ui, -apple-system, sans-serif; font-size: 13px; color: #242424; margin: 0; padding: 4px 8px; }
      form, section { display: flex; flex-direction: column; gap: 6px; margin-bottom: 16px; }
      label { font-weight: 600; }
      input[type="url"] { font: inherit; padding: 6px 8px; border: 1px solid #d1d1d1; border-radius: 4px; }
      button { font: inherit; font-weight: 600; padding: 6px 12px; border-radius: 4px; border: 1px solid #d1d1d1; background: #fff; cursor: pointer; align-self: flex-start; }
      button.primary { background: #0f6cbd; color: #fff; border-color: #0f6cbd; }
      :focus-visible { outline: 2px solid #0f6cbd; outline-offset: 1px; }
      .note { color: #424242; }
      .error { color: #b10e1c; }
    </style>
  </head>
  <body>
    <form id="form">
      <label for="api-url">StoreSync address for this spreadsheet</label>
      <input id="api-url" type="url" required autocomplete="off" />
      <div id="allowed" class="note"></div>
      <button class="primary" type="submit">Save address</button>
    </form>
    <section>
      <div id="account"></div>
      <button id="google" type="button" hidden>Sign in with Google</button>
    </section>
    <section>
      <label><input id="background" type="checkbox" role="switch" /> Background updates every 5 minutes</label>
      <div id="background-note" class="note"></div>
    </section>
    <div id="status" role="status" class="note"></div>
    <script>${script}</script>
  </body>
</html>
`;
}

export interface BuildOptions {
  outDir: string;
  apiUrl: string;
  /** Build the pane's single-file page first (`npm run build -w @storesync/pane`). */
  buildPane: boolean;
  /** The pane's single-file page; default pane/dist-single/index.html. */
  paneHtmlFile?: string;
  version?: string;
}

export interface BuildOutput {
  files: string[];
  manifest: Manifest;
}

export async function buildAddin(options: BuildOptions): Promise<BuildOutput> {
  if (options.buildPane) execFileSync('npm', ['run', 'build', '-w', '@storesync/pane'], { cwd: REPO_DIR, stdio: 'inherit' });
  const paneFile = options.paneHtmlFile ?? PANE_SINGLE_FILE;
  const paneHtml = await readFile(paneFile, 'utf8').catch(() => {
    throw new Error(`${paneFile} is missing: build the pane (npm run build -w @storesync/pane) or drop --no-pane`);
  });
  const version = options.version ?? '0.1.0';
  const [code, boot, settings] = await Promise.all([bundleServer(options.apiUrl, version), bundleBrowserScript('boot.ts'), bundleBrowserScript('settings.ts')]);
  const appManifest = manifest(options.apiUrl);
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  const files: Record<string, string> = {
    'Code.js': code,
    'Sidebar.html': sidebarHtml(paneHtml, boot),
    'Settings.html': settingsHtml(settings),
    'appsscript.json': `${JSON.stringify(appManifest, null, 2)}\n`,
  };
  await Promise.all(Object.entries(files).map(([name, content]) => writeFile(path.join(options.outDir, name), content)));
  return { files: Object.keys(files), manifest: appManifest };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { 'api-url': { type: 'string' }, 'no-pane': { type: 'boolean' }, out: { type: 'string' } }, strict: true });
  const apiUrl = values['api-url'] ?? process.env.STORESYNC_SHEETS_API_URL ?? PLACEHOLDER_API_URL;
  if (apiUrl === PLACEHOLDER_API_URL) console.warn(`[build] no --api-url or STORESYNC_SHEETS_API_URL: using the placeholder ${PLACEHOLDER_API_URL}`);
  const outDir = values.out ? path.resolve(values.out) : DEFAULT_OUT_DIR;
  const { files } = await buildAddin({ outDir, apiUrl, buildPane: !values['no-pane'] });
  console.log(`[build] ${path.relative(REPO_DIR, outDir)}: ${files.join(', ')} (API ${apiUrl})`);
}
