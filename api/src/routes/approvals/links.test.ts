import { createApprovalLink } from '@storesync/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../test/browser.ts';
import { createWorld, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext({ LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '10000' });
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** A campaign in review with a review link for the brand manager, as the worker writes them. */
async function emailedLink(options: { expiresAt?: Date; location?: string; template?: string } = {}) {
  const campaign = await ctx.createCampaign(options.location ?? world.location.id, options.template ?? world.template.id, {
    status: 'pending_review',
    createdById: world.users.locationManager.id,
    generatedContent: 'Store 001 is having a Summer sale!',
  });
  const token = await createApprovalLink(ctx.prisma, {
    userId: world.users.brandManager.id,
    campaignId: campaign.id,
    rowVersion: campaign.rowVersion,
    expiresAt: options.expiresAt ?? new Date(Date.now() + 7 * DAY_MS),
  });
  return { campaign, path: `/approvals/links/${token}` };
}

const statusOf = async (id: string) => (await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id } })).status;

describe('review links, signing in', () => {
  it('opens the campaign after sign-in, once; a reused link says so', async () => {
    const { campaign, path } = await emailedLink();
    const browser = new Browser(ctx);
    const opened = await browser.get(path);
    expect(opened.status).toBe(303);
    expect(opened.location).toBe(`/approvals/sign-in?next=${encodeURIComponent(path)}`);
    const signedIn = await browser.signIn(world.users.brandManager.email, { next: path });
    expect(signedIn.location).toBe(path);
    const spent = await browser.get(path);
    expect(spent.status).toBe(303);
    expect(spent.location).toBe(`/approvals/campaigns/${campaign.id}`);
    expect((await browser.get(spent.location ?? '')).text).toContain('name="row_version"');
    const reused = await browser.get(path);
    expect(reused.status).toBe(410);
    expect(reused.text).toContain('This review link was used on');
  });

  it('refuses a forged, cut-off or expired link plainly, and a link meant for someone else', async () => {
    const browser = new Browser(ctx);
    for (const forged of ['/approvals/links/' + 'A'.repeat(43), '/approvals/links/short']) {
      const response = await browser.get(forged);
      expect(response.status, forged).toBe(404);
      expect(response.text).toContain('This review link is not valid');
    }
    const expired = await emailedLink({ expiresAt: new Date(Date.now() - 1_000) });
    const late = await browser.get(expired.path);
    expect(late.status).toBe(410);
    expect(late.text).toContain('This review link expired on');

    const { path } = await emailedLink();
    const admin = new Browser(ctx);
    await admin.signIn(world.users.admin.email);
    const foreign = await admin.get(path);
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('sent to another approver');
    // Not spent: its approver can still use it.
    const owner = new Browser(ctx);
    await owner.signIn(world.users.brandManager.email);
    expect((await owner.get(path)).status).toBe(303);
  });
});

describe('review links, deciding without signing in', () => {
  let brand: Awaited<ReturnType<typeof ctx.createBrand>>;
  let location: Awaited<ReturnType<typeof ctx.createLocation>>;
  let template: Awaited<ReturnType<typeof ctx.createTemplate>>;
  beforeAll(async () => {
    brand = await ctx.createBrand('Trusting Brand', { approval_links_allow_decision: true });
    location = await ctx.createLocation(brand.id, '900');
    template = await ctx.createTemplate(brand.id);
    await ctx.prisma.brandMembership.create({ data: { userId: world.users.brandManager.id, brandId: brand.id } });
    await ctx.prisma.brandMembership.create({ data: { userId: world.users.locationManager.id, brandId: brand.id } });
  });
  const trustedLink = () => emailedLink({ location: location.id, template: template.id });

  it('offers the decision on the page, requires a comment to reject, and records one decision', async () => {
    const { campaign, path } = await trustedLink();
    const browser = new Browser(ctx);
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`You are deciding as ${world.users.brandManager.email}`);
    expect(page.text).toContain(`action="${path}"`);
    expect(page.text).not.toContain('name="_csrf"');

    const noComment = await browser.post(path, { decision: 'reject', comments: '' });
    expect(noComment.status).toBe(400);
    expect(noComment.text).toContain('A comment is required to reject');
    expect(await statusOf(campaign.id)).toBe('pending_review');

    const approved = await browser.post(path, { decision: 'approve', comments: 'From my phone' });
    expect(approved.status).toBe(200);
    expect(approved.text).toContain('You approved this campaign. Thank you.');
    expect(await statusOf(campaign.id)).toBe('approved');
    const step = await ctx.prisma.approvalStep.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect(step).toMatchObject({ decision: 'approved', approverId: world.users.brandManager.id, comments: 'From my phone' });

    const again = await browser.post(path, { decision: 'reject', comments: 'Changed my mind' });
    expect(again.status).toBe(410);
    expect(again.text).toContain('This review link was used on');
    expect(await statusOf(campaign.id)).toBe('approved');
  });

  it('asks for sign-in once the campaign changed since the email, and refuses a decision posted anyway', async () => {
    const { campaign, path } = await trustedLink();
    await ctx.prisma.locationCampaign.update({ where: { id: campaign.id }, data: { customizations: { sale_type: 'Winter' } } });
    const browser = new Browser(ctx);
    const page = await browser.get(path);
    expect(page.status).toBe(303);
    expect(page.location).toContain('/approvals/sign-in');
    const posted = await browser.post(path, { decision: 'approve' });
    expect(posted.status).toBe(403);
    expect(posted.text).toContain('the campaign changed since the email was sent');
    expect(await statusOf(campaign.id)).toBe('pending_review');
    // Signed in, the link still opens the campaign as it is now, and says it changed.
    await browser.signIn(world.users.brandManager.email);
    const opened = await browser.get(path);
    expect(opened.status).toBe(303);
    expect((await browser.get(opened.location ?? '')).text).toContain('This campaign changed after the email was sent');
  });

  it('is void once the approver is deactivated', async () => {
    const approver = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const campaign = await ctx.createCampaign(location.id, template.id, { status: 'pending_review', generatedContent: 'x' });
    const token = await createApprovalLink(ctx.prisma, { userId: approver.id, campaignId: campaign.id, rowVersion: campaign.rowVersion, expiresAt: new Date(Date.now() + DAY_MS) });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ctx.request('DELETE', `/api/v1/users/${approver.id}`, { token: world.users.admin.token });
    const posted = await new Browser(ctx).post(`/approvals/links/${token}`, { decision: 'approve' });
    expect(posted.status).toBe(403);
    expect(await statusOf(campaign.id)).toBe('pending_review');
  });
});
