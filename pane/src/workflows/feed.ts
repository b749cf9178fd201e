/**
 * The change feed in the table: what changed in StoreSync since this table's cursor (copy
 * generated, reviews decided, edits by others) lands in the table's output cells. Two ways in,
 * one way to the cells:
 * - {@link catchUp} pulls GET /sync/changes from the table's cursor (when the pane opens, while a
 *   generation runs, and every few seconds when live updates have to poll);
 * - live updates (live.ts) receive the same change events from GET /sync/events as they happen.
 * Both end in {@link applyChanges}: only outputs and ids are written (`planWrites`' default
 * `mode: 'results'`), never a cell the person types in, so unsynced edits are never overwritten;
 * the row's StoreSync Version stays too (see `withoutVersion`), so the next sync still merges;
 * and Sync Error keeps what the last sync said (a conflict stays visible until it is resolved).
 */
import { feedResults, type ChangeEvent, type SheetKind } from '@storesync/core';
import type { StoreSyncClient } from '../api/client.ts';
import type { Host } from '../host.ts';
import { cursorAfter, saveCursor, type Connection } from './connections.ts';
import { writeResults } from './table.ts';

/** Pages per catch-up; the rest waits for the next one, so opening the pane never hangs on a backlog. */
const MAX_PAGES = 20;

export interface CatchUpResult {
  connection: Connection;
  /** Records of this table's kind that changed. */
  changed: number;
  cellsChanged: number;
}

/** Whether change number `seq` comes after `cursor` (a `null` cursor is before everything). */
export const isAfter = cursorAfter;

/** The later of two cursors. */
export function laterCursor(a: string, b: string | null): string {
  return isAfter(a, b) || b === null ? a : b;
}

/**
 * Writes `changes` (oldest first, all after the connection's cursor) into the table and moves its
 * cursor to `cursor`, saved in the document. Changes to other kinds of records, and records of
 * rows that are not in this table, are passed over; a record that changed several times is
 * written once, as it is in its latest change.
 */
export async function applyChanges<K extends SheetKind>(
  host: Host,
  connection: Connection & { kind: K },
  changes: readonly ChangeEvent[],
  cursor: string,
): Promise<CatchUpResult> {
  const results = feedResults(connection.kind, changes);
  // Records of rows that are not in this table are simply unplaced: other tables, other people's rows.
  const cellsChanged =
    results.length > 0
      ? (await writeResults(host, connection.tableId, connection.kind, connection.manual, results, { keepSyncErrors: true })).cellsChanged
      : 0;
  const next = { ...connection, cursor };
  if (cursor !== connection.cursor) await saveCursor(host, next);
  return { connection: next, changed: results.length, cellsChanged };
}

export async function catchUp<K extends SheetKind>(host: Host, client: StoreSyncClient, connection: Connection & { kind: K }): Promise<CatchUpResult> {
  // Before a first sync the table has no StoreSync ids, so there is nothing to catch up on.
  if (connection.cursor === null) return { connection, changed: 0, cellsChanged: 0 };
  const changes: ChangeEvent[] = [];
  let cursor: string = connection.cursor;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await client.changes(connection.brandId, cursor);
    changes.push(...answer.changes);
    cursor = answer.next_cursor;
    if (!answer.has_more) break;
  }
  return applyChanges(host, connection, changes, cursor);
}

const queues = new WeakMap<Host, Promise<unknown>>();

/**
 * Runs `task` after every task queued before it for the same host, so catch-ups and live batches
 * never interleave their read-plan-write rounds, and a cursor is never moved back by a slower,
 * older pull. A failed task does not stop the ones after it.
 */
export function exclusive<T>(host: Host, task: () => Promise<T>): Promise<T> {
  // The stored tail never rejects, so each task runs whatever happened to the one before.
  const next = (queues.get(host) ?? Promise.resolve()).then(task);
  queues.set(
    host,
    next.catch(() => undefined),
  );
  return next;
}
