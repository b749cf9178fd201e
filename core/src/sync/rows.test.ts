import { describe, expect, it } from 'vitest';
import { mapHeaders } from './headers.ts';
import { describeProblem, readRows, type ReadOptions } from './rows.ts';
import { SAFE_PREFIX, safeCellText } from './safety.ts';
import type { CellValue, SheetKind } from './types.ts';

const ID1 = '3f1c6a8e-2b7d-4c1e-9a55-0d6f5e2b7a10';
const ID2 = '9b2f4c1d-6a3e-4f7b-8c21-5d0e9a7b3c44';

function read<K extends SheetKind>(kind: K, values: CellValue[][], options: ReadOptions = {}, numberFormats?: (string | null)[][]) {
  const sheet = { values, ...(numberFormats ? { numberFormats } : {}) };
  return readRows(sheet, mapHeaders(values[0] ?? [], kind), options);
}

const messages = (result: ReturnType<typeof read>) => result.problems.map(describeProblem);

const templates = [
  { id: 't-seasonal', name: 'Seasonal Sale', required_variables: ['sale_type'] },
  { id: 't-opening', name: 'Grand Opening', required_variables: [], is_active: false },
  { id: 't-clear', name: 'Clearance', required_variables: ['discount_percentage'] },
];

describe('readRows: locations', () => {
  it('builds API payloads with typed attributes', () => {
    const result = read(
      'locations',
      [
        ['Store #', 'Name', 'City', 'State', 'Active', 'Square Footage', 'Has Gas Station', 'Opened', 'Region', 'StoreSync ID'],
        ['0012', ' Austin Downtown ', 'Austin', 'TX', 'yes', 5000, 'no', 45_000, '', ID1],
        [77, 'Round Rock', '', '', '', '1200', 'TRUE', 46_357, 'central', ''],
        ['', '', '', '', '', '', '', '', '', ''],
      ],
      {},
      [[], ['@', null, null, null, null, null, null, 'yyyy-mm-dd'], [null, null, null, null, null, null, null, 'm/d/yyyy']],
    );
    expect(result.problems).toEqual([]);
    expect(result.skipped).toEqual([4]);
    expect(result.rows.map((row) => [row.row, row.id, row.key, row.payload, row.blankExtras])).toEqual([
      [
        2,
        ID1,
        '0012',
        {
          name: 'Austin Downtown',
          store_number: '0012',
          address: { city: 'Austin', state: 'TX' },
          attributes: { square_footage: 5000, has_gas_station: false, opened: '2023-03-15' },
          is_active: true,
        },
        ['region'],
      ],
      [
        3,
        null,
        '77',
        {
          name: 'Round Rock',
          store_number: '77',
          address: {},
          attributes: { square_footage: 1200, has_gas_station: true, opened: '2026-12-01', region: 'central' },
        },
        [],
      ],
    ]);
  });

  it('leaves out what the sheet does not have', () => {
    const result = read('locations', [
      ['Name', 'Store #'],
      ['A', '1'],
    ]);
    expect(result.rows[0]?.payload).toEqual({ name: 'A', store_number: '1' });
  });

  it('reports required, type, length, formula-error and edited-id problems with row, column and fix', () => {
    const result = read('locations', [
      ['Name', 'Store #', 'Active', 'ZIP', 'Region', 'StoreSync ID'],
      ['', '12', 'maybe', '787011234567890123456', '#REF!', 'abc'],
    ]);
    expect(result.rows).toEqual([]);
    expect(messages(result)).toEqual([
      'Row 2 · Name: the cell is empty; fill in the Name (it is required)',
      'Row 2 · Active: "maybe" is not yes or no; write yes or no',
      'Row 2 · ZIP: the text is 21 characters long; shorten it to at most 20 characters',
      'Row 2 · Region: the cell shows the error #REF!; fix its formula or type the value',
      'Row 2 · StoreSync ID: the hidden StoreSync ID of this row was changed to "abc"; undo the change, or clear the cell to sync the row as a new one',
    ]);
    expect(result.problems[0]).toMatchObject({ row: 2, column: 'Name', field: 'name', severity: 'error', ref: { id: 'abc', key: '12' } });
  });

  it('refuses duplicate store numbers and copied ids on every row involved', () => {
    const result = read('locations', [
      ['Name', 'Store #', 'StoreSync ID'],
      ['A', '0012', ID1],
      ['B', '0012', ''],
      ['C', '0013', ID1],
      ['D', '0014', ID2],
    ]);
    expect(result.rows.map((row) => row.row)).toEqual([5]);
    expect(messages(result)).toEqual([
      'Row 2 · Store #: store 0012 is also on row 3; keep one row per store (delete or merge the others)',
      'Row 2 · StoreSync ID: this row has the same hidden StoreSync ID as row 4 (a copied row?); on the copy, clear the StoreSync ID cell so it syncs as a new row',
      'Row 3 · Store #: store 0012 is also on row 2; keep one row per store (delete or merge the others)',
      'Row 4 · StoreSync ID: this row has the same hidden StoreSync ID as row 2 (a copied row?); on the copy, clear the StoreSync ID cell so it syncs as a new row',
    ]);
  });

  it('reads nothing while a header problem stands, and warns about data without a header', () => {
    expect(read('locations', [['Name'], ['A']]).rows).toEqual([]);
    const result = read('locations', [
      ['Name', 'Store #', ''],
      ['A', '1', 'stray'],
    ]);
    expect(result.rows).toHaveLength(1);
    expect(messages(result)).toEqual([
      'Row 1 · column C: column C has values but no header, so it is not synced; add a header (it becomes a location attribute) or clear the column',
    ]);
  });
});

