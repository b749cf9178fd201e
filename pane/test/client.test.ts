import { describe, expect, it, vi } from 'vitest';
import { StoreSyncClient } from '../src/api/client.ts';
import { ApiUnreachableError, ConflictError, describeError, NoAccessError, SignedOutError, ValidationError } from '../src/api/errors.ts';
import { STORAGE_KEYS } from '../src/state/services.ts';
import { API, EMAIL, makeWorld, PASSWORD, signedInClient } from './world.ts';

describe('StoreSyncClient', () => {
  it('signs in, keeps only the refresh token in user storage and sends the access token as a bearer', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    expect(await world.host.userStorage.get(STORAGE_KEYS.refreshToken)).toMatch(/^refresh-/);
    expect(await world.host.documentSettings.get(STORAGE_KEYS.refreshToken)).toBeUndefined();
    const brands = await client.listBrands();
    expect(brands.map((brand) => brand.name)).toEqual(['Acme Hardware']);
    expect(world.api.callsTo('/brands/')[0]?.authorization).toMatch(/^Bearer access-/);
    expect(world.api.callsTo('/auth/token/')[0]?.body).toEqual({ email: EMAIL, password: PASSWORD });
  });

  it('refreshes silently on a 401 with the rotating refresh token and retries once', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    const firstRefresh = await world.host.userStorage.get(STORAGE_KEYS.refreshToken);
    world.api.expireAccessTokens();
    await expect(client.listBrands()).resolves.toHaveLength(1);
    expect(world.api.callsTo('/auth/token/refresh/')).toHaveLength(1);
    expect(world.api.callsTo('/auth/token/refresh/')[0]?.body).toEqual({ refresh: firstRefresh });
    expect(world.api.callsTo('/brands/')).toHaveLength(2);
    // Rotated: the stored token is the new one, the spent one is gone.
    expect(await world.host.userStorage.get(STORAGE_KEYS.refreshToken)).not.toBe(firstRefresh);
  });

  it('shares one refresh between requests that fail together (a refresh token is single use)', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    world.api.expireAccessTokens();
    await Promise.all([client.listBrands(), client.me(), client.listTemplates(world.brand.id)]);
    expect(world.api.callsTo('/auth/token/refresh/')).toHaveLength(1);
  });

  it('ends the session when the refresh token is refused, and says so', async () => {
    const world = makeWorld();
    const signedOut = vi.fn();
    const client = await signedInClient(world, signedOut);
    world.api.expireAccessTokens();
    world.api.failNext('/auth/token/refresh/', 401, { code: 'unauthenticated', message: 'The refresh token was revoked' });
    await expect(client.listBrands()).rejects.toBeInstanceOf(SignedOutError);
    expect(signedOut).toHaveBeenCalledOnce();
    expect(await world.host.userStorage.get(STORAGE_KEYS.refreshToken)).toBeNull();
  });

  it('resumes a stored session on open, and answers null without one', async () => {
    const world = makeWorld();
    await signedInClient(world);
    const reopened = new StoreSyncClient({
      baseUrl: API,
      fetch: world.api.fetch,
      tokens: {
        loadRefreshToken: () => world.host.userStorage.get(STORAGE_KEYS.refreshToken),
        saveRefreshToken: (token) => world.host.userStorage.set(STORAGE_KEYS.refreshToken, token),
        clearRefreshToken: () => world.host.userStorage.remove(STORAGE_KEYS.refreshToken),
      },
    });
    expect((await reopened.resume())?.email).toBe(EMAIL);
    await reopened.signOut();
    expect(world.api.callsTo('/auth/logout/')).toHaveLength(1);
    expect(await reopened.resume()).toBeNull();
  });

  it('types failures: API down, no access, validation with row details, conflicts', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);

    world.api.down = true;
    const down = await client.listBrands().catch((error: unknown) => error);
    expect(down).toBeInstanceOf(ApiUnreachableError);
    expect(describeError(down)).toMatch(/cannot be reached/);
    world.api.down = false;

    world.api.failNext('/brands/', 503, { code: 'service_unavailable', message: 'Redis is down' });
    await expect(client.listBrands()).rejects.toBeInstanceOf(ApiUnreachableError);

    world.api.failNext(/^\/campaigns\/templates\//, 403, { code: 'forbidden', message: 'Viewers cannot do this' });
    const forbidden = await client.listTemplates(world.brand.id).catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(NoAccessError);
    expect(describeError(forbidden)).toMatch(/do not have access/);
    await expect(client.listLocations('00000000-0000-4000-8000-ffffffffffff')).rejects.toBeInstanceOf(NoAccessError);

    world.api.failNext('/sync/campaigns/', 400, {
      code: 'validation_failed',
      message: 'The request is invalid; see details',
      details: [{ field: 'rows.2.customizations.sale_type', message: 'required' }, { field: 'brand', message: 'invalid uuid' }],
    });
    const invalid = await client.sync('campaigns', { brand: world.brand.id, rows: [] }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).details).toEqual([
      { field: 'rows.2.customizations.sale_type', message: 'required', row: 2, rowField: 'customizations.sale_type' },
      { field: 'brand', message: 'invalid uuid' },
    ]);
    expect((invalid as ValidationError).requestId).toMatch(/^req-/);

    world.api.failNext(/\/submit\/$/, 409, { code: 'invalid_transition', message: 'Cannot submit', current_status: 'approved', allowed_actions: ['schedule'] });
    const conflict = await client.transition('00000000-0000-4000-8000-000000000001', 'submit').catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).currentStatus).toBe('approved');
    expect((conflict as ConflictError).allowedActions).toEqual(['schedule']);
  });

  it('treats a non-JSON answer (a proxy page) as the API being unreachable', async () => {
    const client = new StoreSyncClient({
      baseUrl: API,
      fetch: () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 200 })),
      tokens: { loadRefreshToken: () => Promise.resolve(null), saveRefreshToken: () => Promise.resolve(), clearRefreshToken: () => Promise.resolve() },
    });
    await expect(client.signIn(EMAIL, PASSWORD)).rejects.toBeInstanceOf(ApiUnreachableError);
  });
});
