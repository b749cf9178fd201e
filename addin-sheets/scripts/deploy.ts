/**
 * `npm run deploy:sheets -- --env dev|production`: builds the add-in for the environment's API,
 * runs the add-in's tests, writes .clasp.json for the environment's script and runs
 * `clasp push --force` (build/ replaces the script project's files).
 *
 * Environments live in addin-sheets/.clasp.environments.json, a copy of .clasp.example.json with
 * real script ids (not committed). clasp needs a one-time `npx clasp login` first.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAddin, DEFAULT_OUT_DIR, whitelistPrefix } from './build.ts';

const ADDIN_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPO_DIR = path.resolve(ADDIN_DIR, '..');
export const ENVIRONMENTS_FILE = path.join(ADDIN_DIR, '.clasp.environments.json');

export interface Environment {
  scriptId: string;
  apiUrl: string;
}

export interface EnvironmentsFile {
  rootDir?: string;
  environments: Record<string, Environment>;
}

/** The environment's settings, or an error that says how to fix the file. */
export function pickEnvironment(file: EnvironmentsFile, name: string): Environment {
  const environment = file.environments?.[name];
  if (!environment) throw new Error(`no environment "${name}" in .clasp.environments.json (it has: ${Object.keys(file.environments ?? {}).join(', ') || 'none'})`);
  if (!/^[A-Za-z0-9_-]{20,}$/.test(environment.scriptId ?? '') || environment.scriptId.startsWith('REPLACE')) {
    throw new Error(`the ${name} scriptId in .clasp.environments.json is not a script id: copy it from the script editor (Project Settings → IDs)`);
  }
  whitelistPrefix(environment.apiUrl); // https, no query: throws with the reason otherwise
  return environment;
}

/** What clasp reads: the script and the folder it pushes. */
export function claspJson(environment: Environment, rootDir = 'build'): string {
  return `${JSON.stringify({ scriptId: environment.scriptId, rootDir }, null, 2)}\n`;
}

async function main() {
  const { values } = parseArgs({ options: { env: { type: 'string', default: 'dev' } }, strict: true });
  const name = values.env ?? 'dev';
  const file = JSON.parse(
    await readFile(ENVIRONMENTS_FILE, 'utf8').catch(() => {
      throw new Error('addin-sheets/.clasp.environments.json is missing: copy .clasp.example.json to it and fill in your script ids');
    }),
  ) as EnvironmentsFile;
  const environment = pickEnvironment(file, name);
  const { files } = await buildAddin({ outDir: DEFAULT_OUT_DIR, apiUrl: environment.apiUrl, buildPane: true });
  console.log(`[deploy] built ${files.join(', ')} for ${environment.apiUrl}`);
  execFileSync('npx', ['vitest', 'run', 'addin-sheets'], { cwd: REPO_DIR, stdio: 'inherit' });
  await writeFile(path.join(ADDIN_DIR, '.clasp.json'), claspJson(environment, path.relative(ADDIN_DIR, DEFAULT_OUT_DIR)));
  execFileSync('npx', ['clasp', 'push', '--force'], { cwd: ADDIN_DIR, stdio: 'inherit' });
  console.log(`[deploy] pushed to the ${name} script ${environment.scriptId}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
