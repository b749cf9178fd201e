/**
 * Builds the production manifest from the development one at the repository root.
 *
 *     ADDIN_BASE_URL=https://storesync.example.com ADDIN_VERSION=1.2.0 npm run build:manifest -w @storesync/addin-excel
 *     npm run build:manifest -w @storesync/addin-excel -- --url https://storesync.example.com --version 1.2.0
 *
 * 1. Every URL under the development address (`https://localhost:8443`) moves to the production
 *    address (`--url` / `ADDIN_BASE_URL`, https only; a path prefix is kept), and `<AppDomain>`
 *    becomes the production origin.
 * 2. `<Version>` becomes `--version` / `ADDIN_VERSION` (default: this package's version), as the
 *    four-part number Office wants (`1.2.0` → `1.2.0.0`).
 * 3. `office-addin-manifest modify` gives it the production id and display name (`--id` /
 *    `ADDIN_ID`, default {@link PRODUCTION_ID}; `--name` / `ADDIN_NAME`, default `StoreSync`), so
 *    the development add-in ("StoreSync (dev)") and the production one install side by side.
 *    (`modify` only changes the id and the name; the URLs and version are rewritten here.)
 * 4. `office-addin-manifest info` reads the result back, and it is checked before it is kept.
 *
 * Output: addin-excel/dist/manifest.xml (`--out` / `ADDIN_MANIFEST_OUT` to change). Validate it
 * against Microsoft's XSDs with `npx vitest run addin-excel` (manifest.test.ts builds one too).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEV_ORIGIN, MANIFEST_PATH } from '../src/paths.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_MANIFEST = MANIFEST_PATH;
export const DEV_BASE_URL = DEV_ORIGIN;
/** The production add-in's id (the development manifest has its own). */
export const PRODUCTION_ID = 'd38c488a-2cda-4308-9fa7-f0e118708af4';
export const PRODUCTION_NAME = 'StoreSync';

export interface BuildOptions {
  baseUrl: string;
  version?: string;
  id?: string;
  name?: string;
  out?: string;
  source?: string;
}

export interface ManifestInfo {
  id: string;
  version: string;
  name: string;
  raw: string;
}

/** `1.2` → `1.2.0.0`; throws on anything Office's `Version` type refuses. */
export function officeVersion(version: string): string {
  const parts = version.trim().split('.');
  if (parts.length > 4 || !parts.every((part) => /^\d{1,5}$/.test(part))) {
    throw new Error(`version "${version}" is not 1 to 4 numbers of up to 5 digits separated by dots (Office add-in versions have no pre-release part)`);
  }
  while (parts.length < 4) parts.push('0');
  return parts.join('.');
}

/** The production base: an https URL without query, fragment or trailing slash. */
export function productionBase(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL; pass the production address, e.g. https://storesync.example.com`);
  }
  if (parsed.protocol !== 'https:') throw new Error(`Office add-ins load over HTTPS only; "${url}" is not https`);
  if (parsed.search || parsed.hash || parsed.username || parsed.password) throw new Error(`"${url}" must be a plain address, without query, fragment or credentials`);
  if (['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) throw new Error(`"${url}" is a development address, not a production one`);
  return parsed;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The manifest text with the production URLs and version (steps 1 and 2). */
export function rewriteManifest(xml: string, baseUrl: string, version: string): string {
  const base = productionBase(baseUrl);
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  if (!xml.includes(DEV_BASE_URL)) throw new Error(`the manifest has no ${DEV_BASE_URL} URLs to replace`);
  let out = xml.replace(/<AppDomain>\s*https:\/\/localhost:8443\/?\s*<\/AppDomain>/g, `<AppDomain>${escapeXml(base.origin)}</AppDomain>`);
  out = out.split(DEV_BASE_URL).join(escapeXml(prefix));
  const versions = out.match(/<Version>[^<]*<\/Version>/g) ?? [];
  if (versions.length !== 1) throw new Error(`expected one <Version> element in the manifest, found ${versions.length}`);
  out = out.replace(/<Version>[^<]*<\/Version>/, `<Version>${officeVersion(version)}</Version>`);
  if (out.includes('localhost')) throw new Error('a localhost address is left in the production manifest');
  return out;
}

const require = createRequire(import.meta.url);

/** Runs the office-addin-manifest command line (it works offline for `info` and `modify`). */
export function officeAddinManifest(...args: string[]): string {
  const cli = require.resolve('office-addin-manifest/cli.js');
  try {
    return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`office-addin-manifest ${args[0] ?? ''} failed: ${failed.stderr || failed.stdout || failed.message}`, { cause: error });
  }
}

/** `office-addin-manifest info <file>`, parsed. */
export function manifestInfo(file: string): ManifestInfo {
  const raw = officeAddinManifest('info', file);
  const field = (name: string) => new RegExp(`^\\s*${name}: (.*)$`, 'm').exec(raw)?.[1]?.trim() ?? '';
  return { id: field('Id'), version: field('Version'), name: field('Name'), raw };
}

/** Writes the production manifest and returns what `office-addin-manifest info` says about it. */
export function buildManifest(options: BuildOptions): ManifestInfo & { file: string } {
  const packageVersion = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const version = officeVersion(options.version ?? packageVersion);
  const id = options.id ?? PRODUCTION_ID;
  const name = options.name ?? PRODUCTION_NAME;
  const file = resolve(options.out ?? join(packageDir, 'dist', 'manifest.xml'));
  const xml = rewriteManifest(readFileSync(options.source ?? REPO_MANIFEST, 'utf8'), options.baseUrl, version);
  mkdirSync(dirname(file), { recursive: true });
  // office-addin-manifest decides XML vs JSON by the file's extension, so work on a .xml file.
  const work = `${file}.tmp.xml`;
  writeFileSync(work, xml);
  try {
    officeAddinManifest('modify', work, '--guid', id, '--displayName', name);
    const info = manifestInfo(work);
    if (info.id !== id || info.name !== name || info.version !== version) {
      throw new Error(`the built manifest says id ${info.id}, name ${info.name}, version ${info.version}; expected ${id}, ${name}, ${version}`);
    }
    renameSync(work, file);
    return { ...info, raw: info.raw.replace(work, file), file };
  } finally {
    rmSync(work, { force: true });
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      version: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const baseUrl = values.url ?? process.env.ADDIN_BASE_URL;
  if (!baseUrl) {
    console.error('build:manifest: give the production address: ADDIN_BASE_URL=https://storesync.example.com (or --url)');
    process.exit(2);
  }
  const built = buildManifest({
    baseUrl,
    version: values.version ?? process.env.ADDIN_VERSION,
    id: values.id ?? process.env.ADDIN_ID,
    name: values.name ?? process.env.ADDIN_NAME,
    out: values.out ?? process.env.ADDIN_MANIFEST_OUT,
  });
  console.log(`${built.file}\n${built.raw.trim()}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`build:manifest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
