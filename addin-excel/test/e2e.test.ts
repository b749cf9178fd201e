/**
 * End to end in headless Chromium: the built task pane (the shared React pane + the Excel entry
 * page with the real Office.js host) inside a simulated Excel, against the real API (createApp
 * on a local port, serving the pane on the same origin), the real generation worker (offline
 * provider) on Redis, and a real PostgreSQL database.
 *
 * A marketer signs in, connects a 200-row Stores table and a Campaigns table, syncs both, sorts
 * the campaigns in the workbook, generates copy for all of them, and sees copy and status land in
 * the right rows (by StoreSync ID, after the sort); submits three rows for review; another brand
 * manager decides through the API, and the Status cells change within seconds while the pane stays
 * open (live updates over server-sent events); with the pane closed the reviewer sends one back to
 * draft, and opening the pane again catches up, on the table used last. Screenshots of each screen
 * go to test-output/excel-e2e/ (see addin-excel/README.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, useTestContext } from '../../api/test/harness.ts';
import { STATUS_LIST_SOURCE, STATUS_STYLES } from '../src/host/status-format.ts';
import { buildForE2E, type E2EBuild } from './e2e/build.ts';
import { CAMPAIGN_COUNT, campaignsTable, STORE_COUNT, storesTable, TEMPLATE_NAME } from './e2e/data.ts';
import { cleanScreenshots, ExcelPage, launchChromium } from './e2e/excel-page.ts';
import { startServer, type RunningServer } from './e2e/server.ts';
import type { RowByHeader } from './e2e/types.ts';

const ctx = useTestContext();
const E2E_TIMEOUT = 90_000;
/** Generous waits for things that take a second or two (a sync of 200 rows, a generation run). */
const SLOW = { timeout: 30_000 };
/** Live updates: a decision reaches the cells "within a few seconds" (in practice well under one). */
const LIVE = { timeout: 5_000 };

let workDir = '';
let built: E2EBuild;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let brandId = '';
let marketer: { id: string; email: string };
let approver: { id: string; email: string };

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'storesync-excel-e2e-'));
  const building = buildForE2E(workDir);
  const brand = await ctx.createBrand('Acme Hardware');
  brandId = brand.id;
  await ctx.createTemplate(brand.id, { name: TEMPLATE_NAME, contentTemplate: '{{location.name}} is having a {{campaign.sale_type}} sale!', requiredVariables: ['sale_type'] });
  marketer = await ctx.createUser('brand_manager', { brands: [brand.id], email: 'morgan@acme.test' });
  approver = await ctx.createUser('brand_manager', { brands: [brand.id], email: 'riley@acme.test' });
  await ctx.prisma.user.update({ where: { id: marketer.id }, data: { firstName: 'Morgan', lastName: 'Marketer' } });
  await ctx.prisma.user.update({ where: { id: approver.id }, data: { firstName: 'Riley', lastName: 'Reviewer' } });
  ctx.startGenerationWorker();
  [built, browser] = await Promise.all([building, launchChromium(), cleanScreenshots()]);
  server = await startServer(ctx.app, built.taskpaneDir);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const campaignsOfBrand = () =>
  ctx.prisma.locationCampaign.findMany({ where: { location: { brandId } }, include: { location: true } });

