import { randomUUID } from 'node:crypto';
import { verifyPassword } from '@storesync/core/passwords';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, TEST_PASSWORD, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

const NEW_PASSWORD = 'a much longer new passphrase';
const adminToken = () => world.users.admin.token;
const fields = (response: { json: { error: { details: { field: string }[] } } }) =>
  response.json.error.details.map((detail) => detail.field);
const sorted = (ids: string[]) => [...ids].sort();

/** Signs in for real, so the user holds a refresh token that can be revoked. */
async function signIn(email: string, password = TEST_PASSWORD) {
  const response = await ctx.request('POST', '/api/v1/auth/token', { body: { email, password } });
  expect(response.status).toBe(200);
  return { access: response.json.access as string, refresh: response.json.refresh as string };
}

const refreshWith = (refresh: string) => ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh } });

async function expectAllRefreshTokensRevoked(userId: string) {
  const tokens = await ctx.prisma.refreshToken.findMany({ where: { userId } });
  expect(tokens.length).toBeGreaterThan(0);
  expect(tokens.every((token) => token.revokedAt !== null)).toBe(true);
}

/** Every users endpoint with a request that would succeed for an admin. */
const endpoints = () => {
  const target = world.users.viewer.id;
  return [
    { method: 'GET', path: '/api/v1/users' },
    { method: 'POST', path: '/api/v1/users', body: { email: `x-${randomUUID()}@example.test`, password: NEW_PASSWORD } },
    { method: 'GET', path: `/api/v1/users/${target}` },
    { method: 'PATCH', path: `/api/v1/users/${target}`, body: { first_name: 'Changed' } },
    { method: 'DELETE', path: `/api/v1/users/${target}` },
    { method: 'PUT', path: `/api/v1/users/${target}/brands`, body: { brand_ids: [] } },
    { method: 'PUT', path: `/api/v1/users/${world.users.locationManager.id}/locations`, body: { location_ids: [] } },
  ];
};

describe('access to /api/v1/users', () => {
  it('refuses every role but admin, whatever their brand', async () => {
    const { brandManager, locationManager, viewer, otherBrandManager } = world.users;
    for (const user of [brandManager, locationManager, viewer, otherBrandManager]) {
      for (const { method, path, body } of endpoints()) {
        const response = await ctx.request(method, path, { token: user.token, body });
        expect(response.status, `${user.role} ${method} ${path}`).toBe(403);
        expect(response.json.error.code).toBe('forbidden');
      }
    }
  });

  it('refuses missing and bad tokens', async () => {
    for (const { method, path, body } of endpoints()) {
      await expectRejectsBadTokens(ctx, world.users.admin.id, method, path, body);
    }
  });

  it('documents every endpoint under the users tag', async () => {
    const schema = await ctx.request('GET', '/api/schema');
    expect(schema.status).toBe(200);
    const paths = schema.json.paths;
    for (const [path, methods] of [
      ['/api/v1/users', ['get', 'post']],
      ['/api/v1/users/{id}', ['get', 'patch', 'delete']],
      ['/api/v1/users/{id}/brands', ['put']],
      ['/api/v1/users/{id}/locations', ['put']],
    ] as const) {
      for (const method of methods) expect(paths[path][method].tags, `${method} ${path}`).toEqual(['users']);
    }
    expect(Object.keys(schema.json.components.schemas)).toEqual(
      expect.arrayContaining(['User', 'UserPage', 'UserCreate', 'UserUpdate', 'UserBrands', 'UserLocations']),
    );
  });
});

