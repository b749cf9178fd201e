import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, useTestContext, type TestUser } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
/** A location manager of world.brand with no assignments: sees every location of the brand. */
let unassignedManager: TestUser;
beforeAll(async () => {
  world = await createWorld(ctx);
  unassignedManager = await ctx.createUser('location_manager', { brands: [world.brand.id] });
});

const locationsPath = (brandId: string) => `/api/v1/brands/${brandId}/locations`;
const locationPath = (location: { brandId: string; id: string }) => `${locationsPath(location.brandId)}/${location.id}`;
const ids = (response: { json: { results: { id: string }[] } }) => response.json.results.map((location) => location.id);
const fields = (response: { json: { error: { details: { field: string }[] } } }) =>
  response.json.error.details.map((detail) => detail.field);

/** A brand of its own with three stores, so list assertions do not see other tests' locations. */
async function createChain() {
  const brand = await ctx.createBrand();
  const create = (storeNumber: string, name: string, city: string, isActive = true) =>
    ctx.prisma.location.create({
      data: { brandId: brand.id, storeNumber, name, isActive, address: { street: '1 Elm St', city, state: 'TX', zip: '75001' } },
    });
  const downtown = await create('010', 'Downtown', 'Austin');
  const uptown = await create('002', 'Uptown', 'Dallas');
  const closed = await create('030', 'Old Mill', 'Waco', false);
  return { brand, downtown, uptown, closed };
}

describe('GET /api/v1/brands/{brand_id}/locations', () => {
  it('lists the brand’s locations by store number, paginated, for every role of the brand', async () => {
    const chain = await createChain();
    const users = [
      await ctx.createUser('brand_manager', { brands: [chain.brand.id] }),
      await ctx.createUser('location_manager', { brands: [chain.brand.id] }),
      await ctx.createUser('viewer', { brands: [chain.brand.id] }),
      world.users.admin,
    ];
    for (const user of users) {
      const response = await ctx.request('GET', `${locationsPath(chain.brand.id)}/`, { token: user.token });
      expect(response.status, user.role).toBe(200);
      expect(response.json).toMatchObject({ count: 3, next: null, previous: null });
      expect(ids(response), user.role).toEqual([chain.uptown.id, chain.downtown.id, chain.closed.id]);
    }
    const firstPage = await ctx.request('GET', `${locationsPath(chain.brand.id)}?page_size=2`, { token: world.users.admin.token });
    expect(firstPage.json.results).toHaveLength(2);
    expect(firstPage.json.next).toContain('page=2');
  });

  it('serializes every spec field, including full_address', async () => {
    const response = await ctx.request('GET', locationsPath(world.brand.id), { token: world.users.viewer.token });
    const first = response.json.results.find((location: { id: string }) => location.id === world.location.id);
    expect(first).toEqual({
      id: world.location.id,
      brand: world.brand.id,
      name: 'Store 001',
      store_number: '001',
      address: { street: '001 Main St', city: 'Austin', state: 'TX', zip: '78701' },
      attributes: { region: 'southwest' },
      is_active: true,
      full_address: '001 Main St, Austin, TX 78701',
      row_version: 1,
      created_at: world.location.createdAt.toISOString(),
      updated_at: expect.any(String),
    });
  });

  it('shows location managers with assignments only their assigned locations', async () => {
    const chain = await createChain();
    const assigned = await ctx.createUser('location_manager', { brands: [chain.brand.id], locations: [chain.downtown.id] });
    const response = await ctx.request('GET', locationsPath(chain.brand.id), { token: assigned.token });
    expect(response.status).toBe(200);
    expect(response.json.count).toBe(1);
    expect(ids(response)).toEqual([chain.downtown.id]);
    const filtered = await ctx.request('GET', `${locationsPath(chain.brand.id)}?search=uptown`, { token: assigned.token });
    expect(filtered.json.count).toBe(0);
  });

  it('filters by is_active and searches name, store number and city regardless of case', async () => {
    const chain = await createChain();
    const list = (query: string) => ctx.request('GET', `${locationsPath(chain.brand.id)}?${query}`, { token: world.users.admin.token });
    expect(ids(await list('is_active=false'))).toEqual([chain.closed.id]);
    expect(ids(await list('is_active=true'))).toEqual([chain.uptown.id, chain.downtown.id]);
    expect(ids(await list('search=DALLAS'))).toEqual([chain.uptown.id]);
    expect(ids(await list('search=old mill'))).toEqual([chain.closed.id]);
    expect(ids(await list('search=01'))).toEqual([chain.downtown.id]);
    expect(ids(await list('search=town&is_active=true'))).toEqual([chain.uptown.id, chain.downtown.id]);

    const bad = await list('is_active=yes');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['query.is_active']);
  });

  it('answers 404 for another brand’s list and never shows another brand’s rows', async () => {
    const foreign = await ctx.request('GET', locationsPath(world.brand.id), { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('not_found');

    const own = await ctx.request('GET', locationsPath(world.otherBrand.id), { token: world.users.otherBrandManager.token });
    expect(own.status).toBe(200);
    expect(ids(own)).toContain(world.otherLocation.id);
    expect(ids(own)).not.toContain(world.location.id);
    const admins = await ctx.request('GET', `${locationsPath(world.brand.id)}?page_size=500`, { token: world.users.admin.token });
    expect(ids(admins)).not.toContain(world.otherLocation.id);

    const missing = await ctx.request('GET', locationsPath(crypto.randomUUID()), { token: world.users.admin.token });
    expect(missing.status).toBe(404);
    const malformed = await ctx.request('GET', locationsPath('not-a-uuid'), { token: world.users.admin.token });
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['param.brand_id']);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.viewer.id, 'GET', locationsPath(world.brand.id));
  });
});

