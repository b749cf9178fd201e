/**
 * A small world for the pane's tests: a StubApi with one brand, a template and three stores, a
 * signed-up user, and a FakeHost with a Stores table and a Campaigns table.
 */
import type { CellValue } from '@storesync/core';
import { StoreSyncClient, type ClientOptions } from '../src/api/client.ts';
import { FakeHost, type FakeHostOptions } from '../src/testing/fake-host.ts';
import { DEMO_PASSWORD, StubApi, type StubApiOptions } from '../src/testing/stub-api.ts';
import { STORAGE_KEYS } from '../src/state/services.ts';
import type { Connection } from '../src/workflows/connections.ts';

export const EMAIL = 'maria@acme.test';
export const PASSWORD = DEMO_PASSWORD;
export const API = 'https://api.storesync.test';

export function makeWorld(options: { api?: StubApiOptions; host?: FakeHostOptions; campaigns?: CellValue[][] } = {}) {
  const api = new StubApi(options.api);
  const brand = api.addBrand('Acme Hardware');
  const user = api.addUser(EMAIL);
  const template = api.addTemplate(brand.id, 'Seasonal sale', ['sale_type']);
  for (const [number, name] of [
    ['0012', 'Downtown'],
    ['0047', 'Riverside'],
    ['0101', 'Airport'],
  ] as const) {
    api.addLocation(brand.id, number, name);
  }
  const host = new FakeHost({
    tables: [
      { id: 'stores', name: 'Stores', values: [['Store #', 'Name'], ['0012', 'Downtown'], ['0047', 'Riverside'], ['0101', 'Airport']] },
      {
        id: 'campaigns',
        name: 'Campaigns',
        values: options.campaigns ?? [
          ['Store No.', 'Template', 'Sale Type'],
          ['0012', 'Seasonal sale', 'Spring'],
          ['0047', 'Seasonal sale', 'Summer'],
          ['0101', 'Seasonal sale', 'Autumn'],
        ],
      },
    ],
    ...options.host,
  });
  return { api, brand, user, template, host };
}

/** A client signed in as the world's user, its refresh token in the host's user storage. */
export async function signedInClient(world: ReturnType<typeof makeWorld>, onSignedOut?: () => void, options: Pick<ClientOptions, 'streaming'> = {}) {
  const client = new StoreSyncClient({
    ...options,
    baseUrl: API,
    fetch: world.api.fetch,
    tokens: {
      loadRefreshToken: () => world.host.userStorage.get(STORAGE_KEYS.refreshToken),
      saveRefreshToken: (token) => world.host.userStorage.set(STORAGE_KEYS.refreshToken, token),
      clearRefreshToken: () => world.host.userStorage.remove(STORAGE_KEYS.refreshToken),
    },
    ...(onSignedOut ? { onSignedOut } : {}),
  });
  await client.signIn(EMAIL, PASSWORD);
  return client;
}

export function campaignConnection(world: ReturnType<typeof makeWorld>, overrides: Partial<Connection> = {}): Connection {
  return { tableId: 'campaigns', tableName: 'Campaigns', kind: 'campaigns', brandId: world.brand.id, manual: {}, cursor: null, ...overrides };
}

/** The cells of one column of a FakeHost table, header included. */
export function column(host: FakeHost, tableId: string, header: string): CellValue[] {
  const index = host.columnOf(tableId, header);
  return host.snapshot(tableId).values.map((row) => row[index] ?? '');
}
