import { describe, expect, it } from 'vitest';
import { expectRejectsBadTokens, TEST_PASSWORD, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '8', TRUST_PROXY: 'true' });

let addressCounter = 0;
/** Each login test uses its own client address so per-address limits do not couple tests. */
const freshAddress = () => ({ 'X-Forwarded-For': `198.51.100.${++addressCounter}` });

async function login(email: string, password = TEST_PASSWORD, headers = freshAddress()) {
  return ctx.request('POST', '/api/v1/auth/token/', { body: { email, password }, headers });
}

describe('POST /api/v1/auth/token', () => {
  it('signs in with email and password and returns a token pair and the user', async () => {
    const brand = await ctx.createBrand();
    const user = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const response = await login(user.email.toUpperCase());
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ access_expires_in: 900, user: { id: user.id, role: 'brand_manager', brands: [brand.id] } });
    const me = await ctx.request('GET', '/api/v1/auth/me', { token: response.json.access });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(user.email);
    const stored = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastLoginAt).not.toBeNull();
  });

  it('refuses a wrong password, an unknown email and a deactivated account alike', async () => {
    const user = await ctx.createUser('viewer');
    const inactive = await ctx.createUser('viewer', { isActive: false });
    for (const response of [await login(user.email, 'wrong'), await login('nobody@example.test'), await login(inactive.email)]) {
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('unauthenticated');
    }
  });

  it('names the field when the body is invalid and rejects unknown fields', async () => {
    const response = await ctx.request('POST', '/api/v1/auth/token', {
      body: { email: 'not-an-email', password: 'x', remember: true },
      headers: freshAddress(),
    });
    expect(response.status).toBe(400);
    const fields = response.json.error.details.map((detail: { field: string }) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'remember']));
  });

  it('locks an account after repeated failures, even from new addresses, and says when to retry', async () => {
    const user = await ctx.createUser('viewer');
    for (let attempt = 0; attempt < 3; attempt++) expect((await login(user.email, 'wrong')).status).toBe(401);
    const locked = await login(user.email);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
  });

  it('limits attempts per client address across accounts', async () => {
    const headers = { 'X-Forwarded-For': '203.0.113.77' };
    const statuses = [];
    for (let attempt = 0; attempt < 9; attempt++) statuses.push((await login(`probe${attempt}@example.test`, 'x', headers)).status);
    expect(statuses.slice(0, 8).every((status) => status === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  it('rejects oversized bodies with 413', async () => {
    const response = await ctx.request('POST', '/api/v1/auth/token', {
      body: { email: 'a@example.test', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('payload_too_large');
  });
});

describe('refresh tokens', () => {
  it('rotate on every refresh, and reuse of a spent token revokes the whole family', async () => {
    const user = await ctx.createUser('viewer');
    const first = (await login(user.email)).json.refresh;
    const second = await ctx.request('POST', '/api/v1/auth/token/refresh/', { body: { refresh: first } });
    expect(second.status).toBe(200);
    expect(second.json.refresh).not.toBe(first);
    const third = await ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh: second.json.refresh } });
    expect(third.status).toBe(200);

    const replay = await ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh: first } });
    expect(replay.status).toBe(401);
    // The legitimate latest token died with its family.
    const latest = await ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh: third.json.refresh } });
    expect(latest.status).toBe(401);
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const user = await ctx.createUser('viewer');
    const refresh = (await login(user.email)).json.refresh;
    const results = await Promise.all([
      ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh } }),
      ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh } }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
  });

  it('stores only hashes of refresh tokens', async () => {
    const user = await ctx.createUser('viewer');
    const refresh = (await login(user.email)).json.refresh;
    const stored = await ctx.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(refresh);
    expect(stored[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logout revokes the refresh token and its family; a second logout is harmless', async () => {
    const user = await ctx.createUser('viewer');
    const refresh = (await login(user.email)).json.refresh;
    expect((await ctx.request('POST', '/api/v1/auth/logout/', { body: { refresh } })).status).toBe(204);
    expect((await ctx.request('POST', '/api/v1/auth/logout', { body: { refresh } })).status).toBe(204);
    expect((await ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh } })).status).toBe(401);
  });

  it('refuses unknown refresh tokens and deactivated users', async () => {
    expect((await ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh: 'nope' } })).status).toBe(401);
    const user = await ctx.createUser('viewer');
    const refresh = (await login(user.email)).json.refresh;
    await ctx.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    expect((await ctx.request('POST', '/api/v1/auth/token/refresh', { body: { refresh } })).status).toBe(401);
  });
});

describe('GET /api/v1/auth/me', () => {
  it('refuses missing, expired, forged, unsigned and foreign-audience tokens', async () => {
    const user = await ctx.createUser('admin');
    await expectRejectsBadTokens(ctx, user.id, 'GET', '/api/v1/auth/me');
  });

  it('refuses a valid token of a deactivated user', async () => {
    const user = await ctx.createUser('viewer');
    await ctx.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    expect((await ctx.request('GET', '/api/v1/auth/me', { token: user.token })).status).toBe(401);
  });
});
