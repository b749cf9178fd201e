import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

describe('GET /api/v1/brands', () => {
  it('lists only the caller’s brands in the paginated shape; admins see all', async () => {
    const mine = await ctx.request('GET', '/api/v1/brands/', { token: world.users.viewer.token });
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ count: 1, next: null, previous: null });
    expect(mine.json.results.map((b: { id: string }) => b.id)).toEqual([world.brand.id]);

    const all = await ctx.request('GET', '/api/v1/brands?page_size=1', { token: world.users.admin.token });
    expect(all.json.count).toBeGreaterThanOrEqual(2);
    expect(all.json.results).toHaveLength(1);
    expect(all.json.next).toContain('page=2');
    const second = await ctx.request('GET', new URL(all.json.next).pathname + new URL(all.json.next).search, {
      token: world.users.admin.token,
    });
    expect(second.json.previous).toContain('page=1');
    expect(second.json.results[0].id).not.toBe(all.json.results[0].id);
  });

  it('filters by name and validates paging parameters', async () => {
    const found = await ctx.request('GET', '/api/v1/brands?search=acme', { token: world.users.admin.token });
    expect(found.json.results.map((b: { name: string }) => b.name)).toContain('Acme Hardware');
    const bad = await ctx.request('GET', '/api/v1/brands?page=0', { token: world.users.admin.token });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('query.page');
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', '/api/v1/brands');
  });
});

describe('POST /api/v1/brands', () => {
  it('lets admins create a brand', async () => {
    const response = await ctx.request('POST', '/api/v1/brands/', {
      token: world.users.admin.token,
      body: { name: 'New Co', slug: 'new-co', settings: { max_length: 280 } },
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ name: 'New Co', slug: 'new-co', logo: null, settings: { max_length: 280 } });
  });

  it('refuses everyone else', async () => {
    for (const user of [world.users.brandManager, world.users.locationManager, world.users.viewer]) {
      const response = await ctx.request('POST', '/api/v1/brands', { token: user.token, body: { name: 'X', slug: 'x' } });
      expect(response.status, user.role).toBe(403);
    }
  });

  it('reports a taken slug, a malformed slug and unknown fields by name', async () => {
    const taken = await ctx.request('POST', '/api/v1/brands', {
      token: world.users.admin.token,
      body: { name: 'Again', slug: world.brand.slug },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details).toEqual([{ field: 'slug', message: 'already in use' }]);
    const malformed = await ctx.request('POST', '/api/v1/brands', {
      token: world.users.admin.token,
      body: { name: 'Bad', slug: 'Bad Slug', colour: 'red' },
    });
    expect(malformed.status).toBe(400);
    const fields = malformed.json.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'colour']));
  });

  it('rejects a body that is not JSON', async () => {
    const response = await ctx.request('POST', '/api/v1/brands', { token: world.users.admin.token, body: '{not json' });
    expect(response.status).toBe(400);
    expect(response.json.error.request_id).toBeTruthy();
  });
});

describe('GET/PATCH/DELETE /api/v1/brands/{id}', () => {
  it('hides other brands behind 404', async () => {
    const response = await ctx.request('GET', `/api/v1/brands/${world.otherBrand.id}/`, { token: world.users.brandManager.token });
    expect(response.status).toBe(404);
    const own = await ctx.request('GET', `/api/v1/brands/${world.brand.id}`, { token: world.users.viewer.token });
    expect(own.status).toBe(200);
    const malformed = await ctx.request('GET', '/api/v1/brands/not-a-uuid', { token: world.users.admin.token });
    expect(malformed.status).toBe(400);
  });

  it('lets admins and the brand’s managers update it, not viewers, location managers or other brands', async () => {
    const updated = await ctx.request('PATCH', `/api/v1/brands/${world.brand.id}`, {
      token: world.users.brandManager.token,
      body: { settings: { banned_phrases: ['free'] } },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.settings).toEqual({ banned_phrases: ['free'] });
    for (const user of [world.users.viewer, world.users.locationManager]) {
      const response = await ctx.request('PATCH', `/api/v1/brands/${world.brand.id}`, { token: user.token, body: { name: 'Y' } });
      expect(response.status, user.role).toBe(403);
    }
    const foreign = await ctx.request('PATCH', `/api/v1/brands/${world.brand.id}`, {
      token: world.users.otherBrandManager.token,
      body: { name: 'Y' },
    });
    expect(foreign.status).toBe(404);
  });

  it('deletes only empty brands and only for admins', async () => {
    const refused = await ctx.request('DELETE', `/api/v1/brands/${world.brand.id}`, { token: world.users.admin.token });
    expect(refused.status).toBe(409);
    const empty = await ctx.createBrand('Empty Co');
    expect((await ctx.request('DELETE', `/api/v1/brands/${empty.id}`, { token: world.users.brandManager.token })).status).toBe(404);
    expect((await ctx.request('DELETE', `/api/v1/brands/${empty.id}`, { token: world.users.admin.token })).status).toBe(204);
  });
});

describe('plumbing', () => {
  it('answers unknown routes with the error body and echoes a given request id', async () => {
    const response = await ctx.request('GET', '/api/v1/nothing-here', { headers: { 'X-Request-Id': 'req-123' } });
    expect(response.status).toBe(404);
    expect(response.json.error).toMatchObject({ code: 'not_found', request_id: 'req-123' });
  });

  it('answers CORS preflights for the add-in task panes', async () => {
    const response = await ctx.request('OPTIONS', '/api/v1/campaigns', {
      headers: { Origin: 'https://localhost:3000', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
  });

  it('serves the OpenAPI document, Swagger UI, health, readiness and metrics', async () => {
    const schema = await ctx.request('GET', '/api/schema');
    expect(schema.status).toBe(200);
    expect(Object.keys(schema.json.paths)).toEqual(expect.arrayContaining(['/api/v1/brands', '/api/v1/auth/token']));
    const docs = await ctx.request('GET', '/api/docs');
    expect(docs.text).toContain('/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js');
    const bundle = await ctx.request('GET', '/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('Content-Type')).toContain('javascript');
    expect((await ctx.request('GET', '/api/docs/assets/swagger-ui-dist/package.json')).status).toBe(404);
    expect((await ctx.request('GET', '/healthz')).json).toEqual({ status: 'ok' });
    const ready = await ctx.request('GET', '/readyz');
    expect(ready.json).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } });
    const metrics = await ctx.request('GET', '/metrics');
    expect(metrics.text).toContain('storesync_http_requests_total');
  });
});
