/**
 * manifest.xml (development) and the production manifest the build makes from it:
 * - both validate against Microsoft's manifest XSDs (addin-excel/schemas/office/, copied from
 *   shared/office-schemas with their README) with `xmllint --nonet` (scripts/ensure-xmllint.sh
 *   installs it), and the schemas really are enforced (a `<Runtimes>` element is refused);
 * - `office-addin-manifest info` reports the expected id, version and name;
 * - every icon URL points at a PNG in addin-excel/assets of the size the manifest says.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, DEV_BASE_URL, manifestInfo, officeVersion, PRODUCTION_ID, REPO_MANIFEST, rewriteManifest } from '../scripts/build-manifest.ts';
import { readPngHeader } from '../scripts/png.ts';
import { ASSETS_DIR, ASSETS_PATH, DEV_ORIGIN, TASKPANE_PATH } from '../src/paths.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = join(packageDir, 'schemas', 'office', 'OfficeAppManifestV1_1.xsd');
const ASSETS = join(packageDir, 'assets');
const DEV_ID = '90b9f5dc-bfe8-4f87-b6e1-dddc34a2a9c7';
const PRODUCTION_URL = 'https://storesync.example.com';

function hasXmllint(): boolean {
  return spawnSync('xmllint', ['--version']).status === 0;
}

/** `xmllint --nonet --noout --schema` → [exit code, messages]. */
function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync('xmllint', ['--nonet', '--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every attribute value that is a URL, with the element it sits on. */
function urls(xml: string): { element: string; id?: string; url: string }[] {
  const found: { element: string; id?: string; url: string }[] = [];
  for (const match of xml.matchAll(/<([\w:]+)([^>]*?)\bDefaultValue="(https?:\/\/[^"]+)"/g)) {
    const id = /\bid="([^"]+)"/.exec(match[2] ?? '')?.[1];
    found.push({ element: match[1] ?? '', ...(id ? { id } : {}), url: match[3] ?? '' });
  }
  return found;
}

/** The pixel size each icon URL must have: IconUrl 32, HighResolutionIconUrl 64, ribbon images their `size`. */
function expectedIconSizes(xml: string): Map<string, number> {
  const sizes = new Map<string, number>();
  const expectSize = (url: string, size: number) => {
    const known = sizes.get(url);
    if (known !== undefined && known !== size) throw new Error(`${url} is used as ${known} and ${size} px`);
    sizes.set(url, size);
  };
  const iconUrl = /<IconUrl DefaultValue="([^"]+)"/.exec(xml)?.[1];
  const highRes = /<HighResolutionIconUrl DefaultValue="([^"]+)"/.exec(xml)?.[1];
  if (iconUrl) expectSize(iconUrl, 32);
  if (highRes) expectSize(highRes, 64);
  const sizeOfResource = new Map<string, number>();
  for (const match of xml.matchAll(/<bt:Image size="(\d+)" resid="([^"]+)"\/>/g)) {
    const [size, resid] = [Number(match[1]), match[2] ?? ''];
    const known = sizeOfResource.get(resid);
    if (known !== undefined && known !== size) throw new Error(`image ${resid} is used as ${known} and ${size} px`);
    sizeOfResource.set(resid, size);
  }
  for (const match of xml.matchAll(/<bt:Image id="([^"]+)" DefaultValue="([^"]+)"\/>/g)) {
    const size = sizeOfResource.get(match[1] ?? '');
    if (size === undefined) throw new Error(`image resource ${match[1]} is never used`);
    expectSize(match[2] ?? '', size);
  }
  return sizes;
}

function checkIcons(xml: string, base: string): void {
  const sizes = expectedIconSizes(xml);
  expect(sizes.size).toBe(8); // the eight ribbon sizes; IconUrl (32) and HighResolutionIconUrl (64) reuse two of them
  const ribbon = [...new Set([...xml.matchAll(/<bt:Image size="(\d+)"/g)].map((match) => Number(match[1])))].sort((a, b) => a - b);
  expect(ribbon).toEqual(expect.arrayContaining([16, 32, 80])); // the sizes Office requires
  for (const [url, size] of sizes) {
    expect(url.startsWith(`${base}/addin/assets/`), url).toBe(true);
    const file = join(ASSETS, url.slice(`${base}/addin/assets/`.length));
    expect(existsSync(file), `${url} → ${file}`).toBe(true);
    const header = readPngHeader(readFileSync(file));
    expect({ url, width: header.width, height: header.height }).toEqual({ url, width: size, height: size });
  }
}