describe('readRows: campaigns', () => {
  const header = ['Store #', 'Template', 'Sale Type', 'Discount Percentage', 'Start', 'End', 'StoreSync ID'];

  it('resolves templates and locations and reads dates in the host time zone', () => {
    const result = read(
      'campaigns',
      [header, ['0012', 'seasonal  sale', 'Summer', 30, '2026-06-01 09:00', 46_204.75, '']],
      { templates, locations: [{ id: 'loc-12', store_number: '0012' }], timeZone: 'America/Chicago' },
    );
    expect(result.problems).toEqual([]);
    expect(result.rows[0]?.payload).toEqual({
      store_number: '0012',
      template_name: 'seasonal  sale',
      template: 't-seasonal',
      location: 'loc-12',
      customizations: { sale_type: 'Summer', discount_percentage: 30 },
      scheduled_start: '2026-06-01T14:00:00.000Z',
      scheduled_end: '2026-07-01T23:00:00.000Z',
    });
    expect(result.rows[0]?.key).toBe('0012\u001fseasonal sale');
  });

  it('names unknown, ambiguous and inactive templates with a fix', () => {
    const result = read(
      'campaigns',
      [
        ['Store #', 'Template', 'Sale Type'],
        ['1', 'Seasonal Sael', 'x'],
        ['2', 'Back to School', 'x'],
        ['3', 'Grand Opening', 'x'],
        ['4', 'Twice', 'x'],
      ],
      { templates: [...templates, { name: 'Twice' }, { name: 'twice' }] },
    );
    expect(messages(result)).toEqual([
      'Row 2 · Template: there is no template named "Seasonal Sael"; did you mean "Seasonal Sale"?',
      'Row 3 · Template: there is no template named "Back to School"; use one of "Seasonal Sale", "Grand Opening", "Clearance", "Twice", "twice", or add it on the Templates sheet',
      'Row 4 · Template: the template "Grand Opening" is inactive; pick an active template, or reactivate it on the Templates sheet',
      'Row 5 · Template: several templates are named "Twice"; rename all but one on the Templates sheet',
    ]);
  });

  it('names missing required template variables at their column, or asks for the column', () => {
    const result = read(
      'campaigns',
      [
        ['Store #', 'Template', 'Sale Type'],
        ['1', 'Seasonal Sale', ''],
        ['2', 'Clearance', 'x'],
      ],
      { templates },
    );
    expect(messages(result)).toEqual([
      'Row 2 · Sale Type: the cell is empty, but the template "Seasonal Sale" requires sale_type; fill it in',
      'Row 3 · Template: the template "Clearance" requires discount_percentage; add a column headed "discount_percentage" and fill it in',
    ]);
    expect(result.problems[0]?.field).toBe('customizations.sale_type');
  });

  it('does not ask an existing campaign for customizations the sheet does not send', () => {
    const result = read('campaigns', [['Store #', 'Template', 'StoreSync ID'], ['1', 'Seasonal Sale', ID1]], { templates });
    expect(result.problems).toEqual([]);
    expect(result.rows[0]?.payload).toEqual({ store_number: '1', template_name: 'Seasonal Sale', template: 't-seasonal' });
  });

  it('hints at dropped leading zeros, refuses unknown stores, bad dates, reversed dates and duplicate new rows', () => {
    const result = read(
      'campaigns',
      [
        header,
        [12, 'Seasonal Sale', 'x', '', '', '', ''],
        ['99', 'Seasonal Sale', 'x', '', 'soon', '', ''],
        ['0012', 'Seasonal Sale', 'x', '', '2026-06-02', '2026-06-01', ''],
        ['0012', 'seasonal sale', 'y', '', '', '', ''],
        ['0012', 'Seasonal Sale', 'z', '', '', '', ID1],
      ],
      { templates, locations: [{ id: 'loc-12', store_number: '0012' }] },
    );
    expect(messages(result)).toEqual([
      'Row 2 · Store #: no store has Store # 12, but 0012 does: the spreadsheet probably dropped its leading zeros; format the column as text and type 0012',
      'Row 3 · Store #: no store has Store # 99; fix the number, or add the store on the Locations sheet and sync it first',
      'Row 3 · Start: "soon" is not a date; write a date such as 2026-12-01 or 2026-12-01 09:00, or format the cell as a date',
      'Row 4 · Template: row 5 also adds a "Seasonal Sale" campaign for store 0012; keep one new row per store and template',
      'Row 4 · End: the end is before the start (Start); make the campaign end after it starts',
      'Row 5 · Template: row 4 also adds a "seasonal sale" campaign for store 0012; keep one new row per store and template',
    ]);
    expect(result.rows.map((row) => row.row)).toEqual([6]);
  });

  it('does not send back text StoreSync cut to fit a cell', () => {
    const long = safeCellText('w'.repeat(40_000), { maxCellChars: 32_767 }).text;
    const result = read('campaigns', [['Store #', 'Template', 'Sale Type', 'Notes'], ['1', 'Seasonal Sale', 'x', long]], { templates });
    expect(result.rows[0]?.payload.customizations).toEqual({ sale_type: 'x' });
    expect(result.problems[0]).toMatchObject({ severity: 'warning', column: 'Notes' });
  });
});

