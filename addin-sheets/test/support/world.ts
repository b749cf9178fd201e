/**
 * Test scenes shared by the add-in's integration tests: a real API in its own process on the
 * harness's database, the add-in built and running on fake Apps Script services routed to it,
 * a stand-in Google publishing its keys from the sync-HTTP worker (the API fetches them while the
 * test's thread is blocked in UrlFetchApp), and a brand with stores and a template.
 */
import { afterAll, beforeAll } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../../api/src/routes/auth/exchange.testing.ts';
import { useTestContext, type TestContext, type TestUser } from '../../../api/test/harness.ts';
import { SyncHttp, type FakeSheet } from '../fakes/index.ts';
import { buildProject, createSheets, type BuiltProject, type Sheets } from './addin.ts';
import { startApiProcess, type RunningApi } from './api-server.ts';

export const GOOGLE_CLIENT_ID = '1234-storesync-sheets.apps.googleusercontent.com';

export interface Scene {
  ctx: TestContext;
  google: FakeGoogle;
  api: RunningApi;
  http: SyncHttp;
  project: BuiltProject;
  /** A new spreadsheet and script project for one test. */
  sheets: () => Sheets;
}

/** Registers the hooks that start (and stop) everything; fields are filled before the tests run. */
export function useScene(options: { pane: 'real' | 'stand-in' } = { pane: 'stand-in' }): Scene {
  const ctx = useTestContext();
  const scene = { ctx } as Scene;
  let remove: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    scene.google = await startFakeGoogle();
    scene.http = new SyncHttp();
    const google = scene.http.serveJson({ '/oauth2/v3/certs': JSON.stringify(scene.google.jwks) });
    const built = await buildProject(options);
    remove = built.remove;
    scene.project = built;
    scene.api = await startApiProcess(ctx, { GOOGLE_CLIENT_IDS: GOOGLE_CLIENT_ID, GOOGLE_JWKS_URL: `${google}/oauth2/v3/certs` });
    scene.sheets = () => createSheets(scene.project, scene.http, scene.api.origin);
  }, 120_000);
  afterAll(async () => {
    await scene.api?.stop();
    await scene.http?.close();
    await scene.google?.close();
    await remove?.();
  });
  return scene;
}

export interface Brand {
  brand: { id: string; name: string };
  manager: TestUser;
  templateId: string;
  locations: Map<string, string>;
}

/** A brand, its manager, stores `stores` and the template "Seasonal sale" (needs `sale_type`). */
export async function createBrand(ctx: TestContext, stores: string[]): Promise<Brand> {
  const brand = await ctx.createBrand();
  const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
  const template = await ctx.createTemplate(brand.id);
  const locations = new Map<string, string>();
  for (const store of stores) locations.set(store, (await ctx.createLocation(brand.id, store)).id);
  return { brand, manager, templateId: template.id, locations };
}

/** A Campaigns sheet as a person types it: header row frozen, store numbers as text. */
export function typeCampaignSheet(sheet: FakeSheet, rows: [store: string, saleType: string][]): void {
  sheet.type(1, 1, [['Store #', 'Template', 'Sale Type'], ...rows.map(([store, sale]) => [`'${store}`, 'Seasonal sale', sale])]);
  sheet.setFrozenRows(1);
}

/** The 1-based sheet row whose first column shows `store`. */
export function rowOf(sheet: FakeSheet, store: string): number {
  const index = sheet.snapshot().findIndex((cells) => cells[0] === store);
  if (index < 1) throw new Error(`no row for store ${store}`);
  return index + 1;
}

/** The value under `header` in the row of `store`. */
export function cellOf(sheet: FakeSheet, store: string, header: string): unknown {
  const snapshot = sheet.snapshot();
  const column = (snapshot[0] ?? []).indexOf(header);
  if (column < 0) throw new Error(`no column ${header} (headers: ${JSON.stringify(snapshot[0])})`);
  return snapshot[rowOf(sheet, store) - 1]?.[column];
}
