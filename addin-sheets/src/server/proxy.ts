/**
 * The sidebar's HTTP, forwarded by the server: the pane's API client calls `fetch`, the sidebar
 * hands each request to `google.script.run.apiFetch`, and this module sends it with UrlFetchApp.
 *
 * Only paths under `/api/v1/` of the document's API URL are forwarded (the sidebar cannot send
 * requests anywhere else), and the session's tokens never leave the server (session.ts):
 * - sign-in (`POST /auth/token/`) is forwarded; its tokens are kept in user properties and the
 *   pane gets placeholders instead;
 * - refresh (`POST /auth/token/refresh/`) refreshes the server's session (only when its access
 *   token is about to expire) and answers placeholders, or 401 when there is no session;
 * - logout revokes the server's refresh token and forgets the session; the background trigger
 *   stops with it;
 * - every other request gets the session's access token, and a 401 one refresh and retry.
 */
import type { ProxyRequest, ProxyResponse } from '../shared/server-api.ts';
import { removeBackgroundTriggers, noteBackgroundStopped } from './background.ts';
import { fetchApi, type ApiAnswer } from './http.ts';
import { adoptSignIn, authorizedFetch, freshSession, signOut, SignedOutError, type TokenPairBody } from './session.ts';

/** What the pane holds instead of tokens; the server ignores whatever token the pane sends. */
export const PLACEHOLDER_ACCESS = 'held-by-apps-script';
export const PLACEHOLDER_REFRESH = 'held-by-apps-script';

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const PASSED_HEADERS = ['content-type', 'retry-after', 'x-request-id'];

function respond(answer: ApiAnswer, body = answer.text): ProxyResponse {
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) if (answer.headers[name] !== undefined) headers[name] = answer.headers[name];
  return { status: answer.status, body: answer.status === 204 ? '' : body, headers };
}

function jsonResponse(status: number, value: unknown): ProxyResponse {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } };
}

function signedOutResponse(message: string): ProxyResponse {
  return jsonResponse(401, { error: { code: 'unauthenticated', message, request_id: 'apps-script' } });
}

/** `/api/v1/auth/token/` and `/api/v1/auth/token` are the same route, as in the API. */
function route(path: string): string {
  const withoutQuery = path.split('?')[0] ?? '';
  return withoutQuery.length > 1 && withoutQuery.endsWith('/') ? withoutQuery.slice(0, -1) : withoutQuery;
}

export function validateProxyRequest(request: ProxyRequest): void {
  if (typeof request !== 'object' || request === null) throw new Error('StoreSync: the sidebar sent no request.');
  if (!METHODS.has(request.method)) throw new Error(`StoreSync does not forward ${String(request.method)} requests.`);
  if (typeof request.path !== 'string' || !request.path.startsWith('/api/v1/') || /(^|\/)\.\.(\/|$)|[\s\\#]/.test(request.path.split('?')[0] ?? '')) {
    throw new Error(`StoreSync forwards only requests to its own API, not "${String(request.path)}".`);
  }
  if (request.body !== undefined && typeof request.body !== 'string') throw new Error('StoreSync: a request body must be JSON text.');
}

function placeholders(pair: TokenPairBody & Record<string, unknown>, expiresInSeconds: number) {
  return { ...pair, access: PLACEHOLDER_ACCESS, refresh: PLACEHOLDER_REFRESH, access_expires_in: expiresInSeconds };
}

export function proxyApiRequest(request: ProxyRequest): ProxyResponse {
  validateProxyRequest(request);
  const path = route(request.path);
  const body = request.body === undefined || request.body === '' ? undefined : request.body;

  if (request.method === 'POST' && path === '/api/v1/auth/token') {
    const answer = fetchApi('POST', request.path, { body });
    if (answer.status !== 200) return respond(answer);
    const pair = answer.json as TokenPairBody & Record<string, unknown>;
    adoptSignIn(pair);
    return jsonResponse(200, placeholders(pair, pair.access_expires_in));
  }

  if (request.method === 'POST' && path === '/api/v1/auth/token/refresh') {
    try {
      const session = freshSession();
      const seconds = Math.max(1, Math.floor((session.accessExpiresAt - Date.now()) / 1000));
      return jsonResponse(200, { access: PLACEHOLDER_ACCESS, refresh: PLACEHOLDER_REFRESH, access_expires_in: seconds });
    } catch (error) {
      if (error instanceof SignedOutError) return signedOutResponse(error.message);
      throw error;
    }
  }

  if (request.method === 'POST' && path === '/api/v1/auth/logout') {
    signOut();
    if (removeBackgroundTriggers() > 0) noteBackgroundStopped('signed-out', 'Background updates stopped because you signed out of StoreSync.');
    return { status: 204, body: '', headers: {} };
  }

  if (path.startsWith('/api/v1/auth/exchange')) {
    throw new Error('StoreSync: sign in with Google through the sidebar’s “Sign in with Google” button.');
  }

  try {
    return respond(authorizedFetch(request.method, request.path, body));
  } catch (error) {
    if (error instanceof SignedOutError) return signedOutResponse(error.message);
    throw error;
  }
}
