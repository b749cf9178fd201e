/**
 * One sync request, for any kind of row: validate each row on its own, find the server row it
 * names (StoreSync id first, then the natural key), merge three ways against the version the
 * sheet last saw, then write every create and every update in one statement each, inside one
 * transaction. A bad row becomes that row's error result; only whole-request problems (brand,
 * access, size) reject the request, before anything is written.
 *
 * A kind (locations.sync.ts, campaigns.sync.ts, templates.sync.ts) says how its rows look, how
 * they are found, what the sheet changes and how to write.
 */
import { SYNC_ROW_STATUSES, type SyncEntity, type SyncFieldConflict, type SyncRowMeta, type SyncRowStatus } from '@storesync/core';
import { inputsAtVersions, latestChangeSeq, type Prisma, type SqlRunner, type TransactionOptions } from '@storesync/db';
import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../lib/types.ts';
import { describeConflicts, mergeRow, type FlatFields } from './merge.ts';

/** Compile-time check: `Fits<A extends B ? true : false>` fails to compile unless A fits B. */
export type Fits<T extends true> = T;

/** A problem with one row: what is wrong and how to fix it, and the field when it is about one. */
export class RowError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Runs a function in one transaction: a Prisma client (its interactive transactions) or a
 * node-postgres runner (`pgTransactionsOf`, for kinds that write with COPY).
 */
