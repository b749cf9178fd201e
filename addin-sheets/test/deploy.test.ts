/** The deploy script's environment handling: .clasp.json for clasp, made from the environments file. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claspJson, pickEnvironment, type EnvironmentsFile } from '../scripts/deploy.ts';

const example = JSON.parse(await readFile(fileURLToPath(new URL('../.clasp.example.json', import.meta.url)), 'utf8')) as EnvironmentsFile;

describe('deploying with clasp', () => {
  it('refuses the example’s placeholder script ids and unknown environments, saying what to do', () => {
    expect(Object.keys(example.environments)).toEqual(['dev', 'production']);
    expect(() => pickEnvironment(example, 'dev')).toThrow(/not a script id: copy it from the script editor/);
    expect(() => pickEnvironment(example, 'staging')).toThrow(/no environment "staging"/);
  });

  it('writes .clasp.json with the chosen script and the build folder', () => {
    const file: EnvironmentsFile = {
      environments: {
        dev: { scriptId: '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdefghijk', apiUrl: 'https://storesync-dev.example.com' },
        production: { scriptId: '1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210_-zyxwvutsrqp', apiUrl: 'http://insecure.example.com' },
      },
    };
    expect(JSON.parse(claspJson(pickEnvironment(file, 'dev')))).toEqual({ scriptId: file.environments.dev?.scriptId, rootDir: 'build' });
    expect(() => pickEnvironment(file, 'production')).toThrow(/must be https/);
  });
});