describe('GET /api/v1/users', () => {
  it('pages through users ordered by email and never shows a password', async () => {
    const tag = randomUUID().slice(0, 8);
    for (const prefix of ['c', 'a', 'b']) await ctx.createUser('viewer', { email: `${prefix}-${tag}@example.test` });
    const first = await ctx.request('GET', `/api/v1/users/?search=${tag}&page_size=2`, { token: adminToken() });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ count: 3, previous: null });
    expect(first.json.results.map((user: { email: string }) => user.email)).toEqual([
      `a-${tag}@example.test`,
      `b-${tag}@example.test`,
    ]);
    expect(first.json.next).toContain('page=2');
    expect(JSON.stringify(first.json)).not.toMatch(/password/i);
    const second = await ctx.request('GET', `/api/v1/users?search=${tag}&page_size=2&page=2`, { token: adminToken() });
    expect(second.json.results.map((user: { email: string }) => user.email)).toEqual([`c-${tag}@example.test`]);
  });

  it('filters by role, brand, activity and a case-insensitive search of email and names', async () => {
    const brand = await ctx.createBrand();
    const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const viewer = await ctx.createUser('viewer', { brands: [brand.id] });
    const retired = await ctx.createUser('viewer', { brands: [brand.id], isActive: false });
    const list = async (query: string) => {
      const response = await ctx.request('GET', `/api/v1/users?brand=${brand.id}&${query}`, { token: adminToken() });
      expect(response.status, query).toBe(200);
      return sorted(response.json.results.map((user: { id: string }) => user.id));
    };
    expect(await list('')).toEqual(sorted([manager.id, viewer.id, retired.id]));
    expect(await list('role=brand_manager')).toEqual([manager.id]);
    expect(await list('is_active=false')).toEqual([retired.id]);
    expect(await list('is_active=true')).toEqual(sorted([manager.id, viewer.id]));
    // createUser names users after their role: first_name "brand_manager", last name "Tester".
    expect(await list('search=BRAND_MAN')).toEqual([manager.id]);
    expect(await list('search=tESTER')).toEqual(sorted([manager.id, viewer.id, retired.id]));
    expect(await list(`search=${viewer.email.slice(0, 14).toUpperCase()}`)).toEqual([viewer.id]);
  });

  it('names each invalid filter', async () => {
    const response = await ctx.request('GET', '/api/v1/users?role=boss&brand=acme&is_active=yes&page_size=0', {
      token: adminToken(),
    });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(
      expect.arrayContaining(['query.role', 'query.brand', 'query.is_active', 'query.page_size']),
    );
  });
});

