/**
 * The location kind's fast path for unchanged rows must never disagree with the three-way merge:
 * whenever it says "unchanged", mergeRow says so too, whatever the base.
 */
import fc from 'fast-check';
import type { LocationSyncState } from '@storesync/db';
import { describe, expect, it } from 'vitest';
import { locationSync } from './locations.sync.ts';
import { mergeRow } from './merge.ts';

const value = fc.oneof(fc.constantFrom('a', 'b', '', 1, 2, true, false, null), fc.constantFrom([1], [1, 2], { x: 1 }, { x: 2 }));
const keys = fc.constantFrom('region', 'size', 'open', 'tags');
const record = fc.dictionary(keys, value, { maxKeys: 4 });
const addressRecord = fc.dictionary(fc.constantFrom('street', 'city', 'zip'), fc.constantFrom('1 Main', 'Austin', '78701', ''), { maxKeys: 3 });

const state = fc.record({ name: fc.constantFrom('A', 'B'), store_number: fc.constantFrom('1', '01'), address: addressRecord, attributes: record, is_active: fc.boolean() });
const row = fc.record(
  {
    name: fc.constantFrom('A', 'B'),
    store_number: fc.constantFrom('1', '01'),
    address: addressRecord,
    attributes: record,
    is_active: fc.boolean(),
    blank_extras: fc.uniqueArray(keys, { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'store_number'] },
);
const base = fc.option(fc.record({ name: fc.constantFrom('A', 'B'), store_number: fc.constantFrom('1'), attributes: record }), { nil: undefined });

const serverRow = (fields: Omit<LocationSyncState, 'id' | 'row_version' | 'created_at' | 'updated_at'>): LocationSyncState => ({
  ...fields,
  id: '00000000-0000-4000-8000-000000000001',
  row_version: 2,
  created_at: new Date(0),
  updated_at: new Date(0),
});

describe('locationSync.sheetMatchesState', () => {
  it('says unchanged only where the three-way merge does too', () => {
    fc.assert(
      fc.property(row, state, base, (sent, server, baseInputs) => {
        const current = serverRow(server);
        if (!locationSync.sheetMatchesState!(sent, current)) return;
        const sheet = locationSync.sheetFields(sent, current, undefined as never);
        for (const basis of [null, undefined, baseInputs ? locationSync.inputFields(baseInputs) : null]) {
          expect(mergeRow({ sheet, current: locationSync.stateFields(current), base: basis }).kind).toBe('unchanged');
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('recognises a re-sent row, and sees a changed or blanked attribute', () => {
    const current = serverRow({ name: 'A', store_number: '1', address: { city: 'Austin' }, attributes: { region: 'N', size: 3 }, is_active: true });
    expect(locationSync.sheetMatchesState!({ name: 'A', store_number: '1', address: { city: 'Austin' }, attributes: { region: 'N' } }, current)).toBe(true);
    expect(locationSync.sheetMatchesState!({ name: 'A', store_number: '1', attributes: { region: 'S' } }, current)).toBe(false);
    expect(locationSync.sheetMatchesState!({ name: 'A', store_number: '1', blank_extras: ['size'] }, current)).toBe(false);
    expect(locationSync.sheetMatchesState!({ name: 'A', store_number: '1', blank_extras: ['gone'] }, current)).toBe(true);
  });
});
