import { Button, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import type { SyncSummary } from '../workflows/sync.ts';
import type { useSync } from '../state/sync.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { IssueList } from './IssueList.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  counts: { display: 'grid', gridTemplateColumns: 'repeat(5, auto)', gap: tokens.spacingHorizontalS, textAlign: 'center' },
});

function Counts({ summary }: { summary: SyncSummary }) {
  const styles = useStyles();
  const { created, updated, unchanged, conflict, error } = summary.counts;
  const cells: [string, number][] = [
    ['Created', created],
    ['Updated', updated],
    ['Unchanged', unchanged],
    ['Errors', error + summary.notSent],
    ['Conflicts', conflict],
  ];
  return (
    <div className={styles.counts} role="group" aria-label="Sync summary">
      {cells.map(([label, value]) => (
        <div key={label} aria-label={`${label}: ${value}`}>
          <Text block size={500} weight="semibold">
            {value}
          </Text>
          <Text size={200}>{label}</Text>
        </div>
      ))}
    </div>
  );
}

export function SyncPanel({ sync, selectIssue, resolve, resolved }: ReturnType<typeof useSync>) {
  const styles = useStyles();
  const summary = sync.result;
  return (
    <section className={styles.root} aria-label="Sync">
      <Button appearance="primary" onClick={() => void sync.run()} disabled={sync.busy}>
        {sync.busy ? <Spinner size="tiny" label="Syncing…" /> : 'Sync now'}
      </Button>
      <ErrorNotice error={sync.error} onRetry={() => void sync.run()} />
      <ErrorNotice error={selectIssue.error ?? resolve.error} onDismiss={selectIssue.error ? selectIssue.clearError : resolve.clearError} />
      {summary && (
        <div aria-live="polite">
          {summary.blockedByHeaders ? (
            <MessageBar intent="error">
              <MessageBarBody>Nothing was synced: fix the columns below (or the mapping on the Setup tab) first.</MessageBarBody>
            </MessageBar>
          ) : (
            <Counts summary={summary} />
          )}
          {summary.unplaced.length > 0 && (
            <MessageBar intent="warning">
              <MessageBarBody>{summary.unplaced.length} results could not be written back: {summary.unplaced[0]?.message}</MessageBarBody>
            </MessageBar>
          )}
        </div>
      )}
      {summary && (
        <IssueList
          issues={summary.issues.filter((issue) => !resolved.has(issue))}
          onSelect={(issue) => void selectIssue.run(issue)}
          onResolve={(issue, choice) => void resolve.run(issue, choice)}
        />
      )}
      {!summary && !sync.busy && <Text size={200}>Sends new and changed rows to StoreSync and writes ids, status and copy back into the table.</Text>}
    </section>
  );
}
