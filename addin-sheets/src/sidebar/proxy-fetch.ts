/**
 * The pane's `fetch`, through the server: HtmlService pages run on Google's sandbox origin, and
 * the API's tokens must stay on the server (src/server/session.ts), so every request of the
 * pane's API client becomes one `google.script.run.apiFetch` call, sent by UrlFetchApp.
 *
 * Only the path and query travel: the server prepends its own API origin, and whatever
 * Authorization the pane sets (a placeholder) is dropped, since the server adds the real token.
 */
import type { ProxyRequest } from '../shared/server-api.ts';
import type { CallServer } from './server.ts';

const METHODS = new Set<ProxyRequest['method']>(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

export function createProxyFetch(call: CallServer): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, globalThis.location?.href);
    const method = (init?.method ?? 'GET').toUpperCase() as ProxyRequest['method'];
    if (!METHODS.has(method)) throw new TypeError(`StoreSync does not send ${method} requests.`);
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') throw new TypeError('StoreSync sends JSON text bodies only.');
    const request: ProxyRequest = { method, path: url.pathname + url.search, ...(typeof body === 'string' ? { body } : {}) };
    // Failures of the call itself (no network to Google, server error) reject like fetch does.
    const answer = await call('apiFetch', request);
    return new Response(answer.status === 204 || answer.status === 304 ? null : answer.body, { status: answer.status, headers: answer.headers });
  };
}
