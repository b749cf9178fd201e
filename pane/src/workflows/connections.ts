/**
 * Connections: which table of the document is synced as what, for which brand, with which hand
 * column mappings. Kept in the document (host.documentSettings) so whoever opens the workbook
 * next needs no setup; tokens never go here (the document travels).
 */
import type { Connection, Host } from '../host.ts';

export type { Connection };

const CONNECTIONS_KEY = 'storesync.connections';

function isConnection(value: unknown): value is Connection {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Connection>;
  return typeof candidate.tableId === 'string' && typeof candidate.kind === 'string' && typeof candidate.brandId === 'string';
}

export async function loadConnections(host: Host): Promise<Connection[]> {
  const stored = await host.documentSettings.get(CONNECTIONS_KEY);
  if (!Array.isArray(stored)) return [];
  // A document edited by an older pane (or by hand) may hold junk; skip it rather than crash.
  return stored.filter(isConnection).map((connection) => ({ ...connection, manual: connection.manual ?? {}, cursor: connection.cursor ?? null }));
}

export async function saveConnection(host: Host, connection: Connection): Promise<Connection[]> {
  const others = (await loadConnections(host)).filter((existing) => existing.tableId !== connection.tableId);
  const next = [...others, connection];
  await host.documentSettings.set(CONNECTIONS_KEY, next);
  return next;
}

export async function removeConnection(host: Host, tableId: string): Promise<Connection[]> {
  const next = (await loadConnections(host)).filter((existing) => existing.tableId !== tableId);
  await host.documentSettings.set(CONNECTIONS_KEY, next);
  return next;
}

/**
 * Moves the stored connection's cursor forward (never back), leaving the rest as stored, so a
 * mapping saved while a catch-up ran is not replaced by the catch-up's older copy. A connection
 * that is not stored yet is saved whole; one stored since as another kind or brand is left alone.
 */
export async function saveCursor(host: Host, connection: Connection): Promise<void> {
  const all = await loadConnections(host);
  const stored = all.find((existing) => existing.tableId === connection.tableId);
  if (!stored) {
    await host.documentSettings.set(CONNECTIONS_KEY, [...all, connection]);
    return;
  }
  if (stored.kind !== connection.kind || stored.brandId !== connection.brandId || connection.cursor === null) return;
  if (stored.cursor !== null && !cursorAfter(connection.cursor, stored.cursor)) return;
  await host.documentSettings.set(
    CONNECTIONS_KEY,
    all.map((existing) => (existing === stored ? { ...stored, cursor: connection.cursor } : existing)),
  );
}

/** Whether cursor `a` (a change number) is after `b`; junk counts as before everything. */
export function cursorAfter(a: string, b: string | null): boolean {
  const value = (cursor: string | null) => (cursor !== null && /^\d{1,30}$/.test(cursor) ? BigInt(cursor) : -1n);
  return value(a) > value(b);
}
