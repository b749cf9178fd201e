/**
 * Set-based SQL behind the sync endpoints and the change feed. Every statement takes its rows as
 * one JSON parameter (`jsonb_to_recordset`), so 10,000 rows cost one round trip and one bind
 * parameter, far below PostgreSQL's 32,767. Row versions and sync_changes rows are written by
 * the triggers of the sync_changes migration, not here.
 */
import { Prisma } from './generated/client.ts';
import type { SyncEntity } from './generated/enums.ts';
import type { SqlRunner } from './vectors.ts';

const json = (value: unknown) => Prisma.sql`${JSON.stringify(value)}::jsonb`;

export interface LocationSyncState {
  id: string;
  name: string;
  store_number: string;
  address: Record<string, unknown>;
  attributes: Record<string, unknown>;
  is_active: boolean;
  row_version: number;
  created_at: Date;
  updated_at: Date;
}

const LOCATION_COLUMNS = Prisma.sql`l.id, l.name, l.store_number, l.address, l.attributes, l.is_active, l.row_version, l.created_at, l.updated_at`;

/**
 * The brand's locations a sync names, by id or store number, locked until the transaction ends
 * so the merge is computed on what will be overwritten.
 */
export function lockLocationsForSync(db: SqlRunner, brandId: string, ids: string[], storeNumbers: string[]) {
  return db.$queryRaw<LocationSyncState[]>`
    SELECT ${LOCATION_COLUMNS} FROM locations l
    WHERE l.brand_id = ${brandId}::uuid
      AND (l.id = ANY(${ids}::uuid[]) OR l.store_number = ANY(${storeNumbers}::text[]))
    ORDER BY l.id
    FOR UPDATE`;
}

export interface LocationWrite {
  name: string;
  store_number: string;
  address: Record<string, unknown>;
  attributes: Record<string, unknown>;
  is_active: boolean;
}

/** Inserts new locations; a store number taken meanwhile by another writer is left out of the answer. */
export function insertLocations(db: SqlRunner, brandId: string, rows: LocationWrite[]) {
  return db.$queryRaw<LocationSyncState[]>`
    INSERT INTO locations AS l (id, brand_id, name, store_number, address, attributes, is_active, updated_at)
    SELECT gen_random_uuid(), ${brandId}::uuid, v.name, v.store_number, v.address, v.attributes, v.is_active, now()
    FROM jsonb_to_recordset(${json(rows)})
      AS v(name text, store_number text, address jsonb, attributes jsonb, is_active boolean)
    ON CONFLICT (brand_id, store_number) DO NOTHING
    RETURNING ${LOCATION_COLUMNS}`;
}

export function updateLocations(db: SqlRunner, rows: (LocationWrite & { id: string })[]) {
  return db.$queryRaw<LocationSyncState[]>`
    UPDATE locations AS l
    SET name = v.name, store_number = v.store_number, address = v.address, attributes = v.attributes,
        is_active = v.is_active, updated_at = now()
    FROM jsonb_to_recordset(${json(rows)})
      AS v(id uuid, name text, store_number text, address jsonb, attributes jsonb, is_active boolean)
    WHERE l.id = v.id
    RETURNING ${LOCATION_COLUMNS}`;
}

/**
 * The inputs each entity had at the given row versions (the base of three-way merges), keyed
 * `${id}:${version}`. Versions older than the feed keeps are simply absent.
 */
export async function inputsAtVersions(
  db: SqlRunner,
  entity: SyncEntity,
  versions: { id: string; row_version: number }[],
): Promise<Map<string, Record<string, unknown>>> {
  if (versions.length === 0) return new Map();
  const rows = await db.$queryRaw<{ entity_id: string; row_version: number; inputs: Record<string, unknown> }[]>`
    SELECT c.entity_id, c.row_version, c.inputs
    FROM jsonb_to_recordset(${json(versions)}) AS v(id uuid, row_version int)
    JOIN sync_changes c ON c.entity_id = v.id AND c.row_version = v.row_version
    WHERE c.entity = ${entity}::"SyncEntity" AND NOT c.deleted`;
  return new Map(rows.map((row) => [`${row.entity_id}:${row.row_version}`, row.inputs]));
}

/** The newest change number of a brand: where a client that is up to date now starts the feed. */
export async function latestChangeSeq(db: SqlRunner, brandId: string): Promise<bigint> {
  const [row] = await db.$queryRaw<{ seq: bigint | null }[]>`
    SELECT max(seq) AS seq FROM sync_changes WHERE brand_id = ${brandId}::uuid`;
  return row?.seq ?? 0n;
}

export interface ChangedEntity {
  seq: bigint;
  entity: SyncEntity;
  entity_id: string;
  row_version: number;
  deleted: boolean;
}

/**
 * Entities of a brand changed after `since`, each once at its newest change, oldest first.
 * Paging by that newest change is exact: an entity left for a later page is there with its
 * newest state, and one that changes again after a page was read comes back later.
 */
export function changedEntities(db: SqlRunner, brandId: string, since: bigint, limit: number) {
  return db.$queryRaw<ChangedEntity[]>`
    SELECT seq, entity, entity_id, row_version, deleted FROM (
      SELECT DISTINCT ON (entity_id) seq, entity::text AS entity, entity_id, row_version, deleted
      FROM sync_changes
      WHERE brand_id = ${brandId}::uuid AND seq > ${since}
      ORDER BY entity_id, seq DESC
    ) newest
    ORDER BY seq
    LIMIT ${limit}`;
}
