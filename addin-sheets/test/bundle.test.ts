/**
 * The built Apps Script project as `clasp push` sends it: every entry point Apps Script calls is
 * a top-level function of Code.js, appsscript.json has only fields Google documents, with valid
 * values and the minimal scopes, and Sidebar.html is one self-contained file.
 */
import { parse } from 'acorn';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { GLOBAL_ENTRY_POINTS, MENU_HANDLERS, SIDEBAR_FUNCTIONS, SIMPLE_TRIGGERS, BACKGROUND_HANDLER } from '../src/shared/entry-points.ts';
import { OAUTH_SCOPES } from '../scripts/build.ts';
import { AppsScriptWorld, SyncHttp } from './fakes/index.ts';
import { buildProject, TEST_API_URL } from './support/addin.ts';

const project = await buildProject({ pane: 'real' });
afterAll(() => project.remove());

/**
 * Top-level fields of appsscript.json in Google's manifest reference
 * (developers.google.com/apps-script/manifest), with what each may hold.
 */
const DOCUMENTED_FIELDS = new Set(['addOns', 'chat', 'dependencies', 'exceptionLogging', 'executionApi', 'oauthScopes', 'runtimeVersion', 'sheets', 'timeZone', 'urlFetchWhitelist', 'webapp']);

describe('the built project', () => {
  it('holds exactly what clasp pushes: Code.js, the two HTML files and the manifest', async () => {
    expect((await readdir(project.dir)).sort()).toEqual(['Code.js', 'Settings.html', 'Sidebar.html', 'appsscript.json']);
  });

  it('declares every entry point as a top-level function, backed by the bundle', () => {
    const program = parse(project.code, { ecmaVersion: 2022, sourceType: 'script' });
    const declared = program.body.flatMap((node) => (node.type === 'FunctionDeclaration' && node.id ? [node.id.name] : []));
    expect(new Set(declared)).toEqual(new Set(GLOBAL_ENTRY_POINTS));
    for (const name of [...SIMPLE_TRIGGERS, BACKGROUND_HANDLER, ...MENU_HANDLERS, ...SIDEBAR_FUNCTIONS]) expect(declared).toContain(name);
    // The rest of the script is one `var StoreSync = (() => …)()`: nothing else leaks into the global scope.
    const others = program.body.filter((node) => node.type !== 'FunctionDeclaration' && !(node.type === 'ExpressionStatement' && node.directive));
    expect(others).toHaveLength(1);
    expect(others[0]?.type).toBe('VariableDeclaration');

    // Evaluating the script must not call any service: Apps Script evaluates it for every call,
    // onOpen included, which may run without authorisation.
    const http = new SyncHttp();
    const world = new AppsScriptWorld({ projectDir: project.dir, manifest: project.manifest, http });
    const context = vm.createContext({ ...world.globals(), console });
    vm.runInContext(project.code, context);
    const globals = context as Record<string, unknown>;
    for (const name of GLOBAL_ENTRY_POINTS) {
      expect(typeof globals[name], name).toBe('function');
      expect(typeof (globals.StoreSync as Record<string, unknown>)[name], `StoreSync.${name}`).toBe('function');
    }
    void http.close();
  });

  it('uses no API Apps Script lacks (Node modules, the DOM, fetch, timers) in StoreSync’s own code', () => {
    // esbuild heads each bundled module with a comment naming its file. liquidjs' browser build
    // mentions document and TextEncoder in its file loader and filters, which only rendering
    // reaches; the engine only parses templates (core/src/templates.ts parseTemplate).
    const sections = project.code.split(/\n {2}\/\/ (?=(?:\.\.\/)*[\w@.-]+\/)/);
    const own = sections.filter((section) => !/^(\.\.\/)*node_modules\//.test(section));
    expect(own.length).toBeGreaterThan(5);
    for (const section of own) expect(section).not.toMatch(/\brequire\(|\bimport\(|\bprocess\.env|\bdocument\.|(?<!UrlFetchApp\.)\bfetch\(|\bsetTimeout\(|\bTextEncoder\b|\bURLSearchParams\b/);
  });

  it('has a manifest with only documented fields: V8, minimal scopes, the API origin whitelisted', async () => {
    const manifest = JSON.parse(await readFile(path.join(project.dir, 'appsscript.json'), 'utf8')) as Record<string, unknown>;
    for (const field of Object.keys(manifest)) expect(DOCUMENTED_FIELDS, `unknown manifest field ${field}`).toContain(field);
    expect(manifest.runtimeVersion).toBe('V8');
    expect(['NONE', 'STACKDRIVER']).toContain(manifest.exceptionLogging);
    expect(() => new Intl.DateTimeFormat('en', { timeZone: String(manifest.timeZone) })).not.toThrow();
    const scopes = manifest.oauthScopes as string[];
    expect(new Set(scopes).size).toBe(scopes.length);
    for (const scope of scopes) expect(scope).toMatch(/^(https:\/\/www\.googleapis\.com\/auth\/[a-z._]+|openid|email|profile)$/);
    expect([...scopes].sort()).toEqual([...OAUTH_SCOPES].sort());
    // No broad scopes: this spreadsheet only, no Drive, no all-spreadsheets.
    expect(scopes).not.toContain('https://www.googleapis.com/auth/spreadsheets');
    expect(scopes.some((scope) => scope.includes('/drive'))).toBe(false);
    const whitelist = manifest.urlFetchWhitelist as string[];
    expect(whitelist).toEqual([`${TEST_API_URL}/`]);
    for (const prefix of whitelist) expect(prefix).toMatch(/^https:\/\/[^/]+\/(.*\/)?$/);
  });

  it('serves the sidebar as one self-contained HTML file: the boot script before the pane, the strip above it', async () => {
    const html = await readFile(path.join(project.dir, 'Sidebar.html'), 'utf8');
    expect(project.realPane).toBe(true);
    // The markup outside the inline scripts (whose code may mention tags in strings) loads nothing.
    const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
    expect(markup).not.toMatch(/<script[^>]+\bsrc=/i);
    expect(markup).not.toMatch(/<link[^>]+\bhref=/i);
    expect(markup.match(/<script\b/gi)).toHaveLength(2);
    const boot = html.indexOf('<script>');
    const pane = html.search(/<script\s+type="module"/);
    expect(boot).toBeGreaterThan(0);
    expect(pane).toBeGreaterThan(boot);
    expect(html.indexOf('id="storesync-sheets-bar"')).toBeLessThan(html.indexOf('id="root"'));
    const settings = await readFile(path.join(project.dir, 'Settings.html'), 'utf8');
    expect(settings).not.toMatch(/<script[^>]+\bsrc=/i);
  });
});
