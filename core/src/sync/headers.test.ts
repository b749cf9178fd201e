import { describe, expect, it } from 'vitest';
import { FIELDS } from './fields.ts';
import {
  columnLetter,
  detectSheetKind,
  extraKey,
  forgetMapping,
  headerKey,
  mapHeaders,
  normalizeHeader,
  recogniseHeader,
  rememberMapping,
} from './headers.ts';
import { SHEET_KINDS } from './types.ts';

describe('normalizeHeader', () => {
  it('ignores case, spacing, punctuation, accents, camelCase and notes in brackets', () => {
    expect(normalizeHeader('  STORE   No. ')).toBe('store number');
    expect(normalizeHeader('store_number')).toBe('store number');
    expect(normalizeHeader('StoreNumber')).toBe('store number');
    expect(normalizeHeader('Store # (required)')).toBe('store number');
    expect(normalizeHeader('Store Nº')).toBe('store number');
    expect(normalizeHeader('Código Postal')).toBe('codigo postal');
    expect(headerKey('Zip Code')).toBe(headerKey('ZipCode'));
  });
});

describe('mapHeaders', () => {
  it.each(['Store #', 'Store No', 'Store No.', 'store_number', 'STORE NUMBER', 'store  num', 'Store Nr', 'StoreNumber', 'Store ID'])(
    'recognises %j as the store number',
    (header) => {
      expect(mapHeaders(['Name', header], 'locations').fields.store_number).toBe(1);
    },
  );

  it('maps every known location column and sends the rest to attributes', () => {
    const mapping = mapHeaders(
      ['Square Footage', 'Location Name', 'Store #', 'Street Address', 'City', 'State', 'Postal Code', 'Country', 'Active', 'Has Gas Station?', 'StoreSync ID'],
      'locations',
    );
    expect(mapping.fields).toEqual({
      name: 1,
      store_number: 2,
      street: 3,
      city: 4,
      state: 5,
      zip: 6,
      country: 7,
      is_active: 8,
      id: 10,
    });
    expect(mapping.extras.map((column) => [column.index, column.extraKey])).toEqual([
      [0, 'square_footage'],
      [9, 'has_gas_station'],
    ]);
    expect(mapping.problems).toEqual([]);
  });

  it('sends other campaign columns to customizations and knows the output columns', () => {
    const mapping = mapHeaders(['Store #', 'Template', 'Sale Type', 'Discount %', 'Status', 'Generated Content', 'Notes'], 'campaigns');
    expect(mapping.extras.map((column) => column.extraKey)).toEqual(['sale_type', 'discount_percent', 'notes']);
    expect(mapping.fields.status).toBe(4);
    expect(mapping.fields.generated_content).toBe(5);
    expect(mapping.columns.find((column) => column.index === 4)?.role).toBe('output');
  });

  it('ignores other columns of the Templates sheet', () => {
    const mapping = mapHeaders(['Name', 'Campaign Type', 'Content Template', 'Owner'], 'templates');
    expect(mapping.extras).toEqual([]);
    expect(mapping.ignored.map((column) => column.header)).toEqual(['Owner']);
    expect(mapping.problems).toEqual([]);
  });

  it('names a missing required column with the headers it would accept', () => {
    const mapping = mapHeaders(['Name', 'City'], 'locations');
    expect(mapping.problems).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Store #',
        severity: 'error',
        message: 'the sheet has no Store # column; add a column headed "Store #", "store no", "store number", or map an existing column to Store # by hand',
      }),
    ]);
  });

  it('refuses two columns for one field and two columns for one extra key', () => {
    const mapping = mapHeaders(['Name', 'Store #', 'Store No', 'Region', 'region '], 'locations');
    expect(mapping.problems.map((problem) => problem.message)).toEqual([
      '"Store #" and "Store No" are both Store # columns; rename or delete one, or map one by hand',
      '"Region" and "region" both become the attributes key region; rename one of them',
    ]);
  });

  it('uses hand mappings first, keyed by header text so they survive moved columns', () => {
    let manual = rememberMapping({}, 'Loc', { field: 'store_number' });
    manual = rememberMapping(manual, 'Store #', { extra: 'legacy_number' });
    manual = rememberMapping(manual, 'Scratch', { ignore: true });
    const first = mapHeaders(['Name', 'Store #', 'Loc', 'Scratch'], 'locations', manual);
    expect(first.fields.store_number).toBe(2);
    expect(first.extras.map((column) => [column.index, column.extraKey, column.manual])).toEqual([[1, 'legacy_number', true]]);
    expect(first.ignored.map((column) => column.header)).toEqual(['Scratch']);
    const moved = mapHeaders(['Scratch', 'LOC', 'Inserted', 'Name', 'Store #'], 'locations', manual);
    expect(moved.fields.store_number).toBe(1);
    expect(moved.problems).toEqual([]);
    const forgotten = mapHeaders(['Name', 'Store #', 'Loc'], 'locations', forgetMapping(manual, 'loc'));
    expect(forgotten.problems[0]?.message).toContain('the sheet has no Store # column');
    expect(forgotten.extras.map((column) => column.extraKey)).toEqual(['legacy_number', 'loc']);
  });

  it('reports a hand mapping to a field the sheet kind does not have', () => {
    const mapping = mapHeaders(['Name', 'Store #', 'X'], 'locations', rememberMapping({}, 'X', { field: 'template' }));
    expect(mapping.problems[0]?.message).toContain('a locations sheet does not have');
  });

  it('has no alias that means two fields of one kind', () => {
    for (const kind of SHEET_KINDS) {
      for (const def of FIELDS[kind]) {
        for (const alias of [def.label, ...def.aliases]) expect(recogniseHeader(kind, alias)?.field).toBe(def.field);
      }
    }
  });
});

describe('extraKey, columnLetter, detectSheetKind', () => {
  it('turns headers into snake_case keys', () => {
    expect(extraKey('Sale Type')).toBe('sale_type');
    expect(extraKey('sale_type')).toBe('sale_type');
    expect(extraKey('Discount %')).toBe('discount_percent');
    expect(extraKey('# of Lanes')).toBe('number_of_lanes');
    expect(extraKey('2024 Sales')).toBe('_2024_sales');
    expect(extraKey('squareFootage')).toBe('square_footage');
    expect(extraKey('???')).toBe('');
  });

  it('names columns like the spreadsheet does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('recognises the kind of a sheet from its headers', () => {
    expect(detectSheetKind(['Store Name', 'Store #', 'City'])).toBe('locations');
    expect(detectSheetKind(['Store #', 'Store Name', 'Template', 'Sale Type'])).toBe('campaigns');
    expect(detectSheetKind(['Name', 'Type', 'Content', 'Required Variables'])).toBe('templates');
    expect(detectSheetKind(['Foo', 'Bar'])).toBeNull();
  });
});