describe('manifest.xml (development)', () => {
  const xml = readFileSync(REPO_MANIFEST, 'utf8');

  it('validates against Microsoft’s manifest schemas', () => {
    expect(hasXmllint(), 'xmllint is missing: run scripts/ensure-xmllint.sh (Debian: apt-get install libxml2-utils)').toBe(true);
    const result = validate(REPO_MANIFEST);
    expect(result.output).toContain('validates');
    expect(result.status).toBe(0);
  });

  it('is checked for real: elements the 2019 schemas do not know, or a missing permission, fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'storesync-manifest-'));
    try {
      const runtimes = join(dir, 'runtimes.xml');
      writeFileSync(
        runtimes,
        xml.replace('<Host xsi:type="Workbook">', '<Host xsi:type="Workbook"><Runtimes><Runtime resid="TaskPane.Url" lifetime="long"/></Runtimes>'),
      );
      const refused = validate(runtimes);
      expect(refused.status).toBe(3);
      expect(refused.output).toContain('Runtimes');
      const noPermission = join(dir, 'no-permission.xml');
      writeFileSync(noPermission, xml.replace('<Permissions>ReadWriteDocument</Permissions>', ''));
      expect(validate(noPermission).status).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what office-addin-manifest info reports: the development id, version and name', () => {
    const info = manifestInfo(REPO_MANIFEST);
    expect(info).toMatchObject({ id: DEV_ID, version: '0.1.0.0', name: 'StoreSync (dev)' });
    expect(info.raw).toContain('Type: TaskPaneApp');
    expect(info.raw).toContain('Permissions: ReadWriteDocument');
    expect(info.raw).toContain('Hosts: Workbook');
    expect(info.raw).toContain(`AppDomains: ${DEV_BASE_URL}`);
  });

  it('asks for ExcelApi 1.7, opens the pane from a ribbon button, and uses the development HTTPS address only', () => {
    expect(xml).toContain('<Set Name="ExcelApi" MinVersion="1.7"/>');
    // Where the server must serve the pane and the assets (src/paths.ts).
    expect(xml).toContain(`<SourceLocation DefaultValue="${DEV_ORIGIN}${TASKPANE_PATH}"/>`);
    expect(xml).toContain(`<bt:Url id="TaskPane.Url" DefaultValue="${DEV_ORIGIN}${TASKPANE_PATH}"/>`);
    expect(xml).toContain(`<SupportUrl DefaultValue="${DEV_ORIGIN}${ASSETS_PATH}support.html"/>`);
    expect(existsSync(join(ASSETS_DIR, 'support.html'))).toBe(true);
    expect(xml).toMatch(/<Control xsi:type="Button" id="StoreSync.OpenPane">[\s\S]*<Action xsi:type="ShowTaskpane">/);
    expect(xml.replace(/<!--[\s\S]*?-->/g, '')).not.toContain('<Runtimes');
    for (const { url } of urls(xml)) expect(url.startsWith(`${DEV_BASE_URL}/addin/`), url).toBe(true);
  });

  it('points every icon at a PNG in addin-excel/assets of the right pixel size', () => {
    checkIcons(xml, DEV_BASE_URL);
  });
});

describe('the production manifest (npm run build:manifest)', () => {
  let dir = '';
  let built: ReturnType<typeof buildManifest>;
  let xml = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'storesync-manifest-'));
    built = buildManifest({ baseUrl: PRODUCTION_URL, version: '2.3.1', out: join(dir, 'manifest.xml') });
    xml = readFileSync(built.file, 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates against Microsoft’s manifest schemas', () => {
    const result = validate(built.file);
    expect(result.output).toContain('validates');
    expect(result.status).toBe(0);
  });

  it('has the production id, name and version (office-addin-manifest info)', () => {
    expect(manifestInfo(built.file)).toMatchObject({ id: PRODUCTION_ID, version: '2.3.1.0', name: 'StoreSync' });
    expect(built).toMatchObject({ id: PRODUCTION_ID, version: '2.3.1.0', name: 'StoreSync' });
  });

  it('has only production URLs, its origin as app domain, and the same icons', () => {
    expect(xml).not.toContain('localhost');
    expect(xml).toContain(`<AppDomain>${PRODUCTION_URL}</AppDomain>`);
    const all = urls(xml);
    expect(all.length).toBe(urls(readFileSync(REPO_MANIFEST, 'utf8')).length);
    for (const { url } of all) expect(url.startsWith(`${PRODUCTION_URL}/addin/`), url).toBe(true);
    checkIcons(xml, PRODUCTION_URL);
  });

  it('runs as a command with the address and version from the environment', () => {
    const out = join(dir, 'from-env.xml');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(packageDir, 'scripts', 'build-manifest.ts')], {
      encoding: 'utf8',
      env: { ...process.env, ADDIN_BASE_URL: 'https://addin.storesync.example/app', ADDIN_VERSION: '3.0', ADDIN_MANIFEST_OUT: out },
    });
    expect(stdout).toContain('Version: 3.0.0.0');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('<SourceLocation DefaultValue="https://addin.storesync.example/app/addin/taskpane.html"/>');
    expect(text).toContain('<AppDomain>https://addin.storesync.example</AppDomain>');
    expect(validate(out).status).toBe(0);
  });

  it('refuses addresses and versions Office would not take', () => {
    const source = readFileSync(REPO_MANIFEST, 'utf8');
    expect(() => rewriteManifest(source, 'http://storesync.example.com', '1.0')).toThrow(/HTTPS/);
    expect(() => rewriteManifest(source, 'https://localhost:9443', '1.0')).toThrow(/development address/);
    expect(() => rewriteManifest(source, 'not a url', '1.0')).toThrow(/not a URL/);
    expect(() => officeVersion('1.2.0-beta.1')).toThrow(/pre-release/);
    expect(officeVersion('7')).toBe('7.0.0.0');
  });
});
