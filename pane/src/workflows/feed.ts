/**
 * Catching up from the change feed: what changed in StoreSync since this table's cursor (copy
 * generated, reviews decided, edits by others) lands in the table's output cells. Runs when the
 * pane opens and while a generation run is in progress. Only outputs and ids are written
 * (`mode: 'results'`), never a cell the person types in, so unsynced edits are never overwritten;
 * the row's StoreSync Version stays too (see `withoutVersion`), so the next sync still merges.
 */
import { SHEET_ENTITY, type SheetKind, type SyncRecordMap, type SyncResult } from '@storesync/core';
import type { StoreSyncClient } from '../api/client.ts';
import type { Host } from '../host.ts';
import { saveConnection, type Connection } from './connections.ts';
import { withoutVersion, writeResults } from './table.ts';

/** Pages per catch-up; the rest waits for the next one, so opening the pane never hangs on a backlog. */
const MAX_PAGES = 20;

export interface CatchUpResult {
  connection: Connection;
  /** Records of this table's kind that changed. */
  changed: number;
  cellsChanged: number;
}

export async function catchUp<K extends SheetKind>(host: Host, client: StoreSyncClient, connection: Connection & { kind: K }): Promise<CatchUpResult> {
  // Before a first sync the table has no StoreSync ids, so there is nothing to catch up on.
  if (connection.cursor === null) return { connection, changed: 0, cellsChanged: 0 };
  const entity = SHEET_ENTITY[connection.kind];
  const latest = new Map<string, SyncRecordMap[K]>();
  let cursor: string = connection.cursor;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await client.changes(connection.brandId, cursor);
    for (const change of answer.changes) {
      if (change.entity !== entity) continue;
      if (change.deleted) latest.delete(change.id);
      else latest.set(change.id, change.record as SyncRecordMap[K]);
    }
    cursor = answer.next_cursor;
    if (!answer.has_more) break;
  }
  let cellsChanged = 0;
  if (latest.size > 0) {
    const results = [...latest.values()].map((record) => ({ ref: { id: record.id }, record: withoutVersion(record) })) as SyncResult<K>[];
    // Records of rows that are not in this table are simply unplaced: other tables, other people's rows.
    cellsChanged = (await writeResults(host, connection.tableId, connection.kind, connection.manual, results)).cellsChanged;
  }
  const next = { ...connection, cursor };
  if (cursor !== connection.cursor) await saveConnection(host, next);
  return { connection: next, changed: latest.size, cellsChanged };
}
