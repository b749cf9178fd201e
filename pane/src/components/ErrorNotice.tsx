import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiUnreachableError, describeError, InvalidCredentialsError, NoAccessError, SignedOutError, ValidationError } from '../api/errors.ts';

/** A title per kind of failure, so a person can tell "StoreSync is down" from "you typed it wrong". */
function titleOf(error: unknown): string {
  if (error instanceof ApiUnreachableError) return 'StoreSync is unreachable';
  if (error instanceof InvalidCredentialsError) return 'Not signed in';
  if (error instanceof SignedOutError) return 'Signed out';
  if (error instanceof NoAccessError) return 'No access';
  if (error instanceof ValidationError) return 'Not accepted';
  return 'Something went wrong';
}

export function ErrorNotice({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  if (error === undefined || error === null) return null;
  return (
    <MessageBar intent={error instanceof ApiUnreachableError ? 'warning' : 'error'} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{titleOf(error)}</MessageBarTitle> {describeError(error)}
      </MessageBarBody>
      {(onRetry ?? onDismiss) && (
        <MessageBarActions>
          {onRetry && <Button onClick={onRetry}>Try again</Button>}
          {onDismiss && (
            <Button appearance="transparent" onClick={onDismiss}>
              Dismiss
            </Button>
          )}
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
