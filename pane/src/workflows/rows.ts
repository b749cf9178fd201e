/**
 * Which StoreSync campaigns the person means: the selected rows of a connected table, or all of
 * them, by the hidden StoreSync ID column. Rows without an id have never been synced.
 */
import { cellText, readRows, type RowRef } from '@storesync/core';
import type { Host } from '../host.ts';
import type { Connection } from './connections.ts';
import { readMapped } from './table.ts';

export interface RowTarget {
  /** 0-based row index at the time of reading. */
  index: number;
  id: string;
  ref: RowRef;
  /** What the row shows in its Status column, normalised (`Pending review` → `pending_review`). */
  status: string | null;
  /** The row's own scheduled start and end as the API expects them (for `schedule`). */
  scheduledStart: string | null;
  scheduledEnd: string | null;
}

export interface RowTargets {
  targets: RowTarget[];
  /** 1-based rows that were meant but have no StoreSync ID yet (sync them first). */
  unsynced: number[];
}

/** `Pending review` → `pending_review`, as the API names statuses. */
export const normalizeStatus = (text: string) => text.trim().toLowerCase().replace(/[\s-]+/g, '_');

export async function rowTargets(host: Host, connection: Connection, scope: 'selected' | 'all' | number[]): Promise<RowTargets> {
  const { sheet, mapping } = await readMapped(host, connection.tableId, connection.kind, connection.manual);
  const dates = await host.getDateSettings();
  const wanted =
    scope === 'all'
      ? sheet.values.map((_, index) => index).slice(1)
      : scope === 'selected'
        ? await host.getSelectedRows(connection.tableId)
        : scope;
  const idColumn = mapping.fields.id;
  const statusColumn = mapping.fields.status;
  // Dates read the way a sync reads them, so `schedule` sends what the row shows.
  const parsed = new Map(readRows(sheet, mapping, { dateSystem: dates.dateSystem, timeZone: dates.timeZone }).rows.map((row) => [row.index, row]));
  const result: RowTargets = { targets: [], unsynced: [] };
  for (const index of wanted) {
    const cells = sheet.values[index];
    if (!cells || index < 1) continue;
    const id = idColumn === undefined ? '' : cellText(cells[idColumn] ?? null).trim();
    if (!id) {
      if (cells.some((cell) => cellText(cell).trim() !== '')) result.unsynced.push(index + 1);
      continue;
    }
    const payload = parsed.get(index)?.payload as { scheduled_start?: string | null; scheduled_end?: string | null } | undefined;
    const status = statusColumn === undefined ? '' : cellText(cells[statusColumn] ?? null);
    result.targets.push({
      index,
      id,
      ref: parsed.get(index)?.ref ?? { id },
      status: status.trim() ? normalizeStatus(status) : null,
      scheduledStart: payload?.scheduled_start ?? null,
      scheduledEnd: payload?.scheduled_end ?? null,
    });
  }
  return result;
}

