/**
 * "Unchanged" includes the examples: a campaign whose template, location, customizations and
 * options are as they were, but whose brand now offers different approved examples to retrieve,
 * is generated again rather than skipped. Runs without similar content do not depend on them.
 */
import { randomUUID } from 'node:crypto';
import { setCampaignEmbedding } from '@storesync/db';
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();

async function brandWorld() {
  const brand = await ctx.createBrand(`Examples Co ${randomUUID().slice(0, 6)}`);
  const location = await ctx.createLocation(brand.id, '201');
  const secondLocation = await ctx.createLocation(brand.id, '202');
  const template = await ctx.createTemplate(brand.id);
  const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
  return { brand, location, secondLocation, template, manager };
}

/** An approved campaign with copy and its embedding: a candidate example for its brand. */
async function approvedExample(locationId: string, templateId: string, copy: string) {
  const campaign = await ctx.createCampaign(locationId, templateId, { status: 'approved', generatedContent: copy });
  const { embeddings } = await ctx.providers.embeddings.embed([copy]);
  await setCampaignEmbedding(ctx.prisma, campaign.id, embeddings[0] ?? null);
  return campaign;
}

async function runToEnd(token: string, body: Record<string, unknown>) {
  const started = await ctx.request('POST', '/api/v1/campaigns/generate/', { token, body });
  expect(started.status).toBe(202);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const run = await ctx.request('GET', `/api/v1/runs/${started.json.id}`, { token });
    if (run.json.status !== 'running') return { started: started.json, run: run.json };
    if (Date.now() > deadline) throw new Error(`run ${started.json.id} still running: ${run.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const latestOkVersion = (campaignId: string) =>
  ctx.prisma.campaignContentVersion.findFirstOrThrow({ where: { campaignId, status: 'ok' }, orderBy: { versionNumber: 'desc' } });

describe('unchanged detection and the retrieved examples', () => {
  it('generates again when the brand gains an approved example, and skips again once that is reflected', async () => {
    ctx.startGenerationWorker();
    const { location, secondLocation, template, manager } = await brandWorld();
    await approvedExample(secondLocation.id, template.id, 'Store 202 summer sale: 20% off garden tools this weekend.');
    const campaign = await ctx.createCampaign(location.id, template.id);
    const body = { campaign_ids: [campaign.id], use_similar_content: true };

    const first = await runToEnd(manager.token, body);
    expect(first.run).toMatchObject({ status: 'completed', done: 1 });
    const again = await runToEnd(manager.token, body);
    expect(again.started.skipped_reasons).toMatchObject({ unchanged: 1 });

    // A new approved example, near the campaign's own copy: retrieval would now return it.
    const example = await approvedExample(secondLocation.id, template.id, 'Store 201 is having a Summer sale! Fresh deals all week.');
    const estimate = await ctx.request('POST', '/api/v1/campaigns/generate/estimate', { token: manager.token, body });
    expect(estimate.json).toMatchObject({ campaigns: 1, skipped_reasons: { unchanged: 0 } });
    const changed = await runToEnd(manager.token, body);
    expect(changed.started.skipped_reasons).toMatchObject({ unchanged: 0 });
    expect(changed.run).toMatchObject({ status: 'completed', done: 1 });
    expect((await latestOkVersion(campaign.id)).exampleIds).toContain(example.id);

    // Reflected now; and the example going live (approved → scheduled) changes nothing it offers.
    await ctx.prisma.locationCampaign.update({ where: { id: example.id }, data: { status: 'scheduled' } });
    const settled = await runToEnd(manager.token, body);
    expect(settled.started.skipped_reasons).toMatchObject({ unchanged: 1 });

    // Withdrawn (back to draft, as an edit of its copy does): the examples changed again.
    await ctx.prisma.locationCampaign.update({ where: { id: example.id }, data: { status: 'draft' } });
    const withdrawn = await runToEnd(manager.token, body);
    expect(withdrawn.started.skipped_reasons).toMatchObject({ unchanged: 0 });
  });

  it('ignores examples for runs without similar content, and examples of other brands', async () => {
    ctx.startGenerationWorker();
    const { location, secondLocation, template, manager } = await brandWorld();
    const other = await brandWorld();
    const campaign = await ctx.createCampaign(location.id, template.id);
    const withoutExamples = { campaign_ids: [campaign.id], use_similar_content: false };
    const withExamples = { campaign_ids: [campaign.id], use_similar_content: true };

    await runToEnd(manager.token, withoutExamples);
    await approvedExample(secondLocation.id, template.id, 'Store 202 summer sale: 20% off garden tools this weekend.');
    expect((await runToEnd(manager.token, withoutExamples)).started.skipped_reasons).toMatchObject({ unchanged: 1 });

    await runToEnd(manager.token, withExamples);
    await approvedExample(other.secondLocation.id, other.template.id, 'Store 202 of another brand: everything must go.');
    expect((await runToEnd(manager.token, withExamples)).started.skipped_reasons).toMatchObject({ unchanged: 1 });
  });

  it('counts inputs that return to an earlier state as changed: the copy reflects the latest ones', async () => {
    ctx.startGenerationWorker();
    const { location, template, manager } = await brandWorld();
    const campaign = await ctx.createCampaign(location.id, template.id);
    const withoutExamples = { campaign_ids: [campaign.id], use_similar_content: false };
    const withExamples = { campaign_ids: [campaign.id], use_similar_content: true };
    await runToEnd(manager.token, withoutExamples);
    await runToEnd(manager.token, withExamples);
    const back = await runToEnd(manager.token, withoutExamples);
    expect(back.started.skipped_reasons).toMatchObject({ unchanged: 0 });
    expect(back.run).toMatchObject({ status: 'completed', done: 1 });
    const versions = await ctx.prisma.campaignContentVersion.count({ where: { campaignId: campaign.id, status: 'ok' } });
    expect(versions).toBe(3);
    expect((await runToEnd(manager.token, withoutExamples)).started.skipped_reasons).toMatchObject({ unchanged: 1 });
  });

  it('gives POST /generate-content the same job while the examples stand, and a new one when they change', async () => {
    ctx.startGenerationWorker();
    const { location, secondLocation, template, manager } = await brandWorld();
    const campaign = await ctx.createCampaign(location.id, template.id);
    const request = () =>
      ctx.request('POST', '/api/v1/campaigns/generate-content/', {
        token: manager.token,
        body: { campaign_id: campaign.id, use_similar_content: true },
      });
    const first = await request();
    expect(first.status).toBe(202);
    expect((await request()).json.id).toBe(first.json.id);
    await ctx.waitForJob(first.json.id, manager.token);
    await approvedExample(secondLocation.id, template.id, 'Store 202 summer sale: 20% off garden tools this weekend.');
    const next = await request();
    expect(next.status).toBe(202);
    expect(next.json.id).not.toBe(first.json.id);
  });
});
