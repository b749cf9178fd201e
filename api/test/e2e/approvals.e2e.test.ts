/**
 * The web approval page in headless Chromium (Debian's, driven by playwright-core) against the
 * real API over HTTP, the real notification worker on Redis, and a local SMTP server catching
 * the emails. Screenshots of the queue and the campaign view go to test-output/.
 */
import { mkdir } from 'node:fs/promises';
import { serve, type ServerType } from '@hono/node-server';
import { createApprovalLink } from '@storesync/db';
import { startNotificationWorker } from '@storesync/worker/notifications';
import { notificationSettingsFrom } from '@storesync/worker/notifications/config';
import { redisConnectionOptions } from '@storesync/worker/queue';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, TEST_PASSWORD, useTestContext } from '../harness.ts';
import { plainText, startSmtpCatcher } from './smtp-catcher.ts';

const ctx = useTestContext({ LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '10000' });
const SCREENSHOTS = new URL('../../../test-output/', import.meta.url);
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const E2E_TIMEOUT = 90_000;

let world: Awaited<ReturnType<typeof createWorld>>;
let server: ServerType;
let origin = '';
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
let notifications: Awaited<ReturnType<typeof startNotificationWorker>>;
let browser: Browser;

beforeAll(async () => {
  world = await createWorld(ctx);
  smtp = await startSmtpCatcher();
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: ctx.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  notifications = await startNotificationWorker({
    connection: redisConnectionOptions(ctx.env.REDIS_URL),
    prefix: ctx.queuePrefix,
    prisma: ctx.prisma,
    logger: pino({ level: 'silent' }),
    settings: notificationSettingsFrom({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'StoreSync <no-reply@storesync.test>',
      MAIL_OUTBOX_DIR: '/nonexistent',
      PUBLIC_URL: origin,
      APPROVAL_LINK_TTL_DAYS: 7,
      DIGEST_CRON: '0 7 * * *',
      WEBHOOK_TIMEOUT_MS: 2_000,
    }),
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await notifications?.close();
  await smtp?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

const screenshot = (page: Page, name: string) => page.screenshot({ path: new URL(name, SCREENSHOTS).pathname, fullPage: true });

/** A draft by the location manager, submitted through the API over HTTP. */
async function submittedThroughApi(generatedContent: string) {
  const campaign = await ctx.createCampaign(world.location.id, world.template.id, { createdById: world.users.locationManager.id, generatedContent });
  const response = await fetch(`${origin}/api/v1/campaigns/${campaign.id}/submit/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.users.locationManager.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(200);
  return campaign;
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Marks the document, so a later check can tell a full reload (mark gone) from a swap. (Strings,
 * not functions: the API's TypeScript has no DOM types.)
 */
const markDocument = (page: Page) => page.evaluate('window.storesyncMark = true');
const stillSameDocument = (page: Page) => page.evaluate<boolean>('window.storesyncMark === true');

const statusOf = async (id: string) => (await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id } })).status;

describe('the approval page in Chromium', () => {
  it(
    'emails the approver a link; it opens the campaign after sign-in; reject needs a comment; approve works without reload; the link works once',
    async () => {
      const campaign = await submittedThroughApi('Store 001 is having a big Summer sale this weekend!');
      const email = await smtp.waitFor(world.users.brandManager.email);
      const link = new RegExp(`${origin}/approvals/links/[A-Za-z0-9_-]{43}`).exec(plainText(email))?.[0] ?? '';
      expect(link).not.toBe('');

      const page = await browser.newPage();
      await page.goto(link);
      await expect.poll(() => page.url()).toContain('/approvals/sign-in');
      await signIn(page, world.users.brandManager.email);
      await page.waitForURL(`${origin}/approvals/campaigns/${campaign.id}`);
      const cookies = await page.context().cookies();
      expect(cookies.find((cookie) => cookie.name === '__Host-storesync_session')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
      await expect.poll(() => page.locator('ins').first().textContent()).toBe('big ');
      await screenshot(page, 'approvals-campaign.png');

      await markDocument(page);
      await page.getByRole('button', { name: 'Reject' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('A comment is required to reject');
      expect(await stillSameDocument(page)).toBe(true);
      expect(await statusOf(campaign.id)).toBe('pending_review');
      expect(await page.evaluate<string | null>('document.activeElement?.getAttribute("role")')).toBe('alert');

      await page.getByLabel(/Comment/).fill('Looks right for the weekend');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('You approved this campaign.');
      expect(await stillSameDocument(page)).toBe(true);
      expect(await statusOf(campaign.id)).toBe('approved');
      await expect.poll(() => page.locator('.badge').first().textContent()).toBe('approved');

      await page.goto(link);
      expect(await page.locator('h1').textContent()).toBe('Link already used');
      await page.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'refuses a forged or expired link',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${origin}/approvals/links/${'x'.repeat(43)}`);
      expect(await page.locator('h1').textContent()).toBe('Link not valid');
      const campaign = await ctx.createCampaign(world.location.id, world.template.id, { status: 'pending_review', generatedContent: 'x' });
      const token = await createApprovalLink(ctx.prisma, {
        userId: world.users.brandManager.id,
        campaignId: campaign.id,
        rowVersion: campaign.rowVersion,
        expiresAt: new Date(Date.now() - 60_000),
      });
      await page.goto(`${origin}/approvals/links/${token}`);
      expect(await page.locator('h1').textContent()).toBe('Link expired');
      await page.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'bulk-approves from the queue, listing the exceptions, on a desktop and on a phone',
    async () => {
      const mine = await ctx.createCampaign(world.location.id, world.template.id, { status: 'pending_review', createdById: world.users.brandManager.id, generatedContent: 'Own copy' });
      const others = [
        await ctx.createCampaign(world.location.id, world.template.id, { status: 'pending_review', generatedContent: 'First copy for review' }),
        await ctx.createCampaign(world.secondLocation.id, world.template.id, { status: 'pending_review', generatedContent: 'Second copy for review' }),
      ];
      const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      await phone.goto(`${origin}/approvals`);
      await signIn(phone, world.users.brandManager.email);
      await phone.waitForURL(`${origin}/approvals`);
      await screenshot(phone, 'approvals-queue-phone.png');
      await phone.close();

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${origin}/approvals`);
      await signIn(page, world.users.brandManager.email);
      await page.waitForURL(`${origin}/approvals`);
      await screenshot(page, 'approvals-queue.png');
      expect(await page.locator(`input[value^="${mine.id}:"]`).count()).toBe(0);
      for (const campaign of others) await page.locator(`input[value^="${campaign.id}:"]`).check();
      // One of them changes after the queue was loaded: it becomes an exception.
      await ctx.prisma.locationCampaign.update({ where: { id: others[1]!.id }, data: { generatedContent: 'Rewritten meanwhile' } });
      await markDocument(page);
      await page.getByRole('button', { name: 'Approve selected' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Approved 1 campaign. 1 could not be approved:');
      expect(await page.getByRole('alert').textContent()).toContain('This campaign changed after you opened it');
      expect(await stillSameDocument(page)).toBe(true);
      expect(await statusOf(others[0]!.id)).toBe('approved');
      expect(await statusOf(others[1]!.id)).toBe('pending_review');
      await page.close();
    },
    E2E_TIMEOUT,
  );

  it(
    'refuses a decision on content that changed since the page was loaded, and shows the new content',
    async () => {
      const campaign = await ctx.createCampaign(world.location.id, world.template.id, { status: 'pending_review', generatedContent: 'Copy as first seen' });
      const page = await browser.newPage();
      await page.goto(`${origin}/approvals/campaigns/${campaign.id}`);
      await signIn(page, world.users.brandManager.email);
      await page.waitForURL(`${origin}/approvals/campaigns/${campaign.id}`);
      const edited = await fetch(`${origin}/api/v1/campaigns/${campaign.id}/`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${world.users.admin.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ customizations: { sale_type: 'Winter' } }),
      });
      expect(edited.status).toBe(200);
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('This campaign changed after you opened it');
      expect(await page.locator('dd', { hasText: 'Winter' }).count()).toBe(1);
      expect(await statusOf(campaign.id)).toBe('pending_review');
      await page.close();
    },
    E2E_TIMEOUT,
  );
});
