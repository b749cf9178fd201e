import { beforeAll, describe, expect, it } from 'vitest';
import { getCampaignEmbedding, setCampaignEmbedding } from '@storesync/db';
import { createGenerationQueue, redisConnectionOptions } from '@storesync/worker/queue';
import { pino } from 'pino';
import { createApp } from '../../app.ts';
import { createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
  ctx.startGenerationWorker();
});

const generate = (campaignId: string, token: string, body: Record<string, unknown> = {}) =>
  ctx.request('POST', '/api/v1/campaigns/generate-content/', { token, body: { campaign_id: campaignId, ...body } });

/** An approved campaign of `brandId` whose copy is embedded, as the worker would leave it. */
async function approvedExample(locationId: string, templateId: string, content: string) {
  const campaign = await ctx.createCampaign(locationId, templateId, { status: 'approved', generatedContent: content });
  const { embeddings } = await ctx.providers.embeddings.embed([content]);
  await setCampaignEmbedding(ctx.prisma, campaign.id, embeddings[0] ?? null);
  return campaign;
}

describe('POST /api/v1/campaigns/generate-content', () => {
  it('queues a job that writes versioned, embedded copy into the campaign', async () => {
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    const queued = await generate(campaign.id, world.users.locationManager.token);
    expect(queued.status).toBe(202);
    expect(queued.json).toMatchObject({ status: 'queued', campaign_id: campaign.id, task_id: queued.json.id });
    expect(queued.json.id).toMatch(new RegExp(`^gen-${campaign.id}-[0-9a-f]{24}$`));

    const job = await ctx.waitForJob(queued.json.id, world.users.locationManager.token);
    expect(job).toMatchObject({ status: 'completed', progress: 100, error: null, attempts: 1 });

    const detail = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}`, { token: world.users.viewer.token });
    expect(detail.json.generated_content).toContain('Store 001');
    expect(detail.json.generated_content).not.toMatch(/\{\{|\[/);
    expect(await getCampaignEmbedding(ctx.prisma, campaign.id)).toHaveLength(1536);

    const versions = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/versions/`, { token: world.users.viewer.token });
    expect(versions.json.count).toBe(1);
    expect(versions.json.results[0]).toMatchObject({
      id: job.version_id,
      version_number: 1,
      status: 'ok',
      is_current: true,
      content: detail.json.generated_content,
      provider: 'offline',
      model: 'storesync-offline-copy-v1',
      embedding_model: 'storesync-offline-embed-v1',
      template_version: 1,
      prompt_version: 'v1',
      attempt: 1,
      generation_job_id: queued.json.id,
    });
    expect(versions.json.results[0].prompt_tokens).toBeGreaterThan(0);
  });

  it('gives a repeated request with the same inputs the same job and no second version; force makes a new one', async () => {
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    const token = world.users.brandManager.token;
    const first = await generate(campaign.id, token);
    const duplicate = await generate(campaign.id, token);
    expect(duplicate.json.id).toBe(first.json.id);
    await ctx.waitForJob(first.json.id, token);
    const again = await generate(campaign.id, token);
    expect(again.json).toMatchObject({ id: first.json.id, status: 'completed' });
    expect(await ctx.prisma.campaignContentVersion.count({ where: { campaignId: campaign.id } })).toBe(1);

    const forced = await generate(campaign.id, token, { force: true });
    expect(forced.json.id).not.toBe(first.json.id);
    await ctx.waitForJob(forced.json.id, token);
    const versions = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/versions`, { token });
    expect(versions.json.results.map((v: { version_number: number; is_current: boolean }) => [v.version_number, v.is_current])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it('a changed input (customizations) makes a new job id', async () => {
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    const token = world.users.brandManager.token;
    const first = await generate(campaign.id, token);
    await ctx.prisma.locationCampaign.update({ where: { id: campaign.id }, data: { customizations: { sale_type: 'Winter' } } });
    const second = await generate(campaign.id, token);
    expect(second.json.id).not.toBe(first.json.id);
    const withContext = await generate(campaign.id, token, { additional_context: 'Mention the parking lot' });
    expect(withContext.json.id).not.toBe(second.json.id);
  });

  it('uses up to three approved examples of the same brand only', async () => {
    const sameBrand = await Promise.all(
      ['Summer savings at Store 001: patio sets 20% off.', 'Store 002 summer sale on grills.', 'Summer deals on fans at Store 001.', 'Summer sale! Shop patio.'].map(
        (text) => approvedExample(world.secondLocation.id, world.template.id, text),
      ),
    );
    const foreign = await approvedExample(world.otherLocation.id, world.otherTemplate.id, 'Store 001 is having a Summer sale!');
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    const queued = await generate(campaign.id, world.users.brandManager.token);
    const job = await ctx.waitForJob(queued.json.id, world.users.brandManager.token);
    const version = await ctx.prisma.campaignContentVersion.findUniqueOrThrow({ where: { id: job.version_id } });
    expect(version.exampleIds).toHaveLength(3);
    expect(sameBrand.map((example) => example.id)).toEqual(expect.arrayContaining(version.exampleIds));
    expect(version.exampleIds).not.toContain(foreign.id);

    const without = await ctx.createCampaign(world.location.id, world.template.id);
    const plain = await generate(without.id, world.users.brandManager.token, { use_similar_content: false });
    const plainJob = await ctx.waitForJob(plain.json.id, world.users.brandManager.token);
    const plainVersion = await ctx.prisma.campaignContentVersion.findUniqueOrThrow({ where: { id: plainJob.version_id } });
    expect(plainVersion.exampleIds).toEqual([]);
  });

  it('stores copy that fails the brand’s checks as failed versions, retries once, then fails the job with the reason', async () => {
    const brand = await ctx.createBrand('Strict Co', { required_phrases: ['Only at Strict Co'] });
    const location = await ctx.createLocation(brand.id, '900');
    const template = await ctx.createTemplate(brand.id);
    const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const campaign = await ctx.createCampaign(location.id, template.id, { generatedContent: 'Original copy' });
    const queued = await generate(campaign.id, manager.token);
    const job = await ctx.waitForJob(queued.json.id, manager.token);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('lacks the required phrase "Only at Strict Co"');
    const versions = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/versions`, { token: manager.token });
    expect(versions.json.results.map((v: { status: string; attempt: number }) => [v.status, v.attempt])).toEqual([
      ['failed', 2],
      ['failed', 1],
    ]);
    expect(versions.json.results[1].failure_reason).toContain('Only at Strict Co');
    const stored = await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(stored.generatedContent).toBe('Original copy');
  });

  it('refuses generation beyond the brand’s monthly token budget before any model call', async () => {
    const brand = await ctx.createBrand('Budget Co', { monthly_token_budget: 100 });
    const location = await ctx.createLocation(brand.id, '901');
    const template = await ctx.createTemplate(brand.id);
    const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
    const spent = await ctx.createCampaign(location.id, template.id);
    await ctx.prisma.campaignContentVersion.create({
      data: {
        campaignId: spent.id,
        attempt: 1,
        versionNumber: 1,
        status: 'ok',
        content: 'earlier copy',
        provider: 'offline',
        model: 'storesync-offline-copy-v1',
        templateVersion: 1,
        promptVersion: 'v1',
        inputsHash: 'x',
        promptTokens: 90,
        completionTokens: 20,
        latencyMs: 1,
      },
    });
    const campaign = await ctx.createCampaign(location.id, template.id);
    const queued = await generate(campaign.id, manager.token);
    const job = await ctx.waitForJob(queued.json.id, manager.token);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.error).toContain('110 of its 100 monthly tokens');
    expect(await ctx.prisma.campaignContentVersion.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it('refuses reviewed campaigns, viewers and other brands', async () => {
    const approved = await ctx.createCampaign(world.location.id, world.template.id, { status: 'approved' });
    const locked = await generate(approved.id, world.users.brandManager.token);
    expect(locked.status).toBe(409);
    expect(locked.json.error.current_status).toBe('approved');
    const draft = await ctx.createCampaign(world.location.id, world.template.id);
    expect((await generate(draft.id, world.users.viewer.token)).status).toBe(403);
    expect((await generate(draft.id, world.users.otherBrandManager.token)).status).toBe(404);
    const bad = await ctx.request('POST', '/api/v1/campaigns/generate-content', {
      token: world.users.brandManager.token,
      body: { campaign_id: 'nope', use_similar_content: 'yes' },
    });
    expect(bad.json.error.details.map((d: { field: string }) => d.field)).toEqual(['campaign_id', 'use_similar_content']);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', '/api/v1/campaigns/generate-content', { campaign_id: draft.id });
  });
});

