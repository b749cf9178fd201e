import { Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, makeStyles, Spinner, Text, Textarea, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { CommentRequest, useReview } from '../state/review.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** Asks for the comments reject and request-changes require; Cancel puts the status back. */
function CommentsDialog({ request }: { request: CommentRequest }) {
  const [comments, setComments] = useState('');
  const label = request.action.replace('_', ' ');
  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && request.answer(null)}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Comments for row {request.row}</DialogTitle>
          <DialogContent>
            <Field label={`Why ${label}? (required)`}>
              <Textarea value={comments} onChange={(_, data) => setComments(data.value)} autoFocus />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!comments.trim()} onClick={() => request.answer(comments)}>
              {label[0]?.toUpperCase()}
              {label.slice(1)}
            </Button>
            <Button onClick={() => request.answer(null)}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

export function ReviewPanel({ review }: { review: ReturnType<typeof useReview> }) {
  const styles = useStyles();
  const { submit, outcomes, unsynced } = review;
  return (
    <section className={styles.root} aria-label="Review">
      <Button appearance="primary" onClick={() => void submit.run()} disabled={submit.busy}>
        {submit.busy ? <Spinner size="tiny" label="Submitting…" /> : 'Submit selected for review'}
      </Button>
      <Text size={200}>Changing a Status cell in the table asks StoreSync for that step (approve, reject, …); a refused change is put back with the reason.</Text>
      <ErrorNotice error={submit.error} />
      <ErrorNotice error={review.editError} onDismiss={review.clearEditError} />
      {unsynced.length > 0 && <Text size={200}>Rows {unsynced.join(', ')} are not synced yet; sync them first.</Text>}
      {outcomes.length > 0 && (
        <ul className={styles.list} aria-label="Review results" aria-live="polite">
          {outcomes.map((outcome) => (
            <li key={`${outcome.campaignId}:${outcome.row}`}>
              <Badge appearance="tint" color={outcome.ok ? 'success' : 'danger'} size="small">
                Row {outcome.row}
              </Badge>{' '}
              {outcome.status && <Badge appearance="outline" size="small">{outcome.status.replace('_', ' ')}</Badge>} {outcome.message}
            </li>
          ))}
        </ul>
      )}
      {review.commentRequest && <CommentsDialog request={review.commentRequest} />}
    </section>
  );
}
