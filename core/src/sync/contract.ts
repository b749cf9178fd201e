/**
 * The sync API's request and response shapes, shared by the API (api/src/routes/sync, which
 * validates them with zod and checks it agrees with these types) and the panes that call it.
 *
 * - `POST /api/v1/sync/{locations,campaigns,templates}/` takes a {@link SyncRequest} and answers
 *   a {@link SyncResponse}: one result per row, in the order sent.
 * - `GET /api/v1/sync/changes/?brand=&since=&limit=` answers a {@link ChangeFeedPage}.
 * - `GET /api/v1/sync/events/?brand=` streams the same {@link ChangeEvent}s as server-sent events
 *   (`event: change`, `id:` the event's `seq`); reconnect with `Last-Event-ID` to resume.
 */
import type { CampaignPayload, LocationPayload, ParsedRow, TemplatePayload } from './rows.ts';
import type { CampaignRecord, LocationRecord, TemplateRecord } from './records.ts';
import type { SyncResult } from './plan.ts';
import type { RowRef, SheetKind } from './types.ts';

/** Rows per sync request; larger sheets are sent in several requests. */
export const SYNC_MAX_ROWS = 10_000;

export type SyncEntity = 'location' | 'campaign' | 'template';

export const SHEET_ENTITY: Readonly<Record<SheetKind, SyncEntity>> = {
  locations: 'location',
  campaigns: 'campaign',
  templates: 'template',
};

/** What every synced row may carry besides its payload. */
export interface SyncRowMeta {
  /** Echoed in the row's result unchanged, so the pane finds the row again (identity.ts). */
  ref?: RowRef;
  /** The StoreSync id from the sheet's id column; without it the natural key finds the row. */
  id?: string | null;
  /**
   * The row_version the sheet last saw. When the server has moved on since, fields both sides
   * changed come back as conflicts instead of overwriting either side; fields only the sheet
   * changed are applied, and fields only the server changed are kept.
   */
  row_version?: number | null;
  /** Extra columns blank on this row: their attribute or customization key is removed. */
  blank_extras?: string[];
}

export type LocationSyncRow = SyncRowMeta & LocationPayload;
export type CampaignSyncRow = SyncRowMeta & CampaignPayload;
export type TemplateSyncRow = Omit<SyncRowMeta, 'blank_extras'> & TemplatePayload;

export interface SyncRowMap {
  locations: LocationSyncRow;
  campaigns: CampaignSyncRow;
  templates: TemplateSyncRow;
}

export interface RecordWithVersion {
  row_version: number;
}

export interface SyncRecordMap {
  locations: LocationRecord & RecordWithVersion;
  campaigns: CampaignRecord & RecordWithVersion;
  templates: TemplateRecord & RecordWithVersion;
}

export interface SyncRequest<K extends SheetKind = SheetKind> {
  brand: string;
  rows: SyncRowMap[K][];
}

/** A row as readRows parsed it, as the sync endpoint takes it. */
export function toSyncRow<K extends SheetKind>(row: ParsedRow<K>): SyncRowMap[K] {
  return {
    ...row.payload,
    ref: row.ref,
    ...(row.id ? { id: row.id } : {}),
    ...(row.rowVersion ? { row_version: row.rowVersion } : {}),
    ...(row.blankExtras.length > 0 ? { blank_extras: row.blankExtras } : {}),
  };
}

export type SyncRowStatus = 'created' | 'updated' | 'unchanged' | 'conflict' | 'error';

export const SYNC_ROW_STATUSES: readonly SyncRowStatus[] = ['created', 'updated', 'unchanged', 'conflict', 'error'];

/** A field both the sheet and the server changed since the row's `row_version`. */
export interface SyncFieldConflict {
  /** `name`, `address.city`, `attributes.region`, `customizations.sale_type`, `scheduled_start`, … */
  field: string;
  sheet_value: unknown;
  server_value: unknown;
}

export interface SyncRowResult<K extends SheetKind = SheetKind> {
  /** 0-based position of the row in the request. */
  index: number;
  ref?: RowRef;
  status: SyncRowStatus;
  /** The server's record after the request (absent for errors on rows that do not exist). */
  record?: SyncRecordMap[K];
  /** For errors: what is wrong and how to fix it. For conflicts: which fields, in words. */
  message?: string;
  /** For errors about one field, its name as in {@link SyncFieldConflict.field}. */
  field?: string;
  conflicts?: SyncFieldConflict[];
}

export interface SyncResponse<K extends SheetKind = SheetKind> {
  brand: string;
  counts: Record<SyncRowStatus, number>;
  results: SyncRowResult<K>[];
  /**
   * The brand's newest change once this request committed. A client that has no cursor yet starts
   * the change feed here; one that has a cursor keeps pulling from its own, so it misses nothing.
   */
  cursor: string;
}

/** One entry of the change feed: the entity as it is now, or that it was deleted. */
export type ChangeEvent =
  | { seq: string; entity: 'location'; id: string; row_version: number; deleted: false; record: SyncRecordMap['locations'] }
  | { seq: string; entity: 'campaign'; id: string; row_version: number; deleted: false; record: SyncRecordMap['campaigns'] }
  | { seq: string; entity: 'template'; id: string; row_version: number; deleted: false; record: SyncRecordMap['templates'] }
  | { seq: string; entity: SyncEntity; id: string; row_version: number; deleted: true; record?: undefined };

export interface ChangeFeedPage {
  brand: string;
  /** Oldest first. An entity that changed several times since the cursor appears once, as it is now. */
  changes: ChangeEvent[];
  /** Pass as `since` next time (also when `changes` is empty). */
  next_cursor: string;
  has_more: boolean;
}

/**
 * A record without its `row_version`, for writes that only show server state (change feed,
 * workflow answers, conflicts). The hidden StoreSync Version cell says which server version the
 * row's INPUT cells match; those writes leave the inputs alone, so moving the version on would
 * make the next sync take the stale inputs for fresh edits and overwrite changes made elsewhere.
 */
export function withoutVersion<R extends { row_version?: number }>(record: R): Omit<R, 'row_version'> {
  const { row_version: _version, ...rest } = record;
  return rest;
}

/**
 * What a run of change-feed events writes into a sheet of `kind`: each entity of that kind once,
 * as its newest change left it (deleted ones dropped), found by its StoreSync ID, without its
 * row_version (see {@link withoutVersion}). Used by every host's catch-up.
 */
export function feedResults<K extends SheetKind>(kind: K, changes: readonly ChangeEvent[]): SyncResult<K>[] {
  const entity = SHEET_ENTITY[kind];
  const latest = new Map<string, SyncRecordMap[K]>();
  for (const change of changes) {
    if (change.entity !== entity) continue;
    if (change.deleted) latest.delete(change.id);
    else latest.set(change.id, change.record as SyncRecordMap[K]);
  }
  return [...latest.values()].map((record) => ({ ref: { id: record.id }, record: withoutVersion(record) })) as SyncResult<K>[];
}
