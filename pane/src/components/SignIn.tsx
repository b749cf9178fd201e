import { Button, Field, Input, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useAction } from '../state/use-action.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL },
});

export function SignIn({ onSignIn, startError }: { onSignIn: (email: string, password: string) => Promise<void>; startError?: unknown }) {
  const styles = useStyles();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useAction(onSignIn);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signIn.run(email.trim(), password);
  };
  return (
    <form className={styles.form} onSubmit={submit} aria-label="Sign in to StoreSync">
      <Text as="h1" size={500} weight="semibold">
        Sign in to StoreSync
      </Text>
      <ErrorNotice error={signIn.error ?? startError} />
      <Field label="Email" required>
        <Input type="email" autoComplete="username" value={email} onChange={(_, data) => setEmail(data.value)} />
      </Field>
      <Field label="Password" required>
        <Input type="password" autoComplete="current-password" value={password} onChange={(_, data) => setPassword(data.value)} />
      </Field>
      <Button appearance="primary" type="submit" disabled={signIn.busy || !email.trim() || !password}>
        {signIn.busy ? <Spinner size="tiny" label="Signing in…" /> : 'Sign in'}
      </Button>
    </form>
  );
}
