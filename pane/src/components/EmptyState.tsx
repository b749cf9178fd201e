import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalL, textAlign: 'center', alignItems: 'center' },
});

/** What a screen shows when there is nothing yet, with the one thing to do about it. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.root} role="status">
      <Text weight="semibold">{title}</Text>
      {children && <Text size={200}>{children}</Text>}
      {action}
    </div>
  );
}