describe('readRows: templates', () => {
  const header = ['Name', 'Campaign Type', 'Description', 'Content Template', 'Required Variables', 'Active'];

  it('reads templates, lists and inert text', () => {
    const result = read('templates', [header, ['Seasonal Sale', 'seasonal_sale', '', `${SAFE_PREFIX}-{{campaign.sale_type}}`, 'sale_type; discount', 'yes']]);
    expect(result.problems).toEqual([]);
    expect(result.rows[0]?.payload).toEqual({
      name: 'Seasonal Sale',
      campaign_type: 'seasonal_sale',
      description: '',
      content_template: '-{{campaign.sale_type}}',
      required_variables: ['sale_type', 'discount'],
      is_active: true,
    });
  });

  it('reports Liquid errors, bad variable names and duplicate names', () => {
    const result = read('templates', [
      header,
      ['A', 'x', '', '{{ location.name ', 'campaign.sale_type, ok, ok', ''],
      ['a', 'x', '', 'fine', '', ''],
    ]);
    const lines = messages(result);
    expect(lines[0]).toBe('Row 2 · Name: a template named "A" is also on row 3; template names must be unique, so rename one');
    expect(lines[1]).toMatch(/^Row 2 · Content Template: the template has a Liquid error \(.+\); fix the template text$/);
    expect(lines.slice(2)).toEqual([
      'Row 2 · Required Variables: "campaign.sale_type" is not a variable name; use letters, digits and underscores (e.g. sale_type), separated by commas',
      'Row 2 · Required Variables: ok is listed more than once; list it once',
      'Row 3 · Name: a template named "a" is also on row 2; template names must be unique, so rename one',
    ]);
  });

  it('refuses a new template whose content was cut, and keeps the server copy of an existing one', () => {
    const long = safeCellText('{{ x }}'.repeat(6_000), { maxCellChars: 32_767 }).text;
    const fresh = read('templates', [header, ['A', 'x', '', long, '', '']]);
    expect(fresh.rows).toEqual([]);
    const existing = read('templates', [[...header, 'StoreSync ID'], ['A', 'x', '', long, '', '', ID1]]);
    expect(existing.rows[0]?.payload.content_template).toBeUndefined();
    expect(existing.problems[0]?.severity).toBe('warning');
  });
});
