/**
 * The built sidebar (Sidebar.html as HtmlService serves it: the shared pane's single-file build
 * with the Sheets boot script) in headless Chromium. Its `google.script.run` is a shim that runs
 * each call as an execution of the bundled server code on the same fake Apps Script services,
 * whose UrlFetchApp reaches the real API; the real generation worker writes copy.
 *
 * A marketer signs in, connects the Campaigns sheet, syncs it, sorts the sheet, selects two rows,
 * generates copy for them, sees it land in the right rows, and turns background updates on.
 * Screenshots of each screen go to test-output/sheets-sidebar/ (checked by eye; see README).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../api/test/harness.ts';
import { cellOf, createBrand, typeCampaignSheet, useScene } from './support/world.ts';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT_DIR = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../test-output/sheets-sidebar');
/** Where the page pretends to be served from (HtmlService pages live on a Google sandbox origin). */
const SIDEBAR_URL = 'https://n-sandbox.script.googleusercontent.test/userCodeAppPanel';
const SLOW = { timeout: 30_000 };

/**
 * `google.script.run` in the page: each call goes to the test (`__storesyncRun`), which runs it as
 * a server execution; success and failure handlers are called like Google's client does.
 */
const GOOGLE_SCRIPT_RUN_SHIM = `
(() => {
  const runner = (onSuccess, onFailure) => new Proxy({}, {
    get(_, name) {
      if (name === 'withSuccessHandler') return (handler) => runner(handler, onFailure);
      if (name === 'withFailureHandler') return (handler) => runner(onSuccess, handler);
      if (typeof name !== 'string') return undefined;
      return (...args) => {
        window.__storesyncRun(name, JSON.stringify(args)).then((answer) => {
          if (answer.ok) onSuccess && onSuccess(answer.value);
          else onFailure && onFailure(new Error(answer.message));
        });
      };
    },
  });
  window.google = { script: { run: runner(null, null), host: { close() {} } } };
})();
`;

const scene = useScene({ pane: 'real' });
let browser: Browser | undefined;

beforeAll(async () => {
  await rm(SCREENSHOT_DIR, { recursive: true, force: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function shoot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', fullPage: true });
}

describe('the sidebar in Chromium', () => {
  it(
    'signs in, connects, syncs, generates for the selected rows after a sort, and shows background status',
    async () => {
      if (!browser) throw new Error('Chromium did not start');
      const { world, runtime } = scene.sheets();
      const { manager, campaignOf } = await (async () => {
        const made = await createBrand(scene.ctx, ['001', '002', '003']);
        await scene.ctx.prisma.user.update({ where: { id: made.manager.id }, data: { firstName: 'Morgan', lastName: 'Marketer' } });
        return { ...made, campaignOf: new Map<string, string>() };
      })();
      world.env.user = manager.email;
      const sheet = world.spreadsheet.insertSheet('Campaigns');
      typeCampaignSheet(sheet, [
        ['001', 'Summer'],
        ['002', 'Winter'],
        ['003', 'Spring'],
      ]);
      scene.ctx.startGenerationWorker();
      runtime.open();
      runtime.menu('Open StoreSync');
      const html = world.ui.sidebars.at(-1)?.content ?? '';

      const page = await browser.newPage({ viewport: { width: 300, height: 760 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.exposeBinding('__storesyncRun', async (_source, name: string, argsJson: string) => {
        try {
          const value = await runtime.sidebar(name, JSON.parse(argsJson) as unknown[], manager.email);
          return { ok: true, value: value === undefined ? null : value };
        } catch (error) {
          return { ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      });
      await page.addInitScript(GOOGLE_SCRIPT_RUN_SHIM);
      // Nothing leaves the page but google.script.run: the sidebar never reaches the API itself.
      await page.route('**/*', (route) => (route.request().url() === SIDEBAR_URL ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }) : route.abort()));
      await page.goto(SIDEBAR_URL);

      // Signed out: the pane's sign-in form, and Google sign-in in the strip above it.
      await expect.poll(() => page.getByRole('button', { name: `Sign in with Google (${manager.email})` }).isVisible(), SLOW).toBe(true);
      await page.getByLabel('Email').fill(manager.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await shoot(page, '1-sign-in');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();

      // Signed in: one brand, so the workspace opens on "Connect a table".
      await page.getByRole('region', { name: 'Connect a table' }).waitFor(SLOW);
      await expect.poll(() => page.getByText('Morgan Marketer').isVisible(), SLOW).toBe(true);
      await page.getByRole('region', { name: 'Connect a table' }).getByRole('combobox').first().selectOption({ label: 'Campaigns (Campaigns, 3 rows)' });
      await expect.poll(() => page.getByText('Proposed from its headers: Campaigns').isVisible(), SLOW).toBe(true);
      await shoot(page, '2-connect');
      await page.getByRole('button', { name: 'Connect' }).click();

      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => page.getByRole('group', { name: 'Sync summary' }).getByLabel('Created: 3').isVisible(), SLOW).toBe(true);
      for (const store of ['001', '002', '003']) campaignOf.set(store, String(cellOf(sheet, store, 'StoreSync ID')));
      expect([...campaignOf.values()].every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
      await shoot(page, '3-synced');

      // The person sorts the sheet and selects the rows of stores 003 and 002.
      sheet.sortByPerson(1, false);
      world.spreadsheet.selectRows(sheet, 2, 3);
      await page.getByRole('tab', { name: 'Generate' }).click();
      await page.getByRole('button', { name: 'Estimate' }).click();
      await page.getByRole('button', { name: 'Generate 2' }).click(SLOW);
      await expect.poll(() => page.getByText(/Finished: 2 done, 0 failed of 2/).isVisible(), { timeout: 60_000 }).toBe(true);
      await expect.poll(() => cellOf(sheet, '003', 'Generated Content') !== '' && cellOf(sheet, '002', 'Generated Content') !== '', SLOW).toBe(true);
      expect(cellOf(sheet, '001', 'Generated Content')).toBe('');
      const stored = await scene.ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaignOf.get('003') ?? '' } });
      expect(cellOf(sheet, '003', 'Generated Content')).toBe(stored.generatedContent);
      await shoot(page, '4-generated');

      // Background updates, from the strip above the pane.
      await page.getByRole('switch', { name: /Background updates/ }).check();
      await expect.poll(() => world.scriptApp.triggers.length, SLOW).toBe(1);
      await expect.poll(() => page.getByText(/requests used today/).isVisible(), SLOW).toBe(true);
      await shoot(page, '5-background-on');

      // Tokens never reached the page: only placeholders crossed google.script.run.
      const session = JSON.parse(world.userProperties(manager.email).get('storesync.server.session') ?? '{}') as { access: string; refresh: string };
      const content = await page.content();
      expect(content).not.toContain(session.refresh);
      expect(errors).toEqual([]);
      await page.close();
    },
    120_000,
  );
});
