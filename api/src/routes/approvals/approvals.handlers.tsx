/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The web approval page: sign-in, the queue, one campaign, decisions and bulk approval. Plain
 * HTML forms that work without JavaScript; every POST carries the session's CSRF token. A decision
 * redirects (303) to the campaign with a one-time message; a refused one re-renders the campaign
 * as it is now, with the reason and the comment the reviewer typed.
 */
import { dummyPasswordHash, verifyPassword } from '@storesync/core/passwords';
import type { Context } from 'hono';
import { isReviewer } from '../../lib/access.ts';
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from '../../lib/auth/rate-limit.ts';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import type { AppBindings } from '../../lib/types.ts';
import { clientAddress, loginLimits } from '../auth/auth.handlers.ts';
import { ASSETS } from './assets.ts';
import { bulkApprove, decide, isDecision, MAX_BULK, type BulkSelection, type Decision } from './decisions.ts';
import { CampaignPage, type DecisionDraft } from './pages/campaign.tsx';
import { MessagePage, renderPage, type PageSession } from './pages/layout.tsx';
import { QueuePage } from './pages/queue.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { loadQueue, nextToDecide, type QueueFilters } from './queue.ts';
import { HOME, safeNext } from './redirects.ts';
import { currentSession, endSession, setFlash, signInToken, signInTokenMatches, startSession, tokensMatch, type Flash, type WebSession } from './session.ts';
import { loadCampaignView } from './view.ts';

export type WebContext = Context<AppBindings>;
export type Form = Record<string, string | File | (string | File)[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_COMMENT_LENGTH = 10_000;

export const field = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};
const fields = (form: Form, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
};
const uuidOrUndefined = (value: string | undefined) => (value && UUID.test(value) ? value : undefined);

export const pageSession = (session: WebSession): PageSession => ({ user: session.user, csrf: session.csrf });

export function toSignIn(c: WebContext, next: string) {
  return c.redirect(`/approvals/sign-in?next=${encodeURIComponent(safeNext(next))}`, 303);
}

/** The path and query of this request, to come back to after signing in. */
const here = (c: WebContext) => {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
};

/** The signed-in session and the posted form, or the response that refuses the POST. */
async function postedForm(c: WebContext, comeBackTo: string): Promise<{ session: WebSession; form: Form } | Response> {
  const session = await currentSession(c);
  if (!session) return toSignIn(c, comeBackTo);
  const form = await c.req.parseBody({ all: true });
  if (!tokensMatch(session.csrf, form._csrf)) {
    const page = (
      <MessagePage
        title="Form expired"
        message="This form did not come from a page of this session (it expired, or another site sent it). Nothing was changed; reload the page and try again."
        session={pageSession(session)}
      />
    );
    return renderPage(c, 403, page);
  }
  return { session, form };
}

export const assetHandler = (c: WebContext) => {
  const asset = ASSETS.find((candidate) => candidate.path === c.req.path);
  if (!asset) return renderPage(c, 404, <MessagePage title="Not found" message="There is no such file." />);
  return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable' });
};

export const signInPageHandler = async (c: WebContext) => {
  const next = safeNext(c.req.query('next'));
  if (await currentSession(c)) return c.redirect(next, 303);
  return renderPage(c, 200, <SignInPage token={signInToken(c)} next={next} />);
};

export const signInHandler = async (c: WebContext) => {
  const deps = c.get('deps');
  const form = await c.req.parseBody();
  const next = safeNext(form.next);
  const email = field(form, 'email').trim().toLowerCase();
  const password = field(form, 'password');
  const refuse = (status: 400 | 401 | 403 | 429, error: string) =>
    renderPage(c, status, <SignInPage token={signInToken(c)} next={next} email={email} error={error} />);
  if (!signInTokenMatches(c, form._csrf)) return refuse(403, 'The sign-in form expired or came from another site. Please sign in again.');
  if (!email || !password) return refuse(400, 'Enter your email and password.');
  const limits = loginLimits(deps.env);
  try {
    await checkLoginAllowed(deps.redis, limits, email, clientAddress(c));
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== ErrorCode.RateLimited) throw error;
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
    return refuse(429, error.message);
  }
  const user = await deps.prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, isActive: true } });
  // Hash even for unknown accounts so response time does not reveal which emails exist.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || !user.isActive) {
    await recordLoginFailure(deps.redis, limits, email);
    return refuse(401, 'Email or password is wrong, or the account is deactivated.');
  }
  await clearLoginFailures(deps.redis, email);
  await deps.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await startSession(c, user.id);
  return c.redirect(next, 303);
};

export const signOutHandler = async (c: WebContext) => {
  const posted = await postedForm(c, HOME);
  if (posted instanceof Response) return posted;
  await endSession(c, posted.session);
  return c.redirect('/approvals/sign-in', 303);
};

