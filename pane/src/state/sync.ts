/**
 * Syncing the active table, and jumping to the row of a listed problem. Campaign rows are checked
 * against the brand's templates and locations before sending, so most mistakes are explained
 * without a round trip; those lists are fetched once per brand and refreshed after a sync of
 * the Locations or Templates table changes them.
 */
import { useCallback, useRef, useState } from 'react';
import type { ReadOptions } from '@storesync/core';
import { loadConnections, type Connection } from '../workflows/connections.ts';
import { resolveConflict, runSync, type SyncIssue, type SyncSummary } from '../workflows/sync.ts';
import { locate } from '../workflows/table.ts';
import type { PaneServices } from './services.ts';
import { useAction } from './use-action.ts';

type Reference = Pick<ReadOptions, 'templates' | 'locations'>;

export function useSync({ host, client }: PaneServices, connection: Connection | null, onConnection: (connection: Connection) => void) {
  const reference = useRef(new Map<string, Reference>());

  const loadReference = useCallback(
    async (brandId: string): Promise<Reference> => {
      const cached = reference.current.get(brandId);
      if (cached) return cached;
      const [templates, locations] = await Promise.all([client.listTemplates(brandId), client.listLocations(brandId)]);
      const loaded: Reference = { templates, locations };
      reference.current.set(brandId, loaded);
      return loaded;
    },
    [client],
  );

  /** Conflicts settled since the last sync, hidden from the list. */
  const [resolved, setResolved] = useState<ReadonlySet<SyncIssue>>(new Set());

  const sync = useAction(async (): Promise<SyncSummary & { tableId: string }> => {
    if (!connection) throw new Error('Connect a table first.');
    setResolved(new Set());
    const summary = await runSync({
      host,
      client,
      connection,
      ...(connection.kind === 'campaigns' ? { reference: await loadReference(connection.brandId) } : {}),
    });
    if (connection.kind !== 'campaigns' && summary.counts.created + summary.counts.updated > 0) reference.current.delete(connection.brandId);
    const saved = (await loadConnections(host)).find((candidate) => candidate.tableId === connection.tableId);
    if (saved) onConnection(saved);
    return { ...summary, tableId: connection.tableId };
  });
  // A summary belongs to the table it synced: after switching tables it is not shown as theirs.
  const current = sync.result === undefined || sync.result.tableId === connection?.tableId ? sync : { ...sync, result: undefined };

  const selectIssue = useAction(async (issue: SyncIssue): Promise<boolean> => {
    if (!connection) return false;
    const row = issue.ref ? await locate(host, connection.tableId, connection.kind, connection.manual, issue.ref) : issue.row - 1;
    if (row === null || row < 1) throw new Error(`Row ${issue.row} moved or changed since the sync; sync again to find it.`);
    await host.selectRow(connection.tableId, row);
    return true;
  });

  const resolve = useAction(async (issue: SyncIssue, choice: 'theirs' | 'mine') => {
    if (!connection) return;
    await resolveConflict(host, connection, issue, choice);
    setResolved((previous) => new Set([...previous, issue]));
  });

  return { sync: current, selectIssue, resolve, resolved };
}
