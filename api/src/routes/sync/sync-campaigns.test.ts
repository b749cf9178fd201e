import { beforeAll, describe, expect, it } from 'vitest';
import { createBrandWithManager, createWorld, expectRejectsBadTokens, useTestContext, type TestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  world = await createWorld(ctx);
});

/** A brand of its own per test, with stores 001, 002 and 0012 and three templates. */
async function freshBrand(context: TestContext) {
  const { brand, manager } = await createBrandWithManager(context);
  const [store1, store2, store12] = await Promise.all(['001', '002', '0012'].map((number) => context.createLocation(brand.id, number)));
  const seasonal = await context.createTemplate(brand.id); // "Seasonal sale", requires sale_type
  const opening = await context.createTemplate(brand.id, { name: 'Grand opening', contentTemplate: 'Welcome to {{location.name}}', requiredVariables: [] });
  const old = await context.prisma.campaignTemplate.create({
    data: { brandId: brand.id, name: 'Old promo', contentTemplate: 'Old', campaignType: 'promo', isActive: false },
  });
  return { brand, token: manager.token, managerId: manager.id, store1: store1!, store2: store2!, store12: store12!, seasonal, opening, old };
}

const sync = (token: string, brand: string, rows: unknown[]) => ctx.request('POST', '/api/v1/sync/campaigns/', { token, body: { brand, rows } });

type Result = { index: number; status: string; field?: string; message?: string; record?: any; conflicts?: unknown[] };

