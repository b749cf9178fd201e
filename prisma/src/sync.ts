/**
 * Set-based SQL behind the sync endpoints and the change feed. Every statement takes its rows as
 * one JSON parameter (`jsonb_to_recordset`), so 10,000 rows cost one round trip and one bind
 * parameter, far below PostgreSQL's 32,767; new locations go in with COPY. Row versions and
 * sync_changes rows are written by the triggers of the sync_changes migrations, not here.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from './generated/client.ts';
import type { CampaignStatus, SyncEntity } from './generated/enums.ts';
import type { PgTransaction } from './pg-transaction.ts';
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

const UNIQUE_VIOLATION = '23505';
const LOCATION_COPY_COLUMNS = ['id', 'brand_id', 'name', 'store_number', 'address', 'attributes', 'is_active', 'created_at', 'updated_at'] as const;

/**
 * Inserts new locations with COPY, the fastest way into PostgreSQL (a first sync of a 10,000-store
 * sheet), on a node-postgres transaction since Prisma cannot send COPY. Ids are drawn here and
 * both timestamps are the transaction's, as the column defaults would make them.
 * Store numbers were free when the caller looked, but another writer may have taken one since:
 * COPY then fails as a whole, so it runs under a savepoint and those rows go through
 * {@link insertLocationsSkippingTaken} instead, which leaves the taken ones out of the answer.
 * So do all rows on a server that cannot take COPY FROM STDIN (`npm start`'s embedded PGlite).
 */
export async function insertLocations(db: PgTransaction, brandId: string, rows: LocationWrite[]): Promise<LocationSyncState[]> {
  if (!db.canCopy) return insertLocationsSkippingTaken(db, brandId, rows);
  const [{ now }] = await db.$queryRaw<[{ now: Date }]>`SELECT now()::timestamptz(3) AS now`;
  await db.$executeRaw`SAVEPOINT storesync_copy_locations`;
  // Properties named rather than spread: spreading 10,000 rows cost more than the COPY's own text.
  const states = rows.map(
    (row): LocationSyncState => ({
      id: randomUUID(),
      name: row.name,
      store_number: row.store_number,
      address: row.address,
      attributes: row.attributes,
      is_active: row.is_active,
      row_version: 1,
      created_at: now,
      updated_at: now,
    }),
  );
  const stamp = now.toISOString();
  try {
    await db.copyRows(
      'locations',
      LOCATION_COPY_COLUMNS,
      states.map((state) => [state.id, brandId, state.name, state.store_number, state.address, state.attributes, state.is_active, stamp, stamp]),
    );
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await db.$executeRaw`ROLLBACK TO SAVEPOINT storesync_copy_locations`;
    return insertLocationsSkippingTaken(db, brandId, rows);
  }
  await db.$executeRaw`RELEASE SAVEPOINT storesync_copy_locations`;
  return states;
}

/**
 * Inserts new locations row by row in one statement; a store number taken meanwhile by another
 * writer is left out of the answer. The database answers only what it made (id, version,
 * timestamps); the rest is what was written.
 */
