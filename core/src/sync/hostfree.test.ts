import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the sync engine is host-free', () => {
  const sources = readdirSync(new URL('.', import.meta.url))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => [name, readFileSync(new URL(name, import.meta.url), 'utf8')] as const);

  it.each(sources)('%s uses no Office.js, Apps Script or Node API', (_name, source) => {
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may name them
    for (const forbidden of [/\bOffice\./, /\bExcel\./, /\bSpreadsheetApp\b/, /\bUtilities\./, /\bBuffer\b/, /\bprocess\./, /from 'node:/, /\bTextEncoder\b/, /\brequire\(/]) {
      expect(code).not.toMatch(forbidden);
    }
    for (const [, specifier] of code.matchAll(/from '([^']+)'/g)) expect(specifier).toMatch(/^\.\.?\//);
  });
});
