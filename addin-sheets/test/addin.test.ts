/**
 * The bundled add-in on fake Apps Script services against the real API: the menu, the sidebar's
 * server calls (the Sheets host and the proxied fetch under the shared pane's own workflows),
 * sessions held by the server, and syncs both ways after the person sorted the sheet.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../api/test/harness.ts';
import { saveConnection, type Connection } from '../../pane/src/workflows/connections.ts';
import { catchUp } from '../../pane/src/workflows/feed.ts';
import { runSync } from '../../pane/src/workflows/sync.ts';
import { ROW_ID_METADATA_KEY } from '../src/server/sheets.ts';
import { sidebarSession, TEST_API_URL } from './support/addin.ts';
import { cellOf, createBrand, GOOGLE_CLIENT_ID, rowOf, typeCampaignSheet, useScene } from './support/world.ts';

const scene = useScene();
const ZWSP = '\u200B';

describe('the StoreSync menu', () => {
  it('appears when the spreadsheet opens and opens the sidebar and the settings', () => {
    const { world, runtime } = scene.sheets();
    world.spreadsheet.insertSheet('Sheet1');
    runtime.open();
    expect(world.ui.menus).toEqual([
      {
        title: 'StoreSync',
        items: [
          { caption: 'Open StoreSync', functionName: 'showSidebar' },
          { caption: 'Sync now', functionName: 'menuSyncNow' },
          { caption: 'Generate copy for selected rows', functionName: 'menuGenerateForSelection' },
          { caption: 'Settings', functionName: 'showSettings' },
        ],
      },
    ]);
    // onOpen may run without authorisation: it builds the menu and touches nothing else.
    expect(world.urlFetch.requests).toHaveLength(0);
    runtime.menu('Open StoreSync');
    expect(world.ui.sidebars[0]?.title).toBe('StoreSync');
    expect(world.ui.sidebars[0]?.content).toContain('id="storesync-sheets-bar"');
    runtime.menu('Settings');
    expect(world.ui.dialogs[0]).toMatchObject({ title: 'StoreSync settings', width: 460 });
  });

  it('explains instead of failing when the person is not signed in or the sheet is not connected', async () => {
    const { world, runtime } = scene.sheets();
    world.spreadsheet.insertSheet('Campaigns');
    runtime.open();
    runtime.menu('Sync now');
    expect(world.ui.alerts.at(-1)).toMatch(/Sign in to StoreSync first/);
    const { manager } = await createBrand(scene.ctx, []);
    await sidebarSession(runtime).services.client.signIn(manager.email, TEST_PASSWORD);
    runtime.menu('Generate copy for selected rows');
    expect(world.ui.alerts.at(-1)).toMatch(/"Campaigns" is not connected to StoreSync/);
  });
});

describe('the session', () => {
  it('is held by the server: the sidebar sees placeholders, tokens live in user properties only', async () => {
    const { world, runtime } = scene.sheets();
    const { manager } = await createBrand(scene.ctx, []);
    const answers: string[] = [];
    const sidebar = sidebarSession(runtime);
    const { client } = sidebar.services;
    const recordingFetch = sidebar.call;
    sidebar.call = (async (name: string, ...args: unknown[]) => {
      const answer = await (recordingFetch as (name: string, ...rest: unknown[]) => Promise<unknown>)(name, ...args);
      answers.push(JSON.stringify(answer ?? null));
      return answer;
    }) as typeof sidebar.call;

    expect(await client.resume()).toBeNull();
    const user = await client.signIn(manager.email.toUpperCase(), TEST_PASSWORD);
    expect(user.email).toBe(manager.email);

    const session = JSON.parse(world.userProperties().get('storesync.server.session') ?? '{}') as { access: string; refresh: string };
    expect(session.access).toMatch(/^eyJ/);
    expect(session.refresh.length).toBeGreaterThan(20);
    // What reached the sidebar: placeholders only.
    const signInAnswer = world.urlFetch.requests.find((request) => request.url.endsWith('/auth/token/'));
    expect(signInAnswer?.status).toBe(200);
    expect(await sidebar.host.userStorage.get('storesync.refreshToken')).toBe('held-by-apps-script');
    expect([...world.properties.document.values.values()].join()).not.toContain(session.refresh);
    expect([...world.properties.document.values.values()].join()).not.toMatch(/eyJ/);
    // The server attaches the real token to the pane's requests.
    expect((await client.me()).id).toBe(manager.id);
    const me = world.urlFetch.requests.at(-1);
    expect(me?.headers.Authorization).toBe(`Bearer ${session.access}`);
    expect(answers.join()).not.toContain(session.refresh);
  });

  it('is shared by every sidebar and refreshed once, under the lock, when it expires', async () => {
    const { world, runtime } = scene.sheets();
    const { manager } = await createBrand(scene.ctx, []);
    await sidebarSession(runtime).services.client.signIn(manager.email, TEST_PASSWORD);
    const first = JSON.parse(world.userProperties().get('storesync.server.session') ?? '{}') as { refresh: string };

    // A second sidebar resumes without spending the refresh token: the access token is fresh.
    expect((await sidebarSession(runtime).services.client.resume())?.id).toBe(manager.id);
    expect(JSON.parse(world.userProperties().get('storesync.server.session') ?? '{}').refresh).toBe(first.refresh);

    // 16 minutes later the access token has expired: one refresh, then both sidebars go on.
    world.env.clock.advance(16 * 60_000);
    const a = sidebarSession(runtime).services.client;
    const b = sidebarSession(runtime).services.client;
    expect((await a.resume())?.id).toBe(manager.id);
    expect((await b.resume())?.id).toBe(manager.id);
    const refreshes = world.urlFetch.requests.filter((request) => request.url.endsWith('/auth/token/refresh/'));
    expect(refreshes).toHaveLength(1);
    expect(JSON.parse(world.userProperties().get('storesync.server.session') ?? '{}').refresh).not.toBe(first.refresh);
  });

  it('signs in with the Google identity when StoreSync has an active user with that email', async () => {
    const { world, runtime } = scene.sheets();
    const { manager } = await createBrand(scene.ctx, []);
    world.env.user = manager.email;
    world.scriptApp.identityTokens.set(manager.email, await scene.google.idToken({ audience: GOOGLE_CLIENT_ID, email: manager.email }));
    const sidebar = sidebarSession(runtime);
    expect(await sidebar.call('sidebarStart')).toMatchObject({ signedIn: false, googleEmail: manager.email, apiBaseUrl: TEST_API_URL });
    expect(await sidebar.call('signInWithGoogle')).toEqual({ ok: true, message: `Signed in to StoreSync as ${manager.email}.` });
    expect((await sidebar.services.client.resume())?.id).toBe(manager.id);

    world.env.user = 'stranger@example.test';
    world.scriptApp.identityTokens.set('stranger@example.test', await scene.google.idToken({ audience: GOOGLE_CLIENT_ID, email: 'stranger@example.test' }));
    const refused = await sidebarSession(runtime, 'stranger@example.test').call('signInWithGoogle');
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/No active StoreSync account/);
    expect(world.properties.forUser('stranger@example.test').values.has('storesync.server.session')).toBe(false);
  });

  it('says in words when the API cannot be reached or the address is not allowed', async () => {
    const { world, runtime } = scene.sheets();
    world.urlFetch.routes.set(TEST_API_URL, 'http://127.0.0.1:9');
    const { client } = sidebarSession(runtime).services;
    await expect(client.signIn('a@example.test', 'x')).rejects.toThrow(/StoreSync cannot be reached at https:\/\/storesync\.test\/api\/v1\/auth\/token\//);
    const settings = sidebarSession(runtime);
    await expect(settings.call('saveApiUrl', 'https://elsewhere.example.com')).rejects.toThrow(/may only reach https:\/\/storesync\.test\//);
    await expect(settings.call('saveApiUrl', 'http://storesync.test')).rejects.toThrow(/not an https:\/\/ address/);
    expect((await settings.call('saveApiUrl', 'https://storesync.test/')).apiUrl).toBe(TEST_API_URL);
    await expect(settings.call('setDocumentSetting', 'storesync.apiUrl', '"https://elsewhere.example.com"')).rejects.toThrow(/StoreSync → Settings/);
    await expect(settings.call('getUserValue', 'storesync.server.session')).rejects.toThrow(/cannot use the storage key/);
  });
});

describe('syncing a sheet', () => {
  it('writes ids, versions and outputs as text, tags each row, and finds rows by identity after a sort, both ways', async () => {
    const { world, runtime } = scene.sheets();
    const { brand, manager, locations } = await createBrand(scene.ctx, ['001', '002', '003', '004']);
    const sheet = world.spreadsheet.insertSheet('Campaigns');
    typeCampaignSheet(sheet, [
      ['001', 'Summer'],
      ['002', 'Winter'],
      ['003', 'Spring'],
      ['004', 'Autumn'],
    ]);
    const { host, services } = sidebarSession(runtime);
    await services.client.signIn(manager.email, TEST_PASSWORD);
    const tables = await host.listTables();
    expect(tables).toEqual([{ id: String(sheet.getSheetId()), name: 'Campaigns', sheetName: 'Campaigns', rowCount: 4, headers: ['Store #', 'Template', 'Sale Type'] }]);
    const tableId = tables[0]?.id ?? '';
    let connection: Connection = { tableId, tableName: 'Campaigns', kind: 'campaigns', brandId: brand.id, manual: {}, cursor: null };
    await saveConnection(host, connection);

    const first = await runSync({ host, client: services.client, connection });
    expect(first.counts).toMatchObject({ created: 4, error: 0 });
    const headers = sheet.snapshot()[0] as string[];
    expect(headers.slice(0, 3)).toEqual(['Store #', 'Template', 'Sale Type']);
    expect(headers).toEqual(expect.arrayContaining(['StoreSync ID', 'StoreSync Version', 'Status', 'Generated Content', 'Last Synced']));
    const idColumn = headers.indexOf('StoreSync ID') + 1;
    expect(sheet.isColumnHiddenByUser(idColumn)).toBe(true);
    // Every data row carries its id in the id column and in its row metadata.
    for (const store of ['001', '002', '003', '004']) {
      const row = rowOf(sheet, store);
      const id = String(cellOf(sheet, store, 'StoreSync ID'));
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(sheet.rowMetadata(row)).toEqual([{ key: ROW_ID_METADATA_KEY, value: id }]);
      expect(sheet.formatAt(row, headers.indexOf('Status') + 1)).toBe('@');
    }
    const campaignOf = new Map(['001', '002', '003', '004'].map((store) => [store, String(cellOf(sheet, store, 'StoreSync ID'))]));
    connection = (await host.documentSettings.get('storesync.connections') as Connection[])[0] as Connection;
    expect(connection.cursor).not.toBeNull();

    // The person sorts (descending), edits store 002's sale type, and clears store 003's hidden id cell.
    sheet.sortByPerson(1, false);
    expect(sheet.snapshot().slice(1).map((cells) => cells[0])).toEqual(['004', '003', '002', '001']);
    sheet.type(rowOf(sheet, '002'), 3, [['Holiday']]);
    sheet.type(rowOf(sheet, '003'), idColumn, [['']]);
    // Meanwhile StoreSync changes elsewhere: copy for 003 (formula-like text) and 001.
    const admin = await scene.ctx.createUser('admin');
    const patch = (store: string, body: object) => scene.ctx.request('PATCH', `/api/v1/campaigns/${campaignOf.get(store)}/`, { token: admin.token, body });
    expect((await patch('003', { generated_content: '=HYPERLINK("https://evil.example","Click")' })).status).toBe(200);
    expect((await patch('001', { generated_content: 'Summer deals at Store 001!' })).status).toBe(200);

    // Sheet → StoreSync: the edited row updates its own campaign; 003 is still 003 (by its row metadata).
    const second = await runSync({ host, client: services.client, connection });
    expect(second.counts).toMatchObject({ created: 0, updated: 1, error: 0, conflict: 0 });
    const changed = await scene.ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaignOf.get('002') ?? '' } });
    expect(changed.customizations).toMatchObject({ sale_type: 'Holiday' });
    expect(await scene.ctx.prisma.locationCampaign.count({ where: { location: { brandId: brand.id } } })).toBe(4);

    // StoreSync → sheet: the change feed lands in the rows where the stores are now.
    sheet.sortByPerson(3, true);
    await catchUp(host, services.client, connection);
    expect(cellOf(sheet, '001', 'Generated Content')).toBe('Summer deals at Store 001!');
    expect(cellOf(sheet, '003', 'Generated Content')).toBe(`${ZWSP}=HYPERLINK("https://evil.example","Click")`);
    expect(cellOf(sheet, '002', 'Generated Content')).toBe('');
    expect(sheet.formulaCount()).toBe(0);
    expect(locations.size).toBe(4);
    // Each block is one setValues, with at most one setNumberFormats before it.
    expect(world.spreadsheet.counters.setNumberFormats).toBeLessThanOrEqual(world.spreadsheet.counters.setValues);
  });

  it('falls back to the hidden id column for rows without metadata', async () => {
    const { world, runtime } = scene.sheets();
    const { brand, manager } = await createBrand(scene.ctx, ['101', '102']);
    const sheet = world.spreadsheet.insertSheet('Campaigns');
    typeCampaignSheet(sheet, [
      ['101', 'Summer'],
      ['102', 'Winter'],
    ]);
    const { host, services } = sidebarSession(runtime);
    await services.client.signIn(manager.email, TEST_PASSWORD);
    const connection: Connection = { tableId: String(sheet.getSheetId()), tableName: 'Campaigns', kind: 'campaigns', brandId: brand.id, manual: {}, cursor: null };
    await saveConnection(host, connection);
    await runSync({ host, client: services.client, connection });
    // Rows synced before metadata existed: only the id cells know.
    for (const row of sheet.rows) row.metadata.splice(0);
    sheet.sortByPerson(1, false);
    sheet.type(rowOf(sheet, '101'), 3, [['Spring']]);
    const answer = await runSync({ host, client: services.client, connection });
    expect(answer.counts).toMatchObject({ created: 0, updated: 1 });
    // The write-back tagged the rows again.
    expect(sheet.rowMetadata(rowOf(sheet, '101'))).toEqual([{ key: ROW_ID_METADATA_KEY, value: String(cellOf(sheet, '101', 'StoreSync ID')) }]);
  });

  it('syncs the active sheet from the menu and reports with a toast', async () => {
    const { world, runtime } = scene.sheets();
    const { brand, manager } = await createBrand(scene.ctx, ['201']);
    const sheet = world.spreadsheet.insertSheet('Campaigns');
    typeCampaignSheet(sheet, [['201', 'Summer']]);
    const { host, services } = sidebarSession(runtime);
    await services.client.signIn(manager.email, TEST_PASSWORD);
    await saveConnection(host, { tableId: String(sheet.getSheetId()), tableName: 'Campaigns', kind: 'campaigns', brandId: brand.id, manual: {}, cursor: null });
    runtime.open();
    runtime.menu('Sync now');
    expect(world.spreadsheet.toasts.at(-1)?.message).toBe('Synced "Campaigns": 1 created, 0 updated, 0 unchanged.');
    expect(String(cellOf(sheet, '201', 'Status'))).toMatch(/draft/i);
    runtime.menu('Sync now');
    expect(world.spreadsheet.toasts.at(-1)?.message).toBe('Synced "Campaigns": 0 created, 0 updated, 1 unchanged.');
  });

  it('passes the person’s edits to an open sidebar, never the add-in’s own writes', async () => {
    const { world, runtime } = scene.sheets();
    const sheet = world.spreadsheet.insertSheet('Campaigns');
    typeCampaignSheet(sheet, [['301', 'Summer']]);
    const { host } = sidebarSession(runtime);
    const edits: unknown[] = [];
    const stop = host.onUserEdit(String(sheet.getSheetId()), (edit) => edits.push(edit));
    await host.pollEdits(); // the sidebar is open from its first poll on
    runtime.edit('Campaigns', 2, 3, [['Winter']]);
    await host.applyWritePlan(String(sheet.getSheetId()), {
      addColumns: [],
      writes: [],
      calls: [{ writes: [{ row: 1, column: 2, values: [['Spring']], numberFormats: [['@']], bytes: 0 }], bytes: 0 }],
      unplaced: [],
      appendedRows: 0,
      cellsChanged: 1,
      maxCallBytes: 0,
      maxRequestBytes: 0,
    });
    await host.pollEdits();
    expect(edits).toEqual([{ tableId: String(sheet.getSheetId()), row: 1, column: 2, rowCount: 1, columnCount: 1 }]);
    stop();
  });
});