describe('when Redis is down', () => {
  it('answers 503 with a clear message within seconds instead of hanging', async () => {
    const deadQueue = createGenerationQueue({ connection: redisConnectionOptions('redis://127.0.0.1:6399'), prefix: 'dead' });
    deadQueue.on('error', () => undefined); // connection refusals are expected here
    const app = createApp({
      env: ctx.env,
      prisma: ctx.prisma,
      redis: ctx.redis,
      logger: pino({ level: 'silent' }),
      generationQueue: deadQueue,
      embeddings: ctx.providers.embeddings,
      changeNotifier: ctx.changeNotifier,
    });
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    const started = Date.now();
    const response = await app.request('/api/v1/campaigns/generate-content', {
      method: 'POST',
      headers: { Authorization: `Bearer ${world.users.brandManager.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ campaign_id: campaign.id }),
    });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('service_unavailable');
    expect(body.error.message).toContain('Redis');
    expect(Date.now() - started).toBeLessThan(10_000);
    await deadQueue.close();
  });
});

describe('GET /api/v1/jobs/{id} and versions', () => {
  it('hides jobs and versions of other brands', async () => {
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    const queued = await generate(campaign.id, world.users.brandManager.token);
    expect((await ctx.request('GET', `/api/v1/jobs/${queued.json.id}`, { token: world.users.otherBrandManager.token })).status).toBe(404);
    expect((await ctx.request('GET', `/api/v1/jobs/unknown-job`, { token: world.users.admin.token })).status).toBe(404);
    expect(
      (await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/versions`, { token: world.users.otherBrandManager.token })).status,
    ).toBe(404);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', `/api/v1/jobs/${queued.json.id}`);
  });
});

