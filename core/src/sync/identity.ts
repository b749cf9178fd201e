/**
 * Row identity: which sheet row a server result belongs to, decided from the row's content and
 * never from its position, so sorting, filtering, inserted columns and moved rows cannot attach
 * a result to the wrong row.
 *
 * A row is found, in this order, by
 * 1. its StoreSync id (the hidden id column) — exactly one row must hold it; two rows with one id
 *    (a copied row) match nothing;
 * 2. its natural key, among rows that have no id yet: the store number on the Locations sheet,
 *    store number + template name on the Campaigns sheet, the template name on the Templates
 *    sheet (template names compare case- and spacing-insensitively; store numbers exactly, after
 *    trimming) — again exactly one row;
 * 3. a fingerprint of its known input cells (by field, so moved and inserted columns do not change
 *    it), among rows without an id: for rows that have neither an id nor a key, e.g. to show
 *    "Store # is empty" on the row that lacks it. Rows alike in every known input are ambiguous.
 * Anything else is "not found" or "ambiguous", and the plan reports it instead of guessing.
 */
import { FIELDS } from './fields.ts';
import type { HeaderMapping } from './headers.ts';
import { readCellText } from './safety.ts';
import { cellText, isBlank } from './values.ts';
import type { CellValue, RowRef, Sheet, SheetKind } from './types.ts';

export function storeKey(storeNumber: string): string {
  return storeNumber.trim();
}

export function templateNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface KeyParts {
  store_number?: string | null;
  template_name?: string | null;
  name?: string | null;
}

/** The natural key of a row or record, or `null` when a part is missing. */
export function naturalKey(kind: SheetKind, parts: KeyParts): string | null {
  const store = parts.store_number ? storeKey(parts.store_number) : '';
  switch (kind) {
    case 'locations':
      return store || null;
    case 'campaigns': {
      const template = parts.template_name ? templateNameKey(parts.template_name) : '';
      return store && template ? `${store}\u001f${template}` : null;
    }
    case 'templates': {
      const name = parts.name ? templateNameKey(parts.name) : '';
      return name || null;
    }
  }
}

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits (two 32-bit lanes). */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code ^ (index & 0xff), 0x0100019d) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function cellString(value: CellValue | undefined): string {
  return typeof value === 'string' ? readCellText(value).text.trim() : cellText(value ?? null).trim();
}

export interface RowIdentity {
  id: string | null;
  key: string | null;
  fingerprint: string;
}

/** The identity of one row of cells under `mapping`. */
export function rowIdentity(mapping: HeaderMapping, cells: readonly CellValue[]): RowIdentity {
  const at = (field: string) => {
    const index = mapping.fields[field];
    return index === undefined ? '' : cellString(cells[index]);
  };
  const id = at('id') || null;
  const key = naturalKey(mapping.kind, { store_number: at('store_number'), template_name: at('template'), name: at('name') });
  // Known input fields only, by field name: moving or inserting columns does not change it.
  const parts: string[] = [];
  for (const column of mapping.columns) {
    if (column.role !== 'input' || !column.field) continue;
    const value = cells[column.index];
    if (!isBlank(value)) parts.push(`${column.field}\u001f${typeof value}\u001f${cellText(value ?? null)}`);
  }
  parts.sort();
  return { id, key, fingerprint: hashText(parts.join('\u001e')) };
}

export function rowRef(identity: RowIdentity): RowRef {
  return { id: identity.id, key: identity.key, fingerprint: identity.fingerprint };
}

/** Whether a row has any input or extra cell filled (rows without are skipped, not synced). */
export function hasInput(mapping: HeaderMapping, cells: readonly CellValue[]): boolean {
  return mapping.columns.some((column) => (column.role === 'input' || column.role === 'extra') && !isBlank(cells[column.index]));
}

export interface RowIndex {
  byId: Map<string, number[]>;
  /** Rows without an id, by natural key. */
  byKey: Map<string, number[]>;
  /** Rows without an id, by fingerprint. */
  byFingerprint: Map<string, number[]>;
}

function push(map: Map<string, number[]>, key: string, row: number) {
  const rows = map.get(key);
  if (rows) rows.push(row);
  else map.set(key, [row]);
}

/** Indexes every data row (0-based row indexes into `sheet.values`). */
export function indexRows(sheet: Sheet, mapping: HeaderMapping): RowIndex {
  const index: RowIndex = { byId: new Map(), byKey: new Map(), byFingerprint: new Map() };
  for (let row = 1; row < sheet.values.length; row += 1) {
    const cells = sheet.values[row] ?? [];
    const identity = rowIdentity(mapping, cells);
    if (identity.id) {
      push(index.byId, identity.id, row);
      continue;
    }
    if (!hasInput(mapping, cells)) continue;
    if (identity.key) push(index.byKey, identity.key, row);
    push(index.byFingerprint, identity.fingerprint, row);
  }
  return index;
}

export type RowLocation = { row: number; by: 'id' | 'key' | 'fingerprint' } | { row: null; reason: 'not_found' | 'ambiguous' };

/**
 * The 0-based row `ref` names, by id, then key, then fingerprint (see the file header). Rows in
 * `claimed` (already given to another result of the same plan) are not available by key or
 * fingerprint.
 */
export function locateRow(index: RowIndex, ref: RowRef, claimed: ReadonlySet<number> = new Set()): RowLocation {
  if (ref.id) {
    const rows = index.byId.get(ref.id) ?? [];
    if (rows.length === 1 && rows[0] !== undefined) return { row: rows[0], by: 'id' };
    if (rows.length > 1) return { row: null, reason: 'ambiguous' };
  }
  const lookups: [Map<string, number[]>, string | null | undefined, 'key' | 'fingerprint'][] = [
    [index.byKey, ref.key, 'key'],
    [index.byFingerprint, ref.fingerprint, 'fingerprint'],
  ];
  for (const [map, key, by] of lookups) {
    if (!key) continue;
    const rows = (map.get(key) ?? []).filter((row) => !claimed.has(row));
    if (rows.length === 1 && rows[0] !== undefined) return { row: rows[0], by };
    if (rows.length > 1) return { row: null, reason: 'ambiguous' };
  }
  return { row: null, reason: 'not_found' };
}

/** Fields that identify rows of a kind (used in messages). */
export function keyFields(kind: SheetKind): string[] {
  const names = { locations: ['store_number'], campaigns: ['store_number', 'template'], templates: ['name'] }[kind];
  return names.map((field) => FIELDS[kind].find((def) => def.field === field)?.label ?? field);
}