export async function insertLocationsSkippingTaken(db: SqlRunner, brandId: string, rows: LocationWrite[]): Promise<LocationSyncState[]> {
  const inserted = await db.$queryRaw<Pick<LocationSyncState, 'id' | 'store_number' | 'row_version' | 'created_at' | 'updated_at'>[]>`
    INSERT INTO locations AS l (id, brand_id, name, store_number, address, attributes, is_active, updated_at)
    SELECT gen_random_uuid(), ${brandId}::uuid, v.name, v.store_number, v.address, v.attributes, v.is_active, now()
    FROM jsonb_to_recordset(${json(rows)})
      AS v(name text, store_number text, address jsonb, attributes jsonb, is_active boolean)
    ON CONFLICT (brand_id, store_number) DO NOTHING
    RETURNING l.id, l.store_number, l.row_version, l.created_at, l.updated_at`;
  // Store numbers are unique in a brand, so each answer is the write with that number.
  const writes = new Map(rows.map((row) => [row.store_number, row]));
  return inserted.map((made) => ({ ...writes.get(made.store_number)!, ...made }));
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
 * Waits for the other syncs of `scope` in this brand (templates, campaigns) until this transaction
 * ends. Neither a template's name nor a campaign's store + template is a unique constraint, so two
 * syncs that both found no row for a key would both insert one; serialized, the second finds the
 * first's row. Taken before reading, so the read (a new snapshot) sees what the first committed.
 * The templates API takes the same lock before it creates or renames a template.
 */
export async function serializeSyncs(db: SqlRunner, scope: 'templates' | 'campaigns', brandId: string) {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`storesync.sync.${scope}:${brandId}`}, 0))`;
}

export interface TemplateSyncState {
  id: string;
  brand_id: string;
  name: string;
  description: string;
  content_template: string;
  required_variables: unknown;
  campaign_type: string;
  is_active: boolean;
  version: number;
  row_version: number;
  created_at: Date;
  updated_at: Date;
}

const TEMPLATE_COLUMNS = Prisma.sql`t.id, t.brand_id, t.name, t.description, t.content_template, t.required_variables,
  t.campaign_type, t.is_active, t.version, t.row_version, t.created_at, t.updated_at`;

/**
 * Every template of the brand (a brand has few), locked until the transaction ends, after waiting
 * for other template syncs of the brand. All of them, because names match case- and
 * spacing-insensitively (core's templateNameKey, applied by the caller) and a rename must know
 * who holds the new name. NO KEY UPDATE: other writers wait, but campaigns may still be created
 * with these templates meanwhile (their foreign key check only needs KEY SHARE).
 */
export async function lockTemplatesForSync(db: SqlRunner, brandId: string) {
  await serializeSyncs(db, 'templates', brandId);
  return db.$queryRaw<TemplateSyncState[]>`
    SELECT ${TEMPLATE_COLUMNS} FROM campaign_templates t
    WHERE t.brand_id = ${brandId}::uuid
    ORDER BY t.id
    FOR NO KEY UPDATE`;
}

export interface TemplateWrite {
  name: string;
  campaign_type: string;
  description: string;
  content_template: string;
  required_variables: string[];
  is_active: boolean;
}

export function insertTemplates(db: SqlRunner, brandId: string, rows: TemplateWrite[]) {
  return db.$queryRaw<TemplateSyncState[]>`
    INSERT INTO campaign_templates AS t
      (id, brand_id, name, campaign_type, description, content_template, required_variables, is_active, updated_at)
    SELECT gen_random_uuid(), ${brandId}::uuid, v.name, v.campaign_type, v.description, v.content_template,
           v.required_variables, v.is_active, now()
    FROM jsonb_to_recordset(${json(rows)})
      AS v(name text, campaign_type text, description text, content_template text, required_variables jsonb, is_active boolean)
    RETURNING ${TEMPLATE_COLUMNS}`;
}

/** `version` goes up by one where content_template changes, in the same statement (as PATCH does). */
export function updateTemplates(db: SqlRunner, rows: (TemplateWrite & { id: string })[]) {
  return db.$queryRaw<TemplateSyncState[]>`
    UPDATE campaign_templates AS t
    SET name = v.name, campaign_type = v.campaign_type, description = v.description,
        content_template = v.content_template, required_variables = v.required_variables, is_active = v.is_active,
        version = CASE WHEN t.content_template IS DISTINCT FROM v.content_template THEN t.version + 1 ELSE t.version END,
        updated_at = now()
    FROM jsonb_to_recordset(${json(rows)})
      AS v(id uuid, name text, campaign_type text, description text, content_template text, required_variables jsonb, is_active boolean)
    WHERE t.id = v.id
    RETURNING ${TEMPLATE_COLUMNS}`;
}

export interface SyncLocationRef {
  id: string;
  store_number: string;
}

/**
 * The brand's locations with these store numbers, and those that equal one of them once leading
 * zeros are dropped on both sides (`12` → `0012`), so a sync can say that a spreadsheet dropped them.
 */
export function locationsByStoreNumbers(db: SqlRunner, brandId: string, storeNumbers: string[]) {
  const stripped = [...new Set(storeNumbers.map((number) => number.replace(/^0+/, '')))];
  return db.$queryRaw<SyncLocationRef[]>`
    SELECT l.id, l.store_number FROM locations l
    WHERE l.brand_id = ${brandId}::uuid
      AND (l.store_number = ANY(${storeNumbers}::text[]) OR ltrim(l.store_number, '0') = ANY(${stripped}::text[]))`;
}

export interface CampaignSyncState {
  id: string;
  location_id: string;
  template_id: string;
  status: CampaignStatus;
  customizations: Record<string, unknown>;
  scheduled_start: Date | null;
  scheduled_end: Date | null;
  row_version: number;
  /** The location's store number and the template's name: the campaign's natural key. */
  store_number: string;
  template_name: string;
}

const CAMPAIGN_COLUMNS = Prisma.sql`c.id, c.location_id, c.template_id, c.status::text AS status, c.customizations,
  c.scheduled_start, c.scheduled_end, c.row_version, l.store_number, t.name AS template_name`;

/**
 * The brand's campaigns a sync names, by id or by (location, template), locked until the
 * transaction ends, after waiting for other campaign syncs of the brand (see serializeSyncs).
 * NO KEY UPDATE: writers of these campaigns (workflow, worker) wait, rows that only reference
 * them (approval steps, versions, jobs) do not.
 */
export async function lockCampaignsForSync(
  db: SqlRunner,
  brandId: string,
  ids: string[],
  pairs: { location_id: string; template_id: string }[],
) {
  await serializeSyncs(db, 'campaigns', brandId);
  return db.$queryRaw<CampaignSyncState[]>`
    SELECT ${CAMPAIGN_COLUMNS}
    FROM location_campaigns c
    JOIN locations l ON l.id = c.location_id
    JOIN campaign_templates t ON t.id = c.template_id
    WHERE l.brand_id = ${brandId}::uuid AND t.brand_id = ${brandId}::uuid
      AND (c.id = ANY(${ids}::uuid[])
           OR (c.location_id, c.template_id) IN (
             SELECT p.location_id, p.template_id FROM jsonb_to_recordset(${json(pairs)}) AS p(location_id uuid, template_id uuid)))
    ORDER BY c.id
    FOR NO KEY UPDATE OF c`;
}

export interface CampaignWrite {
  location_id: string;
  template_id: string;
  customizations: Record<string, unknown>;
  /** ISO 8601 instants. */
  scheduled_start: string | null;
  scheduled_end: string | null;
}

/** New draft campaigns created by `createdById`. */
export function insertCampaigns(db: SqlRunner, createdById: string, rows: CampaignWrite[]) {
  return db.$queryRaw<CampaignSyncState[]>`
    WITH c AS (
      INSERT INTO location_campaigns
        (id, location_id, template_id, created_by_id, status, customizations, scheduled_start, scheduled_end, updated_at)
      SELECT gen_random_uuid(), v.location_id, v.template_id, ${createdById}::uuid, 'draft'::"CampaignStatus", v.customizations,
             v.scheduled_start, v.scheduled_end, now()
      FROM jsonb_to_recordset(${json(rows)})
        AS v(location_id uuid, template_id uuid, customizations jsonb, scheduled_start timestamptz, scheduled_end timestamptz)
      RETURNING *
    )
    SELECT ${CAMPAIGN_COLUMNS} FROM c
    JOIN locations l ON l.id = c.location_id
    JOIN campaign_templates t ON t.id = c.template_id`;
}

/**
 * Writes customizations and schedule; a campaign's location and template never change (as
 * through PATCH), so those of `rows` are ignored.
 */
export function updateCampaigns(db: SqlRunner, rows: (CampaignWrite & { id: string })[]) {
  return db.$queryRaw<CampaignSyncState[]>`
    WITH c AS (
      UPDATE location_campaigns AS lc
      SET customizations = v.customizations, scheduled_start = v.scheduled_start, scheduled_end = v.scheduled_end,
          updated_at = now()
      FROM jsonb_to_recordset(${json(rows)})
        AS v(id uuid, customizations jsonb, scheduled_start timestamptz, scheduled_end timestamptz)
      WHERE lc.id = v.id
      RETURNING lc.*
    )
    SELECT ${CAMPAIGN_COLUMNS} FROM c
    JOIN locations l ON l.id = c.location_id
    JOIN campaign_templates t ON t.id = c.template_id`;
}

/**
 * The inputs each entity had at the given row versions (the base of three-way merges), keyed
 * `${id}:${version}`: recorded by the change that replaced that version (its replaced_inputs), so
 * only versions that have since changed are found, which are the only ones a merge needs.
 * Versions older than the feed keeps are simply absent.
 */
export async function inputsAtVersions(
  db: SqlRunner,
  entity: SyncEntity,
  versions: { id: string; row_version: number }[],
): Promise<Map<string, Record<string, unknown>>> {
  if (versions.length === 0) return new Map();
  const rows = await db.$queryRaw<{ entity_id: string; row_version: number; inputs: Record<string, unknown> }[]>`
    SELECT c.entity_id, v.row_version, c.replaced_inputs AS inputs
    FROM jsonb_to_recordset(${json(versions)}) AS v(id uuid, row_version int)
    JOIN sync_changes c ON c.entity_id = v.id AND c.row_version = v.row_version + 1
    WHERE c.entity = ${entity}::"SyncEntity" AND c.replaced_inputs IS NOT NULL`;
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

/**
 * Deletes change rows that a newer change of the same entity supersedes and that are older than
 * `before`, at most `limit` per call. The feed shows each entity at its newest change, so it is
 * unaffected; what goes is the base of three-way merges for sheets that have not synced since
 * `before` (their rows then come back as conflicts wherever they differ, never as overwrites).
 * The newest row of every entity, deletions included, is kept.
 */
export async function compactSyncChanges(db: SqlRunner, before: Date, limit: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM sync_changes
    WHERE seq IN (
      SELECT c.seq FROM sync_changes c
      WHERE c.changed_at < ${before}
        AND EXISTS (SELECT 1 FROM sync_changes newer WHERE newer.entity_id = c.entity_id AND newer.seq > c.seq)
      ORDER BY c.seq
      LIMIT ${limit}
    )`;
}
