import { describe, expect, it } from 'vitest';
import { toSyncRow } from './contract.ts';
import { mapHeaders } from './headers.ts';
import { applyWritePlan, planWrites } from './plan.ts';
import { readRows } from './rows.ts';
import type { Sheet } from './types.ts';

const ID = '0b6f4d7e-2a53-4c1e-9f0a-3c2b1d4e5f60';

describe('the row version round trip', () => {
  it('keeps the server row_version in a hidden column and sends it back with the row', () => {
    let sheet: Sheet = { values: [['Store #', 'Name', 'Region'], ['0012', 'Downtown', 'South']] };
    let mapping = mapHeaders(sheet.values[0]!, 'locations');
    const first = readRows(sheet, mapping);
    expect(toSyncRow(first.rows[0]!)).toEqual({
      name: 'Downtown',
      store_number: '0012',
      attributes: { region: 'South' },
      ref: first.rows[0]!.ref,
    });

    const plan = planWrites(sheet, mapping, [{ ref: first.rows[0]!.ref, record: { id: ID, name: 'Downtown', store_number: '0012', row_version: 3 } }]);
    const versionColumn = plan.addColumns.find((column) => column.field === 'row_version');
    expect(versionColumn).toMatchObject({ header: 'StoreSync Version', hidden: true });
    sheet = applyWritePlan(sheet, plan);

    mapping = mapHeaders(sheet.values[0]!, 'locations');
    const second = readRows(sheet, mapping);
    expect(second.rows[0]).toMatchObject({ id: ID, rowVersion: 3 });
    expect(toSyncRow(second.rows[0]!)).toMatchObject({ id: ID, row_version: 3 });
  });

  it('reports an edited version instead of sending it', () => {
    const sheet: Sheet = {
      values: [
        ['Store #', 'Name', 'StoreSync ID', 'StoreSync Version'],
        ['1', 'A', ID, 'two'],
        ['2', 'B', '', 4],
      ],
    };
    const read = readRows(sheet, mapHeaders(sheet.values[0]!, 'locations'));
    expect(read.rows).toEqual([]);
    expect(read.problems.map((problem) => [problem.row, problem.column])).toEqual([
      [2, 'StoreSync Version'],
      [3, 'StoreSync Version'],
    ]);
  });
});
