import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

const base = () => `/api/v1/brands/${world.brand.id}/webhooks`;

describe('/api/v1/brands/{brand_id}/webhooks', () => {
  it('lets brand managers add a webhook, showing its secret once, then list, change and remove it', async () => {
    const token = world.users.brandManager.token;
    const created = await ctx.request('POST', `${base()}/`, { token, body: { url: 'https://hooks.example.test/storesync', description: 'CRM' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ brand: world.brand.id, url: 'https://hooks.example.test/storesync', description: 'CRM', is_active: true });
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const listed = await ctx.request('GET', base(), { token });
    expect(listed.json.results).toEqual([expect.objectContaining({ id: created.json.id })]);
    expect(listed.json.results[0].secret).toBeUndefined();
    const paused = await ctx.request('PATCH', `${base()}/${created.json.id}/`, { token, body: { is_active: false } });
    expect(paused.json).toMatchObject({ is_active: false, url: 'https://hooks.example.test/storesync' });
    expect((await ctx.request('DELETE', `${base()}/${created.json.id}`, { token })).status).toBe(204);
    expect((await ctx.request('GET', base(), { token })).json.count).toBe(0);
  });

  it('shows the delivery log, newest first', async () => {
    const token = world.users.admin.token;
    const created = await ctx.request('POST', base(), { token, body: { url: 'http://127.0.0.1:9/hook' } });
    const campaign = await ctx.createCampaign(world.location.id, world.template.id, { generatedContent: 'x' });
    const stepId = (
      await ctx.prisma.approvalStep.create({ data: { campaignId: campaign.id, decision: 'submitted', previousStatus: 'draft', newStatus: 'pending_review' } })
    ).id;
    await ctx.prisma.webhookDelivery.create({
      data: { endpointId: created.json.id, stepId, payload: { id: stepId }, attempts: 2, lastStatusCode: 500, lastError: 'answered 500' },
    });
    const log = await ctx.request('GET', `${base()}/${created.json.id}/deliveries?page_size=10`, { token });
    expect(log.status).toBe(200);
    expect(log.json).toMatchObject({ count: 1, next: null });
    expect(log.json.results[0]).toMatchObject({ event_id: stepId, status: 'pending', attempts: 2, last_status_code: 500, last_error: 'answered 500', payload: { id: stepId } });
  });

  it('refuses other roles (403), other brands (404), bad URLs and unknown fields (400)', async () => {
    for (const user of [world.users.viewer, world.users.locationManager]) {
      expect((await ctx.request('GET', base(), { token: user.token })).status, user.role).toBe(403);
      expect((await ctx.request('POST', base(), { token: user.token, body: { url: 'https://x.test' } })).status, user.role).toBe(403);
    }
    expect((await ctx.request('GET', base(), { token: world.users.otherBrandManager.token })).status).toBe(404);
    const mine = await ctx.request('POST', base(), { token: world.users.brandManager.token, body: { url: 'https://x.test' } });
    const otherBrand = `/api/v1/brands/${world.otherBrand.id}/webhooks/${mine.json.id}`;
    expect((await ctx.request('PATCH', otherBrand, { token: world.users.otherBrandManager.token, body: { is_active: false } })).status).toBe(404);
    const ftp = await ctx.request('POST', base(), { token: world.users.brandManager.token, body: { url: 'ftp://x.test/' } });
    expect(ftp.status).toBe(400);
    expect(ftp.json.error.details[0]).toEqual({ field: 'url', message: 'use an http:// or https:// URL' });
    const unknown = await ctx.request('POST', base(), { token: world.users.brandManager.token, body: { url: 'https://x.test', secret: 'mine' } });
    expect(unknown.json.error.details[0].field).toBe('secret');
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', base());
  });
});
