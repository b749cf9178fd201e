import { beforeAll, describe, expect, it } from 'vitest';
import { createBrandWithManager, createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  world = await createWorld(ctx);
});

const sync = (token: string, brand: string, rows: unknown[]) => ctx.request('POST', '/api/v1/sync/locations/', { token, body: { brand, rows } });

describe('POST /sync/locations', () => {
  it('creates rows, answers one result per row in order, and a second identical request changes nothing', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const rows = [
      { ref: { key: '100' }, name: 'Downtown', store_number: '100', address: { city: 'Austin', state: 'TX' }, attributes: { region: 'South' } },
      { ref: { key: '101' }, name: 'Uptown', store_number: '101' },
    ];
    const first = await sync(token, brand.id, rows);
    expect(first.status).toBe(200);
    expect(first.json.counts).toEqual({ created: 2, updated: 0, unchanged: 0, conflict: 0, error: 0 });
    expect(first.json.results.map((result: { index: number; status: string }) => [result.index, result.status])).toEqual([
      [0, 'created'],
      [1, 'created'],
    ]);
    expect(first.json.results[0].ref).toEqual({ key: '100' });
    expect(first.json.results[0].record).toMatchObject({ store_number: '100', full_address: 'Austin, TX', row_version: 1 });

    const second = await sync(token, brand.id, rows);
    expect(second.json.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const versions = await ctx.prisma.location.findMany({ where: { brandId: brand.id }, select: { rowVersion: true } });
    expect(versions.every((location) => location.rowVersion === 1)).toBe(true);
  });

  it('keeps going past bad rows, naming the field and the fix, and writes the good ones', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const response = await sync(token, brand.id, [
      { name: 'Good', store_number: '1' },
      { name: '', store_number: '2' },
      { name: 'Dup', store_number: '1' },
      { name: 'Unknown key', store_number: '3', colour: 'red' },
      { name: 'Bad address', store_number: '4', address: { zipcode: '1' } },
      null,
      'not a row',
    ]);
    expect(response.status).toBe(200);
    const [good, emptyName, duplicate, unknownKey, badAddress, nullRow, textRow] = response.json.results;
    expect(good.status).toBe('created');
    expect(emptyName).toMatchObject({ status: 'error', field: 'name' });
    expect(duplicate.status).toBe('error');
    expect(duplicate.message).toMatch(/also in row 1 of this request/);
    expect(unknownKey.status).toBe('error');
    expect(unknownKey.message).toMatch(/colour/);
    expect(badAddress.status).toBe('error');
    expect(nullRow).toMatchObject({ index: 5, status: 'error', message: expect.stringMatching(/expected object/) });
    expect(textRow).toMatchObject({ index: 6, status: 'error', message: expect.stringMatching(/expected object/) });
    expect(await ctx.prisma.location.count({ where: { brandId: brand.id } })).toBe(1);
  });

  it('updates by StoreSync id, merges attributes key by key and removes blanked keys', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const created = await sync(token, brand.id, [{ name: 'A', store_number: '7', attributes: { region: 'North', size: 'L', kept: true } }]);
    const { id } = created.json.results[0].record;
    const updated = await sync(token, brand.id, [
      { id, row_version: 1, name: 'A renamed', store_number: '7', attributes: { region: 'South' }, blank_extras: ['size'] },
    ]);
    expect(updated.json.results[0].status).toBe('updated');
    expect(updated.json.results[0].record).toMatchObject({
      name: 'A renamed',
      attributes: { region: 'South', kept: true },
      row_version: 2,
    });
    expect(updated.json.results[0].record.attributes).not.toHaveProperty('size');
  });

  it('merges a stale row three ways: the sheet wins where only it changed, a field both changed is a conflict', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const created = await sync(token, brand.id, [{ name: 'Mall', store_number: '9', address: { city: 'Dallas' }, attributes: { region: 'A' } }]);
    const { id } = created.json.results[0].record;
    // Someone changes the name and the region on the server: version 2.
    const patch = await ctx.request('PATCH', `/api/v1/brands/${brand.id}/locations/${id}/`, {
      token,
      body: { name: 'Mall (server)', attributes: { region: 'B' } },
    });
    expect(patch.status).toBe(200);

    // The sheet, still at version 1, changed only the city: applied, the server's name is kept.
    const cityOnly = await sync(token, brand.id, [
      { id, row_version: 1, name: 'Mall', store_number: '9', address: { city: 'Houston' }, attributes: { region: 'A' } },
    ]);
    expect(cityOnly.json.results[0].status).toBe('updated');
    expect(cityOnly.json.results[0].record).toMatchObject({ name: 'Mall (server)', address: { city: 'Houston' }, attributes: { region: 'B' } });

    // The sheet, still at version 1, also renamed it: a conflict with both values, nothing written.
    const both = await sync(token, brand.id, [
      { id, row_version: 1, name: 'Mall (sheet)', store_number: '9', address: { city: 'Houston' }, attributes: { region: 'C' } },
    ]);
    const result = both.json.results[0];
    expect(result.status).toBe('conflict');
    expect(result.conflicts).toEqual([
      { field: 'name', sheet_value: 'Mall (sheet)', server_value: 'Mall (server)' },
      { field: 'attributes.region', sheet_value: 'C', server_value: 'B' },
    ]);
    expect(result.record.name).toBe('Mall (server)');
    const stored = await ctx.prisma.location.findUniqueOrThrow({ where: { id } });
    expect(stored.name).toBe('Mall (server)');

    // Sent again at the current version, the sheet's values win.
    const resolved = await sync(token, brand.id, [
      { id, row_version: result.record.row_version, name: 'Mall (sheet)', store_number: '9', attributes: { region: 'C' } },
    ]);
    expect(resolved.json.results[0]).toMatchObject({ status: 'updated', record: { name: 'Mall (sheet)' } });
  });

  it('refuses a store number held by another location, and an id of another brand', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const created = await sync(token, brand.id, [
      { name: 'One', store_number: '1' },
      { name: 'Two', store_number: '2' },
    ]);
    const one = created.json.results[0].record;
    const response = await sync(token, brand.id, [
      { id: one.id, name: 'One', store_number: '2' },
      { id: world.otherLocation.id, name: 'Stolen', store_number: '5' },
    ]);
    expect(response.json.results[0]).toMatchObject({ status: 'error', field: 'store_number' });
    expect(response.json.results[1]).toMatchObject({ status: 'error', field: 'id' });
    const other = await ctx.prisma.location.findUniqueOrThrow({ where: { id: world.otherLocation.id } });
    expect(other.name).not.toBe('Stolen');
  });

  it('takes 10,000 rows in one request (over 1 MiB of JSON) and answers each', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const rows = Array.from({ length: 10_000 }, (_, index) => ({
      name: `Store ${index}`,
      store_number: String(index).padStart(5, '0'),
      address: { street: `${index} Main Street`, city: 'Springfield', state: 'IL', zip: '62701' },
      attributes: { region: `Region ${index % 7}`, square_footage: 1_000 + index },
    }));
    const created = await sync(token, brand.id, rows);
    expect(created.status).toBe(200);
    expect(created.json.counts.created).toBe(10_000);
    rows[42]!.name = 'Changed';
    const again = await sync(token, brand.id, rows);
    expect(again.json.counts).toMatchObject({ updated: 1, unchanged: 9_999 });
  });

  it('rejects whole requests: too many rows, another brand, a viewer, bad tokens', async () => {
    const tooMany = Array.from({ length: 10_001 }, (_, index) => ({ name: `S${index}`, store_number: `${index}` }));
    const big = await sync(world.users.brandManager.token, world.brand.id, tooMany);
    expect(big.status).toBe(400);

    const otherBrand = await sync(world.users.brandManager.token, world.otherBrand.id, [{ name: 'X', store_number: 'X1' }]);
    expect(otherBrand.status).toBe(404);
    const viewer = await sync(world.users.viewer.token, world.brand.id, [{ name: 'X', store_number: 'X1' }]);
    expect(viewer.status).toBe(403);
    expect(await ctx.prisma.location.count({ where: { storeNumber: 'X1' } })).toBe(0);
    await expectRejectsBadTokens(ctx, world.users.brandManager.id, 'POST', '/api/v1/sync/locations/', {
      brand: world.brand.id,
      rows: [{ name: 'X', store_number: 'X1' }],
    });
  });

  it('lets a location manager edit details of their own store only', async () => {
    const token = world.users.locationManager.token;
    const response = await sync(token, world.brand.id, [
      { id: world.location.id, name: 'Renamed by manager', store_number: world.location.storeNumber },
      { id: world.secondLocation.id, name: 'Not mine', store_number: '002' },
      { name: 'New store', store_number: 'LM-NEW' },
      { id: world.location.id, name: 'x', store_number: 'renumbered' },
    ]);
    const [own, notMine, newStore, renumbered] = response.json.results;
    expect(own.status).toBe('updated');
    expect(notMine).toMatchObject({ status: 'error', field: 'id' });
    expect(newStore).toMatchObject({ status: 'error', field: 'store_number' });
    expect(newStore.message).toMatch(/Only admins and brand managers can add locations/);
    expect(renumbered.status).toBe('error');
  });
});

