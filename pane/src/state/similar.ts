/**
 * Similar approved copy for the selected row: the query is the row's own copy when it has some,
 * else what it is about (template, store, customizations), so a fresh row still finds examples.
 */
import { useState } from 'react';
import { cellText } from '@storesync/core';
import type { SimilarCampaign } from '../api/types.ts';
import type { Connection } from '../workflows/connections.ts';
import { readMapped } from '../workflows/table.ts';
import type { PaneServices } from './services.ts';
import { useAction } from './use-action.ts';

export function useSimilar({ host, client }: PaneServices, connection: Connection | null) {
  const [query, setQuery] = useState('');

  const fromSelection = useAction(async (): Promise<string> => {
    if (!connection) throw new Error('Connect a campaign table first.');
    const [row] = await host.getSelectedRows(connection.tableId);
    if (row === undefined) throw new Error('Select a campaign row in the table first.');
    const { sheet, mapping } = await readMapped(host, connection.tableId, connection.kind, connection.manual);
    const cells = sheet.values[row] ?? [];
    const at = (field: string) => {
      const index = mapping.fields[field];
      return index === undefined ? '' : cellText(cells[index] ?? null).trim();
    };
    const copy = at('generated_content');
    const about = [at('template'), at('location_name'), ...mapping.extras.map((column) => cellText(cells[column.index] ?? null).trim())]
      .filter(Boolean)
      .join(' ');
    const text = (copy || about).slice(0, 500);
    if (!text) throw new Error('The selected row has nothing to search with yet; fill in its template first.');
    setQuery(text);
    return text;
  });

  const search = useAction(async (text: string): Promise<SimilarCampaign[]> => {
    if (!connection) throw new Error('Connect a campaign table first.');
    const trimmed = text.trim();
    if (!trimmed) throw new Error('Type what the copy is about, or use the selected row.');
    return client.similar(trimmed.slice(0, 500), connection.brandId, 5);
  });

  return { query, setQuery, fromSelection, search };
}
