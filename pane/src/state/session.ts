/**
 * The session: resuming from the stored refresh token when the pane opens, signing in and out,
 * and falling back to the sign-in screen whenever the client reports the session ended.
 */
import { useCallback, useEffect, useState } from 'react';
import type { User } from '../api/types.ts';
import type { PaneServices } from './services.ts';

export type SessionStatus = 'starting' | 'signed-out' | 'signed-in';

export interface Session {
  status: SessionStatus;
  user: User | null;
  /** Why the pane could not resume (API down…); the sign-in screen shows it. */
  startError: unknown;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

export function useSession({ client, onSignedOut }: PaneServices): Session {
  const [status, setStatus] = useState<SessionStatus>('starting');
  const [user, setUser] = useState<User | null>(null);
  const [startError, setStartError] = useState<unknown>(undefined);

  useEffect(() => {
    let active = true;
    client.resume().then(
      (resumed) => {
        if (!active) return;
        setUser(resumed);
        setStatus(resumed ? 'signed-in' : 'signed-out');
      },
      (error: unknown) => {
        if (!active) return;
        setStartError(error);
        setStatus('signed-out');
      },
    );
    const stop = onSignedOut(() => {
      setUser(null);
      setStatus('signed-out');
    });
    return () => {
      active = false;
      stop();
    };
  }, [client, onSignedOut]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const signedIn = await client.signIn(email, password);
      setStartError(undefined);
      setUser(signedIn);
      setStatus('signed-in');
    },
    [client],
  );

  const signOut = useCallback(async () => {
    await client.signOut();
    setUser(null);
    setStatus('signed-out');
  }, [client]);

  return { status, user, startError, signIn, signOut };
}