describe('POST /sync/campaigns', () => {
  it('creates draft campaigns with the detail record, and a second identical request changes nothing', async () => {
    const { brand, token, managerId, store1, seasonal } = await freshBrand(ctx);
    const rows = [
      { ref: { key: '001\u001fseasonal sale' }, store_number: '001', template_name: 'seasonal SALE', customizations: { sale_type: 'Summer', discount: 10 } },
      { store_number: '002', template_name: 'Grand opening', scheduled_start: '2026-12-01T10:00:00+01:00', scheduled_end: '2026-12-31T23:00:00Z' },
    ];
    const first = await sync(token, brand.id, rows);
    expect(first.status, first.text).toBe(200);
    expect(first.json.counts).toEqual({ created: 2, updated: 0, unchanged: 0, conflict: 0, error: 0 });
    expect(first.json.results[0].ref).toEqual({ key: '001\u001fseasonal sale' });
    expect(first.json.results[0].record).toMatchObject({
      brand: brand.id,
      location: store1.id,
      store_number: '001',
      template: seasonal.id,
      template_name: 'Seasonal sale',
      status: 'draft',
      customizations: { sale_type: 'Summer', discount: 10 },
      created_by: managerId,
      generated_content: '',
      approval_history: [],
      allowed_actions: ['submit'],
      row_version: 1,
    });
    expect(first.json.results[1].record).toMatchObject({
      customizations: {},
      scheduled_start: '2026-12-01T09:00:00.000Z',
      scheduled_end: '2026-12-31T23:00:00.000Z',
    });

    // The same instants in other spellings, and the ids the pane fills in, are no change.
    const again = await sync(token, brand.id, [
      { ...rows[0], location: store1.id, template: seasonal.id },
      { ...rows[1], scheduled_start: '2026-12-01T09:00:00.000Z', scheduled_end: '2027-01-01T00:00:00+01:00' },
    ]);
    expect(again.json.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const stored = await ctx.prisma.locationCampaign.findMany({ where: { location: { brandId: brand.id } } });
    expect(stored).toHaveLength(2);
    expect(stored.every((campaign) => campaign.rowVersion === 1)).toBe(true);
  });

  it('keeps going past bad rows, saying what is wrong and how to fix it, and writes the good ones', async () => {
    const { brand, token, store12 } = await freshBrand(ctx);
    const response = await sync(token, brand.id, [
      { store_number: '001', template_name: 'Grand opening' },
      { store_number: '12', template_name: 'Grand opening' },
      { store_number: '999', template_name: 'Grand opening' },
      { store_number: '002', template_name: 'Spring fling' },
      { store_number: '002', template_name: 'Old promo' },
      { store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: '  ' } },
      { store_number: '0012', template_name: 'Grand opening', scheduled_start: '2026-12-02T00:00:00Z', scheduled_end: '2026-12-01T00:00:00Z' },
      { store_number: '0012', template_name: 'Grand opening', scheduled_start: '1 December' },
      { store_number: '001', template_name: ' grand  OPENING' },
      { store_number: '', template_name: 'Grand opening' },
      { store_number: '002', template_name: 'Grand opening', location: store12.id },
      { store_number: '002', template_name: 'Grand opening', status: 'approved' },
    ]);
    expect(response.status).toBe(200);
    const results = response.json.results as Result[];
    const [good, zeros, unknownStore, unknownTemplate, inactive, missing, order, badDate, duplicate, noStore, wrongId, unknownKey] = results;
    expect(good!.status).toBe('created');
    expect(zeros).toMatchObject({ status: 'error', field: 'store_number' });
    expect(zeros!.message).toMatch(/No store has store number 12, but 0012 does: the spreadsheet probably dropped its leading zeros/);
    expect(unknownStore!.message).toMatch(/No store has store number 999; fix the number, or add the store on the Locations sheet/);
    expect(unknownTemplate).toMatchObject({ status: 'error', field: 'template_name' });
    expect(unknownTemplate!.message).toMatch(/There is no template named "Spring fling"; use one of "Grand opening", "Old promo", "Seasonal sale"/);
    expect(inactive!.message).toMatch(/"Old promo" is inactive/);
    expect(missing).toMatchObject({ status: 'error', field: 'customizations.sale_type' });
    expect(missing!.message).toMatch(/The template "Seasonal sale" requires sale_type/);
    expect(order).toMatchObject({ status: 'error', field: 'scheduled_end' });
    expect(badDate).toMatchObject({ status: 'error', field: 'scheduled_start' });
    expect(duplicate!.message).toMatch(/also in row 1 of this request/);
    expect(noStore).toMatchObject({ status: 'error', field: 'store_number' });
    expect(wrongId).toMatchObject({ status: 'error', field: 'location' });
    expect(unknownKey!.message).toMatch(/status/);
    expect(results.filter((result) => result.status === 'error')).toHaveLength(11);
    expect(await ctx.prisma.locationCampaign.count({ where: { location: { brandId: brand.id } } })).toBe(1);
  });

  it('updates the one campaign of a store and template, asks for the id when there are several, and updates by id', async () => {
    const { brand, token, store1, store2, seasonal } = await freshBrand(ctx);
    const only = await ctx.createCampaign(store1.id, seasonal.id);
    const [a, b] = [await ctx.createCampaign(store2.id, seasonal.id), await ctx.createCampaign(store2.id, seasonal.id)];

    const byKey = await sync(token, brand.id, [
      { store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Winter' } },
      { store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: 'Winter' } },
    ]);
    expect(byKey.json.results[0]).toMatchObject({ status: 'updated', record: { id: only.id, customizations: { sale_type: 'Winter' }, row_version: 2 } });
    expect(byKey.json.results[1]).toMatchObject({ status: 'error', field: 'id' });
    expect(byKey.json.results[1].message).toMatch(/Store 002 has 2 "Seasonal sale" campaigns; put the StoreSync ID of the one this row is for/);

    const byId = await sync(token, brand.id, [
      { id: a.id, store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: 'A' } },
      { id: b.id, store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: 'B' } },
    ]);
    expect(byId.json.counts).toMatchObject({ updated: 2 });
    expect(byId.json.results.map((result: Result) => result.record.customizations.sale_type)).toEqual(['A', 'B']);

    // A row found by its key and another naming the same campaign by id would write it twice.
    const twice = await sync(token, brand.id, [
      { store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'X' } },
      { id: only.id, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Y' } },
    ]);
    expect(twice.json.results[0].status).toBe('updated');
    expect(twice.json.results[1]).toMatchObject({ status: 'error' });
    expect(twice.json.results[1].message).toMatch(/also in row 1 of this request/);

    // The store and template of a campaign cannot change.
    const moved = await sync(token, brand.id, [{ id: a.id, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'A' } }]);
    expect(moved.json.results[0]).toMatchObject({ status: 'error', field: 'store_number' });
    expect(moved.json.results[0].message).toMatch(/This campaign is for store 002 and template "Seasonal sale", which cannot change/);
  });

  it('merges customizations key by key and three ways, and removes blanked keys', async () => {
    const { brand, token } = await freshBrand(ctx);
    const created = await sync(token, brand.id, [
      { store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Summer', discount: '10%', kept: 1 } },
    ]);
    const { id } = created.json.results[0].record;
    // Someone edits the campaign through the API: version 2.
    const patch = await ctx.request('PATCH', `/api/v1/campaigns/${id}/`, {
      token,
      body: { customizations: { sale_type: 'Winter', discount: '10%', kept: 1, server_only: 'x' } },
    });
    expect(patch.status, patch.text).toBe(200);

    // The sheet, still at version 1, changed only the discount: applied, the server's keys are kept.
    const discountOnly = await sync(token, brand.id, [
      { id, row_version: 1, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Summer', discount: '20%' } },
    ]);
    expect(discountOnly.json.results[0]).toMatchObject({
      status: 'updated',
      record: { customizations: { sale_type: 'Winter', discount: '20%', kept: 1, server_only: 'x' }, row_version: 3 },
    });

    // The sheet, still at version 1, also changed the sale type: a conflict, nothing written.
    const both = await sync(token, brand.id, [
      { id, row_version: 1, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Spring', discount: '20%' } },
    ]);
    expect(both.json.results[0].status).toBe('conflict');
    expect(both.json.results[0].conflicts).toEqual([{ field: 'customizations.sale_type', sheet_value: 'Spring', server_value: 'Winter' }]);
    expect(both.json.results[0].record.row_version).toBe(3);

    // Up to date, blanking a column removes its key; blanking a required one is refused.
    const blanked = await sync(token, brand.id, [
      { id, row_version: 3, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Spring' }, blank_extras: ['kept'] },
    ]);
    expect(blanked.json.results[0]).toMatchObject({ status: 'updated', record: { customizations: { sale_type: 'Spring', discount: '20%', server_only: 'x' } } });
    expect(blanked.json.results[0].record.customizations).not.toHaveProperty('kept');
    const required = await sync(token, brand.id, [
      { id, store_number: '001', template_name: 'Seasonal sale', customizations: {}, blank_extras: ['sale_type'] },
    ]);
    expect(required.json.results[0]).toMatchObject({ status: 'error', field: 'customizations.sale_type' });

    // A schedule both sides changed is a conflict too.
    await ctx.request('PATCH', `/api/v1/campaigns/${id}/`, { token, body: { scheduled_start: '2026-12-01T09:00:00Z' } });
    const schedule = await sync(token, brand.id, [
      { id, row_version: 4, store_number: '001', template_name: 'Seasonal sale', scheduled_start: '2026-12-02T09:00:00Z' },
    ]);
    expect(schedule.json.results[0].conflicts).toEqual([
      { field: 'scheduled_start', sheet_value: '2026-12-02T09:00:00.000Z', server_value: '2026-12-01T09:00:00.000Z' },
    ]);
  });

  it('edits campaigns as PATCH does: locked once scheduled, status kept in review (a sync never edits the copy)', async () => {
    const { brand, token, store1, store2, seasonal, opening } = await freshBrand(ctx);
    const scheduled = await ctx.createCampaign(store1.id, seasonal.id, { status: 'scheduled' });
    const inReview = await ctx.createCampaign(store2.id, seasonal.id, { status: 'pending_review', generatedContent: 'Reviewed copy' });
    const approved = await ctx.createCampaign(store2.id, opening.id, { status: 'approved', customizations: {} });

    const response = await sync(token, brand.id, [
      { id: scheduled.id, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Summer' } },
      { id: scheduled.id, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Changed' } },
    ]);
    expect(response.json.results[0].status).toBe('unchanged');
    const locked = await sync(token, brand.id, [{ id: scheduled.id, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Changed' } }]);
    expect(locked.json.results[0]).toMatchObject({ status: 'error', field: 'customizations.sale_type' });
    expect(locked.json.results[0].message).toMatch(/The campaign is scheduled; its customizations and schedule are locked/);

    const edited = await sync(token, brand.id, [
      { id: inReview.id, store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: 'Autumn' } },
      { id: approved.id, store_number: '002', template_name: 'Grand opening', scheduled_start: '2026-12-01T09:00:00Z' },
    ]);
    expect(edited.json.results[0]).toMatchObject({
      status: 'updated',
      record: { status: 'pending_review', generated_content: 'Reviewed copy', approval_history: [] },
    });
    expect(edited.json.results[1]).toMatchObject({ status: 'updated', record: { status: 'approved', scheduled_start: '2026-12-01T09:00:00.000Z' } });
  });

  it('rejects whole requests: another brand, a viewer, too many rows, bad tokens', async () => {
    const row = { store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'X1' } };
    const otherBrand = await sync(world.users.brandManager.token, world.otherBrand.id, [row]);
    expect(otherBrand.status).toBe(404);
    const viewer = await sync(world.users.viewer.token, world.brand.id, [row]);
    expect(viewer.status).toBe(403);
    const tooMany = await sync(world.users.brandManager.token, world.brand.id, Array.from({ length: 10_001 }, () => row));
    expect(tooMany.status).toBe(400);
    expect(await ctx.prisma.locationCampaign.count({ where: { customizations: { equals: { sale_type: 'X1' } } } })).toBe(0);
    await expectRejectsBadTokens(ctx, world.users.brandManager.id, 'POST', '/api/v1/sync/campaigns/', { brand: world.brand.id, rows: [row] });
  });

  it('lets a location manager create and edit campaigns of their own store only', async () => {
    const token = world.users.locationManager.token;
    const theirs = await ctx.createCampaign(world.secondLocation.id, world.template.id);
    const response = await sync(token, world.brand.id, [
      { store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Mine' } },
      { store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: 'Not mine' } },
      { id: theirs.id, store_number: '002', template_name: 'Seasonal sale', customizations: { sale_type: 'Not mine' } },
    ]);
    const [mine, notMine, notMineById] = response.json.results as Result[];
    expect(mine).toMatchObject({ status: 'created', record: { store_number: '001', created_by: world.users.locationManager.id } });
    expect(notMine).toMatchObject({ status: 'error', field: 'store_number' });
    expect(notMine!.message).toMatch(/No store you manage has store number 002/);
    expect(notMineById).toMatchObject({ status: 'error', field: 'id' });

    const edit = await sync(token, world.brand.id, [
      { id: mine!.record.id, store_number: '001', template_name: 'Seasonal sale', customizations: { sale_type: 'Edited' } },
    ]);
    expect(edit.json.results[0]).toMatchObject({ status: 'updated', record: { customizations: { sale_type: 'Edited' } } });
    const untouched = await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: theirs.id } });
    expect(untouched.customizations).toEqual({ sale_type: 'Summer' });
  });

  it('creates a campaign once when two syncs race for it', async () => {
    const { brand, token } = await freshBrand(ctx);
    const row = { store_number: '001', template_name: 'Grand opening' };
    const [a, b] = await Promise.all([sync(token, brand.id, [row]), sync(token, brand.id, [row])]);
    expect([a.json.results[0].status, b.json.results[0].status].sort()).toEqual(['created', 'unchanged']);
    expect(await ctx.prisma.locationCampaign.count({ where: { location: { brandId: brand.id } } })).toBe(1);
  });

  it('shows the changes in the change feed', async () => {
    const { brand, token } = await freshBrand(ctx);
    const created = await sync(token, brand.id, [{ store_number: '001', template_name: 'Grand opening', customizations: { note: 'a' } }]);
    const { id } = created.json.results[0].record;
    await sync(token, brand.id, [{ id, store_number: '001', template_name: 'Grand opening', customizations: { note: 'b' } }]);
    const feed = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${created.json.cursor}`, { token });
    expect(feed.json.changes).toEqual([
      expect.objectContaining({ entity: 'campaign', id, row_version: 2, record: expect.objectContaining({ customizations: { note: 'b' } }) }),
    ]);
  });

  it('takes 10,000 campaign rows in one request and answers each', async ({ annotate }) => {
    const { brand, token } = await freshBrand(ctx);
    const stores = Array.from({ length: 2_500 }, (_, index) => `S${String(index).padStart(5, '0')}`);
    await ctx.prisma.location.createMany({ data: stores.map((storeNumber) => ({ brandId: brand.id, storeNumber, name: `Store ${storeNumber}` })) });
    const names = ['Seasonal sale', 'Grand opening', 'Holiday hours', 'Clearance'];
    for (const name of names.slice(2)) await ctx.createTemplate(brand.id, { name, requiredVariables: [] });
    const rows = stores.flatMap((store_number, index) =>
      names.map((template_name, t) => ({
        store_number,
        template_name,
        customizations: { sale_type: `Sale ${index % 11}`, discount: `${(index + t) % 50}%`, headline: `Big days at ${store_number}` },
        scheduled_start: '2026-12-01T09:00:00Z',
        scheduled_end: '2026-12-24T18:00:00Z',
      })),
    );
    expect(rows).toHaveLength(10_000);

    let started = performance.now();
    const created = await sync(token, brand.id, rows);
    const createMs = performance.now() - started;
    expect(created.status, created.text.slice(0, 500)).toBe(200);
    expect(created.json.counts.created).toBe(10_000);
    expect(created.json.results[9_999].record).toMatchObject({ store_number: 'S02499', template_name: 'Clearance', status: 'draft' });

    const ids = created.json.results.map((result: Result) => result.record.id as string);
    const again = rows.map((row, index) => ({
      ...row,
      id: ids[index],
      row_version: 1,
      customizations: index % 10 === 0 ? { ...row.customizations, discount: 'changed' } : row.customizations,
    }));
    started = performance.now();
    const resync = await sync(token, brand.id, again);
    const resyncMs = performance.now() - started;
    expect(resync.json.counts).toMatchObject({ updated: 1_000, unchanged: 9_000, error: 0 });
    await annotate(`10,000 campaign rows: create ${Math.round(createMs)} ms, re-sync with 1,000 changed ${Math.round(resyncMs)} ms`);
  }, 120_000);
});
