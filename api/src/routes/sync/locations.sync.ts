/**
 * Locations rows: found by StoreSync id, then store number. Attributes merge key by key: keys the
 * sheet has no column for are kept, a blank extra cell removes its key. Location managers may
 * change name, address and attributes of their own stores, as through PATCH.
 */
import { z } from '@hono/zod-openapi';
import { fullAddress, jsonEqual, storeKey, type LocationSyncRow as PaneLocationRow } from '@storesync/core';
import { insertLocations, lockLocationsForSync, updateLocations, type LocationSyncState, type LocationWrite, type PgTransaction } from '@storesync/db';
import { isAdmin, isReviewer } from '../../lib/access.ts';
import { JsonObject } from '../../lib/schemas.ts';
import { AddressSchema, locationFields } from '../locations/locations.routes.ts';
import { RowError, type Fits, type SyncKind } from './engine.ts';
import { applyChanges, flatten, isJsonObject, REMOVED, type FlatFields } from './merge.ts';
import { syncRowMeta } from './sync.schemas.ts';

export const LocationSyncRowSchema = z
  .object({
    ...syncRowMeta,
    name: locationFields.name,
    store_number: locationFields.store_number,
    address: AddressSchema.optional(),
    attributes: JsonObject.optional(),
    is_active: z.boolean().optional(),
  })
  .strict();

type LocationSyncRow = z.infer<typeof LocationSyncRowSchema>;
/** What the panes send (core's contract) must pass this schema's types. */
export type PaneRowsFit = Fits<PaneLocationRow extends z.input<typeof LocationSyncRowSchema> ? true : false>;

const OBJECT_FIELDS = ['address', 'attributes'] as const;
/** Store numbering and activation belong to the brand (see locations.handlers.ts). */
const BRAND_MANAGED_FIELDS = ['store_number', 'is_active'];

function inputsOf(source: Record<string, unknown>): FlatFields {
  const { name, store_number, address, attributes, is_active } = source;
  return flatten({ name, store_number, address, attributes, is_active }, OBJECT_FIELDS);
}

/** Every key the sheet sent (undefined: not sent) holds an equal value on the server. */
function sentKeysMatch(sent: Record<string, unknown> | undefined, current: unknown): boolean {
  if (sent === undefined) return true;
  if (!isJsonObject(current)) return false;
  for (const key in sent) {
    const value = sent[key];
    if (value !== undefined && !jsonEqual(value, current[key])) return false;
  }
  return true;
}

/** The sheet's fields, with {@link REMOVED} for each blank extra cell. */
function sheetInputs(row: LocationSyncRow): FlatFields {
  const fields = inputsOf(row);
  for (const key of row.blank_extras ?? []) fields[`attributes.${key}`] = REMOVED;
  return fields;
}

function withoutBlanks(row: LocationSyncRow): Record<string, unknown> {
  if (!row.blank_extras?.length) return row.attributes ?? {};
  const attributes = { ...row.attributes };
  for (const key of row.blank_extras) delete attributes[key];
  return attributes;
}

/**
 * `toISOString` remembered per instant: the rows one statement wrote share their timestamps, so
 * a 10,000-row answer formats a handful of instants instead of 20,000.
 */
function isoFormatter() {
  const formatted = new Map<number, string>();
  return (date: Date) => {
    const time = date.getTime();
    let text = formatted.get(time);
    if (text === undefined) formatted.set(time, (text = date.toISOString()));
    return text;
  };
}

function toLocationRecord(state: LocationSyncState, brandId: string, iso: (date: Date) => string) {
  return {
    id: state.id,
    brand: brandId,
    name: state.name,
    store_number: state.store_number,
    address: state.address,
    attributes: state.attributes,
    is_active: state.is_active,
    full_address: fullAddress(state.address),
    row_version: state.row_version,
    created_at: iso(state.created_at),
    updated_at: iso(state.updated_at),
  };
}

/**
 * Runs on a node-postgres transaction of the API's pool (`pgTransactionsOf(prisma)`), because new
 * locations go in with COPY (see insertLocations), which Prisma cannot send.
 */
export const locationSync: SyncKind<LocationSyncRow, LocationSyncState, LocationWrite, null, ReturnType<typeof toLocationRecord>, PgTransaction> = {
  entity: 'location',
  rowSchema: LocationSyncRowSchema,
  describe: (row) => `Store ${row.store_number}`,
  keyOf: (row) => storeKey(row.store_number),
  uniqueKeyField: 'store_number',
  prepare: () => Promise.resolve(null),
  async lock({ tx, brandId, user }, ids, keys) {
    const states = await lockLocationsForSync(tx, brandId, ids, keys);
    // A location manager with assignments sees only those stores; the others are not theirs to match.
    if (isAdmin(user) || user.assignedLocationIds.length === 0) return states;
    return states.filter((state) => user.assignedLocationIds.includes(state.id));
  },
  stateKey: (state) => storeKey(state.store_number),
  sheetMatchesState: (row, state) =>
    row.name === state.name &&
    row.store_number === state.store_number &&
    (row.is_active === undefined || row.is_active === state.is_active) &&
    sentKeysMatch(row.address, state.address) &&
    sentKeysMatch(row.attributes, state.attributes) &&
    (row.blank_extras ?? []).every((key) => isJsonObject(state.attributes) && state.attributes[key] === undefined),
  sheetFields: sheetInputs,
  stateFields: (state) => inputsOf(state as unknown as Record<string, unknown>),
  inputFields: inputsOf,
  toCreate(row, { user }) {
    if (!isReviewer(user)) {
      throw new RowError(`Only admins and brand managers can add locations; ask one to add store ${row.store_number}`, 'store_number');
    }
    return {
      name: row.name,
      store_number: row.store_number,
      address: row.address ?? {},
      attributes: withoutBlanks(row),
      is_active: row.is_active ?? true,
    };
  },
  toUpdate(state, changes, { user }) {
    const refused = BRAND_MANAGED_FIELDS.filter((field) => field in changes);
    if (!isReviewer(user) && refused.length > 0) {
      throw new RowError(
        `Only admins and brand managers can change ${refused.join(' and ')}; location managers may change name, address and attributes`,
        refused[0],
      );
    }
    const merged = applyChanges(
      { name: state.name, store_number: state.store_number, address: state.address, attributes: state.attributes, is_active: state.is_active },
      changes,
    );
    const parsed = z.object({ address: AddressSchema }).safeParse({ address: merged.address });
    if (!parsed.success) throw new RowError(`address: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'address');
    return { id: state.id, ...merged };
  },
  insert: ({ tx, brandId }, writes) => insertLocations(tx, brandId, writes),
  update: ({ tx }, writes) => updateLocations(tx, writes),
  insertRaceMessage: (row) => `Store ${row.store_number} was added by someone else during this sync; sync again to update it`,
  toRecords({ brandId }, states) {
    const iso = isoFormatter();
    const records = new Map<string, ReturnType<typeof toLocationRecord>>();
    for (const state of states) records.set(state.id, toLocationRecord(state, brandId, iso));
    return Promise.resolve(records);
  },
};
