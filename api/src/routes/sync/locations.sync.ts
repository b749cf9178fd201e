/**
 * Locations rows: found by StoreSync id, then store number. Attributes merge key by key: keys the
 * sheet has no column for are kept, a blank extra cell removes its key. Location managers may
 * change name, address and attributes of their own stores, as through PATCH.
 */
import { z } from '@hono/zod-openapi';
import { fullAddress, storeKey, type LocationSyncRow as PaneLocationRow } from '@storesync/core';
import { insertLocations, lockLocationsForSync, updateLocations, type LocationSyncState, type LocationWrite } from '@storesync/db';
import { isAdmin, isReviewer } from '../../lib/access.ts';
import { JsonObject } from '../../lib/schemas.ts';
import { AddressSchema, locationFields } from '../locations/locations.routes.ts';
import { RowError, type Fits, type SyncKind } from './engine.ts';
import { applyChanges, flatten, REMOVED, type FlatFields } from './merge.ts';
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

function blankedAttributes(row: LocationSyncRow): FlatFields {
  return Object.fromEntries((row.blank_extras ?? []).map((key) => [`attributes.${key}`, REMOVED]));
}

function withoutBlanks(row: LocationSyncRow): Record<string, unknown> {
  const attributes = { ...row.attributes };
  for (const key of row.blank_extras ?? []) delete attributes[key];
  return attributes;
}

export function toLocationRecord(state: LocationSyncState, brandId: string) {
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
    created_at: state.created_at.toISOString(),
    updated_at: state.updated_at.toISOString(),
  };
}

export const locationSync: SyncKind<LocationSyncRow, LocationSyncState, LocationWrite, null, ReturnType<typeof toLocationRecord>> = {
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
  sheetFields: (row) => ({ ...inputsOf(row), ...blankedAttributes(row) }),
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
  toRecords: ({ brandId }, states) => Promise.resolve(new Map(states.map((state) => [state.id, toLocationRecord(state, brandId)]))),
};
