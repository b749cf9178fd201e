/**
 * The simulated Excel in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
 * opens the "Excel" page on the API's origin, answers Office.js' CDN URL with the stand-in, and
 * gives the test the task pane (a frame locator) and the workbook (`window.storeSyncExcel`).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type JSHandle, type Page } from 'playwright-core';
import { OFFICE_JS_URL } from '../../scripts/build-taskpane.ts';
import { EXCEL_PAGE, EXCEL_PAGE_PATH, OFFICE_JS_STANDIN, SIMULATED_EXCEL_PATH } from './pages.ts';
import type { SimulatedExcelApi, SimulatedExcelWindow } from './types.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

/** Screenshots go to test-output/excel-e2e/ at the repository root (ignored by git). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../../test-output/excel-e2e');

export async function cleanScreenshots(): Promise<void> {
  await rm(SCREENSHOT_DIR, { recursive: true, force: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
}

export class ExcelPage {
  /** Uncaught errors and console errors of the page and the pane, for the test to show. */
  readonly errors: string[] = [];
  readonly pane: FrameLocator;
  readonly screenshots: string[] = [];
  private excel!: JSHandle<SimulatedExcelApi>;

  private constructor(readonly page: Page) {
    this.pane = page.frameLocator('iframe[name="taskpane"]');
  }

  static async open(browser: Browser, origin: string, simulatedExcel: string): Promise<ExcelPage> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.setDefaultTimeout(20_000);
    const opened = new ExcelPage(page);
    page.on('pageerror', (error) => opened.errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') opened.errors.push(`console: ${message.text()}`);
    });
    await page.route(OFFICE_JS_URL, (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: OFFICE_JS_STANDIN }));
    await page.route(`${origin}${EXCEL_PAGE_PATH}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: EXCEL_PAGE }));
    await page.route(`${origin}${SIMULATED_EXCEL_PATH}`, (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: simulatedExcel }));
    await page.goto(`${origin}${EXCEL_PAGE_PATH}`);
    opened.excel = await page.evaluateHandle(() => (window as unknown as SimulatedExcelWindow).storeSyncExcel);
    return opened;
  }

  /** Runs `fn` on the workbook in the page. */
  workbook<R, A>(fn: (api: SimulatedExcelApi, arg: A) => R, arg: A): Promise<R> {
    // Playwright types the argument as it arrives (JSHandles unboxed); plain JSON data arrives as sent.
    return this.excel.evaluate(fn as (api: SimulatedExcelApi, arg: unknown) => R, arg as unknown);
  }

  /** Clicks the ribbon's "Open StoreSync" and waits for the pane to show something. */
  async openPane(): Promise<void> {
    await this.page.getByRole('button', { name: 'Open StoreSync' }).click();
    await this.pane.locator('#root > *').first().waitFor();
  }

  async closePane(): Promise<void> {
    await this.page.getByRole('button', { name: 'Close the task pane' }).click();
  }

  /** The whole Excel window: grid of `sheet` and the task pane. */
  async screenshot(name: string, sheet?: string): Promise<string> {
    await this.workbook((api, shown) => {
      if (shown) api.showSheet(shown);
      api.redraw();
    }, sheet);
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    // Nothing under the pointer (hover styles), and Fluent's transitions shown at their end.
    await this.page.mouse.move(0, this.page.viewportSize()?.height ?? 0);
    await this.page.screenshot({ path: file, animations: 'disabled' });
    this.screenshots.push(file);
    return file;
  }
}
