import { Badge, Button, makeStyles, tokens } from '@fluentui/react-components';
import type { SyncIssue } from '../workflows/sync.ts';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  resolve: { display: 'flex', gap: tokens.spacingHorizontalXS, paddingInlineStart: tokens.spacingHorizontalL },
  item: { justifyContent: 'flex-start', textAlign: 'start', whiteSpace: 'normal', height: 'auto', fontWeight: tokens.fontWeightRegular },
});

const INTENT = { error: 'danger', conflict: 'warning', warning: 'informative' } as const;

/** Per-row problems; each is a button, so Tab + Enter selects its row in the table. */
export function IssueList({
  issues,
  onSelect,
  onResolve,
}: {
  issues: SyncIssue[];
  onSelect: (issue: SyncIssue) => void;
  onResolve?: (issue: SyncIssue, choice: 'theirs' | 'mine') => void;
}) {
  const styles = useStyles();
  if (issues.length === 0) return null;
  return (
    <ul className={styles.list} aria-label="Problems by row">
      {issues.map((issue, index) => (
        <li key={`${issue.row}:${issue.column}:${index}`}>
          <Button
            className={styles.item}
            appearance="subtle"
            size="small"
            disabled={issue.row <= 1}
            onClick={() => onSelect(issue)}
            title={issue.row > 1 ? `Select row ${issue.row}` : undefined}
          >
            <Badge appearance="tint" color={INTENT[issue.severity]} size="small">
              {issue.row > 1 ? `Row ${issue.row}` : 'Header'}
            </Badge>
            &nbsp;{issue.column ? `${issue.column}: ` : ''}
            {issue.message}
          </Button>
          {issue.severity === 'conflict' && issue.record && onResolve && (
            <span className={styles.resolve}>
              <Button size="small" onClick={() => onResolve(issue, 'theirs')}>
                Use StoreSync&apos;s values
              </Button>
              <Button size="small" onClick={() => onResolve(issue, 'mine')}>
                Keep mine
              </Button>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