describe('POST /api/v1/brands/{brand_id}/locations', () => {
  const newStore = (storeNumber: string) => ({
    name: `Store ${storeNumber}`,
    store_number: storeNumber,
    address: { street: '9 Oak Ave', city: 'Austin', state: 'TX', zip: '78702', country: 'US' },
    attributes: { square_footage: 5000, has_gas_station: true },
  });

  it('lets admins and the brand’s managers create locations, with defaults and trimmed store numbers', async () => {
    const byManager = await ctx.request('POST', `${locationsPath(world.brand.id)}/`, {
      token: world.users.brandManager.token,
      body: newStore('101'),
    });
    expect(byManager.status).toBe(201);
    expect(byManager.json).toMatchObject({
      brand: world.brand.id,
      store_number: '101',
      address: { street: '9 Oak Ave', city: 'Austin', state: 'TX', zip: '78702', country: 'US' },
      attributes: { square_footage: 5000, has_gas_station: true },
      is_active: true,
      full_address: '9 Oak Ave, Austin, TX 78702',
    });

    const minimal = await ctx.request('POST', locationsPath(world.brand.id), {
      token: world.users.admin.token,
      body: { name: 'Kiosk', store_number: '  102  ', is_active: false },
    });
    expect(minimal.status).toBe(201);
    expect(minimal.json).toMatchObject({ store_number: '102', address: {}, attributes: {}, is_active: false, full_address: '' });
    const stored = await ctx.prisma.location.findUniqueOrThrow({ where: { id: minimal.json.id } });
    expect(stored.storeNumber).toBe('102');
  });

  it('refuses location managers and viewers with 403, and another brand’s manager with 404', async () => {
    for (const user of [world.users.locationManager, unassignedManager, world.users.viewer]) {
      const response = await ctx.request('POST', locationsPath(world.brand.id), { token: user.token, body: newStore('103') });
      expect(response.status, user.role).toBe(403);
    }
    const foreign = await ctx.request('POST', locationsPath(world.brand.id), {
      token: world.users.otherBrandManager.token,
      body: newStore('103'),
    });
    expect(foreign.status).toBe(404);
    expect(await ctx.prisma.location.count({ where: { brandId: world.brand.id, storeNumber: '103' } })).toBe(0);
  });

  it('answers 409 naming store_number when the number is taken in the brand, not in another brand', async () => {
    const first = await ctx.request('POST', locationsPath(world.brand.id), { token: world.users.admin.token, body: newStore('104') });
    expect(first.status).toBe(201);
    const again = await ctx.request('POST', locationsPath(world.brand.id), { token: world.users.admin.token, body: newStore('104') });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('conflict');
    expect(again.json.error.details).toEqual([{ field: 'store_number', message: 'store number 104 already exists in this brand' }]);
    const otherBrand = await ctx.request('POST', locationsPath(world.otherBrand.id), { token: world.users.admin.token, body: newStore('104') });
    expect(otherBrand.status).toBe(201);
  });

  it('names every invalid field', async () => {
    const response = await ctx.request('POST', locationsPath(world.brand.id), {
      token: world.users.admin.token,
      body: {
        store_number: '   ',
        address: { city: 7, zipcode: '78701' },
        attributes: ['not', 'an', 'object'],
        is_active: 'yes',
        colour: 'red',
      },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('validation_failed');
    expect(fields(response)).toEqual(
      expect.arrayContaining(['name', 'store_number', 'address.city', 'address.zipcode', 'attributes', 'is_active', 'colour']),
    );
    const tooLong = await ctx.request('POST', locationsPath(world.brand.id), {
      token: world.users.admin.token,
      body: { name: 'Long', store_number: 'x'.repeat(51) },
    });
    expect(fields(tooLong)).toEqual(['store_number']);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', locationsPath(world.brand.id), newStore('105'));
  });
});

describe('GET /api/v1/brands/{brand_id}/locations/{id}', () => {
  it('shows a location to every role of its brand, with or without a trailing slash', async () => {
    for (const user of [world.users.admin, world.users.brandManager, world.users.locationManager, unassignedManager, world.users.viewer]) {
      const response = await ctx.request('GET', locationPath(world.location), { token: user.token });
      expect(response.status, user.role).toBe(200);
      expect(response.json.id).toBe(world.location.id);
    }
    const slashed = await ctx.request('GET', `${locationPath(world.location)}/`, { token: world.users.viewer.token });
    expect(slashed.json.store_number).toBe('001');
  });

  it('answers 404 outside the caller’s reach and for a location of another brand in the path', async () => {
    const foreign = await ctx.request('GET', locationPath(world.location), { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
    const unassigned = await ctx.request('GET', locationPath(world.secondLocation), { token: world.users.locationManager.token });
    expect(unassigned.status).toBe(404);
    const wrongBrand = await ctx.request('GET', `${locationsPath(world.brand.id)}/${world.otherLocation.id}`, {
      token: world.users.admin.token,
    });
    expect(wrongBrand.status).toBe(404);
    const malformed = await ctx.request('GET', `${locationsPath(world.brand.id)}/42`, { token: world.users.admin.token });
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['param.id']);
  });
});

describe('PATCH /api/v1/brands/{brand_id}/locations/{id}', () => {
  it('lets admins and brand managers change every field, leaving the others alone', async () => {
    const location = await ctx.createLocation(world.brand.id, '201');
    const response = await ctx.request('PATCH', `${locationPath(location)}/`, {
      token: world.users.brandManager.token,
      body: { store_number: '201A', is_active: false, address: { city: 'Round Rock', state: 'TX' } },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      name: 'Store 201',
      store_number: '201A',
      is_active: false,
      address: { city: 'Round Rock', state: 'TX' },
      attributes: { region: 'southwest' },
      full_address: 'Round Rock, TX',
    });
    const renamed = await ctx.request('PATCH', locationPath(location), { token: world.users.admin.token, body: { name: 'Renamed' } });
    expect(renamed.json).toMatchObject({ name: 'Renamed', store_number: '201A', is_active: false });
  });

  it('lets location managers change name, address and attributes of locations they see, nothing else', async () => {
    const location = await ctx.createLocation(world.brand.id, '202');
    const manager = await ctx.createUser('location_manager', { brands: [world.brand.id], locations: [location.id] });
    const allowed = await ctx.request('PATCH', locationPath(location), {
      token: manager.token,
      body: { name: 'Corner Store', address: { street: '5 Pine Rd', city: 'Austin' }, attributes: { region: 'central' } },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.json).toMatchObject({ name: 'Corner Store', attributes: { region: 'central' }, full_address: '5 Pine Rd, Austin' });
    const byUnassigned = await ctx.request('PATCH', locationPath(location), { token: unassignedManager.token, body: { name: 'Again' } });
    expect(byUnassigned.status).toBe(200);

    for (const body of [{ store_number: '999' }, { is_active: false }, { name: 'X', is_active: true }]) {
      const refused = await ctx.request('PATCH', locationPath(location), { token: manager.token, body });
      expect(refused.status, JSON.stringify(body)).toBe(403);
      expect(refused.json.error.message).toContain('Only admins and brand managers');
    }
    const notAssigned = await ctx.request('PATCH', locationPath(world.secondLocation), { token: manager.token, body: { name: 'Mine now' } });
    expect(notAssigned.status).toBe(404);
    const stored = await ctx.prisma.location.findUniqueOrThrow({ where: { id: location.id } });
    expect(stored).toMatchObject({ name: 'Again', storeNumber: '202', isActive: true });
  });

  it('refuses viewers with 403 and other brands with 404', async () => {
    const location = await ctx.createLocation(world.brand.id, '203');
    const viewer = await ctx.request('PATCH', locationPath(location), { token: world.users.viewer.token, body: { name: 'Y' } });
    expect(viewer.status).toBe(403);
    const foreign = await ctx.request('PATCH', locationPath(location), { token: world.users.otherBrandManager.token, body: { name: 'Y' } });
    expect(foreign.status).toBe(404);
    const wrongBrand = await ctx.request('PATCH', `${locationsPath(world.otherBrand.id)}/${location.id}`, {
      token: world.users.admin.token,
      body: { name: 'Y' },
    });
    expect(wrongBrand.status).toBe(404);
  });

  it('names invalid fields and answers 409 for a store number already in use', async () => {
    const location = await ctx.createLocation(world.brand.id, '204');
    const invalid = await ctx.request('PATCH', locationPath(location), {
      token: world.users.admin.token,
      body: { name: '', brand: world.otherBrand.id },
    });
    expect(invalid.status).toBe(400);
    expect(fields(invalid)).toEqual(expect.arrayContaining(['name', 'brand']));
    const taken = await ctx.request('PATCH', locationPath(location), { token: world.users.admin.token, body: { store_number: '001' } });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details).toEqual([{ field: 'store_number', message: 'store number 001 already exists in this brand' }]);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'PATCH', locationPath(world.location), { name: 'Nope' });
  });
});

describe('DELETE /api/v1/brands/{brand_id}/locations/{id}', () => {
  it('lets admins and brand managers delete a location without campaigns', async () => {
    for (const [user, storeNumber] of [
      [world.users.admin, '301'],
      [world.users.brandManager, '302'],
    ] as const) {
      const location = await ctx.createLocation(world.brand.id, storeNumber);
      const response = await ctx.request('DELETE', locationPath(location), { token: user.token });
      expect(response.status, user.role).toBe(204);
      expect(response.text).toBe('');
      expect((await ctx.request('GET', locationPath(location), { token: user.token })).status).toBe(404);
    }
  });

  it('answers 409 for a location with campaigns and keeps it and its campaigns', async () => {
    const location = await ctx.createLocation(world.brand.id, '310');
    const campaign = await ctx.createCampaign(location.id, world.template.id);
    const response = await ctx.request('DELETE', `${locationPath(location)}/`, { token: world.users.brandManager.token });
    expect(response.status).toBe(409);
    expect(response.json.error.message).toContain('is_active=false');
    expect(await ctx.prisma.locationCampaign.count({ where: { id: campaign.id } })).toBe(1);
    expect(await ctx.prisma.location.count({ where: { id: location.id } })).toBe(1);
  });

  it('refuses location managers and viewers with 403 and other brands with 404', async () => {
    const location = await ctx.createLocation(world.brand.id, '320');
    const manager = await ctx.createUser('location_manager', { brands: [world.brand.id], locations: [location.id] });
    for (const user of [manager, unassignedManager, world.users.viewer]) {
      const response = await ctx.request('DELETE', locationPath(location), { token: user.token });
      expect(response.status, user.role).toBe(403);
    }
    const foreign = await ctx.request('DELETE', locationPath(location), { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
    const wrongBrand = await ctx.request('DELETE', `${locationsPath(world.otherBrand.id)}/${location.id}`, {
      token: world.users.admin.token,
    });
    expect(wrongBrand.status).toBe(404);
    expect(await ctx.prisma.location.count({ where: { id: location.id } })).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('documents the location routes and schemas', async () => {
    const schema = await ctx.request('GET', '/api/schema');
    expect(Object.keys(schema.json.paths)).toEqual(
      expect.arrayContaining(['/api/v1/brands/{brand_id}/locations', '/api/v1/brands/{brand_id}/locations/{id}']),
    );
    expect(Object.keys(schema.json.components.schemas)).toEqual(
      expect.arrayContaining(['Location', 'LocationCreate', 'LocationUpdate', 'LocationPage', 'Address']),
    );
  });
});