function queueFilters(c: WebContext): QueueFilters {
  const page = Number.parseInt(c.req.query('page') ?? '1', 10);
  return {
    brand: uuidOrUndefined(c.req.query('brand')),
    template: uuidOrUndefined(c.req.query('template')),
    location: uuidOrUndefined(c.req.query('location')),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

export const queueHandler = async (c: WebContext) => {
  const session = await currentSession(c);
  if (!session) return toSignIn(c, here(c));
  const filters = queueFilters(c);
  const queue = await loadQueue(c.get('deps').prisma, session.user, filters);
  const page = <QueuePage session={pageSession(session)} queue={queue} filters={filters} canDecide={isReviewer(session.user)} flash={session.flash} />;
  return renderPage(c, 200, page);
};

/** `<campaign id>:<row_version>` from the queue's checkboxes. */
function parseSelection(value: string): BulkSelection | null {
  const [campaignId, version] = value.split(':');
  const seenRowVersion = Number(version);
  return campaignId && UUID.test(campaignId) && Number.isSafeInteger(seenRowVersion) ? { campaignId, seenRowVersion } : null;
}

export const bulkApproveHandler = async (c: WebContext) => {
  const posted = await postedForm(c, HOME);
  if (posted instanceof Response) return posted;
  const { session, form } = posted;
  const back = safeNext(field(form, 'back'));
  const values = fields(form, 'campaign');
  const selections = values.map(parseSelection).filter((selection): selection is BulkSelection => selection !== null);
  let flash: Flash;
  if (selections.length === 0 || selections.length !== values.length || selections.length > MAX_BULK) {
    flash = { kind: 'error', message: selections.length > MAX_BULK ? `Select at most ${MAX_BULK} campaigns at once.` : 'Select the campaigns to approve first.' };
  } else {
    const outcome = await bulkApprove(c.get('deps').prisma, session.user, selections);
    const approved = `Approved ${outcome.approved} campaign${outcome.approved === 1 ? '' : 's'}.`;
    flash = outcome.exceptions.length
      ? {
          kind: 'error',
          message: `${approved} ${outcome.exceptions.length} could not be approved:`,
          items: outcome.exceptions.map((exception) => ({ text: `${exception.label}: ${exception.reason}`, href: `/approvals/campaigns/${exception.campaignId}` })),
        }
      : { kind: 'success', message: approved };
  }
  await setFlash(c, session, flash);
  return c.redirect(back, 303);
};

const notFoundPage = (c: WebContext, session: WebSession) =>
  renderPage(c, 404, <MessagePage title="Not found" message="There is no such campaign, or it is not one you can see." session={pageSession(session)} />);

async function campaignPage(c: WebContext, session: WebSession, id: string, status: 200 | 400 | 403 | 409, notice: Flash | undefined, draft?: DecisionDraft) {
  const { prisma } = c.get('deps');
  const view = await loadCampaignView(prisma, session.user, id);
  const following = notice?.kind === 'success' && isReviewer(session.user) ? await nextToDecide(prisma, session.user, id) : null;
  const next = following ? { id: following.id, label: `${following.location.name} · ${following.template.name}` } : null;
  const target = { viewer: session.user, action: `/approvals/campaigns/${id}/decision`, csrf: session.csrf };
  return renderPage(c, status, <CampaignPage session={pageSession(session)} target={target} view={view} notice={notice} draft={draft} next={next} />);
}

export const campaignHandler = async (c: WebContext) => {
  const session = await currentSession(c);
  if (!session) return toSignIn(c, here(c));
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) return notFoundPage(c, session);
  try {
    return await campaignPage(c, session, id, 200, session.flash);
  } catch (error) {
    if (error instanceof ApiError && error.code === ErrorCode.NotFound) return notFoundPage(c, session);
    throw error;
  }
};

export const DECIDED: Record<Decision, string> = {
  approve: 'You approved this campaign.',
  request_changes: 'You sent this campaign back to its author with your comment.',
  reject: 'You rejected this campaign; its author sees your comment.',
};

export const decisionHandler = async (c: WebContext) => {
  const id = c.req.param('id') ?? '';
  const posted = await postedForm(c, `/approvals/campaigns/${id}`);
  if (posted instanceof Response) return posted;
  const { session, form } = posted;
  if (!UUID.test(id)) return notFoundPage(c, session);
  const decision = field(form, 'decision');
  const comments = field(form, 'comments').trim();
  const seenRowVersion = Number(field(form, 'row_version'));
  const draft: DecisionDraft = { comments, commentsMissing: false };
  const refused = (status: 400 | 403 | 409, message: string, commentsMissing = false) =>
    campaignPage(c, session, id, status, { kind: 'error', message }, { ...draft, commentsMissing });
  try {
    if (!isDecision(decision)) return await refused(400, 'Choose approve, request changes or reject.');
    if (!Number.isSafeInteger(seenRowVersion)) return await refused(400, 'The form is incomplete; reload the page and decide again.');
    if (comments.length > MAX_COMMENT_LENGTH) return await refused(400, `Keep the comment under ${MAX_COMMENT_LENGTH} characters.`);
    await decide(c.get('deps').prisma, session.user, { campaignId: id, decision, comments, seenRowVersion });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === ErrorCode.NotFound) return notFoundPage(c, session);
    if (error.code === ErrorCode.ValidationFailed) {
      const missing = error.details?.some((detail) => detail.field === 'comments') ?? false;
      return refused(400, missing ? `A comment is required to ${decision === 'reject' ? 'reject' : 'request changes'}: tell the author what to change.` : error.message, missing);
    }
    return refused(error.code === ErrorCode.Forbidden ? 403 : 409, error.message);
  }
  await setFlash(c, session, { kind: 'success', message: DECIDED[decision] });
  return c.redirect(`/approvals/campaigns/${id}`, 303);
};

/** Errors a handler did not turn into a page: a page still, never the API's JSON. */
export const webErrorHandler = async (error: Error, c: WebContext) => {
  if (error instanceof ApiError) return renderPage(c, error.status, <MessagePage title="Something is not right" message={error.message} />);
  (c.get('logger') ?? c.get('deps').logger).error({ err: error }, 'unhandled error on the approval page');
  const message = `Something went wrong on our side. Please try again; if it keeps happening, quote ${c.get('requestId')}.`;
  return renderPage(c, 500, <MessagePage title="Something went wrong" message={message} />);
};

export const webNotFoundHandler = (c: WebContext) =>
  renderPage(c, 404, <MessagePage title="Not found" message={`There is no page at ${c.req.path}.`} />);
