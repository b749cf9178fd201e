/**
 * Three-way merge of one synced row, on flat field maps (`name`, `address.city`,
 * `attributes.region`): what the sheet sent, what the server has now, and what the server had at
 * the row_version the sheet last saw (the base, from the change feed's recorded inputs).
 *
 * Only fields the sheet sent take part: a field the sheet does not show is never touched.
 * A field is a conflict when both sides changed it since the base, to different values; the row
 * is then written not at all, so neither side's edit is lost.
 */
import { jsonEqual, type SyncFieldConflict } from '@storesync/core';

export type FlatFields = Record<string, unknown>;

/** A field the sheet removes (a blank extra column): the key disappears from the JSON object. */
export const REMOVED = Symbol('removed');

export type MergeOutcome =
  | { kind: 'unchanged' }
  | { kind: 'apply'; changes: FlatFields }
  | { kind: 'conflict'; conflicts: SyncFieldConflict[] };

export interface MergeInput {
  /** Fields the sheet sent, with {@link REMOVED} for keys it clears. */
  sheet: FlatFields;
  /** The server's current fields. */
  current: FlatFields;
  /**
   * The server's fields at the sheet's row_version; `null` when the sheet is up to date (or sent
   * no version: a first sync pushes the sheet's values) and `undefined` when that version is no
   * longer known, in which case every difference is a conflict.
   */
  base: FlatFields | null | undefined;
}

const valueOf = (fields: FlatFields, key: string) => (key in fields ? fields[key] : REMOVED);
const same = (a: unknown, b: unknown) => (a === REMOVED || b === REMOVED ? a === b : jsonEqual(a, b));
const shown = (value: unknown) => (value === REMOVED ? null : value);

export function mergeRow({ sheet, current, base }: MergeInput): MergeOutcome {
  const changes: FlatFields = {};
  const conflicts: SyncFieldConflict[] = [];
  for (const field in sheet) {
    const sheetValue = sheet[field];
    const serverValue = valueOf(current, field);
    if (same(sheetValue, serverValue)) continue;
    if (base === null) {
      changes[field] = sheetValue;
      continue;
    }
    const baseValue = base === undefined ? undefined : valueOf(base, field);
    const sheetChanged = base === undefined || !same(sheetValue, baseValue);
    const serverChanged = base === undefined || !same(serverValue, baseValue);
    if (sheetChanged && serverChanged) {
      conflicts.push({ field, sheet_value: shown(sheetValue), server_value: shown(serverValue) });
    } else if (sheetChanged) {
      changes[field] = sheetValue;
    }
    // Only the server changed it: the sheet shows an older value, which the feed will replace.
  }
  if (conflicts.length > 0) return { kind: 'conflict', conflicts };
  return Object.keys(changes).length > 0 ? { kind: 'apply', changes } : { kind: 'unchanged' };
}

/**
 * The `outer.inner` keys of flat fields, each string made once: the same few columns recur on
 * every row of a sync, and building and hashing a new key string per cell was most of a
 * 10,000-row merge. Bounded, since attribute names come from users.
 */
const flatKeys = new Map<string, Map<string, string>>();
const MAX_CACHED_FLAT_KEYS = 10_000;
let cachedFlatKeys = 0;

function flatKey(outer: string, inner: string): string {
  let inners = flatKeys.get(outer);
  let key = inners?.get(inner);
  if (key !== undefined) return key;
  key = `${outer}.${inner}`;
  if (cachedFlatKeys < MAX_CACHED_FLAT_KEYS) {
    if (!inners) flatKeys.set(outer, (inners = new Map<string, string>()));
    inners.set(inner, key);
    cachedFlatKeys += 1;
  }
  return key;
}

/** A JSON object (not null, not an array): what {@link flatten} spreads into `outer.inner` fields. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `{address: {city: 'X'}}` → `{'address.city': 'X'}` for the given object-valued fields. */
export function flatten(record: Record<string, unknown>, objectFields: readonly string[]): FlatFields {
  const flat: FlatFields = {};
  for (const key in record) {
    const value = record[key];
    if (value === undefined) continue;
    if (objectFields.includes(key) && isJsonObject(value)) {
      for (const inner in value) {
        const innerValue = value[inner];
        if (innerValue !== undefined) flat[flatKey(key, inner)] = innerValue;
      }
    } else {
      flat[key] = value;
    }
  }
  return flat;
}

/** Applies merged flat changes onto a record's fields: the inverse of {@link flatten}. */
export function applyChanges<T extends Record<string, unknown>>(record: T, changes: FlatFields): T {
  const result: Record<string, unknown> = { ...record };
  // Each object field is copied once, however many of its keys change (a sheet may have hundreds of columns).
  const copied = new Set<string>();
  for (const field in changes) {
    const value = changes[field];
    const dot = field.indexOf('.');
    if (dot === -1) {
      result[field] = value;
      copied.delete(field);
      continue;
    }
    const outer = field.slice(0, dot);
    if (!copied.has(outer)) {
      result[outer] = { ...(result[outer] as Record<string, unknown> | undefined) };
      copied.add(outer);
    }
    const object = result[outer] as Record<string, unknown>;
    const inner = field.slice(dot + 1);
    if (value === REMOVED) delete object[inner];
    else object[inner] = value;
  }
  return result as T;
}

export function describeConflicts(conflicts: readonly SyncFieldConflict[]): string {
  const fields = conflicts.map((conflict) => conflict.field).join(', ');
  return `Changed in the sheet and on the server since the last sync: ${fields}. Keep one value and sync again.`;
}