/** A decision through the API over HTTP, as the approver's own client would make it. */
async function decide(origin: string, campaignId: string, action: 'approve' | 'reject' | 'revise', comments: string) {
  const response = await fetch(`${origin}/api/v1/campaigns/${campaignId}/${action}/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await ctx.tokenFor(approver.id)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ comments }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('the Excel add-in end to end', () => {
  it(
    'signs in, connects and syncs two tables, generates after a sort, submits, and shows the approver’s decisions',
    async () => {
      if (!browser || !server) throw new Error('setup failed');
      const origin = server.origin;
      const excel = await ExcelPage.open(browser, origin, built.simulatedExcel);
      const { pane } = excel;
      try {
        await excel.workbook((api, tables) => tables.forEach((table) => api.addTable(table)), [storesTable(), campaignsTable()]);
        const campaignRows = () => excel.workbook((api) => api.rows('{campaigns}'), null);

        // ---- sign in ------------------------------------------------------------------------
        await excel.openPane();
        await pane.getByLabel('Email').fill(marketer.email);
        await pane.getByLabel('Password').fill(TEST_PASSWORD);
        await excel.screenshot('01-sign-in', 'Stores');
        await pane.getByRole('button', { name: 'Sign in' }).click();

        // ---- connect and sync the Stores table (one brand: chosen for the marketer) ---------
        await pane.getByLabel('Table', { exact: true }).selectOption({ label: `Stores (Stores, ${STORE_COUNT} rows)` });
        await expect.poll(() => pane.getByLabel('It holds').inputValue(), SLOW).toBe('locations');
        await expect.poll(() => pane.getByLabel('Map column Region').inputValue(), SLOW).toBe('auto');
        await excel.screenshot('02-connect-stores');
        await pane.getByRole('button', { name: 'Connect' }).click();
        await pane.getByRole('button', { name: 'Sync now' }).click();
        await pane.getByLabel(`Created: ${STORE_COUNT}`).waitFor(SLOW);
        await expect.poll(async () => (await excel.workbook((api) => api.rows('{stores}'), null)).filter((row) => row['StoreSync ID']).length, SLOW).toBe(STORE_COUNT);
        expect(await ctx.prisma.location.count({ where: { brandId } })).toBe(STORE_COUNT);
        expect(await excel.workbook((api) => api.hiddenHeaders('{stores}'), null)).toEqual(['StoreSync ID', 'StoreSync Version']);
        await excel.screenshot('03-stores-synced', 'Stores');

        // ---- connect and sync the Campaigns table ------------------------------------------
        await pane.getByLabel('Table', { exact: true }).selectOption({ label: 'Connect another table…' });
        await pane.getByLabel('Table', { exact: true }).selectOption({ label: `Campaigns (Campaigns, ${CAMPAIGN_COUNT} rows)` });
        await expect.poll(() => pane.getByLabel('It holds').inputValue(), SLOW).toBe('campaigns');
        await pane.getByRole('button', { name: 'Connect' }).click();
        await pane.getByRole('button', { name: 'Sync now' }).waitFor();
        expect(await pane.getByRole('group', { name: 'Sync summary' }).count()).toBe(0); // the Stores summary is not this table's
        await pane.getByRole('button', { name: 'Sync now' }).click();
        await pane.getByLabel(`Created: ${CAMPAIGN_COUNT}`).waitFor(SLOW);
        await expect.poll(async () => (await campaignRows()).filter((row) => row['StoreSync ID'] && row.Status === 'draft').length, SLOW).toBe(CAMPAIGN_COUNT);
        expect(await excel.workbook((api) => api.validationList('{campaigns}', 'Status'), null)).toBe(STATUS_LIST_SOURCE);
        await excel.screenshot('04-campaigns-synced', 'Campaigns');

        // ---- the marketer sorts the table in Excel, then generates every row -----------------
        const beforeSort = await campaignRows();
        await excel.workbook((api) => api.sortTable('{campaigns}', 'Sale Type'), null);
        const sorted = await campaignRows();
        const saleTypes = sorted.map((row) => String(row['Sale Type']));
        expect(saleTypes).toEqual([...saleTypes].sort((a, b) => a.localeCompare(b, 'en')));
        expect(sorted.map((row) => row['Store #'])).not.toEqual(beforeSort.map((row) => row['Store #']));

        await pane.getByRole('tab', { name: 'Generate' }).click();
        await pane.getByRole('radio', { name: 'All rows' }).check();
        await pane.getByRole('button', { name: 'Estimate' }).click();
        await pane.getByText(`${CAMPAIGN_COUNT} campaigns to generate`).waitFor(SLOW);
        await excel.screenshot('05-generate-estimate');
        await pane.getByRole('button', { name: `Generate ${CAMPAIGN_COUNT}` }).click();
        await pane.getByText(`Finished: ${CAMPAIGN_COUNT} done, 0 failed of ${CAMPAIGN_COUNT}`).waitFor(SLOW);
        await expect.poll(async () => (await campaignRows()).filter((row) => row['Generated Content']).length, SLOW).toBe(CAMPAIGN_COUNT);

        // Every row holds its own campaign's copy and status, found by StoreSync ID after the sort.
        const stored = new Map((await campaignsOfBrand()).map((campaign) => [campaign.id, campaign]));
        const generated = await campaignRows();
        expect(generated.map((row) => row['Store #'])).toEqual(sorted.map((row) => row['Store #']));
        for (const row of generated) {
          const campaign = stored.get(String(row['StoreSync ID']));
          expect(campaign, `row of store ${String(row['Store #'])}`).toBeDefined();
          expect(row['Store #']).toBe(campaign?.location.storeNumber);
          expect(row['Sale Type']).toBe((campaign?.customizations as { sale_type?: string }).sale_type);
          expect(campaign?.generatedContent).not.toBe('');
          expect(row['Generated Content']).toBe(campaign?.generatedContent);
          expect(row.Status).toBe(campaign?.status);
          expect(row.Status).toBe('draft');
        }
        await excel.screenshot('06-generated', 'Campaigns');

        // ---- submit the first three rows of the sorted table ------------------------------------
        const chosen = generated.slice(0, 3).map((row) => String(row['StoreSync ID']));
        await excel.workbook((api) => api.selectRows('{campaigns}', 1, 3), null);
        await pane.getByRole('tab', { name: 'Review' }).click();
        await pane.getByRole('button', { name: 'Submit selected for review' }).click();
        await expect.poll(() => pane.getByRole('list', { name: 'Review results' }).getByText('now pending review').count(), SLOW).toBe(3);
        const statusOf = async (ids: string[]) => {
          const rows = new Map((await campaignRows()).map((row): [string, RowByHeader] => [String(row['StoreSync ID']), row]));
          return ids.map((id) => rows.get(id)?.Status);
        };
        await expect.poll(() => statusOf(chosen), SLOW).toEqual(['pending_review', 'pending_review', 'pending_review']);
        expect((await campaignsOfBrand()).filter((campaign) => campaign.status === 'pending_review').map((campaign) => campaign.id).sort()).toEqual([...chosen].sort());
        await excel.screenshot('07-submitted', 'Campaigns');

        // ---- another brand manager decides through the API; the open pane shows it at once ----------
        const liveLine = pane.getByRole('status', { name: 'Live updates' });
        await expect.poll(() => liveLine.textContent(), SLOW).toMatch(/^Live: changes made in StoreSync appear/);
        const [first = '', second = '', third = ''] = chosen;
        await decide(origin, first, 'approve', 'Looks great');
        await decide(origin, second, 'approve', 'Good to go');
        await decide(origin, third, 'reject', 'Mention the weekend opening hours');
        // No click, no reopen: the Status cells change while the pane stays open.
        await expect.poll(() => statusOf(chosen), LIVE).toEqual(['approved', 'approved', 'rejected']);
        const decided = new Map((await campaignRows()).map((row): [string, RowByHeader] => [String(row['StoreSync ID']), row]));
        expect(decided.get(first)).toMatchObject({ Reviewer: 'Riley Reviewer', 'Review Comments': 'Looks great' });
        expect(decided.get(third)).toMatchObject({ Status: 'rejected', Reviewer: 'Riley Reviewer', 'Review Comments': 'Mention the weekend opening hours' });
        expect([...decided.values()].filter((row) => row.Status === 'draft')).toHaveLength(CAMPAIGN_COUNT - 3);
        // The Status cells are coloured by the add-in's conditional formats.
        expect(await excel.workbook((api) => api.look('{campaigns}', 1, 'Status'), null)).toMatchObject({ value: 'approved', fill: STATUS_STYLES.approved.fill });
        expect(await excel.workbook((api) => api.look('{campaigns}', 3, 'Status'), null)).toMatchObject({ value: 'rejected', fill: STATUS_STYLES.rejected.fill });
        expect(await excel.workbook((api) => api.look('{campaigns}', 4, 'Status'), null)).toMatchObject({ value: 'draft', fill: STATUS_STYLES.draft.fill });
        await excel.screenshot('08-decisions-live', 'Campaigns');

        // ---- with the pane closed, the reviewer sends the rejected one back to draft -------------------
        await excel.closePane();
        await decide(origin, third, 'revise', 'Reworking the copy');
        // ---- opening the pane again: signed in from the stored refresh token, on the table used last,
        //      and caught up from the change feed --------------------------------------------------------
        await excel.openPane();
        await pane.getByRole('tab', { name: 'Review' }).waitFor(); // a campaign table's tabs: Campaigns is active, not Stores
        expect(await pane.getByLabel('Table', { exact: true }).inputValue()).toBe('{campaigns}');
        await expect.poll(() => statusOf(chosen), SLOW).toEqual(['approved', 'approved', 'draft']);
        expect(await excel.workbook((api) => api.look('{campaigns}', 3, 'Status'), null)).toMatchObject({ value: 'draft', fill: STATUS_STYLES.draft.fill });
        await expect.poll(() => liveLine.textContent(), SLOW).toMatch(/^Live:/);
        await excel.screenshot('09-reopened', 'Campaigns');

        expect(excel.errors).toEqual([]);
      } catch (error) {
        // What the window showed, and what the page said, when it failed.
        await excel.screenshot('failure').catch(() => undefined);
        if (excel.errors.length > 0) console.warn(`errors in the page:\n${excel.errors.join('\n')}`);
        throw error;
      } finally {
        await excel.page.close();
      }
    },
    E2E_TIMEOUT,
  );
});
