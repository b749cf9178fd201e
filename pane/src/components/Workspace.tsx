import { Button, Field, makeStyles, MessageBar, MessageBarBody, Select, Spinner, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { SimilarCampaign } from '../api/types.ts';
import { useConnections } from '../state/connections.ts';
import { useServices } from '../state/context.tsx';
import { useGeneration } from '../state/generation.ts';
import { useLiveUpdates } from '../state/live.ts';
import { useReview } from '../state/review.ts';
import { useSimilar } from '../state/similar.ts';
import { useSync } from '../state/sync.ts';
import { DEFAULT_LIVE_TIMING, type LiveStatus } from '../workflows/live.ts';
import { ConnectTable } from './ConnectTable.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { GeneratePanel } from './GeneratePanel.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { SimilarPanel } from './SimilarPanel.tsx';
import { SyncPanel } from './SyncPanel.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1 },
  live: { color: tokens.colorNeutralForeground3, marginTop: `calc(-1 * ${tokens.spacingVerticalS})` },
  // Sheets' sidebar is 300 px wide: five tabs wrap to a second line rather than run off the edge.
  tabs: { flexWrap: 'wrap' },
});

/** One line under the table picker: how changes made elsewhere reach the table. */
function LiveLine({ status, pollMs }: { status: LiveStatus; pollMs: number }) {
  const styles = useStyles();
  const text: Partial<Record<LiveStatus['mode'], string>> = {
    connecting: 'Connecting for live updates…',
    live: 'Live: changes made in StoreSync appear in the table as they happen.',
    reconnecting: 'Live updates interrupted; reconnecting…',
    polling: `Checking StoreSync for changes every ${Math.round(pollMs / 1000)} s.`,
  };
  const line = text[status.mode];
  return (
    <Text size={200} className={styles.live} role="status" aria-label="Live updates">
      {line ?? ''}
    </Text>
  );
}

type TabName = 'sync' | 'generate' | 'review' | 'similar' | 'setup';
const NEW_TABLE = '__connect__';

/** The work on one brand: which connected table, and what to do with it. */
export function Workspace({ brandId }: { brandId: string }) {
  const styles = useStyles();
  const services = useServices();
  const connections = useConnections(services, brandId);
  const { active, update } = connections;
  const live = useLiveUpdates(services, brandId, connections.connections === null ? null : connections.available, update);
  const [tab, setTab] = useState<TabName>('sync');
  const [connecting, setConnecting] = useState(false);
  const [examples, setExamples] = useState<SimilarCampaign[]>([]);

  const sync = useSync(services, active, update);
  const generation = useGeneration(services, active, examples, live.pull);
  const review = useReview(services, active);
  const similar = useSimilar(services, active);
  const toggleExample = useCallback((example: SimilarCampaign) => {
    setExamples((previous) => (previous.some((chosen) => chosen.id === example.id) ? previous.filter((chosen) => chosen.id !== example.id) : [...previous, example]));
  }, []);

  if (connections.connections === null) return <Spinner label="Reading the workbook…" />;

  const mine = connections.connections.filter((connection) => connection.brandId === brandId);
  const available = mine.filter((connection) => connections.tables.some((table) => table.id === connection.tableId));
  if (connecting || available.length === 0) {
    return (
      <div className={styles.root}>
        <ErrorNotice error={connections.error} />
        {connections.missing.length > 0 && (
          <MessageBar intent="warning">
            <MessageBarBody>
              {connections.missing.map((connection) => connection.tableName).join(', ')} {connections.missing.length === 1 ? 'was' : 'were'} connected but no longer
              {connections.missing.length === 1 ? ' exists' : ' exist'} in this workbook; connect a table again.
            </MessageBarBody>
          </MessageBar>
        )}
        <ConnectTable
          tables={connections.tables}
          brandId={brandId}
          onConnect={async (connection) => {
            await connections.connect(connection);
            setConnecting(false);
            setTab('sync');
          }}
          {...(available.length > 0 ? { onCancel: () => setConnecting(false) } : {})}
          onRefreshTables={connections.refresh}
        />
      </div>
    );
  }

  const isCampaigns = active?.kind === 'campaigns';
  const current: TabName = !isCampaigns && ['generate', 'review', 'similar'].includes(tab) ? 'sync' : tab;
  const tableName = (tableId: string) => connections.tables.find((table) => table.id === tableId)?.name ?? tableId;

  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <Field label="Table" className={styles.grow}>
          <Select
            value={active?.tableId ?? ''}
            onChange={(_, data) => (data.value === NEW_TABLE ? setConnecting(true) : connections.setActive(data.value))}
          >
            {available.map((connection) => (
              <option key={connection.tableId} value={connection.tableId}>
                {tableName(connection.tableId)} ({connection.kind})
              </option>
            ))}
            <option value={NEW_TABLE}>Connect another table…</option>
          </Select>
        </Field>
      </div>
      <LiveLine status={live.status} pollMs={services.liveTiming?.pollMs ?? DEFAULT_LIVE_TIMING.pollMs} />
      <ErrorNotice error={connections.error} />
      <ErrorNotice error={live.error} onDismiss={live.clearError} />
      <TabList
        className={styles.tabs}
        selectedValue={current}
        onTabSelect={(_, data) => setTab(data.value as TabName)}
        size="small"
        aria-label="What to do"
      >
        <Tab value="sync">Sync</Tab>
        {isCampaigns && <Tab value="generate">Generate</Tab>}
        {isCampaigns && <Tab value="review">Review</Tab>}
        {isCampaigns && <Tab value="similar">Similar</Tab>}
        <Tab value="setup">Setup</Tab>
      </TabList>
      {current === 'sync' && <SyncPanel {...sync} />}
      {current === 'generate' && <GeneratePanel generation={generation} examplesCount={examples.length} />}
      {current === 'review' && <ReviewPanel review={review} />}
      {current === 'similar' && <SimilarPanel similar={similar} examples={examples} onToggleExample={toggleExample} />}
      {current === 'setup' && active && (
        <>
          <ConnectTable
            key={active.tableId}
            tables={connections.tables}
            brandId={brandId}
            existing={active}
            onConnect={async (connection) => {
              await connections.connect(connection);
              setTab('sync');
            }}
            onRefreshTables={connections.refresh}
          />
          <Button appearance="subtle" onClick={() => void connections.disconnect(active.tableId)}>
            Disconnect {tableName(active.tableId)}
          </Button>
        </>
      )}
    </div>
  );
}