describe('POST /api/v1/users', () => {
  it('creates a location manager with brands and locations and a hashed password that signs in', async () => {
    const email = `New.Manager-${randomUUID().slice(0, 8)}@Example.TEST`;
    const response = await ctx.request('POST', '/api/v1/users/', {
      token: adminToken(),
      body: {
        email,
        password: NEW_PASSWORD,
        first_name: ' Nia ',
        last_name: 'Store',
        role: 'location_manager',
        brands: [world.brand.id, world.otherBrand.id, world.brand.id],
        locations: [world.location.id, world.otherLocation.id],
      },
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({
      email: email.toLowerCase(),
      first_name: 'Nia',
      full_name: 'Nia Store',
      role: 'location_manager',
      is_active: true,
      last_login_at: null,
    });
    expect(sorted(response.json.brands)).toEqual(sorted([world.brand.id, world.otherBrand.id]));
    expect(sorted(response.json.locations)).toEqual(sorted([world.location.id, world.otherLocation.id]));
    expect(JSON.stringify(response.json)).not.toMatch(/password/i);

    const stored = await ctx.prisma.user.findUniqueOrThrow({ where: { id: response.json.id } });
    expect(stored.passwordHash).not.toContain(NEW_PASSWORD);
    expect(await verifyPassword(NEW_PASSWORD, stored.passwordHash)).toBe(true);
    await signIn(email, NEW_PASSWORD);
  });

  it('defaults to a viewer with no names, brands or locations', async () => {
    const response = await ctx.request('POST', '/api/v1/users', {
      token: adminToken(),
      body: { email: `plain-${randomUUID().slice(0, 8)}@example.test`, password: NEW_PASSWORD },
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ role: 'viewer', first_name: '', last_name: '', brands: [], locations: [] });
    expect(response.json.full_name).toBe(response.json.email);
  });

  it('answers 409 naming email when the address is taken, in any case', async () => {
    const response = await ctx.request('POST', '/api/v1/users', {
      token: adminToken(),
      body: { email: world.users.viewer.email.toUpperCase(), password: NEW_PASSWORD },
    });
    expect(response.status).toBe(409);
    expect(response.json.error.details).toEqual([{ field: 'email', message: 'already in use' }]);
  });

  it('names unknown brands and locations outside the user’s brands by index, and says how to fix them', async () => {
    const response = await ctx.request('POST', '/api/v1/users', {
      token: adminToken(),
      body: {
        email: `bad-${randomUUID().slice(0, 8)}@example.test`,
        password: NEW_PASSWORD,
        role: 'location_manager',
        brands: [world.brand.id, randomUUID()],
        locations: [world.location.id, world.otherLocation.id, randomUUID()],
      },
    });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['brands.1', 'locations.1', 'locations.2']);
    expect(response.json.error.details[1].message).toContain('add that brand to `brands`');
    expect(await ctx.prisma.user.count({ where: { email: { startsWith: 'bad-' } } })).toBe(0);
  });

  it('refuses locations for anyone but a location manager', async () => {
    const response = await ctx.request('POST', '/api/v1/users', {
      token: adminToken(),
      body: {
        email: `viewer-${randomUUID().slice(0, 8)}@example.test`,
        password: NEW_PASSWORD,
        brands: [world.brand.id],
        locations: [world.location.id],
      },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.details).toEqual([{ field: 'locations', message: expect.stringContaining('only location managers') }]);
  });

  it('validates every field and rejects unknown ones', async () => {
    const response = await ctx.request('POST', '/api/v1/users', {
      token: adminToken(),
      body: { email: 'not-an-email', password: 'short', role: 'owner', brands: ['acme'], is_superuser: true },
    });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(expect.arrayContaining(['email', 'password', 'role', 'brands.0', 'is_superuser']));
    const missing = await ctx.request('POST', '/api/v1/users', { token: adminToken(), body: {} });
    expect(fields(missing)).toEqual(expect.arrayContaining(['email', 'password']));
    const tooLong = await ctx.request('POST', '/api/v1/users', {
      token: adminToken(),
      body: { email: `long-${randomUUID().slice(0, 8)}@example.test`, password: 'x'.repeat(1025) },
    });
    expect(fields(tooLong)).toEqual(['password']);
  });
});

describe('GET /api/v1/users/{id}', () => {
  it('returns the user, 404 for an unknown id and 400 for a malformed one', async () => {
    const found = await ctx.request('GET', `/api/v1/users/${world.users.locationManager.id}`, { token: adminToken() });
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({
      id: world.users.locationManager.id,
      role: 'location_manager',
      brands: [world.brand.id],
      locations: [world.location.id],
    });
    expect((await ctx.request('GET', `/api/v1/users/${randomUUID()}`, { token: adminToken() })).status).toBe(404);
    expect((await ctx.request('GET', '/api/v1/users/not-a-uuid', { token: adminToken() })).status).toBe(400);
  });
});

describe('PATCH /api/v1/users/{id}', () => {
  it('updates email (lowercased), names and role', async () => {
    const user = await ctx.createUser('viewer', { brands: [world.brand.id] });
    const email = `Renamed-${randomUUID().slice(0, 8)}@Example.test`;
    const response = await ctx.request('PATCH', `/api/v1/users/${user.id}/`, {
      token: adminToken(),
      body: { email, first_name: 'Ada', last_name: 'Lovelace', role: 'brand_manager' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      email: email.toLowerCase(),
      full_name: 'Ada Lovelace',
      role: 'brand_manager',
      brands: [world.brand.id],
    });
  });

  it('changing the password ends every session and the new password signs in', async () => {
    const user = await ctx.createUser('viewer');
    const session = await signIn(user.email);
    const response = await ctx.request('PATCH', `/api/v1/users/${user.id}`, {
      token: adminToken(),
      body: { password: NEW_PASSWORD },
    });
    expect(response.status).toBe(200);
    await expectAllRefreshTokensRevoked(user.id);
    expect((await refreshWith(session.refresh)).status).toBe(401);
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: user.token })).status).toBe(401);
    const fresh = await signIn(user.email, NEW_PASSWORD);
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: fresh.access })).status).toBe(200);
  });

  it('deactivating ends every session at once; reactivating lets the user sign in again', async () => {
    const user = await ctx.createUser('viewer');
    await ctx.prisma.refreshToken.create({
      data: { userId: user.id, familyId: randomUUID(), tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 60_000) },
    });
    const off = await ctx.request('PATCH', `/api/v1/users/${user.id}`, { token: adminToken(), body: { is_active: false } });
    expect(off.json.is_active).toBe(false);
    await expectAllRefreshTokensRevoked(user.id);
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: user.token })).status).toBe(401);
    const on = await ctx.request('PATCH', `/api/v1/users/${user.id}`, { token: adminToken(), body: { is_active: true } });
    expect(on.json.is_active).toBe(true);
    // Sessions ended by the deactivation stay ended; a new sign-in works.
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: user.token })).status).toBe(401);
    const fresh = await signIn(user.email);
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: fresh.access })).status).toBe(200);
  });

  it('drops location assignments when the role leaves location_manager, and only then', async () => {
    const user = await ctx.createUser('location_manager', { brands: [world.brand.id], locations: [world.location.id] });
    const renamed = await ctx.request('PATCH', `/api/v1/users/${user.id}`, {
      token: adminToken(),
      body: { role: 'location_manager', last_name: 'Still Here' },
    });
    expect(renamed.json.locations).toEqual([world.location.id]);
    const promoted = await ctx.request('PATCH', `/api/v1/users/${user.id}`, { token: adminToken(), body: { role: 'brand_manager' } });
    expect(promoted.status).toBe(200);
    expect(promoted.json).toMatchObject({ role: 'brand_manager', locations: [], brands: [world.brand.id] });
    expect(await ctx.prisma.locationAssignment.count({ where: { userId: user.id } })).toBe(0);
  });

  it('refuses to let an admin demote or deactivate themselves, but allows other self edits', async () => {
    const admin = await ctx.createUser('admin');
    for (const body of [{ role: 'brand_manager' }, { is_active: false }]) {
      const response = await ctx.request('PATCH', `/api/v1/users/${admin.id}`, { token: admin.token, body });
      expect(response.status, JSON.stringify(body)).toBe(409);
      expect(response.json.error.message).toContain('ask another admin');
    }
    const stored = await ctx.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(stored).toMatchObject({ role: 'admin', isActive: true });
    const renamed = await ctx.request('PATCH', `/api/v1/users/${admin.id}`, {
      token: admin.token,
      body: { first_name: 'Root', role: 'admin', is_active: true },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.first_name).toBe('Root');
  });

  it('answers 409 for a taken email, 400 for bad or unknown fields and 404 for an unknown user', async () => {
    const user = await ctx.createUser('viewer');
    const taken = await ctx.request('PATCH', `/api/v1/users/${user.id}`, {
      token: adminToken(),
      body: { email: world.users.brandManager.email },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details).toEqual([{ field: 'email', message: 'already in use' }]);
    const invalid = await ctx.request('PATCH', `/api/v1/users/${user.id}`, {
      token: adminToken(),
      body: { password: 'short', is_active: 'no', brands: [] },
    });
    expect(invalid.status).toBe(400);
    expect(fields(invalid)).toEqual(expect.arrayContaining(['password', 'is_active', 'brands']));
    const unknown = await ctx.request('PATCH', `/api/v1/users/${randomUUID()}`, { token: adminToken(), body: { first_name: 'X' } });
    expect(unknown.status).toBe(404);
  });
});

