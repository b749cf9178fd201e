import { beforeAll, describe, expect, it } from 'vitest';
import { createBrandWithManager, createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

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
    const created = await ctx.request('POST', base(), { token, body: { url: 'https://hooks.example.test/log' } });
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

  it.each([
    ['http://127.0.0.1/hook', '127.0.0.1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata service address'],
    ['http://[::1]:8080/hook', '::1 is a loopback address'],
    ['http://2130706433/hook', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/hook', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1 (an IPv6 form carrying 127.0.0.1) is a loopback address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata service address'],
    ['https://10.0.0.5/hook', '10.0.0.5 is a private address'],
    ['https://[fe80::1]/hook', 'fe80::1 is a link-local address'],
    ['http://localhost:8000/hook', 'localhost is a local host name'],
  ])('refuses a webhook to an internal target, %s (400 on url, with the fix)', async (url, reason) => {
    const token = world.users.brandManager.token;
    const message = `${reason}, which webhooks may not target; use the receiver's public host name or address`;
    const created = await ctx.request('POST', base(), { token, body: { url } });
    expect(created.status).toBe(400);
    expect(created.json.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'url', message }] });
    const existing = await ctx.request('POST', base(), { token, body: { url: 'https://hooks.example.test/ok' } });
    const changed = await ctx.request('PATCH', `${base()}/${existing.json.id}`, { token, body: { url } });
    expect(changed.status).toBe(400);
    expect(changed.json.error.details).toEqual([{ field: 'url', message }]);
    expect((await ctx.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: existing.json.id } })).url).toBe('https://hooks.example.test/ok');
    await ctx.request('DELETE', `${base()}/${existing.json.id}`, { token });
  });

  it('refuses user names and passwords in the URL', async () => {
    const refused = await ctx.request('POST', base(), { token: world.users.brandManager.token, body: { url: 'https://user:secret@hooks.example.test/' } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([
      { field: 'url', message: 'remove the user name and password from the URL: receivers verify deliveries by their StoreSync-Signature header' },
    ]);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', base());
  });
});

describe('webhook URLs in production', () => {
  const prod = useTestContext({ NODE_ENV: 'production' });

  it('asks for https', async () => {
    const { brand, token } = await createBrandWithManager(prod);
    const url = `/api/v1/brands/${brand.id}/webhooks`;
    const plain = await prod.request('POST', url, { token, body: { url: 'http://hooks.example.test/storesync' } });
    expect(plain.status).toBe(400);
    expect(plain.json.error.details).toEqual([{ field: 'url', message: 'use an https:// URL: plain http:// is accepted only in development and test' }]);
    expect((await prod.request('POST', url, { token, body: { url: 'https://hooks.example.test/storesync' } })).status).toBe(201);
  });
});

describe('webhook URLs with WEBHOOK_ALLOW_PRIVATE_TARGETS', () => {
  const allowing = useTestContext({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  it('accepts internal targets and plain http', async () => {
    const { brand, token } = await createBrandWithManager(allowing);
    for (const target of ['http://127.0.0.1:9/hook', 'http://[::1]/hook', 'http://receiver.internal/hook']) {
      const created = await allowing.request('POST', `/api/v1/brands/${brand.id}/webhooks`, { token, body: { url: target } });
      expect(created.status, target).toBe(201);
    }
  });
});
