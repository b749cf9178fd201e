/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// (Both pragmas: `npm start` runs tsx with the repository root's tsconfig, which has no JSX settings.)
import type { Context } from 'hono';
import type { FC, PropsWithChildren } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AuthUser } from '../../../lib/types.ts';
import { SCRIPT, STYLESHEET } from '../assets.ts';
import type { Flash } from '../session.ts';

export interface PageSession {
  user: AuthUser;
  csrf: string;
}

export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

export const Layout: FC<PropsWithChildren<{ title: string; session?: PageSession | undefined }>> = ({ title, session, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · StoreSync approvals`}</title>
      <link rel="stylesheet" href={STYLESHEET.path} />
      <script src={SCRIPT.path} defer></script>
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a href="/approvals">StoreSync approvals</a>
        {session && (
          <form method="post" action="/approvals/sign-out">
            <span class="small">{session.user.email}</span>
            <CsrfField token={session.csrf} />
            <button type="submit">Sign out</button>
          </form>
        )}
      </header>
      <main id="main" tabindex={-1}>
        {children}
      </main>
    </body>
  </html>
);

/** A message after an action: errors are announced at once, successes politely. */
export const Notice: FC<{ flash: Flash | undefined }> = ({ flash }) => {
  if (!flash) return null;
  return (
    <div class={`notice ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'} tabindex={-1} data-focus>
      <p>{flash.message}</p>
      {flash.items?.length ? (
        <ul>
          {flash.items.map((item) => (
            <li>{item.href ? <a href={item.href}>{item.text}</a> : item.text}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

/** Pages hold CSRF tokens and campaigns: never cached, never framed, only our own script and style. */
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export async function renderPage(c: Context, status: ContentfulStatusCode, page: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return c.html(`<!DOCTYPE html>${await page}`, status, PAGE_HEADERS);
}

export const formatTime = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "3 days", "5 hours", "12 minutes": how long something has waited. */
export function waitedFor(since: Date, now = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  const [amount, unit] = minutes >= 2 * 24 * 60 ? [Math.floor(minutes / 1440), 'day'] : minutes >= 120 ? [Math.floor(minutes / 60), 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

export const statusLabel = (status: string) => status.replace('_', ' ');

/** A page that only says something: what went wrong (not found, expired form, no access), or a decision taken from a link. */
export const MessagePage: FC<{ title: string; message: string; kind?: Flash['kind']; session?: PageSession | undefined }> = ({ title, message, kind, session }) => (
  <Layout title={title} session={session}>
    <h1>{title}</h1>
    <Notice flash={{ kind: kind ?? 'error', message }} />
    <p>
      <a href="/approvals">Go to the approval queue</a>
    </p>
  </Layout>
);
