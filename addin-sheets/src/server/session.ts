/**
 * The person's StoreSync session, held by the server code only.
 *
 * The sidebar and the background trigger both need the API, and StoreSync's refresh tokens are
 * single use: spending one that was already spent revokes the whole sign-in. Two copies of the
 * token (one in the sidebar, one for the trigger) would sooner or later race. So the tokens live
 * in ONE place, this person's user properties, and every refresh happens here under the person's
 * script lock (LockService.getUserLock), whoever asked: the sidebar's requests go through the
 * proxy (proxy.ts), which attaches the access token itself, and the pane only ever sees
 * placeholders. Tokens never reach the browser or the document.
 */
import { ApiRequestError, expectJson, failureMessage, fetchApi, type ApiAnswer } from './http.ts';
import { SERVER_KEYS, userStore, withUserLock } from './storage.ts';

export interface StoredSession {
  access: string;
  /** Epoch ms when the access token expires. */
  accessExpiresAt: number;
  refresh: string;
  email: string | null;
}

export interface TokenPairBody {
  access: string;
  refresh: string;
  access_expires_in: number;
  user?: { email?: string };
}

/** The session ended (signed out, refresh refused, account deactivated): sign in again. */
export class SignedOutError extends Error {
  constructor(message = 'You are not signed in to StoreSync. Open StoreSync (Extensions menu → StoreSync → Open StoreSync) and sign in.') {
    super(message);
    this.name = 'SignedOutError';
  }
}

/** Refresh a little before expiry, so a request never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

export function loadSession(): StoredSession | null {
  const raw = userStore().getProperty(SERVER_KEYS.session);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as StoredSession;
    return typeof parsed.refresh === 'string' && typeof parsed.access === 'string' ? parsed : null;
  } catch {
    return null; // damaged: treated as signed out, and the next sign-in overwrites it
  }
}

function saveSession(pair: TokenPairBody, email: string | null): StoredSession {
  const session: StoredSession = {
    access: pair.access,
    refresh: pair.refresh,
    accessExpiresAt: Date.now() + Math.max(0, pair.access_expires_in) * 1000,
    email,
  };
  userStore().setProperty(SERVER_KEYS.session, JSON.stringify(session));
  return session;
}

/** Keeps a new sign-in's tokens (sign-in with password through the proxy, or with Google). */
export function adoptSignIn(pair: TokenPairBody): StoredSession {
  return withUserLock(() => {
    const store = userStore();
    store.deleteProperty(SERVER_KEYS.pendingLogout);
    return saveSession(pair, pair.user?.email ?? null);
  });
}

/** Forgets the tokens; the refresh token is kept aside so a following logout can still revoke it. */
export function forgetSession(keepForLogout: boolean): void {
  const store = userStore();
  const session = loadSession();
  if (keepForLogout && session) store.setProperty(SERVER_KEYS.pendingLogout, session.refresh);
  store.deleteProperty(SERVER_KEYS.session);
}

/**
 * A session whose access token is valid for at least a minute, refreshing it (once, under the
 * lock) when needed. `usedAccess` is an access token the API just refused: it is not reused.
 */
export function freshSession(usedAccess?: string): StoredSession {
  const seen = loadSession();
  if (!seen) throw new SignedOutError();
  const usable = (session: StoredSession) => session.access !== usedAccess && session.accessExpiresAt - Date.now() > EXPIRY_MARGIN_MS;
  if (usable(seen)) return seen;
  return withUserLock(() => {
    // Another execution (the trigger, another sidebar call) may have refreshed while we waited.
    const now = loadSession();
    if (!now) throw new SignedOutError();
    if (usable(now)) return now;
    const answer = fetchApi('POST', '/api/v1/auth/token/refresh/', { body: { refresh: now.refresh } });
    if (answer.status === 200) return saveSession(expectJson<TokenPairBody>(answer), now.email);
    if (answer.status === 400 || answer.status === 401) {
      // Refused for good (expired, revoked, reused, account deactivated): the sign-in is over.
      userStore().deleteProperty(SERVER_KEYS.session);
      throw new SignedOutError('Your StoreSync session ended. Open StoreSync and sign in again.');
    }
    throw new ApiRequestError(answer.status, failureMessage(answer), undefined, answer.headers['x-request-id']);
  });
}

/**
 * A request with the session's access token. A 401 refreshes once and retries once; a second 401
 * is returned as it is (the caller explains it). Throws {@link SignedOutError} without a session.
 */
export function authorizedFetch(method: string, path: string, body?: unknown): ApiAnswer {
  const session = freshSession();
  const answer = fetchApi(method, path, { body, token: session.access });
  if (answer.status !== 401) return answer;
  const renewed = freshSession(session.access);
  return fetchApi(method, path, { body, token: renewed.access });
}

/** Revokes the refresh token on the server (best effort: the token expires anyway) and forgets it. */
export function signOut(): void {
  const store = userStore();
  const refresh = loadSession()?.refresh ?? store.getProperty(SERVER_KEYS.pendingLogout);
  store.deleteProperty(SERVER_KEYS.session);
  store.deleteProperty(SERVER_KEYS.pendingLogout);
  if (!refresh) return;
  const answer = fetchApi('POST', '/api/v1/auth/logout/', { body: { refresh } });
  if (answer.status >= 400) console.warn(`StoreSync sign-out: the server did not revoke the token (${failureMessage(answer)}); it expires on its own.`);
}

/** The Google account running the script, when the userinfo.email scope lets Apps Script tell. */
export function googleEmail(): string | null {
  try {
    const email = Session.getActiveUser().getEmail();
    return email ? email : null;
  } catch (error) {
    console.warn(`StoreSync could not read the Google account's email: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/**
 * Signs in with the person's Google identity: the OpenID Connect ID token Apps Script issues for
 * them (`ScriptApp.getIdentityToken()`, needs the `openid` and `userinfo.email` scopes), which
 * StoreSync verifies against Google's keys and maps to the StoreSync user with that email.
 */
export function signInWithGoogle(): { ok: boolean; message: string } {
  let idToken = '';
  try {
    idToken = ScriptApp.getIdentityToken();
  } catch (error) {
    return { ok: false, message: `Google did not give StoreSync your identity (${error instanceof Error ? error.message : String(error)}). Sign in with your StoreSync email and password instead.` };
  }
  if (!idToken) return { ok: false, message: 'Google did not give StoreSync your identity (the add-in lacks the openid permission). Sign in with your StoreSync email and password instead.' };
  const answer = fetchApi('POST', '/api/v1/auth/exchange/', { body: { id_token: idToken } });
  if (answer.status === 200) {
    const session = adoptSignIn(expectJson<TokenPairBody>(answer));
    return { ok: true, message: `Signed in to StoreSync as ${session.email ?? 'your Google account'}.` };
  }
  if (answer.status === 401 || answer.status === 403) {
    const said = (answer.json as { error?: { message?: string } } | undefined)?.error?.message;
    return { ok: false, message: said ?? 'StoreSync has no active account for your Google email. Sign in with your StoreSync email and password, or ask an administrator.' };
  }
  return { ok: false, message: failureMessage(answer) };
}