export interface TransactionRunner<Tx> {
  $transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface SyncContext<Prepared, Tx = Prisma.TransactionClient> {
  tx: Tx;
  brandId: string;
  user: AuthUser;
  prepared: Prepared;
}

interface SyncState {
  id: string;
  row_version: number;
}

/** One row's answer (core's SyncRowResult, with the API's full record). */
export interface SyncRowOutcome<Rec> {
  index: number;
  ref?: SyncRowMeta['ref'];
  status: SyncRowStatus;
  record?: Rec;
  message?: string;
  field?: string;
  conflicts?: SyncFieldConflict[];
}

export interface SyncKind<Row extends SyncRowMeta, State extends SyncState, Write, Prepared, Rec, Tx extends SqlRunner = Prisma.TransactionClient> {
  entity: SyncEntity;
  rowSchema: z.ZodType<Row>;
  /** How a row names itself in messages: `store 0012`, `template "Spring sale"`. */
  describe(row: Row): string;
  /** The natural key (identity.ts's naturalKey), or null when the row lacks one. */
  keyOf(row: Row): string | null;
  /** When the natural key is unique in a brand (store number, template name): the field that holds it. */
  uniqueKeyField?: string;
  /**
   * The error for a row without an id whose natural key matches several server rows (campaigns:
   * several for one store and template). Default: a generic "add the StoreSync ID".
   */
  ambiguousKeyMessage?(row: Row, matches: number): string;
  /** Loads what the request needs besides the rows themselves (templates of the brand, …). */
  prepare(tx: Tx, brandId: string, rows: Row[], user: AuthUser): Promise<Prepared>;
  /** The brand's rows named by these ids or natural keys, locked for the transaction. */
  lock(context: SyncContext<Prepared, Tx>, ids: string[], keys: string[]): Promise<State[]>;
  stateKey(state: State): string;
  /**
   * Optional fast path for the common case of a re-sync: true only when every field the row sent
   * equals the server's, which mergeRow would call unchanged whatever the base; checked without
   * building flat field maps. False means "merge to find out", never "changed".
   */
  sheetMatchesState?(row: Row, state: State): boolean;
  /** The inputs the sheet sent, as flat fields (merge.ts); `state` is the server row when found. */
  sheetFields(row: Row, state: State | undefined, context: SyncContext<Prepared, Tx>): FlatFields;
  /** The same fields of the server's row; `inputs` are the sync_changes inputs at one version. */
  stateFields(state: State): FlatFields;
  inputFields(inputs: Record<string, unknown>): FlatFields;
  /** Throws {@link RowError} when this user may not create the row, or the merged row is invalid. */
  toCreate(row: Row, context: SyncContext<Prepared, Tx>): Write;
  /** Throws {@link RowError} when this user may not make these changes, or they are invalid. */
  toUpdate(state: State, changes: FlatFields, context: SyncContext<Prepared, Tx>): Write & { id: string };
  insert(context: SyncContext<Prepared, Tx>, writes: Write[]): Promise<State[]>;
  update(context: SyncContext<Prepared, Tx>, writes: (Write & { id: string })[]): Promise<State[]>;
  /** Why an insert left a row out (its key was taken meanwhile). */
  insertRaceMessage(row: Row): string;
  toRecords(context: SyncContext<Prepared, Tx>, states: State[]): Promise<Map<string, Rec>>;
}

export interface SyncOutcome<Rec> {
  counts: Record<SyncRowStatus, number>;
  results: SyncRowOutcome<Rec>[];
  cursor: string;
}

type Pending<Row, State> =
  | { index: number; row: Row; state?: State; status: 'error'; message: string; field?: string }
  | { index: number; row: Row; state: State; status: 'unchanged' | 'updated' | 'conflict'; conflicts?: SyncFieldConflict[] }
  | { index: number; row: Row; state?: undefined; status: 'created' };

/** No server rows for a key (shared, never written to). */
const NO_STATES: readonly never[] = [];

function zodRowError(error: z.ZodError): RowError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  return new RowError(field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid row'), field);
}

export async function runSync<Row extends SyncRowMeta, State extends SyncState, Write, Prepared, Rec, Tx extends SqlRunner>(
  kind: SyncKind<Row, State, Write, Prepared, Rec, Tx>,
  transactions: TransactionRunner<Tx>,
  user: AuthUser,
  brandId: string,
  rawRows: unknown[],
): Promise<SyncOutcome<Rec>> {
  return transactions.$transaction(
    async (tx) => {
      const pending: Pending<Row, State>[] = [];
      const valid: { index: number; row: Row }[] = [];
      rawRows.forEach((raw, index) => {
        const parsed = kind.rowSchema.safeParse(raw);
        if (parsed.success) valid.push({ index, row: parsed.data });
        else {
          const error = zodRowError(parsed.error);
          pending.push({ index, row: raw as Row, status: 'error', message: error.message, field: error.field });
        }
      });

      const context: SyncContext<Prepared, Tx> = {
        tx,
        brandId,
        user,
        prepared: await kind.prepare(tx, brandId, valid.map((item) => item.row), user),
      };
      const ids = new Set<string>();
      const keys = new Set<string>();
      for (const { row } of valid) {
        if (row.id) ids.add(row.id);
        const key = kind.keyOf(row);
        if (key !== null) keys.add(key);
      }
      const states = await kind.lock(context, [...ids], [...keys]);
      const byId = new Map<string, State>();
      const byKey = new Map<string, State[]>();
      for (const state of states) {
        byId.set(state.id, state);
        const key = kind.stateKey(state);
        const holders = byKey.get(key);
        if (holders) holders.push(state);
        else byKey.set(key, [state]);
      }

      const staleVersions: { id: string; row_version: number }[] = [];
      for (const { row } of valid) {
        const state = row.id ? byId.get(row.id) : undefined;
        if (state && row.row_version && row.row_version < state.row_version) staleVersions.push({ id: state.id, row_version: row.row_version });
      }
      const bases = await inputsAtVersions(tx, kind.entity, staleVersions);

      const seenIds = new Map<string, number>();
      const seenKeys = new Map<string, number>();
      const creates: { index: number; row: Row; write: Write }[] = [];
      const updates: { index: number; row: Row; state: State; write: Write & { id: string } }[] = [];
      for (const { index, row } of valid) {
        try {
          const key = kind.keyOf(row);
          // A row with an id is identified by it; its key identifies it too only where keys are unique.
          const keyed = key !== null && (kind.uniqueKeyField !== undefined || !row.id);
          const earlier = (row.id ? seenIds.get(row.id) : undefined) ?? (keyed ? seenKeys.get(key) : undefined);
          if (earlier !== undefined) {
            throw new RowError(`${kind.describe(row)} is also in row ${earlier + 1} of this request; keep one of them`);
          }
          if (row.id) seenIds.set(row.id, index);
          if (keyed) seenKeys.set(key, index);

          const holders = (key !== null ? byKey.get(key) : undefined) ?? NO_STATES;
          if (!row.id && holders.length > 1) {
            throw new RowError(
              kind.ambiguousKeyMessage?.(row, holders.length) ??
                `${kind.describe(row)} matches ${holders.length} ${kind.entity}s of this brand; add the StoreSync ID of the one this row is for`,
              'id',
            );
          }
          const state = row.id ? byId.get(row.id) : holders[0];
          if (row.id && !state) {
            throw new RowError(
              `StoreSync ID ${row.id} is not a ${kind.entity} of this brand (deleted, or copied from another sheet); clear the StoreSync ID cell to sync the row as new`,
              'id',
            );
          }
          if (kind.uniqueKeyField && state && holders.some((holder) => holder.id !== state.id)) {
            throw new RowError(
              `${kind.describe(row)} belongs to another ${kind.entity} of this brand; choose another, or change that one first`,
              kind.uniqueKeyField,
            );
          }
          if (state && !row.id) {
            // Found by its key: another row must not name the same record by its id.
            const other = seenIds.get(state.id);
            if (other !== undefined) {
              throw new RowError(`${kind.describe(row)} is also in row ${other + 1} of this request; keep one of them`);
            }
            seenIds.set(state.id, index);
          }
          if (!state) {
            creates.push({ index, row, write: kind.toCreate(row, context) });
            continue;
          }
          if (row.row_version && row.row_version > state.row_version) {
            throw new RowError(
              `Row version ${row.row_version} is newer than the server's ${state.row_version}: the StoreSync columns were edited or copied; clear the row version cell and sync again`,
              'row_version',
            );
          }
          if (kind.sheetMatchesState?.(row, state)) {
            pending.push({ index, row, state, status: 'unchanged' });
            continue;
          }
          const stale = row.row_version !== undefined && row.row_version !== null && row.row_version < state.row_version;
          const baseInputs = stale ? bases.get(`${state.id}:${row.row_version}`) : null;
          const outcome = mergeRow({
            sheet: kind.sheetFields(row, state, context),
            current: kind.stateFields(state),
            base: baseInputs === null ? null : baseInputs === undefined ? undefined : kind.inputFields(baseInputs),
          });
          if (outcome.kind === 'unchanged') pending.push({ index, row, state, status: 'unchanged' });
          else if (outcome.kind === 'conflict') pending.push({ index, row, state, status: 'conflict', conflicts: outcome.conflicts });
          else updates.push({ index, row, state, write: kind.toUpdate(state, outcome.changes, context) });
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          pending.push({ index, row, status: 'error', message: error.message, field: error.field });
        }
      }

      const created = creates.length > 0 ? await kind.insert(context, creates.map((item) => item.write)) : [];
      const createdByKey = new Map(created.map((state) => [kind.stateKey(state), state]));
      for (const { index, row } of creates) {
        const state = createdByKey.get(kind.keyOf(row) ?? '');
        if (state) pending.push({ index, row, state: undefined, status: 'created' });
        else pending.push({ index, row, status: 'error', message: kind.insertRaceMessage(row) });
      }
      const updated = updates.length > 0 ? await kind.update(context, updates.map((item) => item.write)) : [];
      const updatedById = new Map(updated.map((state) => [state.id, state]));
      for (const { index, row, state } of updates) {
        pending.push({ index, row, state: updatedById.get(state.id) ?? state, status: 'updated' });
      }

      const finalStates = new Map<number, State>();
      for (const item of pending) {
        const state = item.status === 'created' ? createdByKey.get(kind.keyOf(item.row) ?? '') : item.state;
        if (state) finalStates.set(item.index, state);
      }
      const records = await kind.toRecords(context, [...new Set(finalStates.values())]);
      const counts = Object.fromEntries(SYNC_ROW_STATUSES.map((status) => [status, 0])) as Record<SyncRowStatus, number>;
      const results = pending
        .sort((a, b) => a.index - b.index)
        .map((item): SyncRowOutcome<Rec> => {
          counts[item.status] += 1;
          const state = finalStates.get(item.index);
          const record = state ? records.get(state.id) : undefined;
          const ref = (item.row as SyncRowMeta | undefined)?.ref;
          // Assigned rather than spread: spreading was a tenth of a 10,000-row sync.
          const outcome: SyncRowOutcome<Rec> = { index: item.index, status: item.status };
          if (ref) outcome.ref = ref;
          if (record) outcome.record = record;
          if (item.status === 'error') {
            outcome.message = item.message;
            if (item.field) outcome.field = item.field;
          } else if (item.status === 'conflict' && item.conflicts) {
            outcome.conflicts = item.conflicts;
            outcome.message = describeConflicts(item.conflicts);
          }
          return outcome;
        });
      // Read inside the transaction, after our writes: the brand lock we hold (if we wrote)
      // makes this exactly the newest change a client has now seen.
      const cursor = await latestChangeSeq(tx, brandId);
      return { counts, results, cursor: cursor.toString() };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
