/** Where the page may send a browser after sign-in: only back into itself, never elsewhere. */
export const HOME = '/approvals';

/**
 * `next` as a same-origin path under /approvals, or the queue. The value is resolved against a
 * placeholder origin and must stay on it: `//evil.test`, `/\evil.test`, `https://…`,
 * `javascript:…` and dot segments that climb out of /approvals all fall back to the queue.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith(HOME)) return HOME;
  const origin = 'http://storesync.invalid';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return HOME;
  }
  if (url.origin !== origin || (url.pathname !== HOME && !url.pathname.startsWith(`${HOME}/`))) return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}
