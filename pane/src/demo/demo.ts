/**
 * The pane in a plain browser tab, with no spreadsheet and no API: a FakeHost with two tables and
 * the in-memory StubApi. For looking at the pane, screenshots and trying keyboard use
 * (`npm run dev -w @storesync/pane`, or open dist/index.html?demo). Sign in as demo@storesync.demo
 * with the password `storesync-demo`.
 */
import { EXCEL_LIMITS } from '@storesync/core';
import { FakeHost } from '../testing/fake-host.ts';
import { StubApi } from '../testing/stub-api.ts';
import type { MountOptions } from '../mount.tsx';

export function demoOptions(theme: 'light' | 'dark' = 'light'): MountOptions & { api: StubApi; host: FakeHost } {
  const api = new StubApi({ completePerPoll: 2 });
  const brand = api.addBrand('Acme Hardware');
  api.addBrand('Bright Pharmacy');
  api.addUser('demo@storesync.demo');
  api.addTemplate(brand.id, 'Seasonal sale', ['sale_type']);
  const stores = [
    ['0012', 'Downtown'],
    ['0047', 'Riverside'],
    ['0101', 'Airport'],
  ] as const;
  for (const [number, name] of stores) api.addLocation(brand.id, number, name);
  api.similarResults = [
    { id: 'demo-1', brand: brand.id, location_name: 'Harbor', template_name: 'Seasonal sale', content: 'Spring into savings at Acme Harbor: 20% off garden tools this week only.', status: 'approved', similarity_score: 0.91 },
    { id: 'demo-2', brand: brand.id, location_name: 'Hilltop', template_name: 'Seasonal sale', content: 'Acme Hilltop’s summer sale is here: grills, fans and more, all marked down.', status: 'approved', similarity_score: 0.84 },
  ];
  const host = new FakeHost({
    name: 'Demo workbook',
    limits: EXCEL_LIMITS,
    theme,
    tables: [
      { id: 'stores', name: 'Stores', sheetName: 'Stores', values: [['Store #', 'Name', 'City'], ...stores.map(([number, name]) => [number, name, 'Springfield'])] },
      {
        id: 'campaigns',
        name: 'Campaigns',
        sheetName: 'Campaigns',
        values: [['Store #', 'Template', 'Sale Type'], ...stores.map(([number]) => [number, 'Seasonal sale', 'Spring'])],
      },
    ],
  });
  // The StubApi's fetch streams its /sync/events like the real API, so the demo shows live updates.
  return { host, api, apiBaseUrl: 'https://demo.storesync.invalid', fetch: api.fetch, streaming: true, pollIntervalMs: 1_000 };
}
