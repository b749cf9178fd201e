/**
 * Review from the sheet: "submit selected", and Status cells changed by hand, which become
 * transition requests (review.ts in workflows). Actions that need comments ask through a dialog
 * the pane shows while `commentRequest` is set. Results belong to their table: switching tables
 * clears them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkflowAction } from '@storesync/core';
import type { Connection } from '../workflows/connections.ts';
import { applyStatusEdit, submitRows, type TransitionOutcome } from '../workflows/review.ts';
import type { PaneServices } from './services.ts';
import { useAction } from './use-action.ts';

export interface CommentRequest {
  action: WorkflowAction;
  row: number;
  answer: (comments: string | null) => void;
}

interface Results {
  tableId: string;
  outcomes: TransitionOutcome[];
  unsynced: number[];
}

export function useReview({ host, client }: PaneServices, connection: Connection | null) {
  const [results, setResults] = useState<Results | null>(null);
  const [commentRequest, setCommentRequest] = useState<CommentRequest | null>(null);
  const [editError, setEditError] = useState<unknown>(undefined);

  const askComments = useCallback(
    (request: { action: WorkflowAction; row: number }) =>
      new Promise<string | null>((resolve) => {
        setCommentRequest({
          ...request,
          answer: (comments) => {
            setCommentRequest(null);
            resolve(comments);
          },
        });
      }),
    [],
  );

  const submit = useAction(async () => {
    if (!connection) throw new Error('Connect a campaign table first.');
    const answer = await submitRows({ host, client, connection, askComments });
    setResults({ tableId: connection.tableId, outcomes: answer.outcomes, unsynced: answer.unsynced });
    if (answer.outcomes.length === 0 && answer.unsynced.length === 0) throw new Error('Select one or more synced campaign rows in the table first.');
    return answer;
  });

  // Another table: the results listed were about the previous one's rows.
  const tableId = connection?.tableId ?? null;
  const { clearError: clearSubmitError } = submit;
  const shownFor = useRef(tableId);
  useEffect(() => {
    if (shownFor.current === tableId) return;
    shownFor.current = tableId;
    setResults(null);
    setEditError(undefined);
    clearSubmitError();
  }, [tableId, clearSubmitError]);

  // Status cells typed by the person: one edit at a time, in the order made, so two quick
  // edits of one row never race each other's transitions.
  const queue = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    if (!connection || connection.kind !== 'campaigns') return;
    const stop = host.onUserEdit(connection.tableId, (edit) => {
      queue.current = queue.current.then(async () => {
        try {
          const handled = await applyStatusEdit({ host, client, connection, askComments }, edit);
          if (handled.length > 0) setResults({ tableId: connection.tableId, outcomes: handled, unsynced: [] });
        } catch (error) {
          setEditError(error);
        }
      });
    });
    return stop;
  }, [host, client, connection, askComments]);

  const mine = results?.tableId === tableId ? results : null;
  return { submit, outcomes: mine?.outcomes ?? [], unsynced: mine?.unsynced ?? [], commentRequest, editError, clearEditError: () => setEditError(undefined) };
}