describe('GET /api/v1/campaigns/similar', () => {
  it('ranks reviewed copy of the caller’s brands by similarity, with scores', async () => {
    const patio = await approvedExample(world.location.id, world.template.id, 'Patio furniture clearance this weekend at Store 001');
    await approvedExample(world.location.id, world.template.id, 'Free coffee with every paint purchase');
    const foreign = await approvedExample(world.otherLocation.id, world.otherTemplate.id, 'Patio furniture clearance this weekend');
    const draft = await ctx.createCampaign(world.location.id, world.template.id, { generatedContent: 'Patio furniture clearance draft' });
    await setCampaignEmbedding(ctx.prisma, draft.id, (await ctx.providers.embeddings.embed(['Patio furniture clearance draft'])).embeddings[0] ?? null);

    const response = await ctx.request('GET', '/api/v1/campaigns/similar/?query=patio%20furniture%20clearance&limit=20', {
      token: world.users.brandManager.token,
    });
    expect(response.status).toBe(200);
    expect(response.json[0]).toMatchObject({ id: patio.id, brand: world.brand.id, location_name: 'Store 001', template_name: 'Seasonal sale', status: 'approved' });
    expect(response.json[0].similarity_score).toBeGreaterThan(0.3);
    const ids = response.json.map((row: { id: string }) => row.id);
    expect(ids).not.toContain(foreign.id);
    expect(ids).not.toContain(draft.id);
    const scores = response.json.map((row: { similarity_score: number }) => row.similarity_score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const admin = await ctx.request('GET', `/api/v1/campaigns/similar?query=patio&brand_id=${world.otherBrand.id}`, {
      token: world.users.admin.token,
    });
    expect(admin.json[0].id).toBe(foreign.id);
    expect(admin.json.every((row: { brand: string }) => row.brand === world.otherBrand.id)).toBe(true);
  });

  it('limits location managers to their locations and validates its parameters', async () => {
    const elsewhere = await approvedExample(world.secondLocation.id, world.template.id, 'Grill sale at the second store');
    const mine = await ctx.request('GET', '/api/v1/campaigns/similar?query=grill%20sale&limit=20', { token: world.users.locationManager.token });
    expect(mine.json.map((row: { id: string }) => row.id)).not.toContain(elsewhere.id);
    const foreignBrand = await ctx.request('GET', `/api/v1/campaigns/similar?query=x&brand_id=${world.otherBrand.id}`, {
      token: world.users.brandManager.token,
    });
    expect(foreignBrand.status).toBe(404);
    const tooMany = await ctx.request('GET', '/api/v1/campaigns/similar?query=x&limit=21', { token: world.users.brandManager.token });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.details[0].field).toBe('query.limit');
    const empty = await ctx.request('GET', '/api/v1/campaigns/similar', { token: world.users.brandManager.token });
    expect(empty.json.error.details[0].field).toBe('query.query');
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', '/api/v1/campaigns/similar?query=x');
  });
});