describe('DELETE /api/v1/users/{id}', () => {
  it('deactivates instead of deleting: the access token stops working and the refresh token is revoked', async () => {
    const user = await ctx.createUser('brand_manager', { brands: [world.brand.id] });
    const session = await signIn(user.email);
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: session.access })).status).toBe(200);

    const response = await ctx.request('DELETE', `/api/v1/users/${user.id}/`, { token: adminToken() });
    expect(response.status).toBe(204);
    const stored = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { brands: true } });
    expect(stored.isActive).toBe(false);
    expect(stored.brands.map((membership) => membership.brandId)).toEqual([world.brand.id]);
    await expectAllRefreshTokensRevoked(user.id);
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: session.access })).status).toBe(401);
    expect((await refreshWith(session.refresh)).status).toBe(401);

    const again = await ctx.request('DELETE', `/api/v1/users/${user.id}`, { token: adminToken() });
    expect(again.status).toBe(204);
  });

  it('refuses to let an admin deactivate themselves and answers 404 for an unknown user', async () => {
    const admin = await ctx.createUser('admin');
    const self = await ctx.request('DELETE', `/api/v1/users/${admin.id}`, { token: admin.token });
    expect(self.status).toBe(409);
    expect(self.json.error.message).toContain('ask another admin');
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).isActive).toBe(true);
    expect((await ctx.request('DELETE', `/api/v1/users/${randomUUID()}`, { token: adminToken() })).status).toBe(404);
  });
});

