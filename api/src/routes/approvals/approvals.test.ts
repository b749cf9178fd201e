import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser, csrfOf, rowVersionOf, SESSION } from '../../../test/browser.ts';
import { createWorld, TEST_PASSWORD, useTestContext } from '../../../test/harness.ts';
import { SCRIPT, STYLESHEET } from './assets.ts';
import { safeNext } from './redirects.ts';

// Every app.request() comes from one "address": let the sign-ins of this file through.
const ctx = useTestContext({ LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '10000' });
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

async function signedIn(user: { email: string }) {
  const browser = new Browser(ctx);
  const response = await browser.signIn(user.email);
  expect(response.status, response.text).toBe(303);
  return browser;
}

const pendingCampaign = (overrides: { createdById?: string; generatedContent?: string; locationId?: string; templateId?: string } = {}) =>
  ctx.createCampaign(overrides.locationId ?? world.location.id, overrides.templateId ?? world.template.id, {
    status: 'pending_review',
    createdById: overrides.createdById ?? world.users.locationManager.id,
    generatedContent: overrides.generatedContent ?? 'Store 001 is having a big Summer sale this weekend!',
  });

const statusOf = async (id: string) => (await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id } })).status;

describe('signing in', () => {
  it('sends visitors to the sign-in form and back, with a Secure, HttpOnly, SameSite=Lax session cookie', async () => {
    const browser = new Browser(ctx);
    const queue = await browser.get('/approvals?brand=' + world.brand.id);
    expect(queue.status).toBe(303);
    expect(queue.location).toBe(`/approvals/sign-in?next=${encodeURIComponent(`/approvals?brand=${world.brand.id}`)}`);
    const form = await browser.get(queue.location ?? '');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<label for="email">Email</label>');
    expect(form.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(form.headers.get('cache-control')).toBe('no-store');
    const signIn = await browser.post('/approvals/sign-in', {
      _csrf: csrfOf(form.text),
      email: world.users.brandManager.email.toUpperCase(),
      password: TEST_PASSWORD,
      next: `/approvals?brand=${world.brand.id}`,
    });
    expect(signIn.status).toBe(303);
    expect(signIn.location).toBe(`/approvals?brand=${world.brand.id}`);
    const cookie = signIn.setCookies.find((line) => line.startsWith(`${SESSION}=`)) ?? '';
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const page = await browser.get(signIn.location ?? '');
    expect(page.status).toBe(200);
    expect(page.text).toContain(world.users.brandManager.email);
  });

  it('refuses a wrong password, a deactivated account and a sign-in form without its token', async () => {
    const browser = new Browser(ctx);
    const wrong = await browser.signIn(world.users.brandManager.email, { password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Email or password is wrong');
    expect(browser.cookies.has(SESSION)).toBe(false);

    const inactive = await ctx.createUser('brand_manager', { brands: [world.brand.id], isActive: false });
    expect((await browser.signIn(inactive.email)).status).toBe(401);

    const forged = new Browser(ctx);
    const noToken = await forged.post('/approvals/sign-in', { email: world.users.brandManager.email, password: TEST_PASSWORD });
    expect(noToken.status).toBe(403);
    expect(forged.cookies.has(SESSION)).toBe(false);
    await forged.get('/approvals/sign-in');
    const otherToken = await forged.post('/approvals/sign-in', { _csrf: 'x'.repeat(43), email: world.users.brandManager.email, password: TEST_PASSWORD });
    expect(otherToken.status).toBe(403);
    expect(forged.cookies.has(SESSION)).toBe(false);
  });

  it('throttles repeated failures on one account like the API does', async () => {
    const user = await ctx.createUser('viewer', { brands: [world.brand.id] });
    const browser = new Browser(ctx);
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await browser.signIn(user.email, { password: 'nope' })).status).toBe(401);
    const throttled = await browser.signIn(user.email);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(throttled.text).toContain('Too many sign-in attempts');
  });

  it('never redirects outside /approvals after sign-in (open redirect)', async () => {
    for (const next of ['//evil.test/x', 'https://evil.test', '/\\evil.test', 'javascript:alert(1)', '/approvals/../..//evil.test', '/api/v1/users', '/approvals@evil.test']) {
      const browser = new Browser(ctx);
      const response = await browser.signIn(world.users.viewer.email, { next });
      expect(response.status, next).toBe(303);
      expect(response.location, next).toBe('/approvals');
    }
    const campaignPath = `/approvals/campaigns/${randomUUID()}?from=email`;
    expect((await new Browser(ctx).signIn(world.users.viewer.email, { next: campaignPath })).location).toBe(campaignPath);
    expect(safeNext('/approvals/x/../../evil')).toBe('/approvals');
    expect(safeNext('/approvals/campaigns/1#decide')).toBe('/approvals/campaigns/1#decide');
    expect(safeNext(undefined)).toBe('/approvals');
  });

  it('starts a new session at sign-in, so a planted session id is worthless (fixation)', async () => {
    const attacker = await signedIn(world.users.viewer);
    const plantedId = attacker.cookies.get(SESSION) ?? '';
    expect(plantedId).toHaveLength(43);

    // A fresh planted id the server never issued is not a session at all; signing in replaces it.
    const fresh = new Browser(ctx);
    fresh.cookies.set(SESSION, 'A'.repeat(43));
    expect((await fresh.get('/approvals')).status).toBe(303);
    const signIn = await fresh.signIn(world.users.brandManager.email);
    expect(signIn.status).toBe(303);
    expect(fresh.cookies.get(SESSION)).not.toBe('A'.repeat(43));

    // The victim opened the sign-in form; then the attacker's own session id is planted in their
    // browser. Signing in ends it and starts another, so it never carries the victim's sign-in.
    const planted = new Browser(ctx);
    const form = await planted.get('/approvals/sign-in');
    planted.cookies.set(SESSION, plantedId);
    const victimSignIn = await planted.post('/approvals/sign-in', {
      _csrf: csrfOf(form.text),
      email: world.users.brandManager.email,
      password: TEST_PASSWORD,
    });
    expect(victimSignIn.status).toBe(303);
    const victimId = planted.cookies.get(SESSION);
    expect(victimId).not.toBe(plantedId);
    const attackerView = await attacker.get('/approvals');
    expect(attackerView.status).toBe(303);
    expect(attackerView.location).toContain('/approvals/sign-in');
    const victimView = await planted.get('/approvals');
    expect(victimView.text).toContain(world.users.brandManager.email);
  });

  it('signs out only with the form’s token, and ends the session when the account is deactivated', async () => {
    const browser = await signedIn(world.users.viewer);
    const queue = await browser.get('/approvals');
    expect((await browser.post('/approvals/sign-out', {})).status).toBe(403);
    expect((await browser.get('/approvals')).status).toBe(200);
    const out = await browser.post('/approvals/sign-out', { _csrf: csrfOf(queue.text) });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/approvals/sign-in');
    expect((await browser.get('/approvals')).status).toBe(303);

    const leaver = await ctx.createUser('brand_manager', { brands: [world.brand.id] });
    const session = await signedIn(leaver);
    expect((await session.get('/approvals')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ctx.request('DELETE', `/api/v1/users/${leaver.id}`, { token: world.users.admin.token });
    expect((await session.get('/approvals')).status).toBe(303);
  });
});

describe('the queue', () => {
  it('lists campaigns in review of the user’s brands, longest waiting first, with filters and counts', async () => {
    const brand = await ctx.createBrand('Queue Brand');
    const storeA = await ctx.createLocation(brand.id, '101', { name: 'Alpha Store' });
    const storeB = await ctx.createLocation(brand.id, '102', { name: 'Beta Store' });
    const template = await ctx.createTemplate(brand.id, { name: 'Grand opening' });
    const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const author = await ctx.createUser('location_manager', { brands: [brand.id] });
    const first = await ctx.createCampaign(storeA.id, template.id, { createdById: author.id, generatedContent: 'First copy' });
    const second = await ctx.createCampaign(storeB.id, template.id, { status: 'pending_review', createdById: author.id, generatedContent: 'Second copy' });
    const third = await ctx.createCampaign(storeB.id, template.id, { status: 'pending_review', createdById: manager.id, generatedContent: 'Own copy' });
    // Submitted after the others were put in review: waits the shortest.
    expect((await ctx.request('POST', `/api/v1/campaigns/${first.id}/submit`, { token: author.token })).status).toBe(200);
    await ctx.createCampaign(storeA.id, template.id, { status: 'approved', generatedContent: 'Done' });
    await pendingCampaign();

    const browser = await signedIn(manager);
    const page = await browser.get('/approvals');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Waiting for review (3)');
    const order = [...page.text.matchAll(/href="\/approvals\/campaigns\/([0-9a-f-]{36})"/g)].map((match) => match[1]);
    expect(order).toEqual([second.id, third.id, first.id]);
    expect(page.text).toContain(`value="${second.id}:${second.rowVersion}"`);
    expect(page.text).not.toContain(`value="${third.id}:`);
    expect(page.text).toContain('yours: another reviewer decides');
    expect(page.text).toContain(`<option value="${storeB.id}">Beta Store (#102) (2)</option>`);
    expect(page.text).toContain(`<option value="${storeA.id}">Alpha Store (#101) (1)</option>`);
    expect(page.text).toContain(`<option value="${template.id}">Grand opening (3)</option>`);

    const filtered = await browser.get(`/approvals?location=${storeB.id}`);
    expect(filtered.text).toContain('Waiting for review (2 of 3)');
    expect(filtered.text).toContain(`<option value="${template.id}">Grand opening (2)</option>`);
    expect(filtered.text).toContain(`<option value="${storeB.id}" selected="">Beta Store (#102) (2)</option>`);
    expect(filtered.text).not.toContain(`/approvals/campaigns/${first.id}`);
  });

  it('shows viewers and location managers the queue without checkboxes or bulk approval', async () => {
    const campaign = await pendingCampaign();
    for (const user of [world.users.viewer, world.users.locationManager]) {
      const page = await (await signedIn(user)).get('/approvals');
      expect(page.status).toBe(200);
      expect(page.text).toContain(`/approvals/campaigns/${campaign.id}`);
      expect(page.text).not.toContain('type="checkbox"');
      expect(page.text).not.toContain('Approve selected');
    }
    const foreign = await (await signedIn(world.users.otherBrandManager)).get('/approvals');
    expect(foreign.text).not.toContain(`/approvals/campaigns/${campaign.id}`);
  });

  it('weighs under 50 kB with its stylesheet and script for a queue of 50', async () => {
    const brand = await ctx.createBrand('Heavy Brand');
    const template = await ctx.createTemplate(brand.id, { name: 'Weekend offer with a longer template name' });
    const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const copy =
      'This weekend only: everything for the garden is 20% off at our store on Main Street. Come early for the best choice of plants, tools and furniture, and ask our team for advice.';
    for (let index = 0; index < 60; index += 1) {
      const location = await ctx.createLocation(brand.id, String(500 + index), { name: `Neighbourhood Hardware ${500 + index}` });
      await ctx.createCampaign(location.id, template.id, { status: 'pending_review', generatedContent: copy });
    }
    const page = await (await signedIn(manager)).get('/approvals');
    const items = [...page.text.matchAll(/type="checkbox"/g)].length;
    expect(items).toBe(50);
    const bytes = Buffer.byteLength(page.text) + Buffer.byteLength(STYLESHEET.body) + Buffer.byteLength(SCRIPT.body);
    console.warn(`queue of 50: HTML ${Buffer.byteLength(page.text)} B + CSS ${Buffer.byteLength(STYLESHEET.body)} B + JS ${Buffer.byteLength(SCRIPT.body)} B = ${bytes} B`);
    expect(bytes).toBeLessThan(50_000);
    expect(page.text).toContain('Page 1 of 2');
  });
});

describe('the campaign view', () => {
  it('shows the copy beside the rendered template with word differences, location, schedule, examples, versions and history', async () => {
    const example = await ctx.createCampaign(world.secondLocation.id, world.template.id, { status: 'approved', generatedContent: 'Store 002 summer sale: come by!' });
    const campaign = await pendingCampaign({ generatedContent: 'Store 001 is having a huge Summer sale!' });
    const version = await ctx.prisma.campaignContentVersion.create({
      data: {
        campaignId: campaign.id,
        attempt: 1,
        versionNumber: 1,
        status: 'ok',
        content: 'Store 001 is having a huge Summer sale!',
        provider: 'offline',
        model: 'offline-v1',
        templateVersion: 1,
        promptVersion: 'p1',
        exampleIds: [example.id],
        inputsHash: 'h',
        latencyMs: 5,
      },
    });
    await ctx.prisma.locationCampaign.update({ where: { id: campaign.id }, data: { currentVersionId: version.id, scheduledStart: new Date('2026-12-01T09:00:00Z') } });
    await ctx.request('POST', `/api/v1/campaigns/${example.id}/schedule`, { token: world.users.admin.token, body: { scheduled_start: '2026-12-01T09:00:00Z' } });

    const page = await (await signedIn(world.users.brandManager)).get(`/approvals/campaigns/${campaign.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h3>Generated copy</h3><p class="text">Store 001 is having a <ins>huge </ins>Summer sale!</p>');
    expect(page.text).toContain('<h3>Template, rendered for this store</h3><p class="text">Store 001 is having a Summer sale!</p>');
    expect(page.text).toContain('<dt>Address</dt><dd>001 Main St, Austin, TX 78701</dd>');
    expect(page.text).toContain('<dt>region</dt><dd>southwest</dd>');
    expect(page.text).toContain('<dt>Starts</dt><dd>2026-12-01 09:00 UTC</dd>');
    expect(page.text).toContain(`href="/approvals/campaigns/${example.id}"`);
    expect(page.text).toContain('Version 1 · ');
    expect(page.text).toContain('offline offline-v1 · current');
    expect(page.text).toContain('<label for="comments">');
    expect(page.text).toContain(`name="row_version" value="${campaign.rowVersion + 1}"`);

    const withDiff = await pendingCampaign({ generatedContent: 'Totally different words entirely here' });
    const diffPage = await (await signedIn(world.users.brandManager)).get(`/approvals/campaigns/${withDiff.id}`);
    expect(diffPage.text).toContain('<del>');
  });

  it('lets viewers, location managers and the author see it but not decide', async () => {
    const campaign = await pendingCampaign({ createdById: world.users.brandManager.id });
    const cases = [
      [world.users.viewer, 'brand managers and admins take the decisions'],
      [world.users.locationManager, 'brand managers and admins take the decisions'],
      [world.users.brandManager, 'You created this campaign'],
    ] as const;
    for (const [user, reason] of cases) {
      const browser = await signedIn(user);
      const page = await browser.get(`/approvals/campaigns/${campaign.id}`);
      expect(page.status, user.role).toBe(200);
      expect(page.text).toContain(reason);
      expect(page.text).not.toContain('name="row_version"');
      const forced = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { _csrf: csrfOf(page.text), decision: 'approve', row_version: String(campaign.rowVersion) });
      expect(forced.status, user.role).toBe(403);
      expect(await statusOf(campaign.id)).toBe('pending_review');
    }
    expect(await ctx.prisma.approvalStep.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it('answers 404 for another brand’s campaign, by page and by decision', async () => {
    const campaign = await pendingCampaign();
    const browser = await signedIn(world.users.otherBrandManager);
    const page = await browser.get(`/approvals/campaigns/${campaign.id}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('There is no such campaign');
    expect(page.text).not.toContain('Store 001');
    const queue = await browser.get('/approvals');
    const decision = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { _csrf: csrfOf(queue.text), decision: 'approve', row_version: String(campaign.rowVersion) });
    expect(decision.status).toBe(404);
    expect(await statusOf(campaign.id)).toBe('pending_review');
    expect((await browser.get('/approvals/campaigns/not-a-uuid')).status).toBe(404);
    expect((await browser.get('/approvals/nowhere')).status).toBe(404);
  });
});

describe('decisions', () => {
  async function openAsReviewer(campaignId: string) {
    const browser = await signedIn(world.users.brandManager);
    const page = await browser.get(`/approvals/campaigns/${campaignId}`);
    expect(page.status).toBe(200);
    return { browser, page, form: { _csrf: csrfOf(page.text), row_version: rowVersionOf(page.text) } };
  }

  it('approves through the workflow, then shows the new state and the next campaign waiting', async () => {
    const campaign = await pendingCampaign();
    const next = await pendingCampaign();
    const { browser, form } = await openAsReviewer(campaign.id);
    const decided = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { ...form, decision: 'approve', comments: 'Nice one' });
    expect(decided.status).toBe(303);
    expect(decided.location).toBe(`/approvals/campaigns/${campaign.id}`);
    expect(await statusOf(campaign.id)).toBe('approved');
    const steps = await ctx.prisma.approvalStep.findMany({ where: { campaignId: campaign.id } });
    expect(steps).toEqual([expect.objectContaining({ decision: 'approved', approverId: world.users.brandManager.id, comments: 'Nice one', previousStatus: 'pending_review', newStatus: 'approved' })]);
    const after = await browser.get(decided.location ?? '');
    expect(after.text).toContain('You approved this campaign.');
    expect(after.text).toContain('<span class="badge approved">approved</span>');
    expect(after.text).toMatch(/Next waiting for you: <a href="\/approvals\/campaigns\/[0-9a-f-]{36}">/);
    expect(after.text).toContain('Nice one');
    // The message is shown once.
    expect((await browser.get(decided.location ?? '')).text).not.toContain('You approved this campaign.');
    expect(next.id).toBeTruthy();
  });

  it('requires a comment to reject or request changes, and keeps what was typed', async () => {
    const campaign = await pendingCampaign();
    const { browser, form } = await openAsReviewer(campaign.id);
    for (const decision of ['reject', 'request_changes']) {
      const refused = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { ...form, decision, comments: '   ' });
      expect(refused.status, decision).toBe(400);
      expect(refused.text).toContain('A comment is required');
      expect(refused.text).toContain('role="alert"');
      expect(refused.text).toContain('aria-invalid="true"');
      expect(await statusOf(campaign.id)).toBe('pending_review');
    }
    const rejected = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { ...form, decision: 'reject', comments: 'Wrong <b>dates</b>' });
    expect(rejected.status).toBe(303);
    expect(await statusOf(campaign.id)).toBe('rejected');
    const page = await browser.get(rejected.location ?? '');
    expect(page.text).toContain('Wrong &lt;b&gt;dates&lt;/b&gt;');
    expect(page.text).not.toContain('<b>dates</b>');
  });

  it('refuses a decision on a campaign that changed since the page was loaded and shows it as it is now', async () => {
    const campaign = await pendingCampaign();
    const { browser, form } = await openAsReviewer(campaign.id);
    const edited = await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}`, {
      token: world.users.admin.token,
      body: { customizations: { sale_type: 'Winter' } },
    });
    expect(edited.json).toMatchObject({ status: 'pending_review', row_version: Number(form.row_version) + 1 });
    const stale = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { ...form, decision: 'approve', comments: 'ok' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('This campaign changed after you opened it');
    expect(stale.text).toContain(`name="row_version" value="${Number(form.row_version) + 1}"`);
    expect(stale.text).toContain('Winter');
    expect(stale.text).toContain('>ok</textarea>');
    expect(await statusOf(campaign.id)).toBe('pending_review');

    const fresh = { ...form, row_version: rowVersionOf(stale.text) };
    const other = await signedIn(world.users.admin);
    const otherPage = await other.get(`/approvals/campaigns/${campaign.id}`);
    expect((await other.post(`/approvals/campaigns/${campaign.id}/decision`, { _csrf: csrfOf(otherPage.text), row_version: rowVersionOf(otherPage.text), decision: 'reject', comments: 'No' })).status).toBe(303);
    const late = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { ...fresh, decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('it is now rejected');
    expect(late.text).toContain('<span class="badge rejected">rejected</span>');
    expect(await ctx.prisma.approvalStep.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  it('refuses posts without the session’s CSRF token', async () => {
    const campaign = await pendingCampaign();
    const { browser, form } = await openAsReviewer(campaign.id);
    const missing = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { row_version: form.row_version, decision: 'approve' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('Nothing was changed');
    const otherSession = csrfOf((await (await signedIn(world.users.admin)).get('/approvals')).text);
    const foreign = await browser.post(`/approvals/campaigns/${campaign.id}/decision`, { ...form, _csrf: otherSession, decision: 'approve' });
    expect(foreign.status).toBe(403);
    const bulk = await browser.post('/approvals/bulk-approve', { campaign: `${campaign.id}:${form.row_version}` });
    expect(bulk.status).toBe(403);
    expect(await statusOf(campaign.id)).toBe('pending_review');
    const anonymous = await new Browser(ctx).post(`/approvals/campaigns/${campaign.id}/decision`, { ...form, decision: 'approve' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/approvals/sign-in?next=${encodeURIComponent(`/approvals/campaigns/${campaign.id}`)}`);
    expect(await statusOf(campaign.id)).toBe('pending_review');
  });

  it('bulk-approves the selected campaigns and lists the ones it could not approve, with why', async () => {
    const good = [await pendingCampaign(), await pendingCampaign(), await pendingCampaign()];
    const own = await pendingCampaign({ createdById: world.users.brandManager.id });
    const changed = await pendingCampaign();
    const foreign = await ctx.createCampaign(world.otherLocation.id, world.otherTemplate.id, { status: 'pending_review', generatedContent: 'x' });
    const browser = await signedIn(world.users.brandManager);
    const queue = await browser.get('/approvals');
    await ctx.prisma.locationCampaign.update({ where: { id: changed.id }, data: { generatedContent: 'Rewritten while in the queue' } });
    const response = await browser.post('/approvals/bulk-approve', {
      _csrf: csrfOf(queue.text),
      back: `/approvals?brand=${world.brand.id}`,
      campaign: [...good, own, changed, foreign].map((campaign) => `${campaign.id}:${campaign.rowVersion}`),
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe(`/approvals?brand=${world.brand.id}`);
    for (const campaign of good) expect(await statusOf(campaign.id)).toBe('approved');
    for (const campaign of [own, changed, foreign]) expect(await statusOf(campaign.id)).toBe('pending_review');
    const page = await browser.get(response.location ?? '');
    expect(page.text).toContain('Approved 3 campaigns. 3 could not be approved:');
    expect(page.text).toContain('You created this campaign; another admin or brand manager must review it');
    expect(page.text).toContain('This campaign changed after you opened it');
    expect(page.text).toContain('A campaign you cannot see: Campaign not found');

    const none = await browser.post('/approvals/bulk-approve', { _csrf: csrfOf(page.text) });
    expect(none.status).toBe(303);
    expect((await browser.get('/approvals')).text).toContain('Select the campaigns to approve first.');
    const viewer = await signedIn(world.users.viewer);
    const viewerQueue = await viewer.get('/approvals');
    const attempt = await viewer.post('/approvals/bulk-approve', { _csrf: csrfOf(viewerQueue.text), campaign: `${changed.id}:${changed.rowVersion + 1}` });
    expect(attempt.status).toBe(303);
    expect((await viewer.get('/approvals')).text).toContain('Only admins and brand managers can approve a campaign');
    expect(await statusOf(changed.id)).toBe('pending_review');
  });
});

describe('assets', () => {
  it('serves the stylesheet and script under content-hashed names, cached for a year', async () => {
    for (const asset of [STYLESHEET, SCRIPT]) {
      const response = await new Browser(ctx).get(asset.path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(asset.type);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.text).toBe(asset.body);
    }
    expect((await new Browser(ctx).get('/approvals/assets/approvals.css')).status).toBe(404);
  });
});