describe('GET /sync/changes', () => {
  it('lists each changed entity once, as it is now, in commit order, paged with a cursor', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const start = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}`, { token });
    expect(start.status).toBe(200);
    const created = await sync(token, brand.id, [
      { name: 'A', store_number: '1' },
      { name: 'B', store_number: '2' },
      { name: 'C', store_number: '3' },
    ]);
    const [a] = created.json.results.map((result: { record: { id: string } }) => result.record);
    await sync(token, brand.id, [{ id: a.id, name: 'A2', store_number: '1' }]);

    const page1 = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${start.json.next_cursor}&limit=2`, { token });
    expect(page1.json.changes).toHaveLength(2);
    expect(page1.json.has_more).toBe(true);
    const page2 = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${page1.json.next_cursor}&limit=2`, { token });
    expect(page2.json.has_more).toBe(false);
    const all = [...page1.json.changes, ...page2.json.changes];
    const names = all.map((change: { record: { name: string } }) => change.record.name);
    // One statement logs its rows in id order; A's rename came later.
    expect(names.slice(0, 2).sort()).toEqual(['B', 'C']);
    expect(names[2]).toBe('A2');
    expect(all.at(-1)).toMatchObject({ entity: 'location', id: a.id, row_version: 2, deleted: false });
    const seqs = all.map((change: { seq: string }) => BigInt(change.seq));
    expect([...seqs].sort((x, y) => (x < y ? -1 : 1))).toEqual(seqs);

    const empty = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${page2.json.next_cursor}`, { token });
    expect(empty.json).toMatchObject({ changes: [], has_more: false, next_cursor: page2.json.next_cursor });
  });

  it('reports campaign status changes made by the workflow, and deletions', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const location = await ctx.createLocation(brand.id, 'W1');
    const template = await ctx.createTemplate(brand.id);
    const campaign = await ctx.createCampaign(location.id, template.id, { generatedContent: 'Come by W1!' });
    const before = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}`, { token });
    const cursor = (before.json as { next_cursor: string }).next_cursor;
    expect(before.json.changes.map((change: { entity: string }) => change.entity).sort()).toEqual(['campaign', 'location', 'template']);

    const submitted = await ctx.request('POST', `/api/v1/campaigns/${campaign.id}/submit/`, { token, body: {} });
    expect(submitted.status, submitted.text).toBe(200);
    const afterSubmit = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${cursor}`, { token });
    expect(afterSubmit.json.changes).toHaveLength(1);
    expect(afterSubmit.json.changes[0]).toMatchObject({ entity: 'campaign', id: campaign.id, record: { status: 'pending_review' } });

    const spare = await sync(token, brand.id, [{ name: 'Spare', store_number: 'SP' }]);
    await ctx.request('DELETE', `/api/v1/brands/${brand.id}/locations/${spare.json.results[0].record.id}/`, { token });
    const afterDelete = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${afterSubmit.json.next_cursor}`, { token });
    expect(afterDelete.json.changes).toEqual([
      expect.objectContaining({ entity: 'location', id: spare.json.results[0].record.id, deleted: true }),
    ]);
  });

  it('is readable by viewers, not by other brands, and never shows a location manager other stores', async () => {
    const viewer = await ctx.request('GET', `/api/v1/sync/changes/?brand=${world.brand.id}`, { token: world.users.viewer.token });
    expect(viewer.status).toBe(200);
    const other = await ctx.request('GET', `/api/v1/sync/changes/?brand=${world.brand.id}`, { token: world.users.otherBrandManager.token });
    expect(other.status).toBe(404);
    const manager = await ctx.request('GET', `/api/v1/sync/changes/?brand=${world.brand.id}`, { token: world.users.locationManager.token });
    const locationIds = manager.json.changes
      .filter((change: { entity: string }) => change.entity === 'location')
      .map((change: { id: string }) => change.id);
    expect(locationIds).toEqual([world.location.id]);
    await expectRejectsBadTokens(ctx, world.users.viewer.id, 'GET', `/api/v1/sync/changes/?brand=${world.brand.id}`);
  });
});

describe('GET /sync/events', () => {
  it('streams changes committed by another writer, and resumes from Last-Event-ID', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const controller = new AbortController();
    const response = await ctx.app.request(`/api/v1/sync/events/?brand=${brand.id}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextEvent = async (name: string) => {
      for (;;) {
        const events = buffer.split('\n\n');
        for (let index = 0; index < events.length - 1; index++) {
          const event = events[index]!;
          if (event.includes(`event: ${name}`)) {
            buffer = events.slice(index + 1).join('\n\n');
            const id = /^id: (.*)$/m.exec(event)?.[1];
            return { id, data: JSON.parse(/^data: (.*)$/m.exec(event)![1]!) };
          }
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    };
    await nextEvent('ready');
    // A write through Prisma directly, as the worker makes it: no API request involved.
    const location = await ctx.createLocation(brand.id, 'EV1');
    const change = await nextEvent('change');
    expect(change.data).toMatchObject({ entity: 'location', id: location.id, record: { store_number: 'EV1' } });
    controller.abort();

    await ctx.createLocation(brand.id, 'EV2');
    const resumed = await ctx.app.request(`/api/v1/sync/events/?brand=${brand.id}`, {
      headers: { Authorization: `Bearer ${token}`, 'Last-Event-ID': change.id! },
    });
    const text = await readUntil(resumed, 'EV2');
    expect(text).toContain('"store_number":"EV2"');
    expect(text).not.toContain('"store_number":"EV1"');
  });

  it('refuses other brands and bad tokens', async () => {
    const other = await ctx.request('GET', `/api/v1/sync/events/?brand=${world.brand.id}`, { token: world.users.otherBrandManager.token });
    expect(other.status).toBe(404);
    await expectRejectsBadTokens(ctx, world.users.viewer.id, 'GET', `/api/v1/sync/events/?brand=${world.brand.id}`);
  });
});

async function readUntil(response: Response, needle: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(needle)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text;
}