describe('PUT /api/v1/users/{id}/brands', () => {
  it('replaces memberships and drops location assignments outside the new brands', async () => {
    const brand = await ctx.createBrand();
    const kept = await ctx.createLocation(brand.id, '100');
    const user = await ctx.createUser('location_manager', {
      brands: [world.brand.id, brand.id],
      locations: [world.location.id, kept.id],
    });
    const response = await ctx.request('PUT', `/api/v1/users/${user.id}/brands/`, {
      token: adminToken(),
      body: { brand_ids: [brand.id, world.otherBrand.id, brand.id] },
    });
    expect(response.status).toBe(200);
    expect(sorted(response.json.brands)).toEqual(sorted([brand.id, world.otherBrand.id]));
    expect(response.json.locations).toEqual([kept.id]);

    const cleared = await ctx.request('PUT', `/api/v1/users/${user.id}/brands`, { token: adminToken(), body: { brand_ids: [] } });
    expect(cleared.json).toMatchObject({ brands: [], locations: [] });
  });

  it('names each unknown brand by index and changes nothing', async () => {
    const user = await ctx.createUser('viewer', { brands: [world.brand.id] });
    const response = await ctx.request('PUT', `/api/v1/users/${user.id}/brands`, {
      token: adminToken(),
      body: { brand_ids: [world.otherBrand.id, randomUUID()] },
    });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['brand_ids.1']);
    const stored = await ctx.prisma.brandMembership.findMany({ where: { userId: user.id } });
    expect(stored.map((membership) => membership.brandId)).toEqual([world.brand.id]);
  });

  it('validates the body and answers 404 for an unknown user', async () => {
    const user = await ctx.createUser('viewer');
    const invalid = await ctx.request('PUT', `/api/v1/users/${user.id}/brands`, {
      token: adminToken(),
      body: { brand_ids: ['acme'], brands: [] },
    });
    expect(invalid.status).toBe(400);
    expect(fields(invalid)).toEqual(expect.arrayContaining(['brand_ids.0', 'brands']));
    const unknown = await ctx.request('PUT', `/api/v1/users/${randomUUID()}/brands`, { token: adminToken(), body: { brand_ids: [] } });
    expect(unknown.status).toBe(404);
  });
});

describe('PUT /api/v1/users/{id}/locations', () => {
  it('replaces a location manager’s assignments; an empty list means all locations of their brands', async () => {
    const user = await ctx.createUser('location_manager', { brands: [world.brand.id], locations: [world.location.id] });
    const response = await ctx.request('PUT', `/api/v1/users/${user.id}/locations/`, {
      token: adminToken(),
      body: { location_ids: [world.secondLocation.id, world.secondLocation.id] },
    });
    expect(response.status).toBe(200);
    expect(response.json.locations).toEqual([world.secondLocation.id]);
    const cleared = await ctx.request('PUT', `/api/v1/users/${user.id}/locations`, { token: adminToken(), body: { location_ids: [] } });
    expect(cleared.json.locations).toEqual([]);
  });

  it('names locations outside the user’s brands and unknown locations by index and changes nothing', async () => {
    const user = await ctx.createUser('location_manager', { brands: [world.brand.id], locations: [world.location.id] });
    const response = await ctx.request('PUT', `/api/v1/users/${user.id}/locations`, {
      token: adminToken(),
      body: { location_ids: [world.secondLocation.id, world.otherLocation.id, randomUUID()] },
    });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(['location_ids.1', 'location_ids.2']);
    expect(response.json.error.details[0].message).toContain('PUT /users/{id}/brands');
    const stored = await ctx.prisma.locationAssignment.findMany({ where: { userId: user.id } });
    expect(stored.map((assignment) => assignment.locationId)).toEqual([world.location.id]);
  });

  it('answers 409 for users who are not location managers, 400 for a bad body and 404 for an unknown user', async () => {
    const viewer = await ctx.createUser('viewer', { brands: [world.brand.id] });
    const refused = await ctx.request('PUT', `/api/v1/users/${viewer.id}/locations`, {
      token: adminToken(),
      body: { location_ids: [world.location.id] },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('only location managers');
    const invalid = await ctx.request('PUT', `/api/v1/users/${viewer.id}/locations`, {
      token: adminToken(),
      body: { location_ids: 'all' },
    });
    expect(invalid.status).toBe(400);
    expect(fields(invalid)).toEqual(['location_ids']);
    const unknown = await ctx.request('PUT', `/api/v1/users/${randomUUID()}/locations`, {
      token: adminToken(),
      body: { location_ids: [] },
    });
    expect(unknown.status).toBe(404);
  });
});
