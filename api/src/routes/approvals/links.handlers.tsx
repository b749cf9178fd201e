/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The links in review emails: /approvals/links/<token>. A link is bound to one approver and one
 * revision of one campaign, expires, and works once. Signed in as its approver, opening it spends
 * it and shows the campaign. Not signed in, it asks for sign-in first, unless the brand's settings
 * allow deciding from the link (`approval_links_allow_decision`) and the campaign is still the
 * revision the email showed: then the page offers the decision, and posting it spends the link.
 * The token in the URL is the secret that makes a post genuine, as a CSRF token would.
 */
import { TRANSITIONS } from '@storesync/core';
import { findApprovalLink, spendApprovalLink } from '@storesync/db';
import { brandReviewSettings } from '@storesync/worker/notifications/config';
import { ApiError } from '../../lib/errors.ts';
import type { AuthUser } from '../../lib/types.ts';
import { loadAuthUser } from '../../middleware/auth.ts';
import { DECIDED, field, MAX_COMMENT_LENGTH, pageSession, toSignIn, type WebContext } from './approvals.handlers.tsx';
import { decide, isDecision } from './decisions.ts';
import { CampaignPage, type DecisionDraft } from './pages/campaign.tsx';
import { formatTime, MessagePage, renderPage } from './pages/layout.tsx';
import { currentSession, setFlash, type Flash } from './session.ts';
import { loadCampaignView } from './view.ts';

type Link = NonNullable<Awaited<ReturnType<typeof findApprovalLink>>>;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const FIND_IT = 'Open the approval queue to find the campaign.';

/** The link behind the URL's token, or the page that says plainly why it does not work. */
async function usableLink(c: WebContext): Promise<Link | Response> {
  const token = c.req.param('token') ?? '';
  const link = TOKEN.test(token) ? await findApprovalLink(c.get('deps').prisma, token) : null;
  if (!link) return renderPage(c, 404, <MessagePage title="Link not valid" message={`This review link is not valid: it is incomplete or was altered. ${FIND_IT}`} />);
  if (link.usedAt) {
    return renderPage(c, 410, <MessagePage title="Link already used" message={`This review link was used on ${formatTime(link.usedAt)}; each link works once. ${FIND_IT}`} />);
  }
  if (link.expiresAt <= new Date()) {
    return renderPage(c, 410, <MessagePage title="Link expired" message={`This review link expired on ${formatTime(link.expiresAt)}. ${FIND_IT}`} />);
  }
  return link;
}

/**
 * The approver who may decide from this link without signing in, or null: the brand must allow
 * it, the campaign must be the revision the email showed, and the approver still active (links
 * written before their sessions were ended, by deactivation or a password change, count as ended).
 */
async function linkApprover(c: WebContext, link: Link): Promise<AuthUser | null> {
  const deps = c.get('deps');
  const campaign = await deps.prisma.locationCampaign.findUnique({
    where: { id: link.campaignId },
    select: { rowVersion: true, location: { select: { brand: { select: { settings: true } } } } },
  });
  if (campaign?.rowVersion !== link.rowVersion || !brandReviewSettings(campaign.location.brand.settings).decideFromLink) return null;
  return loadAuthUser(deps, link.userId, Math.floor(link.createdAt.getTime() / 1000));
}

async function linkPage(c: WebContext, link: Link, approver: AuthUser, status: 200 | 400, notice: Flash, draft?: DecisionDraft) {
  const view = await loadCampaignView(c.get('deps').prisma, approver, link.campaignId);
  const target = { viewer: approver, action: c.req.path };
  return renderPage(c, status, <CampaignPage target={target} view={view} notice={notice} draft={draft} />);
}

const asApprover = (approver: AuthUser): Flash => ({
  kind: 'info',
  message: `You are deciding as ${approver.email}, from the link in your email. The link works once.`,
});

export const linkHandler = async (c: WebContext) => {
  const link = await usableLink(c);
  if (link instanceof Response) return link;
  const session = await currentSession(c);
  if (session) {
    if (session.user.id !== link.userId) {
      const message = 'This review link was sent to another approver. Find the campaign in your queue, or sign out and open the link again as its recipient.';
      return renderPage(c, 403, <MessagePage title="Link for another approver" message={message} session={pageSession(session)} />);
    }
    await spendApprovalLink(c.get('deps').prisma, link.id);
    const campaign = await c.get('deps').prisma.locationCampaign.findUnique({ where: { id: link.campaignId }, select: { rowVersion: true } });
    if (campaign && campaign.rowVersion !== link.rowVersion) {
      await setFlash(c, session, { kind: 'info', message: 'This campaign changed after the email was sent; this is how it is now.' });
    }
    return c.redirect(`/approvals/campaigns/${link.campaignId}`, 303);
  }
  const approver = await linkApprover(c, link);
  if (!approver) return toSignIn(c, c.req.path);
  try {
    return await linkPage(c, link, approver, 200, asApprover(approver));
  } catch (error) {
    // The approver lost access to the brand since: sign-in says who they are and what they see.
    if (error instanceof ApiError) return toSignIn(c, c.req.path);
    throw error;
  }
};

export const linkDecisionHandler = async (c: WebContext) => {
  const link = await usableLink(c);
  if (link instanceof Response) return link;
  const approver = await linkApprover(c, link);
  if (!approver) {
    const message = 'This link no longer allows a decision without signing in: the campaign changed since the email was sent, or the brand now asks approvers to sign in. Sign in to review it.';
    return renderPage(c, 403, <MessagePage title="Sign in to decide" message={message} />);
  }
  const form = await c.req.parseBody();
  const decision = field(form, 'decision');
  const comments = field(form, 'comments').trim();
  const refused = (message: string, commentsMissing = false) =>
    linkPage(c, link, approver, 400, { kind: 'error', message }, { comments, commentsMissing });
  if (!isDecision(decision)) return refused('Choose approve, request changes or reject.');
  if (TRANSITIONS[decision].commentRequired && !comments) {
    return refused(`A comment is required to ${decision === 'reject' ? 'reject' : 'request changes'}: tell the author what to change.`, true);
  }
  if (comments.length > MAX_COMMENT_LENGTH) return refused(`Keep the comment under ${MAX_COMMENT_LENGTH} characters.`);
  // Spent before deciding: of two posts of one link, only one decides.
  if (!(await spendApprovalLink(c.get('deps').prisma, link.id))) {
    return renderPage(c, 410, <MessagePage title="Link already used" message={`This review link was just used; each link works once. ${FIND_IT}`} />);
  }
  try {
    await decide(c.get('deps').prisma, approver, { campaignId: link.campaignId, decision, comments, seenRowVersion: link.rowVersion });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return renderPage(c, error.status, <MessagePage title="Nothing was recorded" message={`${error.message} Sign in to review it.`} />);
  }
  return renderPage(c, 200, <MessagePage kind="success" title="Decision recorded" message={`${DECIDED[decision]} Thank you.`} />);
};
