/**
 * Background write-back: the time-driven trigger pulls the change feed into connected sheets
 * with no sidebar open, stays within Apps Script's limits (6-minute executions, the day's URL
 * fetches) by stopping early and resuming from the saved cursor, and never keeps firing for a
 * person who signed out or lost access.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../api/test/harness.ts';
import { saveConnection, type Connection } from '../../pane/src/workflows/connections.ts';
import { runSync } from '../../pane/src/workflows/sync.ts';
import type { BackgroundStatus } from '../src/shared/server-api.ts';
import { sidebarSession } from './support/addin.ts';
import { cellOf, createBrand, typeCampaignSheet, useScene } from './support/world.ts';

const scene = useScene();

/** A synced Campaigns sheet with one row per store, signed in as the brand's manager. */
async function syncedSheet(stores: string[]) {
  const sheets = scene.sheets();
  const { world, runtime } = sheets;
  const brand = await createBrand(scene.ctx, stores);
  world.env.user = brand.manager.email;
  const sheet = world.spreadsheet.insertSheet('Campaigns');
  typeCampaignSheet(sheet, stores.map((store) => [store, 'Summer']));
  const sidebar = sidebarSession(runtime);
  await sidebar.services.client.signIn(brand.manager.email, TEST_PASSWORD);
  const connection: Connection = { tableId: String(sheet.getSheetId()), tableName: 'Campaigns', kind: 'campaigns', brandId: brand.brand.id, manual: {}, cursor: null };
  await saveConnection(sidebar.host, connection);
  const summary = await runSync({ host: sidebar.host, client: sidebar.services.client, connection });
  expect(summary.counts.created).toBe(stores.length);
  const campaignOf = new Map(stores.map((store) => [store, String(cellOf(sheet, store, 'StoreSync ID'))]));
  const admin = await scene.ctx.createUser('admin');
  const setCopy = async (store: string, text: string) => {
    const response = await scene.ctx.request('PATCH', `/api/v1/campaigns/${campaignOf.get(store)}/`, { token: admin.token, body: { generated_content: text } });
    expect(response.status).toBe(200);
  };
  const status = () => runtime.sidebar<BackgroundStatus>('getBackgroundStatus');
  const cursor = () => (JSON.parse(world.properties.document.values.get('storesync.connections') ?? '[]') as Connection[])[0]?.cursor ?? null;
  return { ...sheets, ...brand, sheet, sidebar, campaignOf, admin, setCopy, status, cursor };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('background write-back', () => {
  it('brings generated copy into the sorted sheet through the trigger while no sidebar is open', async () => {
    const scene1 = await syncedSheet(['001', '002', '003', '004']);
    const { world, runtime, sheet, campaignOf } = scene1;
    runtime.open();
    sheet.sortByPerson(1, false); // 004, 003, 002, 001
    world.spreadsheet.selectRows(sheet, 2, 3);
    const before = runtime.executions.length;
    runtime.menu('Generate copy for selected rows');
    expect(world.spreadsheet.toasts.at(-1)?.message).toMatch(/^Generating copy for 2 campaigns\. .*Background updates are now on/);
    expect(world.scriptApp.triggers).toEqual([expect.objectContaining({ handler: 'runBackgroundSync', everyMinutes: 5, user: scene1.manager.email })]);

    scene.ctx.startGenerationWorker();
    const generated = (store: string) => scene.ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaignOf.get(store) ?? '' } }).then((row) => row.generatedContent);
    await waitFor(async () => (await generated('004')) !== '' && (await generated('003')) !== '', 'generated copy');

    sheet.sortByPerson(1, true); // the person keeps working: 001, 002, 003, 004
    world.env.clock.advance(5 * 60_000);
    expect(runtime.fireTriggers()).toBe(1);
    expect(cellOf(sheet, '004', 'Generated Content')).toBe(await generated('004'));
    expect(cellOf(sheet, '003', 'Generated Content')).toBe(await generated('003'));
    expect(cellOf(sheet, '002', 'Generated Content')).toBe('');
    expect(cellOf(sheet, '001', 'Generated Content')).toBe('');
    // Only the menu item and the trigger ran: no sidebar was involved.
    expect(new Set(runtime.executions.slice(before).map((execution) => execution.kind))).toEqual(new Set(['menu', 'trigger']));
    expect(await scene1.status()).toMatchObject({ enabled: true, lastOutcome: 'up-to-date', message: expect.stringMatching(/^2 changes from StoreSync written into Campaigns/) });
  });

  it('stops before Apps Script’s time limit and resumes from the saved cursor', async () => {
    const { world, runtime, sheet, setCopy, sidebar, status, cursor } = await syncedSheet(['101', '102', '103', '104', '105']);
    await sidebar.call('setBackgroundSync', true);
    for (const store of ['101', '102', '103', '104', '105']) await setCopy(store, `Copy for ${store}`);
    world.properties.script.values.set('STORESYNC_BACKGROUND_PAGE_SIZE', '1');
    const start = cursor();
    world.urlFetch.latencyMs = 100_000; // a slow network: 100 s per request

    runtime.fireTriggers();
    expect(await status()).toMatchObject({ enabled: true, lastOutcome: 'stopped-early' });
    const written = ['101', '102', '103', '104', '105'].filter((store) => cellOf(sheet, store, 'Generated Content') !== '');
    expect(written).toEqual(['101', '102', '103']);
    expect(cursor()).not.toBe(start);
    expect(world.env.log.some((entry) => /Exceeded maximum execution time/.test(entry.message))).toBe(false);

    world.urlFetch.latencyMs = 0;
    world.env.clock.advance(5 * 60_000);
    runtime.fireTriggers();
    expect(await status()).toMatchObject({ lastOutcome: 'up-to-date' });
    for (const store of ['101', '102', '103', '104', '105']) expect(cellOf(sheet, store, 'Generated Content')).toBe(`Copy for ${store}`);
  });

  it('counts URL fetches against the day’s budget, keeps a reserve for the person, and resumes the next day', async () => {
    const { world, runtime, sheet, setCopy, sidebar, status } = await syncedSheet(['201', '202', '203', '204']);
    await sidebar.call('setBackgroundSync', true);
    for (const store of ['201', '202', '203', '204']) await setCopy(store, `Copy for ${store}`);
    const used = (JSON.parse(world.userProperties().get('storesync.server.fetches') ?? '{}') as { count: number }).count;
    world.properties.script.values.set('STORESYNC_BACKGROUND_PAGE_SIZE', '1');
    world.properties.script.values.set('STORESYNC_BACKGROUND_RESERVE', '1');
    world.properties.script.values.set('STORESYNC_DAILY_FETCH_BUDGET', String(used + 1 + 2));

    runtime.fireTriggers();
    expect(await status()).toMatchObject({ lastOutcome: 'budget-exhausted', fetchesToday: used + 2, message: expect.stringMatching(/Paused until tomorrow/) });
    expect(['201', '202', '203', '204'].filter((store) => cellOf(sheet, store, 'Generated Content') !== '')).toEqual(['201', '202']);
    // The reserve is the person's: one more request of their own, then a clear refusal.
    expect((await sidebar.services.client.me()).email).toBeTruthy();
    await expect(sidebar.services.client.me()).rejects.toThrow(/used its 4|used its \d+ requests for today/);

    world.env.clock.advance(24 * 60 * 60_000);
    runtime.fireTriggers();
    expect(await status()).toMatchObject({ lastOutcome: 'up-to-date' });
    for (const store of ['201', '202', '203', '204']) expect(cellOf(sheet, store, 'Generated Content')).toBe(`Copy for ${store}`);
  });

  it('is turned on once, off again, and only for someone signed in', async () => {
    const { world, runtime, sidebar } = await syncedSheet(['301']);
    expect((await sidebar.call('setBackgroundSync', true)).enabled).toBe(true);
    expect((await sidebar.call('setBackgroundSync', true)).enabled).toBe(true);
    expect(world.scriptApp.triggers).toHaveLength(1);
    expect((await sidebar.call('setBackgroundSync', false)).enabled).toBe(false);
    expect(world.scriptApp.triggers).toHaveLength(0);
    await expect(sidebarSession(runtime, 'someone-else@example.test').call('setBackgroundSync', true)).rejects.toThrow(/Sign in to StoreSync before turning on background updates/);
  });

  it('removes itself when the person signs out, and revokes the session', async () => {
    const { world, sidebar } = await syncedSheet(['401']);
    await sidebar.call('setBackgroundSync', true);
    const refresh = (JSON.parse(world.userProperties().get('storesync.server.session') ?? '{}') as { refresh: string }).refresh;
    await sidebar.services.client.signOut();
    expect(world.scriptApp.triggers).toHaveLength(0);
    expect(world.userProperties().has('storesync.server.session')).toBe(false);
    const reuse = await scene.ctx.request('POST', '/api/v1/auth/token/refresh/', { body: { refresh } });
    expect(reuse.status).toBe(401);
  });

  it('removes itself at its next run when the session ended elsewhere', async () => {
    const { world, runtime, manager, sidebar, status } = await syncedSheet(['501']);
    await sidebar.call('setBackgroundSync', true);
    await scene.ctx.prisma.user.update({ where: { id: manager.id }, data: { isActive: false } });
    runtime.fireTriggers();
    expect(world.scriptApp.triggers).toHaveLength(0);
    expect(await status()).toMatchObject({ enabled: false, lastOutcome: 'signed-out' });
    expect(world.userProperties().has('storesync.server.session')).toBe(false);
    expect(runtime.fireTriggers()).toBe(0);
  });

  it('removes itself when StoreSync refuses every connected brand (lost access)', async () => {
    const { world, runtime, manager, admin, sidebar, status } = await syncedSheet(['601']);
    await sidebar.call('setBackgroundSync', true);
    const response = await scene.ctx.request('PUT', `/api/v1/users/${manager.id}/brands/`, { token: admin.token, body: { brand_ids: [] } });
    expect(response.status).toBe(200);
    runtime.fireTriggers();
    expect(world.scriptApp.triggers).toHaveLength(0);
    expect(await status()).toMatchObject({ enabled: false, lastOutcome: 'no-access', message: expect.stringMatching(/refused every connected sheet/) });
  });
});
