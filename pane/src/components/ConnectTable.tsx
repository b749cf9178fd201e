import { Button, Field, makeStyles, Select, Text, tokens } from '@fluentui/react-components';
import { detectSheetKind, SHEET_KINDS, type ManualMapping, type SheetKind } from '@storesync/core';
import { useState } from 'react';
import type { HostTable } from '../host.ts';
import { useAction } from '../state/use-action.ts';
import type { Connection } from '../workflows/connections.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { MappingEditor, mappingIsUsable } from './MappingEditor.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

const KIND_LABELS: Record<SheetKind, string> = { locations: 'Locations', campaigns: 'Campaigns', templates: 'Templates' };

/**
 * Connecting a table: pick it, confirm what it holds (the engine proposes from its headers),
 * review and fix the column mapping. Saved in the document, so the next open needs no setup.
 */
export function ConnectTable({
  tables,
  brandId,
  existing,
  onConnect,
  onCancel,
  onRefreshTables,
}: {
  tables: HostTable[];
  brandId: string;
  existing?: Connection;
  onConnect: (connection: Connection) => Promise<void>;
  onCancel?: () => void;
  onRefreshTables: () => Promise<void>;
}) {
  const styles = useStyles();
  const [tableId, setTableId] = useState(existing?.tableId ?? '');
  const table = tables.find((candidate) => candidate.id === tableId);
  const proposed = table ? detectSheetKind(table.headers) : null;
  const [chosenKind, setChosenKind] = useState<SheetKind | null>(existing?.kind ?? null);
  const kind = chosenKind ?? proposed;
  const [manual, setManual] = useState<ManualMapping>(existing?.manual ?? {});
  const connect = useAction(onConnect);

  if (tables.length === 0) {
    return (
      <EmptyState
        title="No tables in this workbook yet"
        action={
          <Button onClick={() => void onRefreshTables()}>
            Look again
          </Button>
        }
      >
        Put your stores or campaigns in a table with a header row (one row per store or campaign), then look again.
      </EmptyState>
    );
  }

  const pickTable = (id: string) => {
    setTableId(id);
    setChosenKind(null);
    setManual({});
  };
  const usable = table !== undefined && kind !== null && mappingIsUsable(table.headers, kind, manual);
  const save = () => {
    if (!table || !kind) return;
    void connect.run({ tableId: table.id, tableName: table.name, kind, brandId, manual, cursor: existing?.tableId === table.id && existing.kind === kind ? existing.cursor : null });
  };

  return (
    <section className={styles.root} aria-label="Connect a table">
      <Text as="h2" size={400} weight="semibold">
        {existing ? 'Change connection' : 'Connect a table'}
      </Text>
      <Field label="Table">
        <Select value={tableId} onChange={(_, data) => pickTable(data.value)}>
          <option value="">Choose a table…</option>
          {tables.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} ({candidate.sheetName}, {candidate.rowCount} rows)
            </option>
          ))}
        </Select>
      </Field>
      {table && (
        <Field label="It holds" hint={proposed ? `Proposed from its headers: ${KIND_LABELS[proposed]}` : 'Its headers do not look like a StoreSync table yet; choose what it holds.'}>
          <Select value={kind ?? ''} onChange={(_, data) => setChosenKind(data.value as SheetKind)}>
            {kind === null && <option value="">Choose…</option>}
            {SHEET_KINDS.map((candidate) => (
              <option key={candidate} value={candidate}>
                {KIND_LABELS[candidate]}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {table && kind && <MappingEditor headers={table.headers} kind={kind} manual={manual} onChange={setManual} />}
      <ErrorNotice error={connect.error} />
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!usable || connect.busy} onClick={save}>
          {existing ? 'Save' : 'Connect'}
        </Button>
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
      </div>
    </section>
  );
}
