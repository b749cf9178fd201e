import { describe, expect, it } from 'vitest';
import { applyChanges, flatten, mergeRow, REMOVED } from './merge.ts';

describe('flatten', () => {
  it('flattens the object fields it is told about, skips undefined, and leaves other values whole', () => {
    expect(flatten({ name: 'A', address: { city: 'X', zip: undefined }, tags: ['a'], meta: { a: 1 }, gone: undefined }, ['address'])).toEqual({
      name: 'A',
      'address.city': 'X',
      tags: ['a'],
      meta: { a: 1 },
    });
  });

  it('keeps flattening correctly past the bound of remembered keys (attribute names come from users)', () => {
    const attributes = Object.fromEntries(Array.from({ length: 12_000 }, (_, index) => [`column ${index}`, index]));
    const flat = flatten({ attributes }, ['attributes']);
    expect(Object.keys(flat)).toHaveLength(12_000);
    expect(flat['attributes.column 11999']).toBe(11_999);
    expect(applyChanges({ attributes: {} }, flat)).toEqual({ attributes });
  });
});

describe('applyChanges', () => {
  it('sets and removes keys of object fields without touching the record it was given', () => {
    const record = { name: 'A', attributes: { a: 1, b: 2 } };
    expect(applyChanges(record, { name: 'B', 'attributes.a': REMOVED, 'attributes.c': 3 })).toEqual({ name: 'B', attributes: { b: 2, c: 3 } });
    expect(record).toEqual({ name: 'A', attributes: { a: 1, b: 2 } });
  });
});

describe('mergeRow', () => {
  it('applies the sheet where only it changed, keeps the server where only it changed, and reports both-changed fields', () => {
    const base = { name: 'A', 'attributes.region': 'N', 'attributes.size': 1 };
    const current = { name: 'A', 'attributes.region': 'S', 'attributes.size': 2 };
    expect(mergeRow({ sheet: { name: 'B', 'attributes.region': 'N', 'attributes.size': 1 }, current, base })).toEqual({ kind: 'apply', changes: { name: 'B' } });
    expect(mergeRow({ sheet: { name: 'A', 'attributes.size': 3 }, current, base })).toEqual({
      kind: 'conflict',
      conflicts: [{ field: 'attributes.size', sheet_value: 3, server_value: 2 }],
    });
    expect(mergeRow({ sheet: { 'attributes.region': REMOVED }, current: { name: 'A' }, base: null })).toEqual({ kind: 'unchanged' });
  });
});
